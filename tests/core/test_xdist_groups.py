"""Under pytest-xdist, a test that uses a costly fixture of its own directory or module is kept
on one worker with the others of its directory (tests/conftest.py), so that the fixture is
built once; the fixtures of tests/conftest.py are built once per worker anyway and group nothing."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from _pytest.nodeid import coerce_node_id

from tests.conftest import name_the_groups, uses_a_shared_fixture_of_its_own


@pytest.fixture(scope="module")
def costly() -> object:
    return object()


def test_a_test_using_a_module_fixture_is_kept_with_its_directory(request: pytest.FixtureRequest, costly):
    assert uses_a_shared_fixture_of_its_own(request.node, "tests")
    assert request.node.get_closest_marker("xdist_group").args == ("tests/core",)


def test_the_shared_fixtures_of_the_root_group_nothing(request: pytest.FixtureRequest, key_dir: Path, tmp_path):
    assert not uses_a_shared_fixture_of_its_own(request.node, "tests")
    assert request.node.get_closest_marker("xdist_group") is None


class FakeItem:
    def __init__(self, nodeid: str, group: str | None):
        self._id = coerce_node_id(nodeid)
        self.marks = [pytest.mark.xdist_group(group).mark] if group else []

    @property
    def nodeid(self) -> str:
        return str(self._id)

    def iter_markers(self, name: str):
        return iter(self.marks if name == "xdist_group" else [])


def test_a_grouped_tests_id_names_its_group_for_the_scheduler_once():
    """The loadgroup scheduler reads a test's group from its id (``…@group``): pytest-xdist 3.8
    writes it where pytest 9 no longer looks, so tests/conftest.py writes it itself."""
    grouped, alone = FakeItem("tests/x/test_a.py::test_a[1]", "tests/x"), FakeItem("tests/x/test_a.py::test_b", None)
    config = SimpleNamespace(option=SimpleNamespace(loadgroup=True))
    name_the_groups(config, [grouped, alone])
    name_the_groups(config, [grouped, alone])
    assert (grouped.nodeid, alone.nodeid) == ("tests/x/test_a.py::test_a[1]@tests/x", "tests/x/test_a.py::test_b")


def test_under_loadgroup_this_very_test_carries_its_group(request: pytest.FixtureRequest, costly):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not on a worker of a --dist loadgroup run")
    assert request.node.nodeid.endswith("@tests/core")
