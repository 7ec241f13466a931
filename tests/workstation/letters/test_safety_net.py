"""The safety net in the clinic's own terms: a stored default wording follows the clinic's country; what a
clinician wrote is printed as written. And a handout greets the patient by the first name only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workstation.letters.helpers import Course, detail, document, facts, patient, section_text
from workstation.assessment.plan import safety_net
from workstation.clinical.country import Country, emergency_call
from workstation.letters.compose import compose_letter
from workstation.letters.document import Letter
from workstation.letters.locale import LetterLocale
from workstation.letters.records import LetterFacts, LetterKind
from workstation.letters.records import SectionKey as S
from workstation.letters.safety_net import ADVISED_DEFAULT, CAUDA_EQUINA_ADVISED
from workstation.letters.sections import default_request
from workstation.letters.wording import CAUDA_EQUINA_CARD

EVERY_NUMBER = "999 UK, 000 Australia, 112 EU, 911 US"


def _stored_net(text: str) -> Course:
    extra = detail()
    extra["plan"]["safety_net"] = text
    course = Course()
    course.add(document(), extra)
    return course


def _letter(made: LetterFacts, kind: LetterKind) -> Letter:
    return compose_letter(default_request(kind, made), made)


@pytest.mark.parametrize("kind", [LetterKind.GP_REFERRAL, LetterKind.DISCHARGE, LetterKind.HANDOUT])
def test_a_plan_saved_before_the_country_was_set_prints_the_clinics_number(kind: LetterKind) -> None:
    assert EVERY_NUMBER in safety_net(None)  # what such a plan stored
    net = section_text(_letter(facts(_stored_net(safety_net(None))), kind), S.SAFETY_NET)
    said = safety_net(Country.UK) if kind is LetterKind.HANDOUT else ADVISED_DEFAULT.format(call="call 999")
    assert said in net
    assert "911" not in net and "000 Australia" not in net


def test_another_countrys_default_follows_the_clinic_and_is_spelled_for_it() -> None:
    made = facts(_stored_net(safety_net(Country.UK)), country=Country.US)
    net = section_text(_letter(made, LetterKind.GP_REFERRAL), S.SAFETY_NET)
    assert "call 911" in net and "999" not in net


def test_a_clinicians_own_safety_net_is_printed_as_written() -> None:
    own = safety_net(None) + " Ring the clinic on 0113 496 0000 if unsure."
    net = section_text(_letter(facts(_stored_net(own)), LetterKind.GP_REFERRAL), S.SAFETY_NET)
    assert own in net  # every number kept: the clinician wrote it so


def test_an_unknown_clinic_country_still_gives_every_number() -> None:
    made = facts(_stored_net(safety_net(None)), country=None)
    assert EVERY_NUMBER in section_text(_letter(made, LetterKind.GP_REFERRAL), S.SAFETY_NET)


@pytest.mark.parametrize(
    ("given", "preferred", "family", "greeting"),
    [("Zoë", "", "Ødegård-O'Brien", "Dear Zoë,"), ("Elizabeth", "Liz", "Ødegård", "Dear Liz,"),
     ("", "", "Madonna", "Dear Madonna,"), ("  Иван ", "", "Петров", "Dear Иван,")],
)  # fmt: skip
def test_a_handout_greets_the_patient_by_the_first_name(given: str, preferred: str, family: str,
                                                        greeting: str) -> None:  # fmt: skip
    who = patient(given_name=given, preferred_name=preferred, family_name=family)
    course = Course()
    course.add(document())
    made = replace(facts(course), patient=who)
    assert _letter(made, LetterKind.HANDOUT).salutation == greeting
    assert _letter(made, LetterKind.GP_REFERRAL).salutation == "Dear Dr A Patel,"


# --- a letter reports the advice given; the handout gives it ---------------------------------------------------


@pytest.mark.parametrize("kind", [LetterKind.GP_REFERRAL, LetterKind.DISCHARGE])
@pytest.mark.parametrize("country", [Country.UK, Country.AU, Country.US, None])
def test_a_gp_letter_reports_the_default_advice_in_the_third_person(kind: LetterKind, country: Country | None) -> None:
    made = facts(_stored_net(safety_net(country)), country=country)
    net = section_text(_letter(made, kind), S.SAFETY_NET).splitlines()[1:]
    assert net == [LetterLocale.of(country).spell(ADVISED_DEFAULT.format(call=emergency_call(country)))]
    words = " ".join(net).lower().replace(",", " ").replace(".", " ").split()
    assert not {"you", "your"} & set(words)


def test_the_handout_keeps_the_advice_in_the_second_person() -> None:
    net = section_text(_letter(facts(_stored_net(safety_net(Country.UK))), LetterKind.HANDOUT), S.SAFETY_NET)
    assert safety_net(Country.UK) in net and "The patient was advised" not in net


def test_a_clinicians_own_advice_is_quoted_as_the_advice_given() -> None:
    own = "If the calf swells, ring us on 0113 496 0000."
    net = section_text(_letter(facts(_stored_net(own)), LetterKind.GP_REFERRAL), S.SAFETY_NET)
    assert net.splitlines()[1] == f"The patient was advised: “{own}”"


def test_the_cauda_equina_warning_is_reported_to_the_gp_and_given_to_the_patient() -> None:
    doc = document(cauda_equina_signs=True)
    extra = detail(red_flag_actions={"cauda_equina": "Sent to the Emergency Department by ambulance"})
    course = Course()
    course.add(doc, extra)
    made = facts(course)
    letter = section_text(_letter(made, LetterKind.GP_REFERRAL), S.SAFETY_NET)
    assert CAUDA_EQUINA_ADVISED in letter and CAUDA_EQUINA_CARD not in letter
    assert CAUDA_EQUINA_CARD in section_text(_letter(made, LetterKind.HANDOUT), S.SAFETY_NET)
