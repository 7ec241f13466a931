"""``calfdesk assessment import|export|list``, and the assessment histories that ``calfdesk demo`` adds.

Qt-free like the rest of the command line. An imported document goes through the same checks as the
wizard's Finish: the contract (docs/assessment-contract.md), a complete red-flag screen, a working
impression, and a recorded action for every red flag it raises; it is stored exactly as read. An export
writes the stored document, exactly as it was finalised. Both are audited. A document that breaks the
contract prints one line per problem (``heel_raise.left_reps: must be an integer from 0 to 500``) on
standard error, stores nothing, and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ui import cli
from ui.atomic_file import write_text_atomically
from ui.clock import local_today
from workstation.clinical.country import Country
from workstation.errors import CalfDeskError, RecordNotFound, ValidationFailed

if TYPE_CHECKING:
    from workstation.assessment.records import AssessmentRecord
    from workstation.clinical.evaluate import Evaluation
    from workstation.demo_assessments import DemoAssessment
    from workstation.records import Episode, Patient, PatientSummary
    from workstation.services.session import ClinicSession

# The clinical engine and the assessment rules are imported by the commands that use them: this parser
# is built for every start of the window too.
IMPRESSION_CODES = (
    "overload", "gastrocnemius_strain", "soleus_strain", "silent_soleus_strain", "neural", "cecs", "dvt",
    "fibular_stress_fracture", "cramp", "doms", "other",
)  # fmt: skip  # workstation.assessment.rules.IMPRESSIONS; a test keeps the two the same
_LIST_HEADINGS = ("ID", "Assessed", "Episode", "Urgency", "Impression", "Amends")


def add_assessment_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add ``assessment import|export|list``; make ``demo`` also add assessment histories."""
    assessment = subparsers.add_parser("assessment", help="import, export and list finalised assessments")
    actions = assessment.add_subparsers(dest="action", metavar="ACTION", required=True)
    _add_import(actions, common)
    _add_export(actions, common)
    _add_list(actions, common)
    demo = subparsers.choices.get("demo")
    if demo is not None:
        # The demo command is cli.py's; its patients and episodes are made the same way here, and then the
        # assessment histories, in the same login.
        demo.description = (
            "Fill an empty database with synthetic patients, episodes and assessment histories (never real people)."
        )
        demo.set_defaults(handler=run_demo)


