"""What the browser tests share: the served site, logging in, translations, layout checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect
from sqlalchemy.orm import Session

from zhucun.config import Settings
from zhucun.core.db import Database
from zhucun.core.i18n import gettext, use_locale
from zhucun.core.scope import Scope, bind
from zhucun.demo.accounts import DEMO_PASSWORD

PHONE_WIDTH = 375
PHONE = {
    "viewport": {"width": PHONE_WIDTH, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 1,
}
# WCAG 2.2, 2.5.8 "Target Size (Minimum)": 24 × 24 CSS pixels.
MIN_TARGET_PX = 24


@dataclass
class Site:
    url: str
    db: Database
    settings: Settings

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A committed session on the served database that sees everything."""
        with self.db.begin() as session:
            bind(session, Scope.everywhere())
            yield session


def t(message: Any, locale: str = "zh_CN") -> str:
    """A message (an id or a lazy string) as the catalogs translate it."""
    with use_locale(locale):
        return gettext(message) if isinstance(message, str) else str(message)


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD, *, query: str = "") -> None:
    """Fill in and submit the login form (without checking where it leads)."""
    page.goto(f"/login{query}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_test_id("login-submit").click()


def press(locator: Locator) -> None:
    """Tap on a touch screen, click elsewhere."""
    if locator.page.evaluate("matchMedia('(pointer: coarse)').matches"):
        locator.tap()
    else:
        locator.click()


def assert_fits(page: Page, width: int = PHONE_WIDTH) -> None:
    """Nothing on the page is wider than the screen (no sideways scrolling)."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide on a {width}px screen"


def assert_targets(locator: Locator, minimum: int = MIN_TARGET_PX) -> None:
    """Every matching element is big enough to hit with a finger."""
    boxes = locator.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.textContent.trim(), Math.round(r.width), Math.round(r.height)]; })"
    )
    assert boxes, "no targets to check"
    small = [box for box in boxes if box[1] < minimum or box[2] < minimum]
    assert not small, f"targets smaller than {minimum}px: {small[:5]}"


def assert_one_line(locator: Locator) -> None:
    """The element's label is not broken over several lines (as a squeezed button's would be)."""
    lines = locator.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert lines == 1, f"{locator} wraps onto {lines} lines"


_CONTRAST = """el => {
  const rgba = c => { const v = c.match(/[\\d.]+/g).map(Number); return v.length === 3 ? [...v, 1] : v; };
  const luminance = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let background = [255, 255, 255, 1];
  for (let node = el; node; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) { background = c; break; }
  }
  const [a, b] = [luminance(rgba(getComputedStyle(el).color)), luminance(background)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def assert_legible(locator: Locator, minimum: float = 4.5) -> None:
    """The element's text contrasts with the background behind it (WCAG AA: 4.5:1)."""
    expect(locator).to_be_visible()
    ratio = locator.evaluate(_CONTRAST)
    assert ratio >= minimum, f"{locator} has a contrast of {ratio:.2f}:1"


def csrf_of(page: Page) -> str:
    """The session's CSRF token, as the logout form carries it."""
    return page.locator("form[action='/logout'] input[name=csrf_token]").get_attribute("value") or ""
