"""What CalfDesk bundles and the licence of each part, for Help > About and for the offline installer.

From a checkout or a pip install, ``gather`` reads the list from the installed distributions' metadata: the
runtime requirements of ``calfdesk`` (followed to the end, development extras left out), Python itself, and
the data files in ``resources/`` that carry licence files of their own (fonts, the common-passwords list).
A frozen bundle has no distribution metadata to read, so the build writes the list into a folder beside the
program (``write_folder``) and the bundle reads it back (``read_folder``, through ``bundled``).

Some wheels carry no licence file (Qt for Python's); their texts live in ``resources/licences`` and are
listed, with the reason, in its ``additions.json``.

No Qt here: the build script imports this module outside any Qt application.
"""

from __future__ import annotations

import json
import logging
import platform
import re
import struct
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import resources

__all__ = ["BundledComponent", "LicenceText", "bundled", "gather", "read_folder", "write_folder"]

_log = logging.getLogger(__name__)

APP_DISTRIBUTION = "calfdesk"
FROZEN_FOLDER = "licences"  # under sys._MEIPASS: where packaging/calfdesk.spec puts write_folder's output
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
ADDITIONS_FOLDER = resources.FOLDER / "licences"
ADDITIONS_FILE = ADDITIONS_FOLDER / "additions.json"

# A License field longer than this is a sentence or a whole licence text, not a name: the classifiers say it
# better ("BSD License" rather than "BSD license (see license.txt for details), Copyright (c) 2000-2025, ...").
_SHORTEST_TOO_LONG = 65
_LICENCE_FILE_NAME = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE)", re.IGNORECASE)
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# Windows refuses these as file names, whatever follows the first dot ("con.txt", "aux.rst").
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
_LONGEST_FILE_NAME = 100  # well inside Windows' 260-character paths, however deep the program is installed
_WINDOWS_PLATFORM, _VERSION_NAME = 3, 5  # a TrueType name record's platform (UTF-16 text) and name ids


@dataclass(frozen=True, slots=True)
class LicenceText:
    file_name: str  # as the component ships it, for instance "LICENSE" or "LICENSES/NUMPY_LICENSE"
    text: str


@dataclass(frozen=True, slots=True)
class BundledComponent:
    name: str
    version: str
    licence: str  # an SPDX expression where the component gives one, else the words it uses
    home_page: str
    texts: tuple[LicenceText, ...]


@dataclass(frozen=True, slots=True)
class _DataFiles:
    """Files in resources/ that someone else made, described beside their licence file."""

    name: str
    licence: str
    home_page: str
    version: str = ""
    version_font: str = ""  # or the font (under resources/) whose own name table gives the version


# Keyed by the licence file's path under resources/. A new *.LICENSE.txt not described here is still listed,
# named after its file, but with no licence: the test of every component's licence then says so.
_DATA_FILES = {
    "common-passwords.LICENSE.txt": _DataFiles(
        "Common passwords list (from zxcvbn)", "MIT", "https://pypi.org/project/zxcvbn/", version="4.5.0"
    ),
    "fonts/DejaVu.LICENSE.txt": _DataFiles(
        "DejaVu Sans fonts", "Bitstream-Vera", "https://dejavu-fonts.github.io/", version_font="fonts/DejaVuSans.ttf"
    ),
    "fonts/DroidSansFallback.LICENSE.txt": _DataFiles(
        "Droid Sans Fallback font",
        "Apache-2.0",
        "https://packages.debian.org/fonts-droid-fallback",
        version_font="fonts/DroidSansFallbackFull.ttf",
    ),
}


@dataclass(frozen=True, slots=True)
class _Addition:
    licence: str
    texts: tuple[LicenceText, ...]


# Gathering -----------------------------------------------------------------------------------------------


def gather() -> tuple[BundledComponent, ...]:
    """Everything a running CalfDesk bundles, sorted by name (case ignored).

    Raises:
        importlib.metadata.PackageNotFoundError: ``calfdesk`` is not installed in this Python (``pip install -e .``).
    """
    additions = _read_additions()
    found = [
        _distribution_component(distribution, fields, additions.get(_canonical(_first(fields, "Name"))))
        for distribution, fields in _runtime_closure(APP_DISTRIBUTION)
    ]
    found += [_python_component(), *_data_components()]
    return tuple(sorted(found, key=lambda component: component.name.casefold()))


