"""briefgen: turn annotated article sources into a static briefing site."""

__version__ = "0.1.0"
