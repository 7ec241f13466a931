from __future__ import annotations

from datetime import date
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from workstation import search
from workstation.dates import DateOrder
from workstation.list_order import list_sort_key
from workstation.records import PatientSummary
from workstation.search import PatientSearchIndex, query_words
from workstation.text import fold, search_words

PEOPLE = [
    PatientSummary(1, "Zoë", "O'Brien", "", date(1990, 4, 2), nhs_number="9434765919"),
    PatientSummary(2, "Thị Minh", "Nguyễn", "Minnie", date(1985, 12, 31)),
    PatientSummary(3, "Ingrid", "Ødegård", "", date(2001, 2, 28), medicare_number="2123456701"),
    PatientSummary(4, "", "Aroha", "", date(1999, 7, 14)),
    PatientSummary(5, "Zoe", "Smith-Jones", "", date(1990, 4, 2)),
    PatientSummary(6, "Liam", "Nguyen", "", date(1970, 1, 5)),
]


def _index() -> PatientSearchIndex:
    return PatientSearchIndex.build(PEOPLE)


def test_case_and_accent_insensitive_name_prefixes() -> None:
    index = _index()
    assert set(index.search("zoe").tolist()) == {1, 5}
    assert set(index.search("ZOË").tolist()) == {1, 5}
    assert set(index.search("nguyen").tolist()) == {2, 6}
    assert index.search("odeg").tolist() == [3]
    assert index.search("minnie").tolist() == [2]


def test_every_word_must_match_in_any_order() -> None:
    index = _index()
    assert index.search("zoe obrien").tolist() == [1]
    assert index.search("o'brien zoe").tolist() == [1]
    assert index.search("nguyen thi").tolist() == [2]
    assert index.search("nguyen zoe").tolist() == []


def test_apostrophes_and_hyphens_typed_either_way() -> None:
    index = _index()
    assert index.search("o'b").tolist() == [1]
    assert index.search("obr").tolist() == [1]
    assert index.search("smith-jones").tolist() == [5]
    assert index.search("jones").tolist() == [5]


def test_date_of_birth_in_clinic_order_or_iso_or_partial() -> None:
    index = _index()
    assert set(index.search("02/04/1990").tolist()) == {1, 5}
    assert set(index.search("2/4/1990").tolist()) == {1, 5}
    assert set(index.search("02.04.1990").tolist()) == {1, 5}
    assert set(index.search("1990-04-02").tolist()) == {1, 5}
    assert set(index.search("1990-04").tolist()) == {1, 5}
    assert index.search("31/12").tolist() == [2]
    assert index.search("02/04/1990 smith").tolist() == [5]


def test_us_clinics_type_month_first() -> None:
    index = PatientSearchIndex.build(PEOPLE, DateOrder.MONTH_DAY_YEAR)
    assert index.search("12/31/1985").tolist() == [2]
    assert index.search("31/12/1985").tolist() == []


def test_identifiers_with_or_without_spaces() -> None:
    index = _index()
    assert index.search("9434765919").tolist() == [1]
    assert index.search("943 476 5919").tolist() == [1]
    assert index.search("943 476").tolist() == [1]
    assert index.search("2123 45670 1").tolist() == [3]


def test_results_come_in_list_order_family_then_given_then_birth() -> None:
    index = _index()
    # Nguyen Liam and Nguyễn Thị Minh share a folded family name, so the given name decides.
    assert index.all_ids().tolist() == [4, 6, 2, 1, 3, 5]
    assert index.search("").tolist() == [4, 6, 2, 1, 3, 5]


def test_nothing_matches_a_stranger() -> None:
    assert _index().search("zz").tolist() == []


def test_upsert_and_remove_keep_the_index_current() -> None:
    index = _index()
    index.upsert(PatientSummary(7, "Ann", "Aaronson", "", date(1960, 3, 3)))
    assert index.all_ids().tolist()[0] == 7
    index.upsert(PatientSummary(1, "Zoë", "Zimmer", "", date(1990, 4, 2)))  # Zoë marries
    assert index.search("obrien").tolist() == []
    assert index.search("zimmer").tolist() == [1]
    assert index.all_ids().tolist()[-1] == 1
    index.remove(6)
    assert index.search("liam").tolist() == []
    assert len(index) == 6


def test_query_words_join_digit_groups_and_pad_dates() -> None:
    assert query_words("943 476 5919") == ["9434765919"]
    assert query_words("2/4/1990 Zoë") == ["02/04/1990", "zoe"]
    assert query_words("  ") == []


_names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "M"], exclude_characters="\u0345"),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(_names, _names, st.dates(date(1900, 1, 1), date(2026, 1, 1))), min_size=1, max_size=30
    ),
    st.data(),
)
def test_index_agrees_with_a_brute_force_oracle(
    people: list[tuple[str, str, date]], data: st.DataObject
) -> None:
    summaries = [PatientSummary(i + 1, g, f, "", born) for i, (g, f, born) in enumerate(people)]
    index = PatientSearchIndex.build(summaries)
    target = data.draw(st.sampled_from(summaries))
    words = [w for w in search_words(target.given_name) + search_words(target.family_name) if w]
    if not words:
        return
    word = data.draw(st.sampled_from(words))
    prefix = word[: data.draw(st.integers(1, len(word)))]
    expected = [
        s.id
        for s in sorted(
            summaries, key=lambda s: (list_sort_key(s.family_name, s.given_name, s.date_of_birth), s.id)
        )
        if any(w.startswith(fold(prefix)) for w in search_words(s.given_name) + search_words(s.family_name))
        or s.date_of_birth.isoformat().startswith(fold(prefix))
    ]
    assert index.search(prefix).tolist() == expected
    assert target.id in expected


def _oracle(summaries: dict[int, PatientSummary], prefix: str) -> list[int]:
    """Brute force: the patients with a name word or ISO birth date starting with ``prefix``, in list order."""
    folded = fold(prefix)
    ordered = sorted(
        summaries.values(), key=lambda s: (list_sort_key(s.family_name, s.given_name, s.date_of_birth), s.id)
    )
    return [
        s.id
        for s in ordered
        if any(w.startswith(folded) for w in search_words(s.given_name) + search_words(s.family_name))
        or s.date_of_birth.isoformat().startswith(folded)
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 12), _names, _names), min_size=1, max_size=40),
    st.integers(1, 6),
    st.data(),
)
def test_saves_and_merges_keep_the_index_equal_to_a_brute_force_oracle(
    saves: list[tuple[int, str, str]], merge_at: int, data: st.DataObject
) -> None:
    # A tiny merge threshold makes every few saves rebuild the arrays from the delta list.
    with mock.patch.object(search, "_MERGE_DELTA_AT", merge_at):
        _check_saves(saves, data)


def _check_saves(saves: list[tuple[int, str, str]], data: st.DataObject) -> None:
    born = date(1990, 4, 2)
    first = {i: PatientSummary(i, f"Given{i}", f"Family{i}", "", born) for i in range(1, 5)}
    index = PatientSearchIndex.build(first.values())
    current = dict(first)
    for patient_id, given_name, family_name in saves:  # new patients (id > 4) and edits of earlier ones
        current[patient_id] = PatientSummary(patient_id, given_name, family_name, "", born)
        index.upsert(current[patient_id])
    target = data.draw(st.sampled_from(sorted(current)))
    words = [w for w in search_words(current[target].given_name) + search_words(current[target].family_name) if w]
    for prefix in [w[: data.draw(st.integers(1, len(w)))] for w in words] + ["1990"]:
        assert index.search(prefix).tolist() == _oracle(current, prefix)
    assert index.all_ids().tolist() == _oracle(current, "")
