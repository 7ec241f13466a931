"""The interfaces: the PySide6 desktop app and the ``calfdesk`` command line (the only composition root)."""
