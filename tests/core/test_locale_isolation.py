"""A locale set by one test (a CLI run under ``ZHUCUN_LANG=en`` sets it on its thread)
does not reach the next test: lazy labels read outside a request would speak the wrong language.
The two tests run in this order on one worker (same xdist group, file order)."""

from __future__ import annotations

import pytest

from zhucun.core.i18n import DEFAULT_LOCALE, _l, current_locale, set_locale

pytestmark = pytest.mark.xdist_group("locale-isolation")


def test_a_test_that_sets_the_locale_of_its_thread():
    set_locale("en")  # as zhucun.cli.main() and the CLI's callback do when run without a copied context
    assert str(_l("Helpers over the cap")) == "Helpers over the cap"


def test_the_next_test_starts_in_the_default_locale():
    assert current_locale() == DEFAULT_LOCALE
    assert str(_l("Helpers over the cap")) == "超出帮扶户数上限的责任人"