def bundled() -> tuple[BundledComponent, ...]:
    """The list for Help > About: the build's folder in a frozen bundle, the installed metadata otherwise.

    Never raises: what cannot be read is left out (and logged), and an empty list means it is missing.
    """
    if getattr(sys, "frozen", False):
        base = getattr(sys, "_MEIPASS", None)
        return read_folder(Path(base if isinstance(base, str) else Path(sys.executable).parent) / FROZEN_FOLDER)
    try:
        return gather()
    except (metadata.PackageNotFoundError, ImportError):  # not installed, or installed without its dependencies
        _log.exception("The list of bundled components could not be gathered")
        return ()


def _canonical(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503): "PySide6_Essentials" is "pyside6-essentials"."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _runtime_closure(root: str) -> list[tuple[metadata.Distribution, metadata.PackageMetadata]]:
    """The installed distributions ``root`` needs to run (``root`` excluded), each with its metadata.

    Markers are evaluated for this computer with no extra asked for, so ``calfdesk[dev]``'s test tools stay
    out; an extra asked for by a requirement (``psycopg[binary]``) is followed. Each METADATA file is parsed
    once: importlib parses it again on every ``.metadata``, ``.name`` or ``.requires``.
    """
    # Imported here: only gathering needs it, and a frozen bundle never gathers.
    from packaging.requirements import Requirement

    top = metadata.distribution(root)
    found: dict[str, tuple[metadata.Distribution, metadata.PackageMetadata]] = {}
    followed: dict[str, set[str]] = {}  # distribution -> the extras ("" for none) whose requirements were read
    pending = [(top.metadata, frozenset({""}))]
    while pending:
        fields, extras = pending.pop()
        for line in fields.get_all("Requires-Dist") or []:
            requirement = Requirement(str(line))
            marker = requirement.marker
            if marker is not None and not any(marker.evaluate({"extra": extra}) for extra in extras):
                continue
            name = _canonical(requirement.name)
            wanted = {"", *requirement.extras} - followed.setdefault(name, set())
            if not wanted:
                continue
            if name not in found:
                try:
                    needed = metadata.distribution(requirement.name)
                except metadata.PackageNotFoundError:
                    _log.warning("%s needs %s, which is not installed", _first(fields, "Name"), line)
                    continue
                found[name] = (needed, needed.metadata)
            followed[name] |= wanted
            pending.append((found[name][1], frozenset(wanted)))
    found.pop(_canonical(root), None)
    return list(found.values())


def _distribution_component(
    distribution: metadata.Distribution, fields: metadata.PackageMetadata, addition: _Addition | None
) -> BundledComponent:
    licence = _licence(fields) or (addition.licence if addition else "")
    texts = _shipped_texts(distribution, fields) + (addition.texts if addition else ())
    name = _first(fields, "Name")
    return BundledComponent(name, _first(fields, "Version"), licence, _home_page(fields, name), texts)


def _first(fields: metadata.PackageMetadata, key: str) -> str:
    values = fields.get_all(key) or []
    return str(values[0]).strip() if values else ""


def _licence(fields: metadata.PackageMetadata) -> str:
    """License-Expression, else the License field if it is a name, else the licence classifiers."""
    expression = _first(fields, "License-Expression")
    if expression:
        return expression
    lines = _first(fields, "License").splitlines()
    name = lines[0].strip() if lines else ""
    if name and len(name) < _SHORTEST_TOO_LONG and name.upper() != "UNKNOWN":
        return name
    classifiers = [str(c).split(" :: ") for c in fields.get_all("Classifier") or [] if str(c).startswith("License ::")]
    return ", ".join(parts[-1] for parts in classifiers if len(parts) > 2 or parts[-1] != "OSI Approved")


def _home_page(fields: metadata.PackageMetadata, name: str) -> str:
    urls: dict[str, str] = {}
    for entry in fields.get_all("Project-URL") or []:
        label, _comma, url = str(entry).partition(",")
        urls.setdefault(re.sub(r"[^a-z]", "", label.lower()), url.strip())
    for label in ("homepage", "home"):
        if urls.get(label):
            return urls[label]
    return (
        _first(fields, "Home-page")
        or urls.get("source")
        or urls.get("repository")
        or f"https://pypi.org/project/{name}/"
    )


