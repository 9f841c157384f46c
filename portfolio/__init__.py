"""portfolio: a static site generator for digital-marketing portfolios."""

__version__ = "0.1.0"
