"""One finalised assessment, read-only: opened from a point on a progress chart or from the patient's list.

It shows what was stored when the assessment was finalised (the evaluation included), so it opens at once
and reads exactly as the clinician saw it then; nothing here can change it (a correction goes through
"Correct…" on the list). Every stored text is shown as plain text, so a name or an impression that looks
like markup is shown as typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.assessment.red_flag_banner import RedFlagBanner
from workstation.assessment.records import AssessmentRecord
from workstation.assessment.summary_lines import LOW_CONFIDENCE, Section, header_lines, summarise
from workstation.dates import DateOrder, format_date

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


def plain_label(text: str, name: str = "") -> QLabel:
    """A wrapped, selectable label that never reads its text as rich text."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(_SELECTABLE)
    if name:
        label.setObjectName(name)
    return label


class AssessmentViewDialog(QDialog):
    """The stored assessment, section by section. ``labels`` maps each section's key to its label, for tests."""

    def __init__(
        self,
        record: AssessmentRecord,
        date_order: DateOrder,
        *,
        episode_title: str = "",
        finalised_by: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assessmentViewDialog")
        self.record = record
        self.setWindowTitle(f"Assessment of {format_date(record.assessed_on, date_order)} (read-only)")
        self.setSizeGripEnabled(True)
        summary = summarise(record)
        self.summary = summary

        header = header_lines(record, date_order, episode_title=episode_title, finalised_by=finalised_by)
        title = plain_label(header[0], "viewTitle")  # "Assessed on <date>", large: what the reader looks for first
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        title.setFont(font)
        self.title = title
        # A correction says so in its own framed line (the header's last): it must not pass for the first version.
        correction = header[-1] if record.amends_id is not None else ""
        self.header = plain_label("\n".join(header[1 : len(header) - bool(correction)]), "viewHeader")
        self.amendment = plain_label(correction, "viewAmendment")
        self.amendment.setStyleSheet("QLabel { border: 1px solid palette(mid); padding: 4px; }")
        self.amendment.setVisible(bool(correction))

        self.urgency = plain_label(f"Urgency: {summary.urgency_words}", "viewUrgency")
        bold = QFont(self.urgency.font())
        bold.setBold(True)
        self.urgency.setFont(bold)
        flags_box = QGroupBox("Red flags")
        flags_column = QVBoxLayout(flags_box)
        self.no_flags = plain_label("No red flags raised.", "viewNoFlags")
        self.no_flags.setVisible(not summary.flags)
        self.banner = RedFlagBanner(with_actions=False, parent=flags_box)
        self.banner.set_flags(list(summary.flags))
        self.actions: dict[str, QLabel] = {}
        for card, flag in zip(self.banner.cards, summary.flags, strict=True):
            for label in (card.heading, card.message):
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setTextInteractionFlags(_SELECTABLE)
            action = plain_label(f"Action taken: {flag.action or 'none recorded'}", f"action_{flag.code}")
            action.setPalette(card.message.palette())  # the card's own text colour, readable on its background
            layout = card.layout()
            assert layout is not None
            layout.addWidget(action)
            self.actions[flag.code] = action
        flags_column.addWidget(self.no_flags)
        flags_column.addWidget(self.banner)

        self.labels: dict[str, QLabel] = {}
        sections = [self._section("findings", summary.findings)]
        differential = QGroupBox(summary.differential.title)
        differential_column = QVBoxLayout(differential)
        self.notice = plain_label(summary.notice, "differentialNotice")
        italic = QFont(self.notice.font())
        italic.setItalic(True)
        self.notice.setFont(italic)
        self.labels["differential"] = plain_label(summary.differential.text, "view_differential")
        self.low_confidence = plain_label(LOW_CONFIDENCE, "viewLowConfidence")
        self.low_confidence.setVisible(summary.low_confidence)
        for widget in (self.notice, self.labels["differential"], self.low_confidence):
            differential_column.addWidget(widget)
        sections += [differential, self._section("impression", summary.impression), self._section("plan", summary.plan)]

        inner = QWidget()
        inner.setBackgroundRole(QPalette.ColorRole.Base)
        column = QVBoxLayout(inner)
        for widget in (title, self.header, self.amendment):
            column.addWidget(widget)
        if summary.unreadable:
            column.addWidget(plain_label("Could not read " + " or ".join(summary.unreadable) + ".", "viewUnreadable"))
        column.addWidget(self.urgency)
        column.addWidget(flags_box)
        for section in sections:
            column.addWidget(section)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(720, 820)

    def _section(self, key: str, section: Section) -> QGroupBox:
        box = QGroupBox(section.title)
        column = QVBoxLayout(box)
        label = plain_label(section.text, f"view_{key}")
        self.labels[key] = label
        column.addWidget(label)
        return box


def open_assessment_view(
    record: AssessmentRecord,
    date_order: DateOrder,
    parent: QWidget | None,
    *,
    episode_title: str = "",
    finalised_by: str = "",
) -> AssessmentViewDialog:
    """Open the view without blocking its window (several can be open side by side); it deletes itself on close."""
    dialog = AssessmentViewDialog(
        record, date_order, episode_title=episode_title, finalised_by=finalised_by, parent=parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setModal(False)
    dialog.show()
    dialog.activateWindow()
    return dialog
