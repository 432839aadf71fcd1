"""Build the decks in slides/ (see ``python build.py --help``)."""

import sys

from mystdeck.cli import main

if __name__ == "__main__":
    sys.exit(main())
