from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workstation.identifiers import (
    format_medicare_number,
    format_nhs_number,
    medicare_check_digit,
    medicare_irn_problem,
    medicare_number_problem,
    nhs_check_digit,
    nhs_number_problem,
)


def test_published_nhs_example_is_valid_with_or_without_spaces() -> None:
    assert nhs_number_problem("9434765919") is None
    assert nhs_number_problem("943 476 5919") is None
    assert nhs_number_problem("943-476-5919") is None


def test_nhs_number_with_one_wrong_digit_is_refused_with_a_reason() -> None:
    assert "check digit" in (nhs_number_problem("9434765918") or "")
    assert "check digit" in (nhs_number_problem("9434765910") or "")


def test_nhs_number_needs_exactly_ten_digits_and_nothing_else() -> None:
    for text in ("943476591", "94347659190", "943476591X", "abc"):
        assert nhs_number_problem(text) == "An NHS number has 10 digits (for example 943 476 5919)."


def test_digits_of_another_script_are_named_as_such() -> None:
    for text in ("９４３４７６５９１９", "٩٤٣٤٧٦٥٩١٩"):
        assert nhs_number_problem(text) == "Write the number with the digits 0 to 9."
        assert medicare_number_problem(text) == "Write the number with the digits 0 to 9."


def test_nine_digits_whose_remainder_gives_ten_cannot_be_an_nhs_number() -> None:
    # 1+0*... chosen so that 11 - (sum % 11) == 10
    first_nine = next(
        f"{n:09d}" for n in range(100_000_000, 100_100_000) if nhs_check_digit(f"{n:09d}") is None
    )
    for last in "0123456789":
        assert nhs_number_problem(first_nine + last) is not None


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_computed_nhs_check_digit_validates(first_nine: str) -> None:
    check = nhs_check_digit(first_nine)
    if check is not None:
        assert nhs_number_problem(first_nine + str(check)) is None
        wrong = (check + 1) % 10
        assert nhs_number_problem(first_nine + str(wrong)) is not None


def test_medicare_example_check_digit() -> None:
    # 2*1 + 1*3 + 2*7 + 3*9 + 4*1 + 5*3 + 6*7 + 7*9 = 170 -> 0
    assert medicare_check_digit("21234567") == 0
    assert medicare_number_problem("2123456701") is None
    assert medicare_number_problem("2123 45670 1") is None


def test_medicare_refuses_wrong_check_digit_first_digit_and_length() -> None:
    assert "check digit" in (medicare_number_problem("2123456711") or "")
    assert "starts with" in (medicare_number_problem("1123456701") or "")
    assert "10 digits" in (medicare_number_problem("212345670") or "")


def test_irn_is_a_single_digit_one_to_nine() -> None:
    assert medicare_irn_problem("1") is None
    assert medicare_irn_problem("9") is None
    for bad in ("0", "10", "a", ""):
        assert medicare_irn_problem(bad) is not None


def test_identifiers_print_in_their_usual_groups() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_medicare_number("2123456701") == "2123 45670 1"
