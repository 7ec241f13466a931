"""The differential: conditions consistent with the findings, ranked, with their working (CLINICAL.md 6).

Decision support only. Red flags are decided by ``red_flags``, never here; when the DVT flag is raised,
DVT goes to the top of the list whatever its score, so the ranking can never bury it.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.clinical.differential_weights import CONDITIONS, WEIGHTS
from workstation.clinical.findings import FINDINGS, FindingValues

NOTICE = (  # CLINICAL.md 6.0, the mandatory wording
    "This list ranks conditions that are consistent with the findings entered. It is not a diagnosis and has "
    "not been validated. Red-flag rules override the ranking. The treating clinician is responsible for the "
    "diagnosis and for onward referral."
)
CLOSE_SCORES = 2  # CLINICAL.md 6.1: low confidence when the top two are within 2 points
FEWEST_ANSWERED = 6  # CLINICAL.md 6.1: ... or fewer than 6 findings were answered

_FINDING_ORDER = {finding.code: index for index, finding in enumerate(FINDINGS)}


@dataclass(frozen=True, slots=True)
class RankedCondition:
    condition: str
    score: int
    supporting: tuple[str, ...]  # true findings weighing for it, in F-number order
    opposing: tuple[str, ...]  # true findings weighing against it


@dataclass(frozen=True, slots=True)
class Differential:
    ranking: tuple[RankedCondition, ...]  # all ten conditions, once each
    low_confidence: bool
    answered: int


def _scored(true_findings: list[str]) -> list[RankedCondition]:
    """Each condition's score and working; only the non-zero weights of true findings are visited."""
    supporting: dict[str, list[str]] = {condition: [] for condition in CONDITIONS}
    opposing: dict[str, list[str]] = {condition: [] for condition in CONDITIONS}
    scores = dict.fromkeys(CONDITIONS, 0)
    for code in true_findings:
        for condition, weight in WEIGHTS[code].items():
            scores[condition] += weight
            (supporting if weight > 0 else opposing)[condition].append(code)
    return [
        RankedCondition(condition, scores[condition], tuple(supporting[condition]), tuple(opposing[condition]))
        for condition in CONDITIONS
    ]


def rank_conditions(findings: FindingValues, *, dvt_flag_raised: bool) -> Differential:
    """Score every condition (only true findings score), highest first, ties in the contract's order."""
    true_findings = sorted(findings.true, key=_FINDING_ORDER.__getitem__)
    scored = _scored(true_findings)
    ranking = sorted(scored, key=lambda ranked: -ranked.score)  # stable: ties keep CONDITIONS order
    top_two = [ranked.score for ranked in ranking[:2]]
    if dvt_flag_raised:
        ranking.sort(key=lambda ranked: ranked.condition != "dvt")
    low_confidence = top_two[0] - top_two[1] <= CLOSE_SCORES or len(findings.answered) < FEWEST_ANSWERED
    return Differential(tuple(ranking), low_confidence, len(findings.answered))
