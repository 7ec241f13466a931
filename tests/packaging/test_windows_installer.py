"""The Windows installer: the NSIS script compiles here with Debian's makensis and keeps its promises.

Only Windows can run the setup program, but what it would do can be checked on Linux: it compiles with
warnings treated as errors, refuses to compile without its defines, carries the bundle into the right places
(7-Zip lists an NSIS installer's files), removes on uninstall exactly what it installed, and never deletes
anything in a user's profile, where the patient database and its backups live.
"""

from __future__ import annotations

import itertools
import re
import shutil
import struct
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPOSITORY = Path(__file__).resolve().parents[2]
WINDOWS = REPOSITORY / "packaging" / "windows"
SCRIPT = WINDOWS / "calfdesk.nsi"
ICON = WINDOWS / "calfdesk.ico"
BUILD_SCRIPT = WINDOWS / "build.ps1"
ICON_SIZES = {16, 24, 32, 48, 64, 128, 256}
# Where a removal may point: the program folder and the two shortcuts. Never a user's profile.
REMOVABLE_ROOTS = ("$INSTDIR\\", "$SMPROGRAMS\\", "$DESKTOP\\")
USER_FOLDERS = ("$APPDATA", "$LOCALAPPDATA", "$PROFILE", "$DOCUMENTS", "$TEMP", "$HOME")
LOCKED_SENTENCE = "Close CalfDesk on this computer, then choose Retry."
# Not "setup.exe": Windows applies its installer compatibility shims by that name (makensis warns, -WX fails).
SETUP_NAME = "calfdesk-test-setup.exe"


def project_version() -> str:
    with (REPOSITORY / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert isinstance(version, str)
    return version


# --- the tools -------------------------------------------------------------------------------------------


def makensis() -> str:
    """The makensis command; its absence is a failure (the installer must be checked), never a skip."""
    found = shutil.which("makensis")
    if not found:
        pytest.fail("makensis is missing: install the Debian package nsis (apt-get install nsis).")
    return found


def seven_zip() -> str:
    """7-Zip, which lists the files inside an NSIS installer and where they would be installed."""
    found = shutil.which("7zz") or shutil.which("7z")
    if not found:
        pytest.fail("7-Zip (7zz) is missing: install the Debian package 7zip (apt-get install 7zip).")
    return found


def test_a_missing_makensis_fails_and_names_the_debian_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match=r"Debian package nsis"):
        makensis()


# --- compiling -------------------------------------------------------------------------------------------


def make_stand_in_bundle(folder: Path) -> Path:
    """A folder shaped like PyInstaller's dist\\calfdesk on Windows, with a nested folder in _internal."""
    bundle = folder / "dist" / "calfdesk"
    (bundle / "_internal" / "PySide6" / "plugins" / "platforms").mkdir(parents=True)
    (bundle / "CalfDesk.exe").write_bytes(b"MZ stand-in for the windowed program")
    (bundle / "calfdesk-cli.exe").write_bytes(b"MZ stand-in for the console program")
    (bundle / "_internal" / "python311.dll").write_bytes(b"MZ stand-in library")
    (bundle / "_internal" / "PySide6" / "plugins" / "platforms" / "qwindows.dll").write_bytes(b"MZ plugin")
    return bundle


