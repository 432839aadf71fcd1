"""mystdeck: MyST markdown talks in, offline reveal.js decks out."""

__version__ = "0.1.0"
