"""The licences of the operating system's libraries that PyInstaller copies into a Linux bundle.

PyInstaller bundles the shared libraries that Qt's plugins and the wheels' extensions link against, such as
libcups for printing or libglib, whenever they are not already inside a wheel. They come from this build
machine's Debian packages, so each one's licence is that package's ``/usr/share/doc/<package>/copyright``.
Used by ``calfdesk.spec``; run alone (``python packaging/system_libraries.py LIB...``) it prints the packages.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

# The libraries every Linux desktop has and that must come from the system, never from the bundle:
# glibc (PyInstaller never bundles it) and the C++ runtime. A bundled libstdc++ older than the system's
# stops Mesa's OpenGL drivers from loading on newer distributions (they need the newer GLIBCXX symbols).
FROM_THE_SYSTEM = re.compile(r"^(libstdc\+\+\.so|libgcc_s\.so)")

# Qt's GTK 3 platform theme loads the system's GTK, which needs a newer GLib than the one bundled beside
# it: on a newer desktop it fails or crashes. Qt falls back to its own theme, which CalfDesk styles anyway.
UNWANTED_PLUGINS = ("platformthemes/libqgtk3.so",)


def is_system_library(source: str) -> bool:
    """A file from the operating system (not from a wheel, the venv or Python's own installation)."""
    path = Path(source)
    return path.parts[:2] in {("/", "lib"), ("/", "lib64"), ("/", "usr")} and "site-packages" not in path.parts


def needed_names(path: str) -> set[str]:
    """The libraries an ELF file names as DT_NEEDED (``objdump -p``, from binutils, as PyInstaller uses)."""
    result = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=False)
    return set(re.findall(r"^\s*NEEDED\s+(\S+)", result.stdout, flags=re.MULTILINE))


def without_orphans(entries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``entries`` (PyInstaller's binaries) less the system libraries that nothing left in it needs.

    Dropping a plugin (UNWANTED_PLUGINS) leaves behind the libraries only it linked against (GTK, Cairo,
    Pango, ...); each round removes the system libraries no remaining file names, until none is left over.
    Only system libraries are ever removed: a wheel's own files and Qt's plugins stay whatever they need.
    """
    needs = {entry[0]: needed_names(entry[1]) for entry in entries}
    kept = list(entries)
    while True:
        wanted = set().union(*(needs[entry[0]] for entry in kept))
        orphans = [e for e in kept if is_system_library(e[1]) and Path(e[0]).name not in wanted]
        if not orphans:
            return kept
        kept = [entry for entry in kept if entry not in orphans]


def debian_packages(sources: Iterable[str]) -> dict[str, str]:
    """Each system library's Debian package, by the library's path (`dpkg -S`, one call for all)."""
    wanted = sorted({str(Path(source).resolve()) for source in sources})
    if not wanted:
        return {}
    # Debian 12 merged /lib into /usr/lib, but dpkg still knows many files by their /lib path: ask for both.
    asked = wanted + [re.sub(r"^/usr/lib/", "/lib/", path) for path in wanted if path.startswith("/usr/lib/")]
    result = subprocess.run(["dpkg", "-S", *asked], capture_output=True, text=True, check=False)
    owners: dict[str, str] = {}
    for line in result.stdout.splitlines():
        package, _, path = line.partition(": ")
        path = re.sub(r"^/lib/", "/usr/lib/", path.strip())
        owners.setdefault(path, package.split(":")[0].split(",")[0].strip())
    missing = [path for path in wanted if path not in owners]
    if missing:
        raise SystemExit(f"No Debian package owns these bundled libraries, so their licences are unknown: {missing}")
    return owners


def package_version(package: str) -> str:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def copyright_text(package: str) -> str:
    path = Path("/usr/share/doc") / package / "copyright"
    if not path.is_file():
        raise SystemExit(f"The Debian package {package} has no {path}: its bundled library's licence is unknown.")
    return path.read_text(encoding="utf-8", errors="replace")


def licence_names(copyright: str) -> str:
    """The licences a machine-readable copyright file names (DEP-5 ``License:`` lines), or a pointer."""
    names: list[str] = []
    for match in re.finditer(r"^License:[ \t]*(\S[^\n]*)", copyright, flags=re.MULTILINE):
        name = match.group(1).strip()
        if name not in names:
            names.append(name)
    return ", ".join(names[:4]) + (" and others" if len(names) > 4 else "") if names else "see the copyright text"


if __name__ == "__main__":
    for path, package in sorted(debian_packages(sys.argv[1:]).items()):
        print(f"{package}\t{package_version(package)}\t{path}")
