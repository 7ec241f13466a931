"""CalfDesk core: domain records, clinical rules and use cases. Pure Python: no Qt, no SQL, no PDF."""

__version__ = "0.1.0"
