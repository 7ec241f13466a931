#!/usr/bin/env bash
# The .deb on a clean Debian: a minimal Debian 12 made with debootstrap, the package installed there with
# apt (which fetches only what its Depends name), then the installed CalfDesk run with NO network: the
# version, the owner's set-up, the window's start-up check, an evaluation, an assessment and a letter.
#
#   sudo packaging/clean_machine_check.sh dist/calfdesk_<version>_amd64.deb [WORK_DIR]
#
# Needs root, debootstrap and a Debian mirror for the minimal system and the Depends (so it is a release
# check, not part of `make test`, which must not download). The work folder is removed at the end.
set -euo pipefail

deb=$(realpath "${1:?usage: $0 DEB [WORK_DIR]}")
work=${2:-$(mktemp -d /tmp/calfdesk-clean-XXXXXX)}
mkdir -p "$work"
root=$work/root
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
sample=$repo/tests/workstation/clinical/data/example-assessment.json

((EUID == 0)) || { echo "clean_machine_check: run as root (debootstrap and chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "clean_machine_check: apt-get install debootstrap" >&2; exit 1; }

cleanup() {
    umount -l "$root/proc" "$root/dev" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "a minimal Debian 12 (debootstrap --variant=minbase bookworm)"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; exit 1; }
before=$(chroot "$root" dpkg-query -W -f='${Package}\n' | sort)
echo "$(wc -l <<<"$before") packages"

step "apt install ./$(basename "$deb")"
cp "$deb" "$root/tmp/calfdesk.deb"
chroot "$root" apt-get install -y --no-install-recommends /tmp/calfdesk.deb >"$work/apt.log" 2>&1 ||
    { tail -30 "$work/apt.log"; exit 1; }
after=$(chroot "$root" dpkg-query -W -f='${Package}\n' | sort)
added=$(comm -13 <(echo "$before") <(echo "$after"))
echo "apt added $(wc -l <<<"$added") packages for the Depends: $(tr '\n' ' ' <<<"$added")"

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mkdir -p "$root/home/physio"
cp "$sample" "$root/home/physio/assessment.json"
offline() {
    # No network from here on: a new network namespace has nothing but a loopback that is down.
    unshare --net chroot "$root" /usr/bin/env -i HOME=/home/physio PATH=/usr/bin:/bin LANG=C.UTF-8 \
        QT_QPA_PLATFORM=offscreen CALFDESK_PASSWORD='amber kettle violin 42' "$@"
}

step "calfdesk, offline"
offline calfdesk --version
offline calfdesk init --owner owner --full-name "Pat Owner" | head -1
offline calfdesk --user owner --startup-check
offline calfdesk evaluate /home/physio/assessment.json | head -c 300 && echo " ..."
offline calfdesk --user owner demo --patients 5 --seed 3
patient=$(offline calfdesk --user owner patients list | awk 'NR == 2 {print $1}')
# The document must be this patient's: their date of birth and sex, from the installed app's FHIR export.
offline calfdesk --user owner patient export "$patient" --fhir --out /home/physio/fhir.json
python3 - "$root/home/physio" <<'PY'
import json, sys
folder = sys.argv[1]
bundle = json.load(open(f"{folder}/fhir.json"))
person = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
document = json.load(open(f"{folder}/assessment.json"))
document["patient"].update(date_of_birth=person["birthDate"], sex=person["gender"])
json.dump(document, open(f"{folder}/assessment.json", "w"))
PY
offline calfdesk --user owner assessment import /home/physio/assessment.json --patient "$patient" --impression overload
offline calfdesk --user owner letter "$patient" --template progress --out /home/physio/letter.pdf
ls -l "$root/home/physio/letter.pdf"
step "installed size: $(du -sh "$root/opt/calfdesk" | cut -f1) in /opt/calfdesk; the system is $(du -sh --exclude=proc --exclude=dev "$root" | cut -f1)"
