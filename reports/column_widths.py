"""Column widths for a findings table, from how wide its text really is.

A column first gets room for its longest word (or, for a short cell such as "50 %", for the whole cell),
so "Difference" never breaks mid-word and a value never wraps when there is space; what is left goes first
to the columns that need little more to fit their text on one line, and the sentence columns share the
rest by how much more they need. Equal shares wrapped short numbers and left a sentence column cramped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Measure = Callable[[str], float]
_SHORT_CELL = 12  # characters: "50 %", "Negative", "12 reps": kept on one line when there is room


def column_widths(
    rows: Sequence[Sequence[str]], columns: int, width: float, measure: Measure, padding: float
) -> list[float]:
    """Widths (summing to ``width``) for ``columns`` columns holding ``rows`` of text.

    Args:
        rows: the cells, header included; a row may be shorter than ``columns``.
        columns: how many columns the table has.
        width: the table's width in points.
        measure: the printed width of a string in points.
        padding: the left plus right padding of a cell in points.
    """
    least = [padding] * columns
    wanted = [padding] * columns
    for row in rows:
        for index, cell in enumerate(row[:columns]):
            longest_line = max((measure(line) for line in cell.splitlines()), default=0.0)
            if len(cell) <= _SHORT_CELL:
                unbreakable = longest_line
            else:
                unbreakable = max((measure(word) for word in cell.split()), default=0.0)
            least[index] = max(least[index], unbreakable + padding)
            wanted[index] = max(wanted[index], longest_line + padding)
    return _share(least, wanted, width)


def _share(least: list[float], wanted: list[float], width: float) -> list[float]:
    total_least = sum(least)
    if total_least >= width:  # even the words do not fit: shrink in proportion (long words then split)
        return [width * value / total_least for value in least]
    total_wanted = sum(wanted)
    if total_wanted <= width:  # everything fits on one line: hand out the spare room in proportion
        return [width * value / total_wanted for value in wanted]
    # Columns that need less than an equal share of the spare room get all they need ("9.1 cm (32.8°)" stays
    # on one line); the sentence columns left share the rest in proportion to their need, which keeps the
    # tallest of them as short as it can be. Shares in proportion for all wrapped every column a little.
    extra = [want - low for want, low in zip(wanted, least, strict=True)]
    widths, spare = list(least), width - total_least
    needy = list(range(len(extra)))
    while needy:
        share = spare / len(needy)
        met = [index for index in needy if extra[index] <= share]
        if not met:
            break
        for index in met:
            widths[index] += extra[index]
            spare -= extra[index]
        needy = [index for index in needy if index not in met]
    total_need = sum(extra[index] for index in needy)
    for index in needy:
        widths[index] += spare * extra[index] / total_need
    return widths
