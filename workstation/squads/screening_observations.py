"""What completing a screening stores: one observation per value typed, coded as an assessment codes it.

Code, side and unit come from ``SCREENING_MEASURES`` (the assessment's own, ``observation_codes``), so the
progress charts and the FHIR export read a screening's heel raises like an assessment's. The protocol text
is what ``workstation.assessment.finalize.protocol_text`` writes from what a screening records: the knee
position of each heel raise, and nothing for the rest (a screening records no surface, cadence or
footwear, and an unrecorded protocol stays blank rather than guessed, CLINICAL.md 2.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from workstation.records import Observation
from workstation.squads.records import SCREENING_MEASURES, Screening, ScreeningEntry

SCREENING_PROTOCOLS: Mapping[str, str] = MappingProxyType(
    {"heel_raise_reps": "knee straight", "heel_raise_bent_reps": "knee bent", "knee_to_wall_cm": "", "nprs_now": ""}
)


def observations_of(
    screening: Screening, entries: Iterable[ScreeningEntry], *, recorded_by: int | None
) -> list[Observation]:
    """The observations of every non-empty row, athlete by athlete, in the grid's column order.

    Each is observed on the screening day and belongs to no episode or assessment (a screening is neither).
    """
    observations = []
    for entry in entries:
        for measure in SCREENING_MEASURES:
            value = entry.values.get(measure.key)
            if value is None:
                continue
            observations.append(
                Observation(
                    patient_id=entry.patient_id,
                    observed_on=screening.held_on,
                    code=measure.code,
                    value=float(value),
                    unit=measure.unit,
                    side=measure.side,
                    protocol=SCREENING_PROTOCOLS[measure.code],
                    recorded_by=recorded_by,
                )
            )
    return observations
