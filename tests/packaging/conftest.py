"""One real build of the package for the whole packaging suite (PyInstaller and xz: a few minutes)."""

from __future__ import annotations

import pytest

from tests.packaging.deb import Built, build_package


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("package")
    return build_package(base / "dist", base / "work")
