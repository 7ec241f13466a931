"""Build CalfDesk's offline installer for Debian and Ubuntu: `make package` runs this.

    python packaging/build.py [--dist dist] [--work build/package] [--bundle DIR] [--package-version V]
                              [--compression xz|zstd|none]

1. PyInstaller turns the checkout into a one-folder bundle (``packaging/calfdesk.spec``): Python, Qt, every
   library, the resources, fonts, migrations and the licences of all of it. Nothing is downloaded.
2. The bundle goes under ``/opt/calfdesk`` in a Debian package, with ``/usr/bin/calfdesk``, the menu entry,
   the icon at four sizes and the AppStream metadata. The package has no maintainer scripts: it never runs
   anything as root at install, and never touches the users' data, which lives in each user's home.

It writes ``dist/calfdesk_<version>_<arch>.deb`` and ``dist/package-report.json`` (build times and sizes,
read by ``benchmarks/package.py``). ``--bundle`` packages an existing bundle instead of building one (the
tests use it to make a second, "newer" package from the same bundle cheaply).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
PACKAGE = "calfdesk"
INSTALL_DIR = Path("opt") / PACKAGE
ICON_SIZES = (48, 64, 128, 256)  # beside the scalable SVG, for menus that want a bitmap
METAINFO_ID = "org.calfdesk.calfdesk"

# What a clean Debian or Ubuntu desktop may lack and the bundle cannot carry (TOOLCHAIN.md, measured): the
# OpenGL and EGL drivers (they belong to the machine's graphics stack), the fonts configuration, the keyboard
# tables and the session bus library. The C and C++ runtimes come from the system too (see system_libraries).
DEPENDS = ("libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libdbus-1-3", "libstdc++6")

DESCRIPTION = """\
Clinical workstation for runners with calf pain
 CalfDesk is an offline clinical workstation for physiotherapists who assess and
 treat runners with calf pain, and for sports clubs that screen and track squads:
 an encrypted patient database, a guided assessment with red-flag checks, progress
 charts, letters to the GP as PDF, and squad screening days and dashboards.
 .
 Everything it needs is inside the package; it never needs the internet.
"""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import workstation

    dist, work = args.dist.resolve(), args.work.resolve()
    version = args.package_version or workstation.__version__
    report: dict[str, object] = {"version": version, "app_version": workstation.__version__}

    if args.bundle is None:
        started = time.perf_counter()
        bundle = build_bundle(work)
        report["bundle_seconds"] = round(time.perf_counter() - started, 1)
    else:
        bundle = args.bundle.resolve()
    check_bundle(bundle, workstation.__version__)

    started = time.perf_counter()
    tree = work / "root"
    lay_out_tree(bundle, tree, version)
    deb = dist / f"{PACKAGE}_{version}_{architecture()}.deb"
    build_deb(tree, deb, args.compression)
    report["deb_seconds"] = round(time.perf_counter() - started, 1)
    report.update(
        deb=str(deb),
        compression=args.compression,
        deb_bytes=deb.stat().st_size,
        bundle_bytes=_size_of(bundle),
        installed_kib=installed_size_kib(tree),
    )
    (dist / "package-report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(_summary(report))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description="Build CalfDesk's .deb, offline.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the .deb goes (default: dist)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "package", help="scratch folder")
    parser.add_argument("--bundle", type=Path, default=None, help="package this PyInstaller bundle; build none")
    parser.add_argument("--package-version", default=None, help="the package's version (default: the app's)")
    parser.add_argument(
        "--compression",
        choices=("xz", "zstd", "none"),
        default="xz",
        # xz: about 80 MB and a minute; zstd: about 105 MB in a second, but only dpkg >= 1.21.18 reads it
        # (not Debian 11 or Ubuntu 20.04), so the package for clinics is xz (TOOLCHAIN.md).
        help="dpkg-deb compression (default: xz, which every supported dpkg reads)",
    )
    return parser


# 1. The bundle -------------------------------------------------------------------------------------------


def build_bundle(work: Path) -> Path:
    """Run PyInstaller on the spec; return the bundle folder (``<work>/bundle/calfdesk``)."""
    out = work / "bundle"
    shutil.rmtree(out, ignore_errors=True)
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(out), "--workpath", str(work / "pyinstaller"), str(PACKAGING / "calfdesk.spec"),
    ]  # fmt: skip
    _run(command, "PyInstaller could not build the bundle")
    return out / PACKAGE


def check_bundle(bundle: Path, app_version: str) -> None:
    """The bundle runs and is the version being packaged, before it goes into a package."""
    program = bundle / PACKAGE
    if not program.is_file():
        raise SystemExit(f"build: {program} is missing; is {bundle} a CalfDesk bundle?")
    answer = _run([str(program), "--version"], "the bundle does not start").stdout.strip()
    if answer != f"calfdesk {app_version}":
        raise SystemExit(f"build: the bundle says {answer!r}, expected 'calfdesk {app_version}'")


# 2. The package ------------------------------------------------------------------------------------------


def lay_out_tree(bundle: Path, tree: Path, version: str) -> None:
    """The files as they will be installed, under ``tree``, with DEBIAN/control."""
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(bundle, tree / INSTALL_DIR, symlinks=True)
    binary = tree / "usr" / "bin" / PACKAGE
    binary.parent.mkdir(parents=True)
    # A symlink: PyInstaller's loader finds its _internal folder from its own real path (/proc/self/exe).
    binary.symlink_to(Path("/") / INSTALL_DIR / PACKAGE)

    share = tree / "usr" / "share"
    _copy(PACKAGING / "calfdesk.desktop", share / "applications" / "calfdesk.desktop")
    _copy(PACKAGING / "calfdesk.metainfo.xml", share / "metainfo" / f"{METAINFO_ID}.metainfo.xml")
    icons = share / "icons" / "hicolor"
    _copy(ROOT / "resources" / "calfdesk.svg", icons / "scalable" / "apps" / "calfdesk.svg")
    render_icons(ROOT / "resources" / "calfdesk.svg", {size: icons / f"{size}x{size}" / "apps" / "calfdesk.png"
                                                        for size in ICON_SIZES})  # fmt: skip
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(_copyright(), encoding="utf-8")

    _normalise_modes(tree)
    control = tree / "DEBIAN" / "control"
    control.parent.mkdir(mode=0o755)
    control.write_text(control_file(version, installed_size_kib(tree)), encoding="utf-8")
    control.chmod(0o644)


def control_file(version: str, installed_kib: int) -> str:
    glibc = os.confstr("CS_GNU_LIBC_VERSION") or "glibc 2.36"  # the bundle's libraries need this glibc or newer
    depends = [f"libc6 (>= {glibc.split()[-1]})", *DEPENDS]
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {architecture()}\n"
        "Maintainer: CalfDesk <support@calfdesk.org>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: science\n"
        "Priority: optional\n"
        "Homepage: https://calfdesk.org\n"
        f"Description: {DESCRIPTION}"
    )


def render_icons(svg: Path, targets: dict[int, Path]) -> None:
    """The SVG icon drawn as PNG at each size, by Qt (offscreen: a build machine has no screen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"build: {svg} is not a valid SVG")
    for size, target in targets.items():
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"build: could not write {target}")