def _shipped_texts(distribution: metadata.Distribution, fields: metadata.PackageMetadata) -> tuple[LicenceText, ...]:
    """The licence files in the distribution's .dist-info: those its License-File fields name, else any
    that look like one (a licenses/ folder, LICENSE*, LICENCE*, COPYING*, NOTICE*)."""
    named = [str(entry) for entry in fields.get_all("License-File") or []]
    # Metadata 2.4 (PEP 639) keeps them under licenses/; setuptools before that, beside METADATA.
    candidates: list[tuple[str, tuple[str, ...]]] = [(entry, (f"licenses/{entry}", entry)) for entry in named]
    if not named:
        candidates = [
            (path.removeprefix("licenses/"), (path,))
            for path in _dist_info_files(distribution)
            if _looks_like_licence(path)
        ]
    texts = []
    for file_name, places in candidates:
        text = next((t for t in (_read_text(distribution, place) for place in places) if t is not None), None)
        if text is not None and text.strip():
            texts.append(LicenceText(file_name, text))
    return tuple(texts)


def _looks_like_licence(path: str) -> bool:
    return path.startswith("licenses/") or ("/" not in path and _LICENCE_FILE_NAME.match(path) is not None)


def _dist_info_files(distribution: metadata.Distribution) -> list[str]:
    """The files of the distribution's .dist-info folder, relative to it, from its RECORD.

    Read as plain lines: ``Distribution.files`` makes a path object of each of a RECORD's ten thousand
    entries (PySide6's), which took most of the About dialog's opening time.
    """
    return sorted(path for _folder, path in _dist_info_records(distribution))


def _dist_info_records(distribution: metadata.Distribution) -> list[tuple[str, str]]:
    """(the .dist-info folder's name, a path in it) for each of its files that RECORD lists."""
    records = []
    for line in (distribution.read_text("RECORD") or "").splitlines():
        folder, slash, path = line.partition(",")[0].partition("/")
        if slash and folder.endswith(".dist-info"):
            records.append((folder, path))
    return records


def _read_text(distribution: metadata.Distribution, path: str) -> str | None:
    """A file of the .dist-info folder, or None when there is none.

    Most are UTF-8; a few older ones are Latin-1 (pypdfium2's FreeType notice has a © byte), read as such.
    """
    try:
        return distribution.read_text(path)
    except UnicodeDecodeError:
        folders = {folder for folder, _file in _dist_info_records(distribution)}
        if len(folders) != 1:
            return None
        raw = Path(str(distribution.locate_file(f"{folders.pop()}/{path}"))).read_bytes()
        return raw.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")


def _decoded(raw: bytes) -> str:
    """UTF-8 (a stray byte shown as �, not refused), with Unix line ends whatever the file had."""
    return raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _read_additions() -> dict[str, _Addition]:
    """resources/licences/additions.json: texts (and a licence name) for wheels that lack them."""
    described: dict[str, Any] = json.loads(ADDITIONS_FILE.read_text(encoding="utf-8"))
    additions = {}
    for name, entry in described.items():
        if isinstance(entry, dict):
            texts = tuple(
                LicenceText(file, _decoded((ADDITIONS_FOLDER / file).read_bytes())) for file in entry["texts"]
            )
            additions[name] = _Addition(str(entry.get("licence", "")), texts)
    return additions


def _python_component() -> BundledComponent:
    """The interpreter and its standard library, under the PSF licence: its LICENSE.txt, which Linux builds
    keep in the standard library's folder and python.org's Windows installer beside python.exe."""
    places = (Path(sysconfig.get_paths()["stdlib"]), Path(sys.base_prefix))
    licence_file = next((place / "LICENSE.txt" for place in places if (place / "LICENSE.txt").is_file()), None)
    texts = (LicenceText("LICENSE.txt", _decoded(licence_file.read_bytes())),) if licence_file else ()
    return BundledComponent("Python", platform.python_version(), "PSF-2.0", "https://www.python.org/", texts)


def _data_components() -> list[BundledComponent]:
    components = []
    for licence_file in sorted(resources.FOLDER.rglob("*.LICENSE.txt")):
        relative = licence_file.relative_to(resources.FOLDER).as_posix()
        data = _DATA_FILES.get(relative) or _DataFiles(licence_file.name.removesuffix(".LICENSE.txt"), "", "")
        version = data.version or (_font_version(resources.FOLDER / data.version_font) if data.version_font else "")
        text = LicenceText(licence_file.name, _decoded(licence_file.read_bytes()))
        components.append(BundledComponent(data.name, version, data.licence, data.home_page, (text,)))
    return components


