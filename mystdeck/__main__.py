"""``python -m mystdeck``: the same as build.py."""

import sys

from mystdeck.cli import main

sys.exit(main())
