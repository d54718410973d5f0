"""premortem-tui: run a pre-mortem workshop in the terminal."""

__version__ = "0.1.0"
