"""Neural tension tests (slump, straight-leg raise) and the neurological screen (CLINICAL.md 4).

These tests show nerve mechanosensitivity, not structural pathology, and asymptomatic people commonly feel
a stretch in the thigh, knee or calf during them (CLINICAL.md 4.1). So a result is "positive" only when the
patient's own symptoms are reproduced *and* change with a movement at a distant body part; anything short of
that which is still abnormal is "inconclusive", never "negative". The results use the contract's values
(``neural.slump``, ``neural.straight_leg_raise``, ``neural.neurological_deficit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from workstation.clinical.assessment import NeuralTests, TestResult

Leg = Literal["left", "right"]
SymptomLocation = Literal["neck", "back", "buttock", "thigh", "knee", "calf", "foot"]
# What the test brought on: nothing; only a stretch or pulling sensation (common in asymptomatic people);
# the patient's familiar symptoms; or an abnormal response that is not their complaint.
SymptomResponse = Literal["none", "stretch_only", "familiar", "unfamiliar_abnormal"]
# Structural differentiation: "not_done", or what the symptoms did when a distant part moved.
Differentiation = Literal[
    "not_done",
    "eased_with_neck_release",  # slump: neck released into extension (CLINICAL.md 4.1 step 6)
    "worse_with_ankle_dorsiflexion",  # slump, or SLR with Bragard's ankle dorsiflexion (4.2)
    "worse_with_hip_internal_rotation",  # extended SLR (4.2) [Pesonen 2021]
    "worse_with_neck_flexion",  # SLR sensitiser (4.2)
    "no_change",
]
OtherSide = Literal["same", "different", "not_tested"]
SlumpStage = Literal["slumped_sitting", "neck_flexion", "knee_extension", "ankle_dorsiflexion"]  # 4.1 steps 2-5

DIFFERENTIATING: frozenset[Differentiation] = frozenset(
    {
        "eased_with_neck_release",
        "worse_with_ankle_dorsiflexion",
        "worse_with_hip_internal_rotation",
        "worse_with_neck_flexion",
    }
)
SLR_CLASSICAL_FROM_DEG = 30  # CLINICAL.md 4.2: degrees of hip flexion [Pesonen 2021; Revise MSRA]
SLR_CLASSICAL_TO_DEG = 70  # CLINICAL.md 4.2: degrees of hip flexion
BELOW_KNEE: frozenset[SymptomLocation] = frozenset({"calf", "foot"})


@dataclass(frozen=True, slots=True)
class SlumpTest:
    """One side's slump test as recorded (CLINICAL.md 4.1 "Record"); None is "not recorded".

    ``knee_extension_deficit_deg`` is how many degrees short of full knee extension the symptoms began.
    ``other_side`` compares the response with the other leg's.
    """

    side: Leg
    response: SymptomResponse | None = None
    differentiation: Differentiation | None = None
    onset_stage: SlumpStage | None = None
    knee_extension_deficit_deg: int | None = None
    locations: tuple[SymptomLocation, ...] = ()
    quality: str | None = None
    nrs: int | None = None
    other_side: OtherSide | None = None


@dataclass(frozen=True, slots=True)
class StraightLegRaise:
    """One side's straight-leg raise as recorded (CLINICAL.md 4.2 "Record"); None is "not recorded".

    ``hip_flexion_deg`` is the hip angle at first symptom onset. ``crossed_reproduces_symptoms``: raising the
    other leg brought on this leg's symptoms (the crossed SLR).
    """

    side: Leg
    response: SymptomResponse | None = None
    differentiation: Differentiation | None = None
    hip_flexion_deg: int | None = None
    locations: tuple[SymptomLocation, ...] = ()
    crossed_reproduces_symptoms: bool | None = None
    other_side: OtherSide | None = None


NeuralReason = Literal[
    "not_tested",
    "response_not_recorded",
    "no_symptoms",
    "stretch_only",
    "unfamiliar_response",
    "not_differentiated",
    "no_change_with_differentiation",
    "reproduced_and_differentiated",
]


@dataclass(frozen=True, slots=True)
class NeuralReading:
    """A test's contract result and the reason for it (for the screen and the letter)."""

    result: TestResult
    reason: NeuralReason