def compile_installer(defines: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """makensis with warnings as errors (-WX), printing only warnings and errors (-V2)."""
    command = [makensis(), "-WX", "-V2", *(f"-D{name}={value}" for name, value in defines.items()), str(SCRIPT)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


@dataclass(frozen=True)
class Compiled:
    bundle: Path
    setup: Path


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    folder = tmp_path_factory.mktemp("installer")
    bundle = make_stand_in_bundle(folder)
    setup = folder / "dist" / f"calfdesk-{project_version()}-setup.exe"
    result = compile_installer({"VERSION": project_version(), "BUNDLE_DIR": str(bundle), "OUTFILE": str(setup)})
    assert result.returncode == 0, result.stdout + result.stderr
    return Compiled(bundle, setup)


def test_the_script_compiles_into_a_windows_program(compiled: Compiled) -> None:
    assert compiled.setup.is_file()
    assert compiled.setup.read_bytes()[:2] == b"MZ"


def utf16(text: str) -> bytes:
    """How a string sits in a Windows version resource."""
    return text.encode("utf-16-le")


def test_the_setup_program_carries_the_version(compiled: Compiled) -> None:
    content = compiled.setup.read_bytes()
    version = project_version()
    assert utf16(f"CalfDesk {version} Setup") in content
    assert utf16(four_part(version)) in content


def four_part(version: str) -> str:
    """What the test expects Windows's file version to be: numeric parts, padded with zeros to four."""
    parts = [str(int("".join(itertools.takewhile(str.isdigit, part)) or "0")) for part in version.split(".")[:4]]
    return ".".join(parts + ["0"] * (4 - len(parts)))


@pytest.mark.parametrize(
    ("version", "expected"),
    [("2.3", "2.3.0.0"), ("7", "7.0.0.0"), ("1.2.3.4", "1.2.3.4"), ("0.2.0rc1", "0.2.0.0")],
)
def test_a_short_or_pre_release_version_becomes_four_numbers(tmp_path: Path, version: str, expected: str) -> None:
    assert four_part(version) == expected
    bundle = make_stand_in_bundle(tmp_path)
    setup = tmp_path / SETUP_NAME
    result = compile_installer({"VERSION": version, "BUNDLE_DIR": str(bundle), "OUTFILE": str(setup)})
    assert result.returncode == 0, result.stdout + result.stderr
    content = setup.read_bytes()
    assert utf16(expected) in content
    assert utf16(f"CalfDesk {version} Setup") in content


@pytest.mark.parametrize("missing", ["VERSION", "BUNDLE_DIR", "OUTFILE"])
def test_compiling_without_a_define_fails_and_says_which(tmp_path: Path, missing: str) -> None:
    bundle = make_stand_in_bundle(tmp_path)
    setup = tmp_path / SETUP_NAME
    defines = {"VERSION": "0.1.0", "BUNDLE_DIR": str(bundle), "OUTFILE": str(setup)}
    del defines[missing]
    result = compile_installer(defines)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{missing} is not defined" in output
    assert "makensis -DVERSION=" in output  # and how to call it
    assert not setup.exists()


def test_compiling_against_a_folder_that_is_no_bundle_fails_and_says_why(tmp_path: Path) -> None:
    empty = tmp_path / "not-a-bundle"
    empty.mkdir()
    setup = tmp_path / SETUP_NAME
    result = compile_installer({"VERSION": "0.1.0", "BUNDLE_DIR": str(empty), "OUTFILE": str(setup)})
    assert result.returncode != 0
    assert "has no CalfDesk.exe" in result.stdout + result.stderr
    assert not setup.exists()


def test_a_version_that_is_not_a_number_is_refused(tmp_path: Path) -> None:
    bundle = make_stand_in_bundle(tmp_path)
    result = compile_installer({"VERSION": "latest", "BUNDLE_DIR": str(bundle), "OUTFILE": str(tmp_path / SETUP_NAME)})
    assert result.returncode != 0
    assert "must start with a number" in result.stdout + result.stderr


# --- what it installs --------------------------------------------------------------------------------------


def installed_paths(setup: Path) -> set[str]:
    """The files the setup program writes, relative to the program folder (7-Zip's technical listing)."""
    listing = subprocess.run(
        [seven_zip(), "l", "-slt", str(setup)], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    paths = {line.removeprefix("Path = ") for line in listing.splitlines() if line.startswith("Path = ")}
    paths.discard(str(setup))  # the archive itself comes first
    return {path for path in paths if not path.startswith("$PLUGINSDIR")}  # the installer's own helpers


def test_the_bundle_is_installed_as_it_was_built(compiled: Compiled) -> None:
    bundle_files = {
        path.relative_to(compiled.bundle).as_posix() for path in compiled.bundle.rglob("*") if path.is_file()
    }
    assert installed_paths(compiled.setup) == bundle_files | {"uninstall.exe"}


def test_the_uninstaller_removes_everything_the_installer_puts_in_the_program_folder(compiled: Compiled) -> None:
    top_level = {path.split("/")[0] for path in installed_paths(compiled.setup)}
    removed = {path for _, path in uninstall_removals(parse_script())}
    assert {f"$INSTDIR\\{name}" for name in top_level} <= removed


# --- reading the script ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Script:
    sections: dict[str, list[list[str]]]
    functions: dict[str, list[list[str]]]
    macros: dict[str, list[list[str]]]
    top_level: list[list[str]]
    defines: dict[str, str]


_TOKEN = re.compile(r'"([^"]*)"|\'([^\']*)\'|`([^`]*)`|(\S+)')
_DEFINE = re.compile(r"\$\{(\w+)\}")


def tokens(line: str) -> list[str]:
    return [next(group for group in match.groups() if group is not None) for match in _TOKEN.finditer(line)]


def parse_script() -> Script:
    """The script's sections, functions and macros as lists of tokenised lines, with !define values put in."""
    lines = [line.strip() for line in SCRIPT.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and not line.startswith((";", "#"))]
    defines = {parts[1]: parts[2] for parts in map(tokens, lines) if len(parts) == 3 and parts[0].lower() == "!define"}

    def expand(text: str) -> str:
        for _ in range(10):  # defines that use defines
            text = _DEFINE.sub(lambda match: defines.get(match.group(1), match.group(0)), text)
        return text

    defines = {name: expand(value) for name, value in defines.items()}

    blocks: dict[str, dict[str, list[list[str]]]] = {"section": {}, "function": {}, "!macro": {}}
    ends = {"section": "sectionend", "function": "functionend", "!macro": "!macroend"}
    top_level: list[list[str]] = []
    current: list[list[str]] | None = None
    kind = ""
    for line in lines:
        parts = [expand(part) for part in tokens(line)]
        keyword = parts[0].lower()
        if current is None and keyword in blocks:
            names = [part for part in parts[1:] if not part.startswith("/")]
            kind, current = keyword, []
            blocks[kind][names[0] if names else ""] = current
        elif current is not None and keyword == ends[kind]:
            current = None
        else:
            (current if current is not None else top_level).append(parts)
    return Script(blocks["section"], blocks["function"], blocks["!macro"], top_level, defines)


def instructions(script: Script, block: list[list[str]]) -> Iterator[list[str]]:
    """The block's lines in order, with the functions it calls and the macros it inserts put in place."""
    for parts in block:
        if parts[0] == "Call" and parts[1] in script.functions:
            yield from instructions(script, script.functions[parts[1]])
        elif parts[0] == "!insertmacro" and parts[1] in script.macros:
            yield from instructions(script, script.macros[parts[1]])
        else:
            yield parts


def removal(parts: list[str]) -> tuple[str, str] | None:
    """("Delete" | "RMDir" | "RMDir /r", path) for a line that removes something, else None."""
    command = parts[0].lower()
    if command not in ("delete", "rmdir"):
        return None
    flags = [part for part in parts[1:] if part.startswith("/")]
    path = next(part for part in parts[1:] if not part.startswith("/"))
    name = "Delete" if command == "delete" else "RMDir /r" if "/r" in flags else "RMDir"
    return name, path


def uninstall_removals(script: Script) -> list[tuple[str, str]]:
    """What the uninstaller removes: its section and every uninstaller function, with what they call."""
    blocks = [script.sections["Uninstall"]] + [
        body for name, body in script.functions.items() if name.lower().startswith("un.")
    ]
    return [found for block in blocks for parts in instructions(script, block) if (found := removal(parts))]


def all_removals(script: Script) -> list[tuple[str, str]]:
    every_block = [*script.sections.values(), *script.functions.values(), *script.macros.values()]
    return [found for block in every_block for parts in block if (found := removal(parts))]


def test_the_uninstaller_removes_the_program_and_nothing_in_a_users_profile() -> None:
    script = parse_script()
    removals = uninstall_removals(script)
    for command, path in removals:
        assert path.startswith(REMOVABLE_ROOTS) or (command == "RMDir" and path == "$INSTDIR"), (command, path)
        assert not any(folder.lower() in path.lower() for folder in USER_FOLDERS), (command, path)
    assert {
        ("Delete", "$INSTDIR\\CalfDesk.exe"),
        ("Delete", "$INSTDIR\\calfdesk-cli.exe"),
        ("RMDir /r", "$INSTDIR\\_internal"),
        ("Delete", "$INSTDIR\\uninstall.exe"),
        ("Delete", "$SMPROGRAMS\\CalfDesk.lnk"),
        ("Delete", "$DESKTOP\\CalfDesk.lnk"),
        ("RMDir", "$INSTDIR"),  # only when empty: never /r on a folder someone may have chosen
    } <= set(removals)


def test_no_line_of_the_script_deletes_anything_outside_the_program_and_its_shortcuts() -> None:
    removals = all_removals(parse_script())
    assert removals
    for command, path in removals:
        allowed = path.startswith(REMOVABLE_ROOTS) or (command == "RMDir" and path == "$INSTDIR")
        assert allowed, (command, path)


def test_an_upgrade_removes_the_old_program_files_before_it_copies_the_new_ones() -> None:
    script = parse_script()
    program = list(instructions(script, script.sections["CalfDesk (required)"]))
    steps = [parts[0] for parts in program]
    first_copy = steps.index("File")
    removed_before = {removal(parts) for parts in program[:first_copy]}
    assert {
        ("Delete", "$INSTDIR\\CalfDesk.exe"),
        ("Delete", "$INSTDIR\\calfdesk-cli.exe"),
        ("RMDir /r", "$INSTDIR\\_internal"),
        ("Delete", "$INSTDIR\\uninstall.exe"),
    } <= removed_before
    # A file still in use is reported in plain words with Retry, never skipped in silence.
    assert ["AllowSkipFiles", "off"] in script.top_level
    file_error = next(parts for parts in script.top_level if parts[0] == "FileErrorText")
    assert all(LOCKED_SENTENCE in text for text in file_error[1:3])
    asks = [parts for parts in program if parts[0] == "MessageBox"]
    assert asks and all(LOCKED_SENTENCE in parts[2] and "IDRETRY" in parts for parts in asks)


def test_the_uninstaller_names_the_folder_where_the_app_keeps_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder the uninstaller's pages name is the one platformdirs gives the app on Windows."""
    import platformdirs.windows

    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda _: r"C:\Users\ann\AppData\Local")
    # The same arguments as db/urls.py's data_dir(); joined with "/" on Linux, so written back with "\".
    data_dir = platformdirs.windows.Windows("CalfDesk", "CalfDesk").user_data_dir.replace("/", "\\")
    script = parse_script()
    assert data_dir == "C:\\Users\\ann\\" + script.defines["DATA_FOLDER"]
    confirm_text = script.defines["MUI_UNCONFIRMPAGE_TEXT_TOP"]
    assert script.defines["DATA_FOLDER"] in confirm_text
    assert "NOT removed" in confirm_text


def test_the_build_script_passes_every_define_the_installer_requires() -> None:
    required = {parts[1] for parts in parse_script().top_level if parts[0] == "!ifndef"}
    passed = set(re.findall(r'"-D(\w+)=', BUILD_SCRIPT.read_text(encoding="utf-8")))
    assert required == {"VERSION", "BUNDLE_DIR", "OUTFILE"}
    assert passed == required


# --- the icon ----------------------------------------------------------------------------------------------


def icon_images() -> dict[int, bytes]:
    """Each image of the .ico by its size in pixels (the directory writes 256 as 0)."""
    data = ICON.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    images = {}
    for index in range(count):
        width, height, _, _, planes, bits, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        assert width == height and planes == 1 and bits == 32
        assert offset + size <= len(data)
        images[width or 256] = data[offset : offset + size]
    assert len(images) == count
    return images


def test_the_icon_holds_every_size_windows_uses_and_each_image_decodes(qapp: object) -> None:
    images = icon_images()
    assert set(images) == ICON_SIZES
    for size, payload in images.items():
        assert payload.startswith(b"\x89PNG\r\n\x1a\n"), size
        image = QImage.fromData(payload)
        assert not image.isNull(), size
        assert (image.width(), image.height()) == (size, size)
        # The rounded square: a transparent corner and an opaque middle, so the SVG was really drawn.
        assert image.pixelColor(0, 0).alpha() == 0, size
        assert image.pixelColor(size // 2, size // 2).alpha() == 255, size