def build_deb(tree: Path, deb: Path, compression: str) -> None:
    deb.parent.mkdir(parents=True, exist_ok=True)
    deb.unlink(missing_ok=True)
    env = dict(os.environ)
    # The same checkout gives the same file dates inside the package (reproducible builds).
    env.setdefault("SOURCE_DATE_EPOCH", _commit_time())
    command = ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(tree), str(deb)]
    _run(command, "dpkg-deb could not build the package", env=env)


def installed_size_kib(tree: Path) -> int:
    """What dpkg shows as Installed-Size: each file and link rounded up to a KiB, DEBIAN/ left out."""
    total = 0
    for path in tree.rglob("*"):
        if path.relative_to(tree).parts[0] == "DEBIAN":
            continue
        total += math.ceil(path.lstat().st_size / 1024) if path.is_file() and not path.is_symlink() else 1
    return total


def architecture() -> str:
    return _run(["dpkg", "--print-architecture"], "dpkg is missing").stdout.strip()


def _copyright() -> str:
    return (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: CalfDesk\n\n"
        "Files: *\n"
        "Copyright: CalfDesk\n"
        "License: proprietary\n"
        " All rights reserved.\n\n"
        f"Files: {INSTALL_DIR}/_internal/*\n"
        "Copyright: the authors of each bundled component\n"
        "License: various\n"
        f" Each bundled component's licence is in /{INSTALL_DIR}/_internal/licences/, listed in\n"
        " manifest.json there, and shown in CalfDesk under Help > About CalfDesk.\n"
    )


def _normalise_modes(tree: Path) -> None:
    """Directories 755, files 644, programs 755, whatever the build machine's umask was."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _commit_time() -> str:
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, cwd=ROOT)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else str(int(time.time()))


def _size_of(folder: Path) -> int:
    return sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def _run(command: list[str], failure: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-8000:])
        raise SystemExit(f"build: {failure} ({Path(command[0]).name} exited {result.returncode})")
    return result


def _summary(report: dict[str, object]) -> str:
    mb = 1_000_000
    lines = [f"built {report['deb']}"]
    if "bundle_seconds" in report:
        lines.append(f"  PyInstaller bundle: {report['bundle_seconds']} s")
    lines += [
        f"  package ({report['compression']}): {report['deb_seconds']} s",
        f"  package size: {int(report['deb_bytes']) / mb:.1f} MB",  # type: ignore[call-overload]
        f"  installed size: {int(report['installed_kib']) * 1024 / mb:.1f} MB",  # type: ignore[call-overload]
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
