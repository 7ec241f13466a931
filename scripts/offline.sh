#!/usr/bin/env bash
# Run a command with no network: in a new network namespace, which has nothing but a loopback that is down.
#
#   scripts/offline.sh COMMAND [ARGS...]
#
# As root this is `unshare --net`; otherwise `unshare --map-current-user --net` where the kernel allows
# user namespaces. CALFDESK_REQUIRE_OFFLINE=1 (set by the tests) makes a machine that allows neither a
# failure; otherwise the command runs as it is, with a note, because nothing it runs downloads anyway.
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

if unshare --net true 2>/dev/null; then
    exec unshare --net -- "$@"
elif unshare --map-current-user --net true 2>/dev/null; then
    exec unshare --map-current-user --net -- "$@"
elif [[ ${CALFDESK_REQUIRE_OFFLINE:-} == 1 ]]; then
    echo "offline.sh: cannot make a network namespace here (unshare from util-linux, as root or with user namespaces)" >&2
    exit 1
fi
echo "offline.sh: no network namespace available here; running with the network as it is" >&2
exec "$@"
