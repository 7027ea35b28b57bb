"""Layout on a phone (375 px) and a desktop (1366 px): the pages the crawler reaches for a
few roles must not scroll sideways (a table may, inside its ``.table-responsive`` scroller)
and no form control may be narrower than its own text. Screenshots of each role's home page,
the household list with its filters, a household with its history and the audit trail are
kept in test-artifacts/ for a person to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.support import log_in
from tests.core.crawl import crawl

# Layout and screenshots are the browser's and the templates', whatever database served the page.
pytestmark = [pytest.mark.browser, pytest.mark.one_backend]

WIDTHS = {"phone": 375, "desktop": 1366}
ROLES = ("zhen", "shuji", "xczx", "jiwei")

# Controls whose text does not fit: an input's value or placeholder, a button's label, or the
# chosen option of a select (measured in the select's own font, less its padding and arrow).
CRAMPED = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const out = [];
  for (const el of document.querySelectorAll('main input, main select, main button, header button')) {
    const box = el.getBoundingClientRect();
    // Controls in a closed <details> or a folded menu are not on the screen.
    if (!box.width || !el.checkVisibility({visibilityProperty: true})) continue;
    if (['hidden', 'checkbox', 'radio', 'file'].includes(el.type)) continue;
    let needed = el.scrollWidth, has = el.clientWidth;
    if (el.tagName === 'SELECT') {
      const style = getComputedStyle(el);
      canvas.font = style.font;
      const text = el.selectedOptions.length ? el.selectedOptions[0].text : '';
      needed = canvas.measureText(text).width;
      has = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    } else if (el.tagName === 'INPUT' && !el.value && el.placeholder) {
      const style = getComputedStyle(el);
      canvas.font = style.font;
      needed = canvas.measureText(el.placeholder).width;
      has = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    }
    const text = (el.value || el.placeholder || el.textContent || '').trim().slice(0, 40);
    const what = `${el.tagName.toLowerCase()}[name=${el.name || ''}] "${text}"`;
    if (needed > has + 1) out.push(`${what} needs ${Math.ceil(needed)}px, has ${Math.floor(has)}px`);
  }
  return out;
}"""


def pages_of(page: Page, limit: int = 40) -> list[str]:
    """The crawler's pages for the signed-in account, fetched over HTTP with its cookies."""

    def get(url: str) -> tuple[int, str]:
        response = page.request.get(url)
        return response.status, response.text()

    return crawl(get, "zh_CN").visited[:limit]


def layout_problems(page: Page, width: int) -> list[str]:
    problems = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{page.url}: {scroll}px wide on a {width}px screen")
    problems += [f"{page.url}: {p}" for p in page.evaluate(CRAMPED)]
    return problems


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("username", ROLES)
def test_pages_fit_the_screen_and_their_controls_fit_their_text(open_page, shot, username, width_name):
    width = WIDTHS[width_name]
    page = open_page(
        viewport={"width": width, "height": 900}, **({"is_mobile": True, "has_touch": True} if width < 600 else {})
    )
    log_in(page, username)
    shot(page, "home")
    problems = []
    for url in pages_of(page):
        page.goto(url)
        problems += layout_problems(page, width)
        path = url.split("?")[0]
        if path != url:
            continue  # a filtered view would replace the screenshot of the page itself
        if path == "/registry/households":
            shot(page, "households")
        elif re.fullmatch(r"/registry/households/\d{6}/\d+", path):  # one household, by county and id
            shot(page, "household")
        elif path == "/audit":
            shot(page, "audit")
    assert not problems, "\n".join(problems)
