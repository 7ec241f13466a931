"""The name corpus of RELIABILITY.md H3 (markup injection) and H4 (Unicode names), as typed by users."""

from __future__ import annotations

# 100 characters, in words a cell can wrap between.
LONG_NAME = "Maximiliana Wilhelmina Theodora Konstantina Evangelina Bartholomew-Featherstonehaugh Montgomery Ross"
assert len(LONG_NAME) == 100

RIGHT_TO_LEFT = ("محمد", "שרה")

NAMES = (
    "Zoë",
    "Nguyễn Thị Minh",
    "O'Brien",
    "Ødegård",
    "Dvořák",
    "Σωκράτης",
    "Иван",
    "李小龍",
    *RIGHT_TO_LEFT,
    "<b>bold</b>",
    "<font color=red>x</font>",
    "&amp;",
    "a & b < c > d",
    "]]>",
    "<para>",
    "0.1 <A <0.9",
    LONG_NAME,
    "Ann\nMarie",
)
