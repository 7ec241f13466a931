"""How a letter's facts are chosen from a patient's record: the assessment reported, its episode and its
baseline, and the red flags a letter must report (``LetterService.facts``)."""

from __future__ import annotations

from collections.abc import Sequence

from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.errors import ValidationFailed
from workstation.problems import Problem
from workstation.records import Episode, EpisodeStatus


def chosen_assessment(assessments: Sequence[AssessmentRecord], assessment_id: int | None) -> AssessmentRecord | None:
    """The current assessment ``assessment_id``; None: the latest (None before any). ValidationFailed if it
    is not one of ``assessments`` (another patient's, or amended since)."""
    if assessment_id is None:
        return assessments[-1] if assessments else None  # oldest first: the last is the latest
    for assessment in assessments:
        if assessment.id == assessment_id:
            return assessment
    raise ValidationFailed([Problem(
        "assessment_id",
        "That assessment is not a current one of this patient's (it may have been amended since): "
        "choose one from the patient's list of assessments.",
    )])  # fmt: skip


def first_of_episode(
    assessments: Sequence[AssessmentRecord], chosen: AssessmentRecord | None
) -> AssessmentRecord | None:
    """The first current assessment of the chosen one's episode: the baseline of a progress letter."""
    if chosen is None:
        return None
    return next(a for a in assessments if a.episode_id == chosen.episode_id)  # the chosen one at the latest


def episode_of(episodes: Sequence[Episode], chosen: AssessmentRecord | None) -> Episode | None:
    """The chosen assessment's episode, else the open one (the newest open one: the list's order)."""
    if chosen is not None and chosen.episode_id is not None:
        found = next((e for e in episodes if e.id == chosen.episode_id), None)
        if found is not None:
            return found
    return next((e for e in episodes if e.status is EpisodeStatus.OPEN), None)


def flags_for(
    unresolved: Sequence[RedFlagRecord], every: Sequence[RedFlagRecord], chosen: AssessmentRecord | None
) -> tuple[RedFlagRecord, ...]:
    """Unresolved flags (most urgent first), then the chosen assessment's resolved ones (oldest first)."""
    listed = {flag.id for flag in unresolved}
    resolved = [f for f in every if chosen is not None and f.assessment_id == chosen.id and f.id not in listed]
    return (*unresolved, *resolved)
