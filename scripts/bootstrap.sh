#!/usr/bin/env bash
# Prepare this machine and checkout for CalfDesk: system packages, then the .venv.
#
#   scripts/bootstrap.sh run    Qt runtime packages + .venv   (enough for `make run`)
#   scripts/bootstrap.sh test   the above + PostgreSQL, Xvfb, poppler (for tests, benches, screenshots)
#                               + the packaging tools (the suite builds and installs the .deb)
#   scripts/bootstrap.sh package  the Qt runtime packages + the packaging tools + .venv (for `make package`)
#
# Idempotent, and meant to be cheap when nothing is missing (every make target calls it):
# one dpkg-query call and one sha256sum, no network.
set -euo pipefail

usage() {
    echo "usage: $0 run|test|package" >&2
    exit 2
}
[[ $# -eq 1 ]] || usage
mode=$1
[[ $mode == run || $mode == test || $mode == package ]] || usage

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$repo_root"

# Two bootstraps of the same checkout at once (e.g. `make -j`, or two terminals) would run pip
# into the same .venv concurrently. Serialise them on a lock held on this script file itself.
exec 9<"${BASH_SOURCE[0]}"
flock 9

log() { echo "bootstrap: $*" >&2; }
die() {
    echo "bootstrap: ERROR: $*" >&2
    exit 1
}

# ---------------------------------------------------------------------------------------------------
# System packages
# ---------------------------------------------------------------------------------------------------

# Qt (PySide6-Essentials wheels) on the offscreen platform needs the first six; the xcb ones are what
# the on-screen "xcb" platform plugin loads (Qt's error about libxcb-cursor0 covers any of them).
runtime_pkgs=(
    libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0
    fonts-dejavu-core
)
# postgresql: server binaries for scripts/with_postgres.sh; xvfb/xauth: xvfb-run for screenshots;
# poppler-utils: pdftoppm, to look at generated PDFs; desktop-file-utils: desktop-file-validate for
# packaging/calfdesk.desktop; openssl: the test server's throwaway TLS certificates.
test_pkgs=(postgresql xvfb xauth poppler-utils desktop-file-utils openssl)
# binutils: PyInstaller reads the libraries' dependencies with objdump; dpkg: dpkg-deb builds the package;
# util-linux: unshare, which builds and runs it with no network; appstream: appstreamcli validates the
# AppStream metadata; nsis: makensis compiles the Windows installer script (the suite checks that it does);
# 7zip: 7zz lists what that installer would put where (its tests read it back).
package_pkgs=(binutils dpkg util-linux appstream desktop-file-utils nsis 7zip)

wanted=("${runtime_pkgs[@]}")
[[ $mode == test ]] && wanted+=("${test_pkgs[@]}" "${package_pkgs[@]}")
[[ $mode == package ]] && wanted+=("${package_pkgs[@]}")

# One dpkg-query for all packages. It prints nothing (and complains on stderr) for packages it
# has never heard of, and a Status of "<want> <flag> <state>" for the others: only the state
# "installed" counts (not "config-files", "half-installed", ...).
declare -A installed=()
while read -r pkg _want _flag state; do
    [[ $state == installed ]] && installed[$pkg]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null || true)

missing=()
for pkg in "${wanted[@]}"; do
    [[ -n ${installed[$pkg]:-} ]] || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
    if ((EUID != 0)); then
        echo "bootstrap: missing system packages: ${missing[*]}" >&2
        echo "bootstrap: install them with:" >&2
        echo "sudo apt-get install -y --no-install-recommends ${missing[*]}"
        if [[ " ${missing[*]} " == *" postgresql "* ]]; then
            echo "bootstrap: (first, to keep Debian from creating and starting a system cluster:" \
                "echo 'create_main_cluster = false' | sudo tee -a /etc/postgresql-common/createcluster.conf)" >&2
        fi
        exit 1
    fi

    if [[ " ${missing[*]} " == *" postgresql "* ]]; then
        # The tests start their own throwaway cluster; Debian would otherwise create and start a
        # "main" cluster on port 5432 as a side effect of the install.
        conf=/etc/postgresql-common/createcluster.conf
        mkdir -p /etc/postgresql-common
        if [[ -f $conf ]] && grep -Eq '^[[:space:]]*create_main_cluster[[:space:]]*=' "$conf"; then
            sed -i -E 's/^[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' "$conf"
        else
            echo 'create_main_cluster = false' >>"$conf"
        fi
    fi

    log "installing system packages: ${missing[*]}"
    apt_log=$(mktemp)
    # force-confold / UCF_FORCE_CONFFOLD: keep our createcluster.conf rather than stop at a prompt.
    if ! {
        apt-get update &&
            DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install -y --no-install-recommends \
                -o DPkg::Lock::Timeout=300 \
                -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
                "${missing[@]}"
    } >"$apt_log" 2>&1; then
        tail -n 40 "$apt_log" >&2
        rm -f "$apt_log"
        die "apt-get failed (last lines above)"
    fi
    rm -f "$apt_log"
fi

# ---------------------------------------------------------------------------------------------------
# Python virtual environment
# ---------------------------------------------------------------------------------------------------

venv=.venv
stamp=$venv/.calfdesk-stamp
constraints=requirements/constraints.txt

# A venv whose interpreter no longer runs (base Python removed or upgraded) is rebuilt from scratch.
if ! "$venv/bin/python" -c '' 2>/dev/null; then
    command -v python3 >/dev/null || die "python3 not found; CalfDesk needs Python >= 3.11"
    if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        die "python3 is $(python3 -c 'import platform; print(platform.python_version())'), CalfDesk needs >= 3.11" \
            "(put a newer python3 first on PATH, e.g. with pyenv or Debian's python3.11)"
    fi
    log "creating $venv with $(command -v python3) ($(python3 -V 2>&1))"
    python3 -m venv --clear "$venv" ||
        die "python3 -m venv failed (on Debian/Ubuntu the system python needs: apt-get install python3-venv)"
fi

# The stamp records what the venv was installed from; any change to those files means reinstall.
stamp_inputs=(pyproject.toml)
pip_args=(-e '.[dev,package]')
if [[ -f $constraints ]]; then
    stamp_inputs+=("$constraints")
    pip_args+=(-c "$constraints")
fi
# The editable install maps the top-level packages that existed when it ran: a new one needs a reinstall.
want_stamp="$(sha256sum "${stamp_inputs[@]}")
packages: $(printf '%s ' */__init__.py)"

if [[ ! -f $stamp || "$(<"$stamp")" != "$want_stamp" ]]; then
    log "installing CalfDesk and its dev tools into $venv (pip install ${pip_args[*]})"
    pip_log=$(mktemp)
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input "${pip_args[@]}" \
        >"$pip_log" 2>&1; then
        cat "$pip_log" >&2
        rm -f "$pip_log"
        rm -f "$stamp" # never leave a stamp that claims a good install
        die "pip install failed (output above)"
    fi
    rm -f "$pip_log"
    printf '%s\n' "$want_stamp" >"$stamp"
fi
