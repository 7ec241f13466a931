"""The dashboard's exports: the squad as CSV or Excel, the screening report PDF, the pseudonymised analytics.

Each asks where to save, then makes the file and writes it whole (or not at all) on the database
thread: the record-exchange service checks the role again and audits the export. The PDF's renderer
(ReportLab) is imported only when a report is made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from ui.atomic_file import write_bytes_atomically
from workstation.security.permissions import Action
from workstation.squads.records import Squad
from workstation.squads.views import Dashboard

if TYPE_CHECKING:
    from workstation.services.session import ClinicSession

# parent, title, suggested path, file filter -> the chosen path, or None (the person cancelled)
ChooseSaveFile = Callable[[QWidget, str, Path, str], Path | None]


def choose_save_file(parent: QWidget, title: str, suggested: Path, filters: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    return Path(name) if name else None


@dataclass(frozen=True, slots=True)
class ExportKind:
    key: str  # "csv", "xlsx", "pdf", "analytics"
    button: str
    title: str
    filters: str
    suffix: str
    needs: tuple[Action, ...]


EXPORTS = (
    ExportKind("csv", "Export CS&V…", "Export the squad as CSV", "CSV file (*.csv)", ".csv", (Action.EXPORT_SQUAD,)),
    ExportKind("xlsx", "Export E&xcel…", "Export the squad as an Excel workbook", "Excel workbook (*.xlsx)", ".xlsx",
               (Action.EXPORT_SQUAD,)),
    ExportKind("pdf", "Screening &report (PDF)…", "Save the squad screening report", "PDF document (*.pdf)", ".pdf",
               (Action.EXPORT_SQUAD, Action.VIEW_CLINICAL)),
    ExportKind("analytics", "&Analytics file…", "Export the pseudonymised analytics",
               "CSV file (*.csv);;Excel workbook (*.xlsx)", ".csv", (Action.VIEW_SQUAD_ANALYTICS,)),
)  # fmt: skip


def suggested_name(squad: Squad, kind: ExportKind, today: date) -> str:
    """ "Senior women 2026-27 2026-06-12.csv": the squad, never a person, and no characters a folder refuses."""
    title = f"{squad.name} {squad.season}".strip()
    safe = re.sub(r"[^\w\- ]+", "-", title).strip(" -") or "squad"
    extra = " analytics" if kind.key == "analytics" else " screening report" if kind.key == "pdf" else ""
    return f"{safe}{extra} {today.isoformat()}{kind.suffix}"


def export_file(
    session: ClinicSession, kind: ExportKind, dashboard: Dashboard, squad: Squad, path: Path, today: date
) -> Path:
    """Runs on the database thread: make the file (audited by the service) and write it whole."""
    exchange = session.record_exchange
    fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    if kind.key in ("csv", "xlsx"):
        data = exchange.squad_file(dashboard, squad, kind.key)
    elif kind.key == "pdf":
        from reports.squad_report import render_squad_report  # ReportLab: only when a report is made

        clinic_name = session.clinic_settings.profile().name
        data = exchange.squad_report(dashboard, squad, clinic_name=clinic_name, render=render_squad_report)
    else:
        assert squad.id is not None
        data = exchange.analytics_file(session.squads.analytics(squad.id, today), fmt)
    write_bytes_atomically(path, data)
    return path