def read_neural_test(test: SlumpTest | StraightLegRaise | None) -> NeuralReading:
    """Classify a slump test or SLR (CLINICAL.md 4.1-4.2).

    - positive: the familiar symptoms were reproduced AND changed with a distant movement (neck release,
      ankle dorsiflexion, hip internal rotation, neck flexion). Both are needed: reproduction shows the test
      loaded the painful structure, differentiation shows that structure was neural tissue.
    - negative: no symptoms, or only a stretch sensation. A calf stretch alone is a normal response (about
      a third of asymptomatic people feel something in slumped sitting, and later stages mostly bring thigh,
      knee or calf sensations [Walsh 2007]); it stays negative even if a sensitiser changes it.
    - inconclusive: familiar symptoms but differentiation not done (or not recorded), or done with no
      change: a calf that hurts when the leg is stretched may be muscle, so the test cannot point to nerve,
      and it cannot rule nerve out either. Also an abnormal response that is not the patient's complaint
      (a finding to follow up, not a reproduction of the complaint), and a test whose response was not
      recorded.
    - not_tested: no test.

    Whether the response differs from the other side strengthens a positive but is not required ("ideally",
    CLINICAL.md 4.1 c), so it is recorded and not scored.
    """
    if test is None:
        return NeuralReading("not_tested", "not_tested")
    if test.response is None:
        return NeuralReading("inconclusive", "response_not_recorded")
    if test.response == "none":
        return NeuralReading("negative", "no_symptoms")
    if test.response == "stretch_only":
        return NeuralReading("negative", "stretch_only")
    if test.response == "unfamiliar_abnormal":
        return NeuralReading("inconclusive", "unfamiliar_response")
    if test.differentiation in DIFFERENTIATING:
        return NeuralReading("positive", "reproduced_and_differentiated")
    if test.differentiation == "no_change":
        return NeuralReading("inconclusive", "no_change_with_differentiation")
    return NeuralReading("inconclusive", "not_differentiated")


def classify_slump(test: SlumpTest | None) -> TestResult:
    """The contract's ``neural.slump`` value for this test (rules in :func:`read_neural_test`)."""
    return read_neural_test(test).result


def classify_straight_leg_raise(test: StraightLegRaise | None) -> TestResult:
    """The contract's ``neural.straight_leg_raise`` value for this test (rules in :func:`read_neural_test`)."""
    return read_neural_test(test).result


def classical_slr_pattern(test: StraightLegRaise) -> bool | None:
    """Symptoms below the knee between 30° and 70° of hip flexion, the classical sciatic picture (CLINICAL.md 4.2).

    Supporting detail for the clinician only: the SLR is sensitive but not specific, so this never makes a
    test positive. None when the angle or the symptom locations were not recorded.
    """
    if test.hip_flexion_deg is None or not test.locations:
        return None
    in_range = SLR_CLASSICAL_FROM_DEG <= test.hip_flexion_deg <= SLR_CLASSICAL_TO_DEG
    return in_range and not BELOW_KNEE.isdisjoint(test.locations)


# --- Neurological screen (CLINICAL.md 4.3) ---

Power = Literal["normal", "reduced"]
Reflex = Literal["normal", "reduced", "absent", "brisk"]
Sensation = Literal["normal", "reduced", "altered"]
Level = Literal["L4", "L5", "S1"]
ScreenPattern = Literal["no_deficit", "single_level", "several_levels_or_both_sides", "upper_motor_neuron_sign"]

# A lower-motor-neuron sign: weakness, a reduced or absent reflex, or changed sensation.
DEFICIT_VALUES = frozenset({"reduced", "absent", "altered"})


