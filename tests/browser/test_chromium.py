"""Without chromium the browser tests are skipped on a developer's machine, but fail in CI
(``CI`` set), where a skip would hide that they never ran."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.browser.conftest import require_chromium


def test_a_missing_chromium_fails_the_browser_tests_in_ci(tmp_path: Path):
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require_chromium(str(tmp_path / "chromium"), ci=True)


def test_a_missing_chromium_skips_them_elsewhere(tmp_path: Path):
    with pytest.raises(pytest.skip.Exception, match="no chromium at"):
        require_chromium(str(tmp_path / "chromium"), ci=False)


def test_a_present_chromium_is_accepted_in_ci():
    require_chromium(sys.executable, ci=True)
