"""The progress charts a letter carries: heel raise and LSI over the episode, drawn from the app's own series.

The window runs from 14 days before the episode's onset (or its first assessment, whichever is earlier) to
the letter's date, cut with ``workstation.progress.window.within`` exactly as the app's range selector cuts
it, so a chart in a letter shows the same points, references and markers as the progress tab.
"""

from __future__ import annotations

from datetime import date, timedelta

from workstation.letters.document import ChartFigure
from workstation.letters.locale import LetterLocale
from workstation.letters.records import LetterFacts
from workstation.progress.chart_data import ChartKey, ProgressSeries
from workstation.progress.window import within

LEAD_IN = timedelta(days=14)  # days shown before the episode began, so its first test is not on the edge
LETTER_CHARTS: tuple[ChartKey, ...] = ("heel_raise", "lsi")
MIN_HEEL_RAISE_VISITS = 2  # a trend needs two tests: one point is a finding, already in the table
CAPTIONS: dict[ChartKey, str] = {  # short: the two charts print side by side, each half the text width
    "heel_raise": "Single-leg heel raises per leg; runner target 30, norm for age and sex.",
    "lsi": "Involved side as a % of the other; target 90 % or more.",
}


def episode_start(facts: LetterFacts) -> date | None:
    """The first day the letter's charts show; None when nothing dates the episode (then all is shown)."""
    days = []
    if facts.episode is not None and facts.episode.onset_date is not None:
        days.append(facts.episode.onset_date)
    for record in (facts.first_assessment, facts.assessment):
        if record is not None:
            days.append(record.assessed_on)
    return min(days) - LEAD_IN if days else None


def episode_series(facts: LetterFacts) -> ProgressSeries | None:
    if facts.progress is None:
        return None
    return within(facts.progress, episode_start(facts), facts.today)


def heel_raise_visits(facts: LetterFacts) -> int:
    """On how many days of the episode a heel raise was tested (either leg): the window's days, counted
    straight from the series (cutting the whole series to the window is left to the charts themselves)."""
    if facts.progress is None:
        return 0
    start, end = episode_start(facts) or date.min, facts.today
    chart = facts.progress.chart("heel_raise")
    return len({point.on for line in chart.series for point in line.points if start <= point.on <= end})


def chart_figures(facts: LetterFacts, locale: LetterLocale) -> tuple[ChartFigure, ...]:
    """One figure per letter chart that has a point in the episode (an empty chart is left out)."""
    series = episode_series(facts)
    if series is None:
        return ()
    first = episode_start(facts) or series.first_day or facts.today
    figures = []
    for key in LETTER_CHARTS:
        chart = series.chart(key)
        if chart.is_empty:
            continue
        figures.append(ChartFigure(chart, series.markers, first, facts.today, locale.spell(CAPTIONS[key])))
    return tuple(figures)
