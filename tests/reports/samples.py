"""Letters built directly from the document model, for the renderer's tests (no composer, no database).

``gp_letter`` is a typical two-page referral; the keyword arguments put a test's text in each place a
user's text can reach.
"""

from __future__ import annotations

import io
from datetime import date

from workstation.letters import document as doc
from workstation.letters.records import LetterKind, SectionKey
from workstation.progress.chart_data import Chart, ChartPoint, Marker, Reference, Series
from workstation.records import Side

BANNER_TITLES = {
    "emergency": "EMERGENCY: please send to the Emergency Department now",
    "urgent": "URGENT: please assess today",
    "soon": "SOON: please review within two weeks",
    "routine": "ROUTINE: for information",
}


def png_bytes(width: int = 120, height: int = 40) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(buffer, format="PNG")
    return buffer.getvalue()


def findings_table(name_cell: str = "Single-leg heel raise (reps)") -> doc.Table:
    return doc.Table(
        header=("Test", "Left", "Right", "Difference", "LSI"),
        rows=(
            (name_cell, "28", "14", "14", "50 %"),
            ("Knee-to-wall (cm)", "11", "8", "3", ""),
            ("Slump test", "Negative", "Positive: reproduces calf pain", "", ""),
            ("Wells score (DVT)", "2", "", "", ""),
        ),
        caption="LSI: limb symmetry index, injured side as a percentage of the other.",
        flagged=(0, 3),
    )


def heel_raise_figure() -> doc.ChartFigure:
    days = (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1))
    def points(values: tuple[float, ...]) -> tuple[ChartPoint, ...]:
        return tuple(ChartPoint(day, value, 1, "") for day, value in zip(days, values, strict=True))

    left = Series("left", "Left", Side.LEFT, points((20, 24, 26, 28)))
    right = Series("right", "Right", Side.RIGHT, points((8, 10, 12, 14)))
    target = Reference("target_30", "Runner target 30", "target", ((days[0], 30.0), (days[-1], 30.0)))
    chart = Chart("heel_raise", "Heel raise (reps)", "reps", (left, right), (target,), (), None, "No test yet")
    marker = Marker(date(2026, 8, 20), "onset", "Onset", "")
    return doc.ChartFigure(chart, (marker,), date(2026, 8, 15), days[-1], caption="Heel-raise repetitions over time.")


def gp_letter(
    *,
    patient_name: str = "Zoë Nguyễn",
    recipient_name: str = "Dr A Patel",
    free_text: str = "Right calf pain for three weeks after a long run.",
    table_cell: str = "Single-leg heel raise (reps)",
    field_value: str = "Gradual, over a week",
    tier: doc.Tier | None = "urgent",
    sections: tuple[doc.Section, ...] | None = None,
    logo: bytes | None = None,
    signature_image: bytes | None = None,
    extra_blocks: tuple[doc.Block, ...] = (),
) -> doc.Letter:
    reason = "Suspected deep vein thrombosis (Wells 2: likely)."
    banner = doc.Banner(tier, BANNER_TITLES[tier], reason) if tier else None
    return doc.Letter(
        kind=LetterKind.GP_REFERRAL,
        title="Referral to GP",
        subject="Calf assessment of 1 December 2026",
        author="Sam Carter",
        letterhead=doc.Letterhead(
            "Riverside Physiotherapy", ("12 Mill Lane", "Bristol BS1 4AB"), "0117 496 0000",
            "clinic@riverside.example", logo,
        ),
        date_lines=(("Date of letter", "1 December 2026"), ("Date seen", "1 December 2026")),
        patient_lines=(
            ("Name", patient_name), ("Date of birth", "3 March 1980"), ("NHS number", "943 476 5919"),
            ("Address", "4 High Street\nBristol BS2 0AA"), ("Phone", "07700 900123"),
        ),
        sections=sections if sections is not None else _gp_sections(free_text, table_cell, field_value, extra_blocks),
        signature=doc.Signature("Sam Carter", "Physiotherapist", "HCPC registration PH123456",
                                "sam.carter@riverside.example", signature_image),
        recipient=doc.Addressee(recipient_name, "Harbourside Surgery", ("1 Quay Street", "Bristol BS1 5AA")),
        banner=banner,
        salutation=f"Dear {recipient_name},",
        opening="Thank you for seeing this patient, whom I assessed today.",
        closing="Yours sincerely,",
        copy_to=("Patient",),
        footer=f"{patient_name} · DOB 3 March 1980 · NHS 943 476 5919",
        reference="CD-1A2B3C4D",
        notes=("Findings are a physiotherapist's working impression, not a medical diagnosis.",),
    )


def _gp_sections(
    free_text: str, table_cell: str, field_value: str, extra_blocks: tuple[doc.Block, ...]
) -> tuple[doc.Section, ...]:
    return (
        doc.Section(SectionKey.REQUEST, "Reason for referral", (
            doc.Text("Please assess today for suspected DVT (Wells 2 = likely).", "strong"),
        )),
        doc.Section(SectionKey.HISTORY, "Presenting history", (
            doc.Text(free_text),
            doc.Fields((("Onset", field_value), ("Mechanism", "Long run, 21 km"), ("Pain now (NRS)", "6 / 10"))),
        )),
        doc.Section(SectionKey.FINDINGS, "Findings", (findings_table(table_cell), *extra_blocks)),
        doc.Section(SectionKey.RED_FLAGS, "Red flags and action taken", (
            doc.Bullets(("Calf swelling of 3 cm compared with the other side.",
                         "Advised to attend the Emergency Department today; I telephoned the practice at 11:20.")),
        )),
        doc.Section(SectionKey.IMPRESSION, "Working impression", (
            doc.Text("Possible deep vein thrombosis; a calf strain is the alternative."),
        )),
        doc.Section(SectionKey.PLAN, "Treatment so far and plan", (
            doc.Text("No loading until DVT is excluded. Review after the medical assessment."),
        )),
        doc.Section(SectionKey.SAFETY_NET, "Safety-net advice given", (
            doc.Bullets(("Call 999 if short of breath or chest pain.", "Do not massage the calf.")),
        )),
        doc.Section(SectionKey.GOALS, "Patient's concerns and goals", (
            doc.Text("Back to running a 10 km in spring."),
        )),
    )


def handout(*, cards: tuple[doc.ExerciseCard, ...] | None = None, patient_name: str = "Zoë Nguyễn") -> doc.Letter:
    default_cards = (
        doc.ExerciseCard("calf_raise_double", "Double-leg calf raise",
                         "Stand with both feet flat and your fingertips on a wall. Rise up onto your toes, "
                         "then lower slowly.", "3 sets of 15, daily", "Stop if the pain goes above 3 out of 10."),
        doc.ExerciseCard("calf_raise_single_straight", "Single-leg calf raise, knee straight",
                         "Stand on the sore leg with the knee straight. Rise up and lower slowly.", "3 sets of 10"),
    )
    return doc.Letter(
        kind=LetterKind.HANDOUT,
        title="Home exercise programme",
        subject="Exercises from 1 December 2026",
        author="Sam Carter",
        letterhead=doc.Letterhead("Riverside Physiotherapy", ("12 Mill Lane", "Bristol BS1 4AB"), "0117 496 0000"),
        date_lines=(("Date", "1 December 2026"),),
        patient_lines=(("Name", patient_name),),
        sections=(doc.Section(SectionKey.EXERCISES, "Your exercises", cards if cards is not None else default_cards),),
        signature=doc.Signature("Sam Carter", "Physiotherapist", "HCPC registration PH123456"),
        footer=patient_name,
        reference="CD-1A2B3C4D",
        large_type=True,
    )
