"""healthsite: a static site generator for clinic health content."""

__version__ = "0.1.0"
