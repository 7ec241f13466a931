"""Practice-wide settings dialogs: the clinic's units now; the letters add the clinic's details."""
