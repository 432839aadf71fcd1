"""Serve stage helper: a phone as the remote and a follow page for the audience (``--present``).

The deck window stays in charge: it publishes where it is (slide, step, title, notes, strokes) and takes
the remote's requests (next, previous, black screen) as its own keys would. Three random tokens guard it:
the remote's and the follow page's travel in their addresses (a request without the right one gets 403);
the presenter's reaches only pages opened on this machine itself, so only the deck window there can
publish. Nothing here knows about markdown.
"""

from __future__ import annotations

import io
import json
import secrets
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAGES = Path(__file__).resolve().parent
ACTIONS = ("next", "prev", "blackout")
MAX_STATE = 4 * 1024 * 1024  # bytes of one published state (strokes included)


@dataclass(slots=True)
class RemoteState:
    """The presentation as the deck window last published it, and the requests waiting for it."""

    remote_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    follow_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    presenter_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    state: dict[str, Any] = field(default_factory=dict)
    state_id: int = 0
    commands: list[str] = field(default_factory=list)
    closed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, state: dict[str, Any]) -> None:
        with self.changed:
            self.state, self.state_id = state, self.state_id + 1
            self.changed.notify_all()

    def ask(self, action: str) -> None:
        with self.changed:
            self.commands.append(action)
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def wait_state(self, seen: int, timeout: float) -> tuple[int, dict[str, Any]] | None:
        with self.changed:
            self.changed.wait_for(lambda: self.closed or self.state_id != seen, timeout)
            return None if self.closed or self.state_id == seen else (self.state_id, self.state)

    def wait_command(self, seen: int, timeout: float) -> tuple[int, list[str]] | None:
        """The requests after the first ``seen`` ones, once there are any."""
        with self.changed:
            self.changed.wait_for(lambda: self.closed or len(self.commands) > seen, timeout)
            return None if self.closed or len(self.commands) <= seen else (len(self.commands), self.commands[seen:])

    def role(self, token: str) -> str:
        """Who a token belongs to: "remote", "follow", "presenter", or "" for none."""
        for name, known in (("remote", self.remote_token), ("follow", self.follow_token),
                            ("presenter", self.presenter_token)):  # fmt: skip
            if token and secrets.compare_digest(token, known):
                return name
        return ""


def read_state(body: bytes) -> dict[str, Any] | None:
    """A state the deck window published: a JSON object, bounded; None for anything else."""
    if len(body) > MAX_STATE:
        return None
    try:
        state = json.loads(body)
    except ValueError:
        return None
    return state if isinstance(state, dict) else None


def read_action(body: bytes) -> str | None:
    try:
        request = json.loads(body[:1024])
    except ValueError:
        return None
    action = request.get("action") if isinstance(request, dict) else None
    return action if action in ACTIONS else None


def page(name: str, token: str) -> bytes:
    """The remote's or the follow page's HTML with its token."""
    text = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    return text.replace("__TOKEN__", json.dumps(token)).encode("utf-8")


def lan_address() -> str:
    """This machine's address on the local network (the one its default route leaves from); a UDP socket
    that is only connected sends nothing. 127.0.0.1 when there is no network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            address = str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"
    return address if not address.startswith("0.") else "127.0.0.1"


def qr_code(url: str) -> str:
    """The address as a QR code for the terminal (segno draws it with block characters)."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()
