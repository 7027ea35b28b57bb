"""Under pytest-xdist, a test that uses a costly fixture of its own directory or module is kept
on one worker with the others of its directory (tests/conftest.py), so that the fixture is
built once; the fixtures of tests/conftest.py are built once per worker anyway and group nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import uses_a_shared_fixture_of_its_own


@pytest.fixture(scope="module")
def costly() -> object:
    return object()


def test_a_test_using_a_module_fixture_is_kept_with_its_directory(request: pytest.FixtureRequest, costly):
    assert uses_a_shared_fixture_of_its_own(request.node, "tests")
    assert request.node.get_closest_marker("xdist_group").args == ("tests/core",)


def test_the_shared_fixtures_of_the_root_group_nothing(request: pytest.FixtureRequest, key_dir: Path, tmp_path):
    assert not uses_a_shared_fixture_of_its_own(request.node, "tests")
    assert request.node.get_closest_marker("xdist_group") is None
