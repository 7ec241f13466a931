"""Finding, viewing and editing patients and their episodes of care."""
