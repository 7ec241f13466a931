"""The list of what CalfDesk bundles, read from this venv's real metadata: the runtime closure of calfdesk and
not its development tools, Python and the fonts; a licence and its text for every one; the build's folder
written and read back, also as a frozen bundle finds it, and read as far as it can be when damaged."""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import pytest

import resources
from ui import licences
from ui.licences import BundledComponent, LicenceText

COMMON_LICENCES = Path("/usr/share/common-licenses")  # Debian's base-files
SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


@pytest.fixture(scope="module")
def gathered() -> tuple[BundledComponent, ...]:
    return licences.gather()


def canonical(name: str) -> str:
    return re.sub(r"[-_. ]+", "-", name).lower()  # "DejaVu Sans fonts" is "dejavu-sans-fonts" here


def by_name(components: tuple[BundledComponent, ...]) -> dict[str, BundledComponent]:
    return {canonical(component.name): component for component in components}


def test_the_runtime_closure_is_listed_without_the_development_tools(gathered: tuple[BundledComponent, ...]) -> None:
    names = set(by_name(gathered))
    wanted = {"pyside6-essentials", "shiboken6", "sqlalchemy", "reportlab", "pandas", "sqlcipher3", "python"}
    assert wanted <= names
    assert {"numpy", "alembic", "mako"} <= names  # needed by what calfdesk needs
    assert "psycopg-binary" in names  # an extra asked for by a requirement: psycopg[binary]
    assert "dejavu-sans-fonts" in names and "droid-sans-fallback-font" in names
    dev_tools = {"pytest", "pytest-qt", "hypothesis", "mypy", "ruff", "fhir-resources", "pypdf", "import-linter"}
    assert not dev_tools & names
    assert "calfdesk" not in names  # the program itself is not a bundled component
    assert "pyinstaller" not in names  # the build's tool, not part of what runs


def test_the_closure_is_every_runtime_requirement_followed_to_the_end(gathered: tuple[BundledComponent, ...]) -> None:
    """Each calfdesk requirement without a marker is listed, and so is each of theirs (no markers or extras)."""
    names = set(by_name(gathered))
    top = [line for line in metadata.requires("calfdesk") or [] if ";" not in line]
    for line in top:
        requirement = re.split(r"[\[<>=!~ ;(]", line, maxsplit=1)[0]
        assert canonical(requirement) in names, line
        for second in metadata.requires(requirement) or []:
            if ";" not in second:
                assert canonical(re.split(r"[\[<>=!~ ;(]", second, maxsplit=1)[0]) in names, (line, second)


def test_every_component_has_a_version_a_licence_and_its_text(gathered: tuple[BundledComponent, ...]) -> None:
    """A future dependency whose wheel carries no licence file or name fails here: add its text to
    resources/licences and a line to additions.json."""
    without = [c.name for c in gathered if not c.licence.strip()]
    assert not without, f"no licence named for {without}"
    untexted = [c.name for c in gathered if not c.texts or not all(t.text.strip() for t in c.texts)]
    assert not untexted, f"no licence text for {untexted}"
    unversioned = [c.name for c in gathered if not c.version.strip()]
    assert not unversioned, f"no version for {unversioned}"
    assert all(c.home_page.startswith(("http://", "https://")) for c in gathered)


def test_the_list_is_sorted_by_name_whatever_the_case(gathered: tuple[BundledComponent, ...]) -> None:
    assert [c.name.casefold() for c in gathered] == sorted(c.name.casefold() for c in gathered)
    assert len({canonical(c.name) for c in gathered}) == len(gathered)


def test_versions_and_texts_are_the_installed_ones(gathered: tuple[BundledComponent, ...]) -> None:
    components = by_name(gathered)
    for name in ("PySide6-Essentials", "SQLAlchemy", "reportlab", "pandas", "sqlcipher3"):
        assert components[canonical(name)].version == metadata.version(name)
    assert components["python"].version == platform.python_version()
    sqlalchemy = components["sqlalchemy"]
    assert sqlalchemy.licence == metadata.metadata("SQLAlchemy")["License-Expression"]
    licence_file = metadata.distribution("SQLAlchemy").read_text("licenses/LICENSE")
    assert LicenceText("LICENSE", licence_file or "") in sqlalchemy.texts
    numpy = components["numpy"]
    assert len(numpy.texts) == len(metadata.metadata("numpy").get_all("License-File") or [])


def test_a_licence_file_that_is_not_utf8_is_read_as_latin1(gathered: tuple[BundledComponent, ...]) -> None:
    pdfium = by_name(gathered)["pypdfium2"]
    freetype = next(t for t in pdfium.texts if t.file_name.endswith("freetype.txt"))
    assert "copyright © <year> The FreeType" in freetype.text


def test_qt_for_python_carries_the_lgpl_and_the_gpl_it_adds_to(gathered: tuple[BundledComponent, ...]) -> None:
    for name in ("pyside6-essentials", "shiboken6"):
        texts = [t.text for t in by_name(gathered)[name].texts]
        assert any("GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3" in t for t in texts), name
        assert any("GNU GENERAL PUBLIC LICENSE\n                       Version 3" in t for t in texts), name
        assert "LGPL-3.0" in by_name(gathered)[name].licence


