"""The body chart's region table matches the shipped drawing, and marks map onto the contract's pain location."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from workstation.assessment import body_chart
from workstation.assessment.body_chart import REGIONS, load_chart, pain_location_of, parse_chart, region_at
from workstation.clinical.contract import parse_assessment

CONTRACT_LOCATIONS = {"upper_medial", "mid", "low_above_achilles", "lateral_fibula", "diffuse"}


def svg_region_ids() -> list[str]:
    root = ET.parse(body_chart.svg_path()).getroot()
    return [e.get("id", "") for e in root.iter() if e.get("id", "").startswith("region-")]


def test_every_region_in_the_table_is_in_the_svg_and_every_svg_region_is_in_the_table() -> None:
    ids = svg_region_ids()
    assert len(ids) == len(set(ids)), "duplicate region ids in the SVG"
    assert {i.removeprefix("region-") for i in ids} == {r.code for r in REGIONS}
    assert list(load_chart().regions) == [r.code for r in REGIONS]  # drawing order is the keyboard order


def test_table_is_consistent_with_codes_and_the_contract() -> None:
    for r in REGIONS:
        assert r.code.startswith(f"{r.leg}-")
        assert r.label.startswith(r.leg.capitalize() + ": ")
        assert r.view in ("back", "side")
        assert r.area is None or r.area in CONTRACT_LOCATIONS - {"diffuse"}
    assert set(body_chart.PAIN_LOCATION_LABELS) == CONTRACT_LOCATIONS
    # Each leg has the same regions, and each contract area can be reached on each leg.
    for leg in ("left", "right"):
        areas = {r.area for r in REGIONS if r.leg == leg}
        assert areas - {None} == CONTRACT_LOCATIONS - {"diffuse"}


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["left-upper-medial"], "upper_medial"),
        (["right-low"], "low_above_achilles"),
        (["left-fibula-upper", "left-fibula-low", "right-fibula-mid"], "lateral_fibula"),  # one area, both legs
        (["left-mid", "left-upper-lateral"], "mid"),
        (["left-mid", "left-heel"], "mid"),  # the heel has no contract value and does not make it diffuse
        (["left-upper-medial", "left-low"], "diffuse"),
        (["right-mid", "left-fibula-mid"], "diffuse"),
        ([], None),
        (["left-heel", "right-achilles", "left-knee"], None),
        (["no-such-region"], None),
    ],
)
def test_pain_location_of_marked_regions(codes: list[str], expected: str | None) -> None:
    assert pain_location_of(codes) == expected


def test_every_implied_location_is_accepted_by_the_contract() -> None:
    for r in REGIONS:
        location = pain_location_of([r.code])
        if location is None:
            continue
        document = {
            "schema": "calfdesk.assessment/1", "assessed_on": "2025-06-15", "symptomatic_side": r.leg,
            "patient": {"age_years": 30, "sex": "female"}, "history": {"pain_location": location},
        }  # fmt: skip
        assert parse_assessment(document, today=date(2025, 6, 15)).history.pain_location == location


def test_hit_testing_at_known_points() -> None:
    chart = load_chart()
    assert chart.width == 660 and chart.height == 400
    # Seen from behind, the left leg is on the viewer's left and its inner side faces the right leg.
    assert region_at(127, 143) == "left-upper-medial"
    assert region_at(79, 143) == "left-upper-lateral"
    assert region_at(193, 143) == "right-upper-medial"
    assert region_at(241, 143) == "right-upper-lateral"
    assert region_at(100, 300) == "left-achilles"
    assert region_at(220, 355) == "right-heel"
    assert region_at(421, 306) == "left-outer-ankle"
    assert region_at(160, 200) is None  # between the legs
    assert region_at(5, 5) is None
    assert region_at(330, 362) is None  # the foot in the side view is drawn but not a region


def test_each_region_centre_hits_its_own_region_and_regions_do_not_overlap() -> None:
    chart = load_chart()
    for code in chart.regions:
        x, y = chart.centre(code)
        assert chart.region_at(x, y) == code
        assert [c for c in chart.regions if body_chart._inside(chart.regions[c], x, y)] == [code]


def test_arrow_neighbours_move_the_expected_way() -> None:
    chart = load_chart()
    assert chart.neighbour("left-mid", 0, -1) in ("left-upper-medial", "left-upper-lateral")
    assert chart.neighbour("left-mid", 0, 1) == "left-low"
    assert chart.neighbour("left-upper-lateral", 1, 0) == "left-upper-medial"
    assert chart.neighbour("left-upper-medial", 1, 0) == "right-upper-medial"
    assert chart.neighbour("left-heel", 0, 1) == "left-heel"  # nothing below: stays


def test_parse_chart_reads_shapes_labels_and_inherited_styles() -> None:
    chart = parse_chart(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">'
        '<g fill="#eeeeee" stroke="#111111" stroke-width="2">'
        '<polygon id="region-a" points="0,0 10,0 10,10 0,10"/><polyline fill="none" points="0,0 5,5"/></g>'
        '<text x="50" y="40" font-size="9" font-weight="bold" text-anchor="middle">Left</text></svg>'
    )
    assert (chart.width, chart.height) == (100, 50)
    square, line = chart.shapes
    assert square.region == "a" and square.closed and square.fill == "#eeeeee" and square.stroke_width == 2
    assert line.region is None and not line.closed and line.fill is None and line.stroke == "#111111"
    assert chart.labels[0].text == "Left" and chart.labels[0].bold and chart.labels[0].anchor == "middle"
    assert chart.region_at(5, 5) == "a" and chart.region_at(20, 5) is None
    with pytest.raises(ValueError, match="viewBox"):
        parse_chart('<svg xmlns="http://www.w3.org/2000/svg"/>')