def _add_import(actions: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    command = actions.add_parser(
        "import",
        parents=[common],
        help="store an assessment document (JSON) as a finalised assessment of a patient",
        description="Check one calfdesk.assessment/1 document as the wizard's Finish does, then store it, "
        "unchanged, as a finalised assessment of the patient. Every Wells item and red-flag question must be "
        "answered. If the document raises a red flag, the import is refused unless --action records what you "
        "did about it. Problems are printed one per line, naming the path, and nothing is stored (status 2).",
    )
    command.add_argument("file", metavar="FILE", help="the document, or - for standard input")
    command.add_argument("--patient", metavar="ID", type=cli._positive_int, required=True, help="the patient's id")
    command.add_argument("--episode", metavar="ID", type=cli._positive_int, help="the episode of care it belongs to")
    command.add_argument(
        "--impression",
        metavar="CODE",
        choices=IMPRESSION_CODES,
        required=True,
        help=f"your working impression: {', '.join(IMPRESSION_CODES)}",
    )
    command.add_argument("--impression-text", metavar="TEXT", default="", help="in your words (needed for other)")
    command.add_argument(
        "--action",
        metavar="TEXT",
        help="what you did about the red flags the document raises, e.g. "
        '"Phoned GP practice 11:20; patient sent to ED" (needed when it raises any)',
    )
    command.add_argument(
        "--country",
        type=_country,
        metavar="CODE",
        help="the country whose emergency numbers the red-flag messages name: UK, AU, EU or US "
        "(default: the clinic's country in Admin › Clinic settings; every number when none is chosen)",
    )
    command.set_defaults(handler=run_import)


def _add_export(actions: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    command = actions.add_parser(
        "export",
        parents=[common],
        help="write a finalised assessment's document (JSON)",
        description="Write the calfdesk.assessment/1 document of one finalised assessment, exactly as it was "
        "finalised, to standard output or to --out. Audited.",
    )
    command.add_argument("assessment_id", metavar="ID", type=cli._positive_int, help="the assessment's id")
    command.add_argument("--out", metavar="FILE", type=Path, help="write to this file instead of standard output")
    command.set_defaults(handler=run_export)


def _add_list(actions: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    command = actions.add_parser(
        "list",
        parents=[common],
        help="list one patient's finalised assessments",
        description="List the current version of each of the patient's assessments, oldest first.",
    )
    command.add_argument("patient_id", metavar="PATIENT_ID", type=cli._positive_int, help="the patient's id")
    command.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    command.set_defaults(handler=run_list)


def _country(code: str) -> Country:
    try:
        return Country.from_code(code)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# Import -----------------------------------------------------------------------------------------------


def run_import(args: argparse.Namespace) -> int:
    from workstation.clinical.contract import AssessmentInvalid, parse_assessment
    from workstation.clinical.evaluate import decode_document

    today = local_today()
    try:
        document = decode_document(_read(args.file))
        parse_assessment(document, today=today)
    except AssessmentInvalid as invalid:
        return _problems(invalid.errors)
    assert isinstance(document, dict)  # parse_assessment refuses anything else
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        saved = _imported(session, args, document, today)
    except ValidationFailed as failed:
        return _problems(f"{problem.field}: {problem.message}" for problem in failed.problems)
    finally:
        store.close()
    _say(f"Imported assessment {saved.id} of {saved.assessed_on.isoformat()} for patient {saved.patient_id}.")
    return cli.EXIT_OK


def _read(name: str) -> bytes:
    from workstation.clinical.contract import AssessmentInvalid
    from workstation.clinical.evaluate import MAX_DOCUMENT_BYTES

    try:
        with _opened(name) as stream:
            return stream.read(MAX_DOCUMENT_BYTES + 1)  # one byte over is enough to refuse
    except OSError as error:
        raise AssessmentInvalid([f"document: cannot read {name}: {error.strerror or error}"]) from None


def _opened(name: str) -> IO[bytes]:
    if name == "-":
        return open(sys.stdin.fileno(), "rb", closefd=False)  # the process's standard input stays open
    return Path(name).open("rb")


def _imported(
    session: ClinicSession, args: argparse.Namespace, document: dict[str, Any], today: date
) -> AssessmentRecord:
    from workstation.assessment.draft import AssessmentDraft
    from workstation.assessment.rules import finalise_problems
    from workstation.audit.records import AuditEvent

    patient = session.patients.get(args.patient)  # RecordNotFound names a patient that is not there
    _check_patient_facts(document, patient)
    if args.episode is not None:
        _check_episode(session.episodes.for_patient(args.patient), args.episode, args.patient)
    draft = AssessmentDraft(args.patient, args.episode, document)
    draft.set_detail("impression", {"condition": args.impression, "text": args.impression_text.strip()})
    country = args.country if args.country is not None else session.clinic_settings.country()
    evaluation = session.assessments.evaluate_draft(draft, today=today, country=country)
    needing = _flags_needing_action(evaluation)
    if needing:
        if not (args.action or "").strip():
            raise CalfDeskError(
                f"This assessment raises {_flag_list(evaluation, needing)}, so it needs the action you took.",
                hint='Add --action "what you did, e.g. Phoned GP practice 11:20; patient sent to ED". '
                "Nothing was imported.",
            )
        draft.set_detail("red_flag_actions", dict.fromkeys(needing, args.action.strip()))
    # Checked here first: finalising stores the raised flags before it refuses, and a refused import stores nothing.
    problems = finalise_problems(draft, evaluation, today=today)
    if problems:
        raise ValidationFailed(problems)
    saved = session.assessments.finalise(draft, today=today, country=country, at=datetime.now(UTC))
    session.auditor.record(
        AuditEvent.ASSESSMENT_IMPORTED, session.actor, patient_id=saved.patient_id, object_type="assessment",
        object_id=saved.id,
    )  # fmt: skip
    return saved


def _check_patient_facts(document: dict[str, Any], patient: Patient) -> None:
    """The document may leave the person out, but what it says must be this patient's record."""
    from workstation.assessment.start import patient_facts
    from workstation.clinical.contract import completed_years

    facts = document.get("patient") or {}
    record = patient_facts(patient)
    problems = []
    born = facts.get("date_of_birth")
    if born is not None and born != record["date_of_birth"]:
        problems.append(
            f"patient.date_of_birth: {born} differs from the date of birth on patient {patient.id}'s record"
        )
    age = facts.get("age_years")
    assessed_on = date.fromisoformat(document["assessed_on"])
    if age is not None and age != completed_years(patient.date_of_birth, assessed_on):
        problems.append(f"patient.age_years: {age} is not patient {patient.id}'s age on {assessed_on.isoformat()}")
    sex = facts.get("sex")
    if sex is not None and sex != record["sex"]:
        problems.append(f"patient.sex: {sex} differs from the sex on patient {patient.id}'s record")
    if problems:
        raise _DocumentRefused(problems)


def _check_episode(episodes: Iterable[Episode], episode_id: int, patient_id: int) -> None:
    if not any(episode.id == episode_id for episode in episodes):
        raise RecordNotFound(f"Patient {patient_id} has no episode {episode_id}.", hint="Check --episode.")


def _flags_needing_action(evaluation: Evaluation) -> list[str]:
    from workstation.assessment.rules import flags_needing_action

    return flags_needing_action(evaluation)


def _flag_list(evaluation: Evaluation, codes: Sequence[str]) -> str:
    tiers = {flag.code: flag.tier.code for flag in evaluation.red_flags}
    named = [f"{code} ({tiers.get(code, 'red flag')})" for code in codes]
    return ("a red flag: " if len(named) == 1 else "red flags: ") + ", ".join(named)


class _DocumentRefused(ValidationFailed):
    """The document's own lines, as ``path: message``, printed like the contract's problems."""

    def __init__(self, lines: list[str]) -> None:
        from workstation.problems import Problem

        super().__init__([Problem(field, message) for field, _, message in (line.partition(": ") for line in lines)])


# Export and list -------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    from workstation.audit.records import AuditEvent

    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        record = session.assessments.get(args.assessment_id)
        text = record.document + "\n"
        if args.out is not None:
            write_text_atomically(args.out, text)
        session.auditor.record(
            AuditEvent.ASSESSMENT_EXPORTED, session.actor, patient_id=record.patient_id, object_type="assessment",
            object_id=record.id, detail="to a file" if args.out is not None else "to standard output",
        )  # fmt: skip
    finally:
        store.close()
    if args.out is None:
        _write_stdout(text)
    else:
        _say(f"Wrote assessment {record.id} to {args.out}.")
    return cli.EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    store, session = cli.open_session(args.database, cli.user_name_of(args), must_exist=True)
    try:
        session.patients.get(args.patient_id)  # an unknown patient is an error, not an empty list
        records = session.assessments.for_patient(args.patient_id)
    finally:
        store.close()
    rows = [_row(record) for record in records]
    if args.json:
        _write_stdout(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return cli.EXIT_OK
    cells = [_LIST_HEADINGS, *([str("" if v is None else v) for v in row.values()] for row in rows)]
    widths = [max(cli.display_width(line[column]) for line in cells) for column in range(len(_LIST_HEADINGS))]
    out = sys.stdout
    for line in cells:
        padded = (value + " " * (width - cli.display_width(value)) for value, width in zip(line, widths, strict=True))
        out.write("  ".join(padded).rstrip() + "\n")
    if not rows:
        out.write("(no assessments)\n")
    return cli.EXIT_OK


def _row(record: AssessmentRecord) -> dict[str, Any]:
    detail = json.loads(record.detail or "{}")
    impression = detail.get("impression") or {}
    return {
        "id": record.id,
        "assessed_on": record.assessed_on.isoformat(),
        "episode_id": record.episode_id,
        "urgency": record.urgency,
        "impression": impression.get("condition"),
        "amends_id": record.amends_id,
    }


# Demo --------------------------------------------------------------------------------------------------


def run_demo(args: argparse.Namespace) -> int:
    """``calfdesk demo``: cli.py's patients and episodes, then assessment histories for some of them."""
    started = time.perf_counter()
    store, session = cli.open_session(args.database, cli.user_name_of(args), create_owner=True)
    try:
        patients, episodes, _, _ = fill_with_demo_assessments(session, args.patients, args.seed)
        description = store.description
    finally:
        store.close()
    seconds = time.perf_counter() - started
    # The same summary as before the assessments came (scripts and tests read it); the histories are in
    # the patient views and in ``calfdesk assessment list``.
    _say(f"Added {patients} demo patients and {episodes} episodes to {description} in {seconds:.1f} s.")
    return cli.EXIT_OK


def fill_with_demo_assessments(
    session: ClinicSession, count: int, seed: int, *, share: float | None = None
) -> tuple[int, int, int, int]:
    """Demo patients and episodes as ``cli.fill_with_demo_data`` makes them, then assessment histories.

    Returns (patients, episodes, assessments, assessments with a red flag) added.

    Raises:
        CalfDeskError: the database already holds patients.
    """
    from workstation.demo import add_demo_runs, generate_episodes, generate_patients
    from workstation.demo_assessments import DEFAULT_SHARE, pick_episodes

    if session.patients.count():
        raise CalfDeskError(
            "This database already holds patients, and demo data goes only into an empty one.",
            hint="Give --database a new file, or an empty database.",
        )
    today = local_today()
    sexes: dict[tuple[object, ...], str | None] = {}
    added = session.patients.add_many(_noting_sex(generate_patients(count, seed, today), sexes))
    summaries = list(session.patients.summaries())
    saved = [(summary.id, summary.date_of_birth) for summary in summaries]
    made = list(generate_episodes(saved, seed, today))
    episodes = session.episodes.add_many(iter(made))
    chosen = pick_episodes(made, seed, DEFAULT_SHARE if share is None else share)
    facts = _facts(sexes, summaries)
    finalised = []
    for assessment in _demo_courses(session, chosen, facts, seed, today):
        session.assessments.finalise(assessment.draft, today=today, country=None, at=assessment.at)
        finalised.append(assessment)
    running_log = session.running_log
    add_demo_runs(lambda runs: running_log.import_runs(runs[0].patient_id, runs, today=today), finalised, seed, today)
    flagged = sum(bool(assessment.draft.detail.get("red_flag_actions")) for assessment in finalised)
    return added, episodes, len(finalised), flagged


def _key(row: Patient | PatientSummary) -> tuple[object, ...]:
    return (row.given_name, row.family_name, row.preferred_name, row.date_of_birth, row.nhs_number,
            row.medicare_number)  # fmt: skip


def _noting_sex(people: Iterable[Patient], sexes: dict[tuple[object, ...], str | None]) -> Iterator[Patient]:
    """Pass the patients through to the store, noting each one's sex (the list rows leave it out); two
    patients whose rows would look alike are noted as None, and get no assessments."""
    from workstation.assessment.start import patient_facts

    for person in people:
        key = _key(person)
        sexes[key] = None if key in sexes else patient_facts(person)["sex"]
        yield person


def _facts(
    sexes: dict[tuple[object, ...], str | None], summaries: Sequence[PatientSummary]
) -> dict[int, tuple[date, str]]:
    """Each saved patient's date of birth and sex as the contract spells them, by patient id."""
    facts = {}
    for row in summaries:
        sex = sexes.get(_key(row))
        if sex is not None:
            facts[row.id] = (row.date_of_birth, sex)
    return facts


def _demo_courses(
    session: ClinicSession, chosen: Sequence[Episode], facts: dict[int, tuple[date, str]], seed: int, today: date
) -> Iterable[DemoAssessment]:
    from workstation.demo_assessments import DemoEpisode, generate_assessment_courses

    stored: dict[str, Episode] = {}
    for patient_id in dict.fromkeys(episode.patient_id for episode in chosen if episode.patient_id in facts):
        stored.update((episode.uid, episode) for episode in session.episodes.for_patient(patient_id))
    demo = []
    for episode in chosen:
        saved = stored.get(episode.uid)
        if saved is None or saved.id is None:
            continue
        born, sex = facts[saved.patient_id]
        demo.append(
            DemoEpisode(
                patient_id=saved.patient_id, episode_id=saved.id, date_of_birth=born, sex=sex,
                side=saved.side.value, complaint=saved.complaint, onset_date=saved.onset_date,
                end_date=saved.discharge_date,
            )
        )  # fmt: skip
    for course in generate_assessment_courses(demo, seed, today):
        yield from course


# Output ------------------------------------------------------------------------------------------------


def _problems(lines: Iterable[str]) -> int:
    sys.stderr.write("".join(f"{line}\n" for line in lines))
    sys.stderr.flush()
    return cli.EXIT_EXPECTED_FAILURE


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _write_stdout(text: str) -> None:
    """JSON is UTF-8 by definition (RFC 8259), whatever the console's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
