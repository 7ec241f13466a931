"""Every test the clinical safety file names as a control exists, so a renamed test cannot leave a hazard
pointing at nothing (docs/clinical-safety.md, "Reviewing a change")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAFETY_FILE = ROOT / "docs" / "clinical-safety.md"
# `tests/x/test_y.py::test_name`, `test_y.py::test_name` (found under tests/), `tests/x/test_y.py`, and
# `::test_name` or `test_name` alone (in the file named last before it).
_REFERENCE = re.compile(r"`((?:tests/)?[\w/]*test_\w+\.py)?(?:::)?(test_\w+)?`")


def _resolve(path: str) -> str:
    if path.startswith("tests/"):
        return path
    matches = sorted(str(found.relative_to(ROOT)) for found in (ROOT / "tests").rglob(Path(path).name))
    return matches[0] if len(matches) == 1 else f"(not one file named) {path}"


def _references() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    current = ""
    for path, name in _REFERENCE.findall(SAFETY_FILE.read_text(encoding="utf-8")):
        current = _resolve(path) if path else current
        if current and (path or name):
            found.append((current, name or None))
    return found


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_the_safety_file_names_tests_at_all() -> None:
    assert len(_references()) > 80


def test_every_test_the_safety_file_names_exists() -> None:
    missing = []
    for path, name in _references():
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name is not None and name not in _test_names(file):
            missing.append(f"{path}::{name}")
    assert missing == []