def _font_version(font_file: Path) -> str:
    """The version a TrueType font gives itself ("Version 2.37" is "2.37"): its name table's record 5 in
    Windows' encoding (UTF-16), which every TrueType font has. Only the table directory and the name table are
    read, not the whole (megabytes of) font."""
    with font_file.open("rb") as font:
        (tables,) = struct.unpack(">H", font.read(12)[4:6])  # the offset table; the directory follows it
        directory = font.read(16 * tables)
        for index in range(tables):
            tag, _checksum, table, _length = struct.unpack_from(">4sIII", directory, 16 * index)
            if tag != b"name":
                continue
            font.seek(table)
            _format, count, strings = struct.unpack(">HHH", font.read(6))
            records = font.read(12 * count)
            for record in range(count):
                platform_id, _encoding, _language, name_id, length, start = struct.unpack_from(
                    ">6H", records, 12 * record
                )
                if (platform_id, name_id) == (_WINDOWS_PLATFORM, _VERSION_NAME):
                    font.seek(table + strings + start)
                    return font.read(length).decode("utf-16-be").removeprefix("Version ").strip()
    return ""


# The build's folder --------------------------------------------------------------------------------------


def write_folder(folder: Path, components: Iterable[BundledComponent]) -> None:
    """Write ``components`` into ``folder``: a manifest.json, and each component's texts in a folder of its own.

    File names are reduced to letters, digits, ".", "-" and "_", never a name Windows reserves, and made
    unique ignoring case (Windows' and macOS's file systems do), so the folder copies anywhere intact.
    """
    folder.mkdir(parents=True, exist_ok=True)
    taken = {MANIFEST.casefold()}
    entries = []
    for component in components:
        texts = []
        if component.texts:
            subfolder = _unique(_safe_file_name(component.name), taken)
            (folder / subfolder).mkdir(exist_ok=True)
            names: set[str] = set()
            for text in component.texts:
                file = _unique(_safe_file_name(text.file_name.replace("/", "__")), names)
                (folder / subfolder / file).write_bytes(text.text.encode("utf-8"))
                texts.append({"file_name": text.file_name, "path": f"{subfolder}/{file}"})
        entries.append(
            {
                "name": component.name,
                "version": component.version,
                "licence": component.licence,
                "home_page": component.home_page,
                "texts": texts,
            }
        )
    manifest = {"format": MANIFEST_FORMAT, "components": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_folder(folder: Path) -> tuple[BundledComponent, ...]:
    """What ``write_folder`` wrote, in its order. A missing or unreadable manifest gives (); a damaged entry or
    a missing text is left out (and logged), so what is intact can still be shown."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        _log.exception("The licence list %s cannot be read", folder / MANIFEST)
        return ()
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        _log.error("The licence list %s is not one this version of CalfDesk can read", folder / MANIFEST)
        return ()
    entries = manifest.get("components")
    components = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            components.append(_component_from(folder, entry))
        except (KeyError, TypeError, ValueError):
            _log.exception("A damaged entry in the licence list %s was left out", folder / MANIFEST)
    return tuple(components)


def _component_from(folder: Path, entry: Any) -> BundledComponent:
    texts = []
    for text in entry["texts"]:
        file_name, path = _text_field(text, "file_name"), PurePosixPath(_text_field(text, "path"))
        if path.is_absolute() or ".." in path.parts:
            raise ValueError(f"a licence text outside the folder: {path}")
        try:
            texts.append(LicenceText(file_name, folder.joinpath(*path.parts).read_bytes().decode("utf-8")))
        except (OSError, UnicodeDecodeError):
            _log.exception("A licence text of the list in %s is missing or damaged", folder)
    name, version, licence, home_page = (_text_field(entry, key) for key in ("name", "version", "licence", "home_page"))
    return BundledComponent(name, version, licence, home_page, tuple(texts))


def _text_field(entry: Any, key: str) -> str:
    value = entry[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is not text: {value!r}")
    return value


def _safe_file_name(name: str) -> str:
    safe = _UNSAFE_IN_FILE_NAME.sub("_", name).strip("._")[:_LONGEST_FILE_NAME] or "_"
    return f"_{safe}" if safe.split(".")[0].upper() in _WINDOWS_RESERVED else safe


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name`` numbered before its suffix ("LICENSE-2.txt"), unlike every name in ``taken``
    (case ignored); the name chosen is added to ``taken``."""
    stem, dot, suffix = name.partition(".") if "." in name[1:] else (name, "", "")
    chosen, number = name, 1
    while chosen.casefold() in taken:
        number += 1
        chosen = f"{stem}-{number}{dot}{suffix}"
    taken.add(chosen.casefold())
    return chosen
