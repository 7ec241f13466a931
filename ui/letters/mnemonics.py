"""Alt letters for labels that come from elsewhere (the section names): the first letter of the label, then of
each word, then any letter, that no other control of the dialog uses. A label with no free letter gets none
(Tab still reaches it); an ``&`` typed in a label prints as itself.
"""

from __future__ import annotations


def with_mnemonic(label: str, taken: set[str]) -> str:
    """``label`` with ``&`` before a free letter (added to ``taken``), and its own ampersands doubled."""
    escaped = label.replace("&", "&&")
    for index in _candidates(label):
        letter = label[index].lower()
        if letter.isascii() and letter.isalpha() and letter not in taken:
            taken.add(letter)
            return _mark(label, index)
    return escaped


def letters_of(labels: list[str]) -> set[str]:
    """The Alt letters the fixed labels of a dialog already use ("Addre&ss" -> "s")."""
    found = set()
    for label in labels:
        index = label.replace("&&", "").find("&")
        if 0 <= index < len(label.replace("&&", "")) - 1:
            found.add(label.replace("&&", "")[index + 1].lower())
    return found


def _candidates(label: str) -> list[int]:
    starts = [i for i, c in enumerate(label) if c.isalpha() and (i == 0 or not label[i - 1].isalpha())]
    return starts + [i for i in range(len(label)) if i not in starts]


def _mark(label: str, index: int) -> str:
    before, after = label[:index].replace("&", "&&"), label[index + 1 :].replace("&", "&&")
    return f"{before}&{label[index]}{after}"
