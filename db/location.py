"""Where a SQLite file may live.

SQLite's locking and WAL need a local file system: on a network share or in a folder that a sync client
copies behind SQLite's back, the file can be corrupted (sqlite.org "How To Corrupt", "WAL does not work
over a network filesystem"). Such places are refused, and a clinic that shares data is pointed to
PostgreSQL (RELIABILITY.md A5).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from workstation.errors import UnsafeDatabaseLocation

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "9p", "ncpfs", "davfs", "ceph", "glusterfs",
     "lustre", "gpfs", "beegfs", "sshfs", "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse",
     "fuse.davfs2", "fuse.gvfsd-fuse", "fuse.glusterfs", "fuse.cephfs", "fuse.onedriver", "fuse.google-drive-ocamlfuse"}
)  # fmt: skip

# Folder names that desktop sync clients create; a database under one of them is copied while open.
CLOUD_SYNC_FOLDERS = (
    "onedrive", "dropbox", "google drive", "googledrive", "my drive", "icloud drive", "iclouddrive",
    "mobile documents", "cloudstorage", "box", "box sync", "pcloud drive", "nextcloud", "owncloud",
    "mega", "megasync", "sync.com", "tresorit", "seadrive", "yandex.disk", "insync",
)  # fmt: skip

_ADVICE = (
    "Keep the CalfDesk database on this computer's own disk. To share records between several "
    "workstations, use a PostgreSQL server (see docs/postgresql.md)."
)


@dataclass(frozen=True, slots=True)
class Mount:
    mount_point: str
    fs_type: str


def parse_mounts(text: str) -> list[Mount]:
    """Mounts from /proc/self/mounts text (octal escapes such as \\040 for a space decoded)."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            point = fields[1].encode().decode("unicode_escape")
            mounts.append(Mount(point, fields[2].lower()))
    return mounts


def filesystem_of(path: PurePath, mounts: list[Mount]) -> str | None:
    """The type of the file system holding ``path``: the longest mount point that contains it."""
    best: Mount | None = None
    for mount in mounts:
        point = PurePath(mount.mount_point)
        if (path == point or point in path.parents) and (
            best is None or len(mount.mount_point) > len(best.mount_point)
        ):
            best = mount
    return best.fs_type if best else None


def unsafe_location_reason(path: PurePath, mounts: list[Mount]) -> str | None:
    """Why ``path`` is no place for a SQLite database, or None when it is fine."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return "The database file is on a network share."
    fs_type = filesystem_of(path, mounts)
    if fs_type and (fs_type in NETWORK_FILESYSTEMS or (fs_type.startswith("fuse.") and fs_type != "fuse.portal")):
        return f"The database file is on a network or remote file system ({fs_type})."
    for part in path.parts:
        lowered = part.lower()
        if any(lowered == name or lowered.startswith(name + " -") for name in CLOUD_SYNC_FOLDERS):
            return f"The database file is inside a cloud-sync folder ({part})."
    return None


def refuse_unsafe_location(path: Path) -> None:
    """Raise UnsafeDatabaseLocation for a network share or a cloud-sync folder."""
    try:
        mounts = parse_mounts(Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        mounts = []  # not Linux: only the path rules apply
    reason = unsafe_location_reason(path.resolve(), mounts)
    if reason:
        raise UnsafeDatabaseLocation(reason, hint=_ADVICE)
