"""Phone first: before an urgent or emergency letter is finalised, the call that was made, or why none was.

CLINICAL.md 9.1 ("Urgent tiers"): for Tier E and U the app prompts a phone call (or the NHS 111 / ED route)
and the letter documents it. CLINICAL.md 5.1 says what each tier asks for: an emergency is 999 / 000 or the
Emergency Department now; an urgent letter is a medical assessment today, phoned or sent electronically,
never left to the post. The record goes into the letter ("I telephoned the practice at 11:20").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.field_message import FieldMessageLabel
from workstation.clinical.country import Country, emergency_call, same_day_dvt_route, same_day_route
from workstation.dates import DateOrder
from workstation.letters.records import PhoneCall
from workstation.problems import Problem

CALL_TIERS = frozenset({"emergency", "urgent"})  # CLINICAL.md 9.1: Tier E and U are phoned first
FUTURE_GRACE = timedelta(minutes=2)  # a clock a minute out is not a call in the future
HEADINGS = {"emergency": "EMERGENCY: phone first", "urgent": "URGENT – same day: phone first"}


def call_advice(tier: str, country: Country | None, *, dvt: bool) -> tuple[str, ...]:
    """What to do before the letter goes, a line a step, in the words of the clinic's country
    (CLINICAL.md 5.1, 5.2)."""
    call = emergency_call(country)
    if tier == "emergency":
        return (
            f"Stop the session: {call} or send the patient to the Emergency Department now.",
            "Phone ahead if you can. This letter goes with the patient.",
        )
    route = same_day_dvt_route(country) if dvt else same_day_route(country)
    worse = "becomes breathless, has chest pain or coughs blood" if dvt else "gets rapidly worse"
    return (
        "The patient needs a medical assessment today: phone before this letter goes, and send it "
        "electronically or with the patient, never by post.",
        f"Who to phone: the GP practice, or the same-day route ({route}).",
        f"If the patient {worse}: {call} now.",
    )


class PhoneCallDialog(QDialog):
    """``phone_call`` holds the record once accepted."""

    def __init__(
        self,
        tier: str,
        *,
        country: Country | None,
        dvt: bool,
        practice_line: str,
        now: Callable[[], datetime],
        date_order: DateOrder = DateOrder.DAY_MONTH_YEAR,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("phoneCallDialog")
        self.setWindowTitle("Phone first")
        self._now = now
        self.phone_call: PhoneCall | None = None
        self.refusal = FieldMessageLabel()  # what the service said when it refused the letter
        self.refusal.setObjectName("phoneRefusal")
        self.advice = [_plain(line, f"phoneAdvice{n}") for n, line in enumerate(call_advice(tier, country, dvt=dvt))]
        self.practice = _plain(practice_line, "phonePractice", bold=True)  # the number to dial: what the eye seeks
        self.practice.setVisible(bool(practice_line))
        form = self._build_fields(now, date_order)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.finalise_button = buttons.addButton("&Finalise the letter", QDialogButtonBox.ButtonRole.AcceptRole)
        self.finalise_button.setObjectName("finaliseAfterCall")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        heading = _plain(HEADINGS.get(tier, HEADINGS["urgent"]), "phoneHeading", bold=True, scale=1.3)
        note = _plain("The call, or the reason, is printed in the letter under the red flags.", "phoneNote")
        self.gaps_note = _plain("", "phoneGaps")  # what the letter prints without: this is its last step
        self.gaps_note.hide()
        layout = QVBoxLayout(self)
        # The GP's number straight under "Who to phone", where the eye is when it is needed.
        at = 2 if tier != "emergency" else len(self.advice)
        for widget in (heading, self.refusal, *self.advice[:at], self.practice, *self.advice[at:]):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.gaps_note)
        layout.addWidget(buttons)
        self._on_choice_toggled()
        self.spoken_to.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 84)

    def _build_fields(self, now: Callable[[], datetime], date_order: DateOrder) -> QFormLayout:
        self.called = QRadioButton("I &phoned")
        self.called.setChecked(True)
        self.not_called = QRadioButton("&No call was made")
        group = QButtonGroup(self)
        for button in (self.called, self.not_called):
            group.addButton(button)
            button.toggled.connect(self._on_choice_toggled)
        self.at = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(now().timestamp())))
        self.at.setObjectName("callTime")
        self.at.setDisplayFormat(("dd/MM/yyyy" if date_order is DateOrder.DAY_MONTH_YEAR else "MM/dd/yyyy") + " HH:mm")
        self.at.setCalendarPopup(True)
        self.spoken_to = _line("spokenTo", "Reception, Riverside Surgery · NHS 111 · ED triage nurse")
        self.outcome = _line("callOutcome", "Same-day appointment at 15:00 with Dr Patel")
        self.reason = _line("notCalledReason", "Patient taken to the Emergency Department by ambulance")
        self.messages = {key: FieldMessageLabel() for key in ("at", "spoken_to", "reason")}
        form = QFormLayout()
        form.addRow(self.called)
        form.addRow(_label("&Time of call:", self.at), _with_message(self.at, self.messages["at"]))
        form.addRow(_label("&Spoken to:", self.spoken_to), _with_message(self.spoken_to, self.messages["spoken_to"]))
        form.addRow(_label("&Outcome:", self.outcome), self.outcome)
        form.addRow(self.not_called)
        form.addRow(_label("&Reason:", self.reason), _with_message(self.reason, self.messages["reason"]))
        return form

    @property
    def advice_text(self) -> str:
        return "\n".join(label.text() for label in self.advice)

    def show_refusal(self, text: str) -> None:
        if text:
            self.refusal.show_problem(Problem("phone_call", text))
        else:
            self.refusal.clear_message()

    def show_gaps(self, text: str) -> None:
        """What the letter will print without (``gap_notice.confirmation_lines``); hidden when nothing."""
        self.gaps_note.setText(text)
        self.gaps_note.setVisible(bool(text))

    def problems(self) -> list[Problem]:
        """What stops the record being kept: who was spoken to, a time not in the future, or a reason."""
        if self.not_called.isChecked():
            return [] if self.reason.text().strip() else [Problem("reason", "Say why no call was made.")]
        found = []
        if self._call_time() > self._now() + FUTURE_GRACE:
            found.append(Problem("at", "The call cannot be later than now."))
        if not self.spoken_to.text().strip():
            found.append(Problem("spoken_to", "Say whom you spoke to (the practice, NHS 111, ED …)."))
        return found

    def record(self) -> PhoneCall:
        if self.not_called.isChecked():
            return PhoneCall(at=None, not_called_reason=self.reason.text().strip())
        return PhoneCall(at=self._call_time(), spoken_to=self.spoken_to.text().strip(),
                         outcome=self.outcome.text().strip())  # fmt: skip

    def _call_time(self) -> datetime:
        """The edited time, in the computer's time zone, as an aware datetime."""
        return datetime.fromtimestamp(self.at.dateTime().toSecsSinceEpoch()).astimezone()

    @Slot()
    def _on_choice_toggled(self) -> None:
        called = self.called.isChecked()
        for widget in (self.at, self.spoken_to, self.outcome):
            widget.setEnabled(called)
        self.reason.setEnabled(not called)
        for message in self.messages.values():
            message.clear_message()
        (self.spoken_to if called else self.reason).setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problems = self.problems()
        for key, message in self.messages.items():
            problem = next((p for p in problems if p.field == key), None)
            if problem is None:
                message.clear_message()
            else:
                message.show_problem(problem)
        if problems:
            return
        self.phone_call = self.record()
        self.accept()


def _plain(text: str, name: str, *, bold: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setObjectName(name)
    if bold or scale != 1.0:
        font = QFont(label.font())
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


def _line(name: str, placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setPlaceholderText(placeholder)
    return field


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _with_message(field: QWidget, message: FieldMessageLabel) -> QWidget:
    cell = QWidget()
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(field)
    column.addWidget(message)
    return cell
