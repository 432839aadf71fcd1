"""The signed cache store: what it writes reads back, anything else is a miss."""

from __future__ import annotations

from pathlib import Path

from mystdeck.store import Store, load_key


def test_only_what_the_store_signed_reads_back(tmp_path: Path) -> None:
    key = load_key(tmp_path / "keys")
    assert key is not None and load_key(tmp_path / "keys") == key  # made once, then kept
    assert (tmp_path / "keys" / "key").stat().st_mode & 0o077 == 0
    store = Store(tmp_path / "cache", key)
    store.write("a.json", {"svg": "<svg/>"})
    assert store.read("a.json") == {"svg": "<svg/>"}
    path = tmp_path / "cache" / "a.json"
    signature, _, payload = path.read_bytes().partition(b"\n")
    for changed in (payload, signature + b"\n" + payload.replace(b"svg/", b"svg onload=x"), b"", b"\n\n"):
        path.write_bytes(changed)
        assert store.read("a.json") is None
    assert Store(tmp_path / "cache", None).read("a.json") is None
    other = Store(tmp_path / "cache", bytes(32))  # another user's key
    store.write("b.json", [1])
    assert other.read("b.json") is None
    Store(tmp_path / "cache", key, writable=False).write("c.json", [1])
    assert not (tmp_path / "cache" / "c.json").exists()
