"""Backups in the app and on the command line: the jobs (Qt-free, shared with ``ui.cli_backup``), the
automatic backups of the desktop, the Admin › Backups dialog, and the restore carried out after the
window has closed."""
