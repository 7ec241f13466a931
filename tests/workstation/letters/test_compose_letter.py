"""compose_letter: banners and requests per tier, locked and left-out sections, identifiers, metadata, spelling."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.workstation.letters.helpers import (
    FIRST_DAY,
    NAME_FAMILY,
    NAME_GIVEN,
    ONSET,
    TODAY,
    Course,
    detail,
    document,
    facts,
    flag_record,
    letter_text,
    patient,
    section_of,
    section_text,
)
from workstation.clinical.country import Country
from workstation.letters.compose import compose_letter, default_impression_text, default_request_text
from workstation.letters.document import ChartFigure, Letter, Table
from workstation.letters.records import LetterEdits, LetterFacts, LetterKind, PhoneCall, Recipient
from workstation.letters.records import SectionKey as S
from workstation.letters.sections import default_request
from workstation.letters.wording import AU_IMAGING, AU_SPECIALIST, BANNER_TITLES, EMERGENCY_NOTE, NO_ASSESSMENT

SECOND_DAY = date(2026, 11, 24)


def _one(doc: dict[str, Any] | None = None, extra: dict[str, Any] | None = None, *,
         country: Country | None = Country.UK) -> Course:  # fmt: skip
    course = Course()
    course.add(doc or document(), extra, country=country)
    return course


def _letter(made: LetterFacts, kind: LetterKind = LetterKind.GP_REFERRAL, **changes: Any) -> Letter:
    return compose_letter(replace(default_request(kind, made), **changes), made)


def _dvt_likely(**more: Any) -> dict[str, Any]:
    doc = document(dvt_suspected=True, **more)
    doc["red_flags"]["wells"].update(deep_vein_tenderness=True, calf_swelling_3cm=True,
                                     alternative_diagnosis_as_likely=False)  # fmt: skip
    return doc


def _request(letter: Letter) -> str:
    return section_of(letter, S.REQUEST).blocks[-1].text  # type: ignore[union-attr]


def _wells(letter: Letter, key: S = S.FINDINGS) -> Table:
    (wells,) = [b for b in section_of(letter, key).blocks if isinstance(b, Table) and b.header[0].startswith("Wells")]
    return wells


# --- tiers: banner and request -----------------------------------------------------------------------------------


def test_a_routine_letter_is_for_information_only() -> None:
    letter = _letter(facts(_one()))
    assert letter.banner is not None and letter.banner.tier == "routine"
    assert letter.banner.title == BANNER_TITLES["routine"]
    assert _request(letter) == "For information only."


def test_a_soon_letter_asks_for_imaging_of_the_symptomatic_fibula() -> None:
    doc = document()
    doc["examination"]["focal_fibula_tenderness"] = True
    letter = _letter(facts(_one(doc, detail("bone_stress_referral", phase=None))))
    assert letter.banner is not None and letter.banner.tier == "soon"
    assert letter.banner.title == "SOON: please review within days (up to 2 weeks)"
    assert letter.banner.text == "Red flag: possible bone stress injury."
    assert _request(letter) == "Please consider MRI of the left fibula for suspected bone stress injury."


def test_a_cecs_referral_without_a_flag_is_soon_and_asks_for_pressure_testing() -> None:
    letter = _letter(facts(_one(document(), detail("cecs_referral", phase=None))))
    assert letter.banner is not None and letter.banner.tier == "soon"
    assert letter.banner.text.startswith("Referral: Chronic exertional compartment syndrome")
    assert "compartment pressure testing" in _request(letter)


def test_an_urgent_letter_asks_for_assessment_today_quoting_the_wells_score() -> None:
    letter = _letter(facts(_one(_dvt_likely(), detail("dvt_referral", phase=None))))
    assert letter.banner is not None and letter.banner.tier == "urgent"
    assert letter.banner.title == "URGENT – SAME DAY: please see today"
    assert _request(letter) == "Please assess today for suspected DVT (Wells 2 = likely)."


def test_an_emergency_letter_names_the_emergency_and_documents_the_action() -> None:
    letter = _letter(facts(_one(document(pulmonary_embolism_symptoms=True))))
    assert letter.banner is not None and letter.banner.tier == "emergency"
    assert letter.banner.title.startswith("EMERGENCY")
    asked = "Emergency assessment now for possible pulmonary embolism."
    assert _request(letter).splitlines() == [asked, EMERGENCY_NOTE]


def test_an_unresolved_flag_raises_the_banner_above_a_routine_assessment() -> None:
    made = facts(_one(), red_flags=(flag_record("progressive_neurological_deficit", "urgent"),))
    letter = _letter(made)
    assert letter.banner is not None and letter.banner.tier == "urgent"
    assert "progressive leg weakness" in _request(letter)
    assert "No action recorded yet" in section_text(letter, S.RED_FLAGS)


def test_the_clinicians_own_request_replaces_the_default_as_typed() -> None:
    made = facts(_one(), country=Country.US)
    letter = _letter(made, edits=LetterEdits(request="Please review the programme <b>today</b>."))
    assert _request(letter) == "Please review the programme <b>today</b>."


def test_the_default_request_text_is_what_an_unedited_letter_prints() -> None:
    made = facts(_one(_dvt_likely()))
    assert default_request_text(LetterKind.GP_REFERRAL, made) == _request(_letter(made))
    assert default_request_text(LetterKind.HANDOUT, made) == ""


# --- red flags: never hidden --------------------------------------------------------------------------------------


def test_the_red_flag_section_stays_even_when_unticked() -> None:
    made = facts(_one(_dvt_likely()), red_flags=(flag_record("dvt", "urgent", assessment_id=11),))
    letter = _letter(made, sections=frozenset({S.REQUEST}))
    assert [s.key for s in letter.sections] == [S.REQUEST, S.RED_FLAGS]
    flags = section_of(letter, S.RED_FLAGS).blocks[0]
    assert isinstance(flags, Table) and flags.rows[0][:2] == ("Urgent – same day", "Suspected DVT")


def test_each_flag_shows_its_recorded_action_or_that_none_is_recorded() -> None:
    doc = _dvt_likely()
    doc["examination"]["focal_fibula_tenderness"] = True
    course = _one(doc, detail("dvt_referral", phase=None, red_flag_actions={"dvt": "Phoned GP 11:20, sent to ED"}))
    made = facts(course, red_flags=(flag_record("cellulitis", "urgent"),))
    table = section_of(_letter(made), S.RED_FLAGS).blocks[0]
    assert isinstance(table, Table)
    assert [(row[0], row[1], row[3]) for row in table.rows] == [
        ("Urgent – same day", "Suspected DVT", "Phoned GP 11:20, sent to ED"),
        ("Urgent – same day", "Possible cellulitis", "No action recorded yet"),
        ("Soon", "Possible bone stress injury", "No action recorded yet"),
    ]
    assert table.flagged == (1, 2)
    assert "Possible deep vein thrombosis" in table.rows[0][2]  # the engine's advice, as stored


def test_the_phone_call_is_told_in_the_red_flag_section() -> None:
    call = PhoneCall(datetime(2026, 12, 1, 11, 20, tzinfo=UTC), "Reception, Riverside Surgery",
                     "same-day appointment at 15:00")  # fmt: skip
    letter = _letter(facts(_one(_dvt_likely()), phone_call=call))
    local = call.at.astimezone()  # type: ignore[union-attr]
    assert section_of(letter, S.RED_FLAGS).blocks[-1].text == (  # type: ignore[union-attr]
        f"I telephoned Reception, Riverside Surgery at {local:%H:%M} on {local.day} December 2026: "
        "same-day appointment at 15:00."
    )


def test_no_flags_is_said_without_calling_the_patient_normal() -> None:
    text = section_text(_letter(facts(_one())), S.RED_FLAGS)
    assert "No red flags were raised at this assessment." in text
    assert "normal" not in text.lower()


# --- Wells (RELIABILITY.md J3) -----------------------------------------------------------------------------------


def test_an_unfinished_wells_screen_reads_incomplete_never_unlikely() -> None:
    doc = document()
    doc["red_flags"]["wells"]["previous_dvt"] = None
    letter = _letter(facts(_one(doc)))
    wells = _wells(letter)
    assert ("Previously documented DVT", "Not answered", "–") in wells.rows
    assert wells.caption.startswith("Incomplete – DVT cannot be ruled out.")
    assert wells.rows[-1] == ("Total", "", "–") and wells.flagged == (len(wells.rows) - 1,)
    assert "unlikely" not in letter_text(letter)
    assert "DVT cannot be ruled out" in _request(letter)


def test_a_stored_unlikely_beside_an_unanswered_item_still_reads_incomplete() -> None:
    doc = document()
    doc["red_flags"]["wells"]["previous_dvt"] = None
    record = _one(doc).records[0]
    evaluation = json.loads(record.evaluation)
    evaluation["wells"] = {"score": -2, "category": "unlikely", "three_level": "low"}
    made = facts(_one(doc))
    made = replace(made, assessment=replace(record, evaluation=json.dumps(evaluation)))
    assert "unlikely" not in letter_text(_letter(made))


def test_a_complete_screen_states_score_category_and_the_local_pathway() -> None:
    wells = _wells(_letter(facts(_one())))
    assert wells.caption.startswith("Score -2: DVT unlikely. A Wells score cannot rule out DVT")
    assert wells.header[0] == "Wells item (NICE two-level)" and wells.compact
    assert "follow the local DVT pathway" in wells.caption
    assert ("An alternative diagnosis at least as likely as DVT", "Yes", "-2") in wells.rows


# --- sections ------------------------------------------------------------------------------------------------------


def test_sections_left_out_are_absent_and_the_rest_keep_their_order() -> None:
    chosen = frozenset({S.GOALS, S.FINDINGS, S.REQUEST})
    letter = _letter(facts(_one()), sections=chosen)
    assert [s.key for s in letter.sections] == [S.REQUEST, S.FINDINGS, S.GOALS]
    assert S.HISTORY not in {s.key for s in letter.sections}
    assert "Presenting history" not in letter_text(letter)


def test_a_ticked_section_the_kind_does_not_offer_is_not_printed() -> None:
    letter = _letter(facts(_one()), LetterKind.HANDOUT, sections=frozenset({S.FINDINGS, S.EXERCISES}))
    assert [s.key for s in letter.sections] == [S.EXERCISES]


def test_charts_carry_the_episodes_heel_raise_and_lsi_series() -> None:
    course = Course()
    course.add(document(FIRST_DAY))
    course.add(document(SECOND_DAY, left=22, right=32))
    letter = _letter(facts(course), LetterKind.PROGRESS)
    figures = section_of(letter, S.CHARTS).blocks
    assert [f.chart.key for f in figures if isinstance(f, ChartFigure)] == ["heel_raise", "lsi"]
    heel = figures[0]
    assert isinstance(heel, ChartFigure)
    left = next(line for line in heel.chart.series if line.key == "left")
    assert [(p.on, p.value) for p in left.points] == [(FIRST_DAY, 14.0), (SECOND_DAY, 22.0)]
    assert (heel.first_day, heel.last_day) == (ONSET - timedelta(days=14), TODAY)
    assert [(marker.on, marker.kind) for marker in heel.markers] == [(ONSET, "onset")]


def test_no_charts_without_progress_data_even_when_ticked() -> None:
    course = Course()
    course.add(document(FIRST_DAY))
    course.add(document(SECOND_DAY))
    letter = _letter(facts(course, progress=False), LetterKind.PROGRESS, sections=frozenset(S))
    assert S.CHARTS not in {s.key for s in letter.sections}


def test_the_body_chart_shows_the_marked_regions() -> None:
    course = _one(document(), detail(body_chart={"regions": ["left-mid", "left-low", "bogus"]}))
    letter = _letter(facts(course))
    figure = section_of(letter, S.BODY_CHART).blocks[0]
    assert figure.regions == ("left-mid", "left-low")  # type: ignore[union-attr]
    assert figure.caption == "Marked: Left: mid calf; Left: lower calf above the Achilles."  # type: ignore[union-attr]


def test_history_prints_the_stored_story_and_the_clinicians_additions() -> None:
    letter = _letter(facts(_one()), edits=LetterEdits(history="Ran a marathon 3 weeks ago.", medication="None"))
    history = section_text(letter, S.HISTORY)
    assert "Onset: Gradual, no single incident, 30 October 2026" in history
    assert "Pain (NPRS 0-10): now 4, during running 7, worst in 24 hours 6" in history
    assert "Recent load changes: More distance, more hills" in history
    assert "Mechanism: <b>pushed</b> off & felt it" in history  # user text, exactly as typed
    assert history.endswith("Ran a marathon 3 weeks ago.")
    assert "Medication, allergies (as reported): None" in section_text(letter, S.RELEVANT_HISTORY)


def test_the_impression_is_labelled_a_physiotherapists_working_impression() -> None:
    made = facts(_one())
    letter = _letter(made)
    assert section_of(letter, S.IMPRESSION).heading == (
        "Working impression (a physiotherapist's, not a medical diagnosis)"
    )
    assert default_impression_text(made) == "Calf overload\nCalf overload after a jump in mileage."
    edited = _letter(made, edits=LetterEdits(impression="Soleus strain, grade 1"))
    assert section_text(edited, S.IMPRESSION).splitlines()[1:] == ["Soleus strain, grade 1"]


# --- the letter around the sections ----------------------------------------------------------------------------


def test_identifiers_dates_footer_and_signature() -> None:
    letter = _letter(facts(_one()))
    assert letter.date_lines == (("Date of letter", "1 December 2026"), ("Date seen", "3 November 2026"))
    assert letter.patient_lines[:2] == (("Name", f"{NAME_GIVEN} {NAME_FAMILY}"), ("Date of birth", "1 January 1990"))
    assert ("NHS number", "943 476 5919") in letter.patient_lines
    assert ("Address", "12 Mill Lane\nLeeds LS6 2AB") in letter.patient_lines
    assert letter.footer == f"{NAME_GIVEN} {NAME_FAMILY} · born 1 Jan 1990 · NHS 943 476 5919 · Ref {letter.reference}"
    assert letter.signature is not None and letter.signature.registration == "HCPC registration PH123456"
    assert letter.recipient is not None and letter.recipient.address_lines == ("1 River Road", "Leeds LS1 1AA")
    assert (letter.salutation, letter.closing, letter.copy_to) == ("Dear Dr A Patel,", "Yours sincerely,", ("Patient",))
    assert letter.letterhead.address_lines == ("3 High Street", "Leeds LS2 9JT")


def test_no_registration_recorded_adds_nothing() -> None:
    made = facts(_one())
    for body, number, shown in (("", "", ""), ("", "PH9", "Registration PH9"), ("AHPRA", "", "")):
        clinician = replace(made.clinician, registration_body=body, registration_number=number)
        letter = compose_letter(default_request(LetterKind.PROGRESS, made), replace(made, clinician=clinician))
        assert letter.signature is not None and letter.signature.registration == shown


def test_an_empty_recipient_gets_dear_doctor_and_no_copy_when_unticked() -> None:
    letter = _letter(facts(_one()), recipient=Recipient(), copy_to_patient=False,
                     edits=LetterEdits(extra="Happy to discuss."))  # fmt: skip
    assert letter.recipient is None
    assert (letter.salutation, letter.closing, letter.copy_to) == ("Dear Doctor,", "Yours faithfully,", ())
    assert letter.extra == "Happy to discuss."


@pytest.mark.parametrize("kind", list(LetterKind))
@pytest.mark.parametrize("given, family", [(NAME_GIVEN, NAME_FAMILY), ("<b>Иван</b>", "李小龍"), ("", "Madonna")])
def test_pdf_metadata_never_carries_the_patients_name(kind: LetterKind, given: str, family: str) -> None:
    made = facts(_one(), who=patient(given_name=given, family_name=family))
    letter = _letter(made, kind)
    for name in (given, family):
        if name:
            assert name not in letter.title and name not in letter.subject and name not in letter.author
            assert name in letter.footer


@pytest.mark.parametrize("kind", list(LetterKind))
def test_a_letter_with_no_assessment_yet_still_reads_sensibly(kind: LetterKind) -> None:
    made = facts(None)
    letter = compose_letter(replace(default_request(kind, made), sections=frozenset(S)), made)
    assert letter.sections, "every offered section is printed"
    assert letter.patient_lines[0] == ("Name", f"{NAME_GIVEN} {NAME_FAMILY}")
    if kind is not LetterKind.HANDOUT:
        assert ("NHS number", "943 476 5919") in letter.patient_lines
        assert len(letter.date_lines) == 1 and letter.subject == "Calf pain: letter of 1 December 2026"
    for section in letter.sections:
        assert section.blocks, section.key
    if kind in (LetterKind.GP_REFERRAL, LetterKind.PROGRESS):
        assert section_text(letter, S.FINDINGS).endswith(NO_ASSESSMENT)
        assert _request(letter).startswith("For information only")


def test_no_assessment_with_a_raised_flag_still_asks_for_it() -> None:
    made = facts(None, red_flags=(flag_record("dvt", "urgent"),))
    letter = _letter(made)
    assert letter.banner is not None and letter.banner.tier == "urgent"
    assert _request(letter) == (
        "Please assess today for suspected DVT (no finalised Wells score: DVT cannot be ruled out)."
    )


# --- countries ----------------------------------------------------------------------------------------------------


def test_australian_letters_ask_the_gp_for_imaging_and_specialist_referral() -> None:
    doc = document()
    doc["examination"]["focal_fibula_tenderness"] = True
    au = _letter(facts(_one(doc, country=Country.AU), country=Country.AU))
    assert AU_IMAGING in _request(au).splitlines()
    assert ("Medicare number", "2123 45670 1, IRN 1") in au.patient_lines and au.language == "en-AU"
    cecs = _letter(facts(_one(document(), detail("cecs_referral", phase=None)), country=Country.AU))
    assert AU_SPECIALIST in _request(cecs).splitlines()
    uk = _letter(facts(_one(doc)))
    assert AU_IMAGING not in _request(uk) and "Medicare" not in letter_text(uk)


def test_us_letters_spell_the_template_and_never_what_was_typed() -> None:
    course = _one(document(), detail(impression={"condition": "other", "text": "Organised programme, colour fine"}))
    made = facts(course, country=Country.US, who=patient(family_name="Centre"))
    letter = _letter(made, LetterKind.PROGRESS)
    assert letter.date_lines[0] == ("Date of letter", "December 1, 2026") and letter.language == "en-US"
    assert letter.closing == "Sincerely,"
    assert "Home exercise program | Dose | How often" in section_text(letter, S.PLAN)
    assert "programme" not in section_text(letter, S.PLAN).split("Load advice")[0]
    assert section_text(letter, S.IMPRESSION).endswith("Organised programme, colour fine")
    assert "Centre" in letter.footer and "Centre" in letter.patient_lines[0][1]


def test_an_unknown_country_gives_every_emergency_number_and_unambiguous_dates() -> None:
    made = facts(_one(document(), detail(country=None), country=None), country=None)
    letter = _letter(made)
    assert letter.date_lines[0] == ("Date of letter", "1 December 2026") and letter.language == "en-GB"
    net = section_text(letter, S.SAFETY_NET)
    for number in ("999", "000", "112", "911"):
        assert number in net


def test_every_stored_flag_prints_once_even_two_of_the_same_code() -> None:
    course = _one(_dvt_likely(), detail("dvt_referral", phase=None))
    own = flag_record("dvt", "urgent", action="Sent to ED", assessment_id=course.records[0].id)
    drafts = (flag_record("cellulitis", "urgent"), flag_record("cellulitis", "urgent", action="GP today"))
    table = section_of(_letter(facts(course, red_flags=(own, *drafts))), S.RED_FLAGS).blocks[0]
    assert isinstance(table, Table)
    assert [(row[1], row[3]) for row in table.rows] == [
        ("Suspected DVT", "Sent to ED"),  # the stored flag's action, beside the evaluation's entry
        ("Possible cellulitis", "No action recorded yet"),
        ("Possible cellulitis", "GP today"),
    ]
