"""Backups as the core sees them: which to keep (rotation) and where they go (the practice's setting)."""
