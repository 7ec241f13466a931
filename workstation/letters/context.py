"""Everything one letter is composed from, read once: the request, the facts, the locale and the stored JSON."""

from __future__ import annotations

from dataclasses import dataclass

from workstation.clinical.country import Country
from workstation.clinical.load import DistanceUnit
from workstation.letters.document import Tier
from workstation.letters.flags import LetterFlag, letter_flags, letter_tier
from workstation.letters.locale import LetterLocale
from workstation.letters.records import LetterFacts, LetterKind, LetterRequest
from workstation.letters.sections import has_baseline
from workstation.letters.stored import Stored


@dataclass(frozen=True, slots=True)
class Context:
    request: LetterRequest
    facts: LetterFacts
    locale: LetterLocale
    stored: Stored | None  # the chosen assessment
    baseline: Stored | None  # the episode's first assessment, when it is another one
    flags: tuple[LetterFlag, ...]
    tier: Tier

    @classmethod
    def of(cls, request: LetterRequest, facts: LetterFacts) -> Context:
        stored = Stored.of(facts.assessment) if facts.assessment is not None else None
        first = facts.first_assessment
        baseline = Stored.of(first) if first is not None and has_baseline(facts) else None
        return cls(
            request=request,
            facts=facts,
            locale=LetterLocale.of(facts.clinic.country),
            stored=stored,
            baseline=baseline,
            flags=letter_flags(facts, stored),
            tier=letter_tier(request.kind, facts, stored),
        )

    @property
    def kind(self) -> LetterKind:
        return self.request.kind

    @property
    def unit(self) -> DistanceUnit:
        """The clinic's distance unit: the progress series' own, else miles in the US and km elsewhere."""
        if self.facts.progress is not None:
            return self.facts.progress.unit
        return "mi" if self.locale.country is Country.US else "km"

    def spell(self, text: str) -> str:
        """Template wording in the clinic's spelling (never for text a person typed)."""
        return self.locale.spell(text)

    def rows(self, *pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
        """Field rows whose labels are template wording (spelled); the values are kept as given."""
        return tuple((self.spell(label), value) for label, value in pairs)
