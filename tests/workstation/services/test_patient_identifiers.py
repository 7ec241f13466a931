"""Identifiers are stored as bare ASCII digits, and anything else is left for validation to name (H5)."""

from __future__ import annotations

from datetime import date

import pytest

from workstation.errors import ValidationFailed
from workstation.ports import ClinicStore
from workstation.records import Patient
from workstation.services.patients import normalised, save_patient

TODAY = date(2026, 12, 1)


def test_spaced_and_hyphenated_digits_become_bare_digits() -> None:
    patient = normalised(Patient("Ann", "Lee", date(1990, 1, 1), nhs_number="943 476-5919"))
    assert patient.nhs_number == "9434765919"


@pytest.mark.parametrize("number", ["٩٤٣٤٧٦٥٩١٩", "９４３４７６５９１９"], ids=["arabic-indic", "full-width"])
def test_digits_of_another_script_are_kept_for_validation_to_name_never_dropped(number: str) -> None:
    assert normalised(Patient("Ann", "Lee", date(1990, 1, 1), nhs_number=number)).nhs_number == number


def test_a_number_in_another_script_is_refused_with_the_field_named(store: ClinicStore) -> None:
    with pytest.raises(ValidationFailed) as refused:
        save_patient(store.patients, Patient("Ann", "Lee", date(1990, 1, 1), medicare_number="٢١٢٣٤٥٦٧٠١"), TODAY)
    assert "medicare_number" in {problem.field for problem in refused.value.problems}
    assert store.patients.count() == 0
