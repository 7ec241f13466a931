"""A SQLite file on a network share or in a cloud-sync folder is refused (RELIABILITY.md A5)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from db.location import parse_mounts, unsafe_location_reason
from tests import dbkit
from workstation.errors import UnsafeDatabaseLocation

MOUNTS = parse_mounts(
    """\
/dev/vda1 / ext4 rw,relatime 0 0
server:/export /mnt/clinic nfs4 rw 0 0
//nas/physio /mnt/nas cifs rw 0 0
me@host:/srv /home/me/remote fuse.sshfs rw 0 0
/dev/sdb1 /media/usb\\040stick vfat rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""
)

REFUSED = [
    "/mnt/clinic/calfdesk.sqlite3",
    "/mnt/nas/records/calfdesk.sqlite3",
    "/home/me/remote/calfdesk.sqlite3",
    "//nas/physio/calfdesk.sqlite3",
    "/home/me/OneDrive/calfdesk.sqlite3",
    "/home/me/OneDrive - Leith Physio Ltd/calfdesk.sqlite3",
    "/home/me/Dropbox/clinic/calfdesk.sqlite3",
    "/home/me/Google Drive/calfdesk.sqlite3",
    "/Users/me/Library/CloudStorage/GoogleDrive-me@example.org/My Drive/calfdesk.sqlite3",
    "/Users/me/Library/Mobile Documents/com~apple~CloudDocs/calfdesk.sqlite3",
    "/home/me/Nextcloud/calfdesk.sqlite3",
    "/home/me/pCloud Drive/calfdesk.sqlite3",
]
ALLOWED = [
    "/home/me/.local/share/CalfDesk/calfdesk.sqlite3",
    "/media/usb stick/calfdesk.sqlite3",
    "/tmp/calfdesk.sqlite3",
    "/home/me/Documents/Dropboxes-are-not-this/calfdesk.sqlite3",
]


@pytest.mark.parametrize("path", REFUSED)
def test_network_and_cloud_sync_locations_are_refused(path: str) -> None:
    assert unsafe_location_reason(PurePosixPath(path), MOUNTS) is not None


@pytest.mark.parametrize("path", ALLOWED)
def test_local_locations_are_allowed(path: str) -> None:
    assert unsafe_location_reason(PurePosixPath(path), MOUNTS) is None


def test_opening_in_a_sync_folder_suggests_postgresql(tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    with pytest.raises(UnsafeDatabaseLocation) as raised:
        dbkit.open_store(f"sqlite:///{folder / 'calfdesk.sqlite3'}")
    assert "cloud-sync folder" in raised.value.message
    assert "PostgreSQL" in raised.value.hint
    assert not (folder / "calfdesk.sqlite3").exists()
