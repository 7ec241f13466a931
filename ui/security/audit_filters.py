"""What the audit viewer is asked to show: patient, user, event and a range of days, checked inline.

Days are the practice's local days; the log keeps UTC, so a day becomes the UTC instants of its local
midnight and the next one (which also copes with a day that has 23 or 25 hours).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QWidget

from ui.security.audit_table import event_label
from ui.security.checked_fields import CheckedFields
from ui.widgets.date_edit import DateLineEdit, date_format_hint
from workstation.audit.records import AuditEntry, AuditEvent
from workstation.dates import DateOrder
from workstation.ports import AuditQuery
from workstation.problems import Problem, blocking
from workstation.security.accounts import user_key


@dataclass(frozen=True, slots=True)
class AuditFilter:
    patient_id: int | None = None
    user_name: str = ""  # matched as a log-in name is: case and accents aside
    event: AuditEvent | None = None
    first_day: date | None = None
    last_day: date | None = None  # inclusive

    def query(self, *, user_id: int | None, limit: int | None, zone: tzinfo | None) -> AuditQuery:
        since = _local_midnight(self.first_day, zone) if self.first_day else None
        until = _local_midnight(self.last_day + timedelta(days=1), zone) if self.last_day else None
        return AuditQuery(
            patient_id=self.patient_id, user_id=user_id, event=self.event, since=since, until=until, limit=limit
        )

    def matches_user(self, entry: AuditEntry) -> bool:
        return not self.user_name or user_key(entry.user_name) == user_key(self.user_name)


def _local_midnight(day: date, zone: tzinfo | None) -> datetime:
    if zone is None:
        # A naive time made aware by astimezone() follows the computer's zone rules for that very day.
        return datetime.combine(day, time.min).astimezone().astimezone(UTC)
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


class AuditFilterWidget(QWidget):
    def __init__(self, date_order: DateOrder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditFilters")
        self._order = date_order
        self.fields = CheckedFields(self._problems, self)
        self.event_box = QComboBox()
        self.event_box.setObjectName("field_event")
        self.event_box.setAccessibleName("Event")
        self.event_box.addItem("Any event", None)
        for event in AuditEvent:
            self.event_box.addItem(event_label(event), event.value)  # Qt hands a str enum back as a plain str
        left, right = QFormLayout(), QFormLayout()
        self.fields.add_row(left, "patient_id", "Patient id", QLineEdit())
        self.fields.add_row(left, "user", "User", QLineEdit(), hint="Their user name, as they log in.")
        left.addRow("Event", self.event_box)
        self.fields.add_row(right, "first_day", "From", DateLineEdit(date_order))
        self.fields.add_row(right, "last_day", "To", DateLineEdit(date_order))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        self.fields.refresh()

    def read(self) -> AuditFilter | None:
        """The filter as typed, or None (with the problems shown) when something cannot be read."""
        problems = blocking(self.fields.touch_all())
        if problems:
            self.fields.focus_first(problems)
            return None
        patient = self.fields.text("patient_id").strip()
        return AuditFilter(
            patient_id=int(patient) if patient else None,
            user_name=self.fields.text("user").strip(),
            event=AuditEvent(code) if (code := self.event_box.currentData()) else None,
            first_day=self._day("first_day"),
            last_day=self._day("last_day"),
        )

    def set_who_accessed(self, patient_id: int) -> None:
        """The "who has accessed this patient" preset: that patient's views, by anyone, at any time."""
        self.fields.fields["patient_id"].setText(str(patient_id))
        for key in ("user", "first_day", "last_day"):
            self.fields.fields[key].clear()
        self.event_box.setCurrentIndex(self.event_box.findData(AuditEvent.PATIENT_VIEWED.value))

    def _day(self, key: str) -> date | None:
        field = self.fields.fields[key]
        assert isinstance(field, DateLineEdit)
        return field.date()

    def _problems(self) -> list[Problem]:
        problems = []
        patient = self.fields.text("patient_id").strip()
        if patient and not (patient.isascii() and patient.isdigit()):
            problems.append(Problem("patient_id", "Type the patient's id number (digits only)."))
        for key in ("first_day", "last_day"):
            if self.fields.text(key).strip() and self._day(key) is None:
                problems.append(Problem(key, date_format_hint(self._order)))
        first, last = self._day("first_day"), self._day("last_day")
        if first and last and last < first:
            problems.append(Problem("last_day", "This is before the From date."))
        return problems