@dataclass(frozen=True, slots=True)
class SideScreen:
    """One leg's screen: myotomes L4-S1, reflexes L4 and S1, dermatomes L4-S1; None is "not tested"."""

    power_l4: Power | None = None  # ankle dorsiflexion
    power_l5: Power | None = None  # big-toe extension
    power_s1: Power | None = None  # plantarflexion, by heel raises
    reflex_l4: Reflex | None = None  # knee jerk
    reflex_s1: Reflex | None = None  # ankle jerk
    sensation_l4: Sensation | None = None  # medial leg
    sensation_l5: Sensation | None = None  # dorsum of the foot
    sensation_s1: Sensation | None = None  # lateral foot


# Each item of the screen and the nerve root it tests (CLINICAL.md 4.3).
SCREEN_ITEMS: tuple[tuple[str, Level], ...] = (
    ("power_l4", "L4"), ("power_l5", "L5"), ("power_s1", "S1"),
    ("reflex_l4", "L4"), ("reflex_s1", "S1"),
    ("sensation_l4", "L4"), ("sensation_l5", "L5"), ("sensation_s1", "S1"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NeurologicalScreen:
    left: SideScreen | None = None
    right: SideScreen | None = None

    def sides(self) -> tuple[tuple[Leg, SideScreen | None], ...]:
        return (("left", self.left), ("right", self.right))


def deficit_levels(screen: NeurologicalScreen) -> frozenset[tuple[Leg, Level]]:
    """Every (leg, level) with a lower-motor-neuron sign."""
    return frozenset(
        (leg, level)
        for leg, side in screen.sides()
        if side is not None
        for name, level in SCREEN_ITEMS
        if getattr(side, name) in DEFICIT_VALUES
    )


def screen_complete(screen: NeurologicalScreen) -> bool:
    """Whether every item was tested on both legs (reflexes and power are judged against the other side)."""
    return all(
        side is not None and all(getattr(side, name) is not None for name, _ in SCREEN_ITEMS)
        for _, side in screen.sides()
    )


def neurological_deficit(screen: NeurologicalScreen | None) -> bool | None:
    """The contract's ``neurological_deficit``: dermatomal sensory change, myotomal weakness or a reduced reflex.

    True as soon as one item shows it. False only when every item was tested on both legs and none did: an
    untested item is not a normal one, so a partial screen with nothing found is None (not answered). A brisk
    reflex is not a deficit in this sense; :func:`screen_pattern` reports it.
    """
    if screen is None:
        return None
    if deficit_levels(screen):
        return True
    return False if screen_complete(screen) else None


def screen_pattern(screen: NeurologicalScreen | None) -> ScreenPattern | None:
    """How the screen reads (CLINICAL.md 4.3); None when it cannot be told yet.

    A brisk reflex (an upper-motor-neuron sign) or signs at several levels or in both legs mean "consider
    another diagnosis"; more testing cannot undo either, so they are reported from a partial screen. One
    level in one leg fits radiculopathy, and no deficit is reported only from a complete screen.
    """
    if screen is None:
        return None
    reflexes = [getattr(side, name) for _, side in screen.sides() if side for name in ("reflex_l4", "reflex_s1")]
    if "brisk" in reflexes:
        return "upper_motor_neuron_sign"
    found = deficit_levels(screen)
    if len(found) > 1:
        return "several_levels_or_both_sides"
    if not screen_complete(screen):
        return None
    return "single_level" if found else "no_deficit"


def as_contract_neural(
    slump: SlumpTest | None, straight_leg_raise: StraightLegRaise | None, screen: NeurologicalScreen | None
) -> NeuralTests:
    """The contract's ``neural`` section from the symptomatic side's tests and the screen (for the wizard)."""
    return NeuralTests(
        slump=classify_slump(slump),
        straight_leg_raise=classify_straight_leg_raise(straight_leg_raise),
        neurological_deficit=neurological_deficit(screen),
    )
