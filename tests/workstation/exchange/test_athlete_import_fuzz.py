"""RELIABILITY.md H1 with hypothesis: 10,000 generated rows in one run (20 files of 500), through the whole
import on a real SQLite store. Every file is either refused with a CalfDeskError or previewed; every
commit stores exactly what the preview promised, or nothing at all. Nothing else may be raised.

Each file is a synthetic club list (``workstation.demo_squads``) into which hypothesis writes wild rows
(any Unicode, controls, quotes, separators, formulas, impossible dates, cells past the csv module's
limit), written by a careful writer or a naive one that quotes nothing (ragged rows, stray quotes),
in any of the encodings and separators clubs use, sometimes as a workbook, sometimes with bytes
overwritten at random.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests import dbkit
from tests.workstation.exchange.helpers import TODAY, session, stored_counts
from workstation.demo_squads import ATHLETE_HEADERS, athlete_rows
from workstation.errors import CalfDeskError
from workstation.exchange.athlete_records import ImportPreview, RowStatus
from workstation.exchange.athlete_table import AthleteFileUnreadable
from workstation.records import Patient

ROWS_PER_FILE = 500
FILES = 20  # 20 x 500 = 10,000 rows a run (H1: per PR)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TRICKY = (
    "", " ", '"', '""', '"Zoë', "Zoë\"", ",", ";", "\t", "\r\n", "\u202e", "\u200b", "=SUM(A1:A9)",
    "+44 7700 900123", "-1", "@here", "=HYPERLINK(\"http://example.org\")", "31/02/2001", "29/02/2001",
    "29/02/2000", "01/01/2100", "01/01/1890", "2001-04-03", "3 Apr 2001", "13/13/2013", "9434765918",
    "9434765919", "2123 45670 1", "0", "F", "X", "dragon", "Ødegård", "O'Brien", "Nguyễn", "李小龍", "محمد",
)  # fmt: skip
CELL = st.one_of(
    st.sampled_from(_TRICKY),
    st.text(st.characters(exclude_characters="\x00"), max_size=24),  # a NUL refuses the file: see the corpus
    st.text(st.characters(codec="ascii"), max_size=12),
    st.just("y" * 140_000),  # past csv.field_size_limit()'s default of 131,072
)
WILD_ROWS = st.lists(st.tuples(st.integers(0, ROWS_PER_FILE - 1), st.lists(CELL, max_size=11)), max_size=12)
NOISE = st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 255)), max_size=2)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "calfdesk.sqlite3"
    store = dbkit.open_store(f"sqlite:///{path}")
    yield store
    store.close()


def _file(rows: Sequence[Sequence[str]], kind: str, encoding: str, separator: str) -> tuple[bytes, str]:
    if kind == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for cells in [ATHLETE_HEADERS, *rows]:
            sheet.append([_XML_ILLEGAL.sub("", cell)[:32_000] for cell in cells])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), "athletes.xlsx"
    if kind == "careful":
        text = io.StringIO()
        csv.writer(text, delimiter=separator, lineterminator="\r\n").writerows([ATHLETE_HEADERS, *rows])
        written = text.getvalue()
    else:  # naive: cells joined with no quoting at all, as a hand-made export would
        written = "".join(separator.join(cells) + "\n" for cells in [ATHLETE_HEADERS, *rows])
    return written.encode(encoding, errors="replace"), "athletes.csv"


def _noisy(data: bytes, noise: Sequence[tuple[int, int]]) -> bytes:
    damaged = bytearray(data)
    for position, value in noise:
        damaged[position % len(damaged)] = value
    return bytes(damaged)


def _check_preview(result: ImportPreview, lines: Sequence[int]) -> None:
    assert len(result.rows) == len(lines) or result.mapping_problems
    for row in result.rows:
        assert row.line in lines
        if row.status in (RowStatus.ERROR, RowStatus.DUPLICATE):
            assert row.problems and all(problem.message for problem in row.problems)
        else:
            assert isinstance(row.patient, Patient) and row.patient.id is None


@settings(max_examples=FILES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**16),
    wild=WILD_ROWS,
    kind=st.sampled_from(["careful", "careful", "careful", "naive", "xlsx"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    separator=st.sampled_from([",", ";", "\t"]),
    noise=st.one_of(st.just([]), st.just([]), st.just([]), NOISE),
    leave_out_rejected=st.booleans(),
)
def test_10000_generated_rows_give_no_unhandled_error_and_no_partial_import(
    fuzz_store: Any,
    seed: int,
    wild: list[tuple[int, list[str]]],
    kind: str,
    encoding: str,
    separator: str,
    noise: list[tuple[int, int]],
    leave_out_rejected: bool,
) -> None:
    rows: list[Sequence[str]] = list(athlete_rows(ROWS_PER_FILE, seed, encoding="cp1252"))
    for index, cells in wild:
        rows[index] = cells
    data, name = _file(rows, kind, encoding, separator)
    importer = session(fuzz_store).squad_import
    before = stored_counts(fuzz_store)
    try:
        table = importer.read(_noisy(data, noise), name)
    except AthleteFileUnreadable:
        event("file refused")
        assert stored_counts(fuzz_store) == before
        return
    result = importer.preview(table, importer.suggest_mapping(table), today=TODAY)
    _check_preview(result, table.line_numbers)
    try:
        outcome = importer.commit(
            result, f"Fuzz {seed % 3}", decisions={}, joined_on=TODAY, leave_out_rejected=leave_out_rejected
        )
    except CalfDeskError:
        event("commit refused")
        assert not result.can_commit
        assert stored_counts(fuzz_store) == before
        return
    assert result.can_commit or leave_out_rejected
    event("committed, rejected rows left out" if result.rejected else "committed")
    patients, clubs, squads, members = stored_counts(fuzz_store)
    assert outcome.created == len(result.with_status(RowStatus.NEW)) == patients - before[0]
    assert outcome.joined == members - before[3]
    assert clubs == 1 and squads <= 3  # the club made by the first commit; squads "Fuzz 0" to "Fuzz 2"
    assert outcome.joined + outcome.already_members == outcome.created + len(result.with_status(RowStatus.MATCH))