@pytest.mark.parametrize(("ours", "debian"), [("LGPL-3.0.txt", "LGPL-3"), ("GPL-3.0.txt", "GPL-3"),
                                               ("OpenSSL-Apache-2.0.txt", "Apache-2.0")])  # fmt: skip
def test_the_added_licence_texts_are_verbatim_copies(ours: str, debian: str) -> None:
    source = COMMON_LICENCES / debian
    assert source.is_file(), f"{source} is missing: install Debian's base-files package"
    assert (licences.ADDITIONS_FOLDER / ours).read_bytes() == source.read_bytes()


def test_every_added_text_is_used_and_exists() -> None:
    described = json.loads(licences.ADDITIONS_FILE.read_text(encoding="utf-8"))
    named = {file for entry in described.values() if isinstance(entry, dict) for file in entry["texts"]}
    present = {path.name for path in licences.ADDITIONS_FOLDER.iterdir() if path.suffix == ".txt"}
    assert named == present


def test_python_and_the_data_files_carry_their_own_licences(gathered: tuple[BundledComponent, ...]) -> None:
    components = by_name(gathered)
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in components["python"].texts[0].text
    listed = {t.text for c in gathered for t in c.texts}
    for licence_file in resources.FOLDER.rglob("*.LICENSE.txt"):  # the fonts and the common-passwords list
        assert licence_file.read_text(encoding="utf-8") in listed, licence_file
    assert re.fullmatch(r"\d+\.\d+", components["dejavu-sans-fonts"].version)  # read from the font itself


def test_write_then_read_gives_the_same_list(gathered: tuple[BundledComponent, ...], tmp_path: Path) -> None:
    licences.write_folder(tmp_path / "licences", gathered)
    assert licences.read_folder(tmp_path / "licences") == gathered
    manifest = json.loads((tmp_path / "licences" / "manifest.json").read_text(encoding="utf-8"))
    first = manifest["components"][0]
    assert set(first) == {"name", "version", "licence", "home_page", "texts"}
    assert all((tmp_path / "licences" / text["path"]).is_file() for text in first["texts"])


def test_written_file_names_are_safe_everywhere_and_never_clash(tmp_path: Path) -> None:
    text = LicenceText("LICENSE", "Permission is granted.\r\nTo everyone. ©\n")
    clashing = (text, replace(text, file_name="license"), replace(text, file_name="a/b"),
                replace(text, file_name="a__b"), replace(text, file_name="CON"), replace(text, file_name="aux.txt"),
                replace(text, file_name="NOTICE: ünïcode? *.txt"), replace(text, file_name="../../escape"))  # fmt: skip
    components = (
        BundledComponent("Foo", "1", "MIT", "https://example.org", clashing),
        BundledComponent("foo", "2", "MIT", "https://example.org", (text,)),
        BundledComponent("manifest.json", "3", "MIT", "https://example.org", (text,)),
        BundledComponent("nul", "4", "MIT", "https://example.org", (text,)),
        BundledComponent("Without a text", "5", "MIT", "https://example.org", ()),
    )
    folder = tmp_path / "licences"
    licences.write_folder(folder, components)
    assert licences.read_folder(folder) == components
    for parent in [folder, *(path for path in folder.iterdir() if path.is_dir())]:
        names = [path.name for path in parent.iterdir()]
        assert len({name.casefold() for name in names}) == len(names), names
        for name in names:
            assert SAFE_FILE_NAME.match(name) and name.split(".")[0].upper() not in WINDOWS_RESERVED, name
    assert all(path.is_relative_to(folder) for path in folder.rglob("*"))


def test_a_frozen_bundle_reads_the_folder_the_build_wrote(
    gathered: tuple[BundledComponent, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    licences.write_folder(tmp_path / licences.FROZEN_FOLDER, gathered)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert licences.bundled() == gathered


def test_a_frozen_bundle_without_its_list_gives_an_empty_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert licences.bundled() == ()
    assert "cannot be read" in caplog.text
    (tmp_path / licences.FROZEN_FOLDER).mkdir()
    (tmp_path / licences.FROZEN_FOLDER / "manifest.json").write_text('{"format": 1, "components": [', "utf-8")
    assert licences.bundled() == ()


def test_a_damaged_list_is_read_as_far_as_it_is_intact(
    gathered: tuple[BundledComponent, ...], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "licences"
    licences.write_folder(folder, gathered[:3])
    manifest_file = folder / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    del manifest["components"][0]["licence"]  # a damaged entry: left out
    lost_text = manifest["components"][1]["texts"][0]["path"]
    (folder / lost_text).unlink()  # a text gone: the component stays, without it
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    read = licences.read_folder(folder)
    assert [c.name for c in read] == [c.name for c in gathered[1:3]]
    assert read[0].texts == gathered[1].texts[1:]
    assert read[1] == gathered[2]
    assert "left out" in caplog.text and "missing or damaged" in caplog.text


def test_the_module_imports_no_qt() -> None:
    """The build script imports it with no Qt application (and the command line may one day)."""
    code = "import sys, ui.licences; print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    assert result.stdout.strip() == "[]"
