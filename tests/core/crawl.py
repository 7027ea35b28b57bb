"""A crawler over the pages a signed-in account can reach: from the home page and the
navigation, following links within the app, one page per kind of address (``/registry/
households/{id}`` once, not 50,000 times), so that a page a mechanism adds is covered by
itself as soon as something links to it.

It reads each page as a clerk would read it and reports what a clerk should not see: a raw
12-digit division code, a zero-padded catalogue code (``02`` where 户主 belongs), an internal
id shown as a link's whole text. Codes are allowed inside an element of class ``code`` — the
markup for a code shown beside its name on purpose. And a list — a table with a filter bar (a
GET form that filters this very page, not a form that reveals a phone number), an export or a
next page — must show its total (an element of class ``total``, as the ``list_total`` macro
writes it). Table cells, definitions and a select's choices are read against the catalogues:
a cell that is a code of a catalogue whose labels the page shows elsewhere (``in_law`` on a page
that says 配偶), or a bare number under a heading that names a code (城乡分类代码 "220"), is a
code where its label belongs. Exports (``…/export.xlsx``, ``….csv``, a statement) are files, not
pages: the crawl collects one of each kind in ``Crawl.files`` for the caller to download, and a
page that answers something other than HTML is counted as a file too."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from zhucun.core.naming import CATALOGUES

# Addresses a crawl does not open: files, the API, the way out, and forms' targets.
SKIP = re.compile(
    r"^/(api/|static/|logout|login|account/password|healthz|openapi|docs)|/export\.|\.(csv|xlsx)$|/statement$"
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
DIVISION_CODE = re.compile(r"(?<![\d*])\d{12}(?![\d*])")
CATALOGUE_CODE = re.compile(r"^0\d{1,2}$")
EXPORT = re.compile(r"/export\.|\.(csv|xlsx)(\?|$)")
FILE = re.compile(r"/export\.|\.(csv|xlsx)$|/statement$")
# A heading of a column or a definition that announces a code ("城乡分类代码", "Urban-rural code").
CODE_HEADING = re.compile(r"代码|编码|\bcode\b", re.IGNORECASE)
BARE_NUMBER = re.compile(r"^\d{2,}$")


def kind_of(path: str) -> str:
    """``/registry/households/123/edit`` → ``/registry/households/{}/edit``."""
    return re.sub(r"/\d+(?=/|$)", "/{}", path)


@dataclass
class Finding:
    url: str
    problem: str


class Reader(HTMLParser):
    """Collects the links of a page, the text a reader sees outside ``.code`` elements, and the
    cells (table cells, definitions, a select's choices) with the heading each stands under."""

    def __init__(self, path: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.links: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[tuple[str, str]] = []  # (enclosing tag, text) outside .code
        self.cells: list[tuple[str, str, str]] = []  # (tag, heading, text) of td/dd/option
        self.link_texts: list[tuple[str, str]] = []
        self._link: list[str] | None = None
        self._href = ""
        self.tables = 0
        self.totals = 0
        self.list_signs: list[str] = []  # what makes the page a list: a filter bar, an export, a pager
        self._headings: list[str] = []  # the current table's column headings
        self._column = 0
        self._body = False  # a td seen: a th from here on heads a row, not a column
        self._cell: tuple[str, str, list[str]] | None = None  # (tag, heading, its text so far)
        self._dt: list[str] | None = None
        self._term = ""

    def _hidden(self) -> bool:
        return any(code for _, code in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
            self._link, self._href = [], values["href"] or ""
        classes = (values.get("class") or "").split()
        self._note_list(tag, values, classes)
        self._note_cell(tag, classes)
        if tag in VOID:
            return
        # Scripts, styles and the choices of a select are not read as page text.
        quiet = "code" in classes or tag in ("script", "style", "code", "option", "textarea")
        self.stack.append((tag, quiet))

    def _note_list(self, tag: str, values: dict[str, str | None], classes: list[str]) -> None:
        self.tables += tag == "table"
        self.totals += "total" in classes
        if tag == "form" and self._filters_this_page(values):
            self.list_signs.append("a filter bar")
        elif tag == "a" and (values.get("data-testid") == "next-page" or EXPORT.search(values.get("href") or "")):
            self.list_signs.append("an export or a next page")

    def _filters_this_page(self, form: dict[str, str | None]) -> bool:
        """A filter bar: a plain GET form that reloads this page with its query. A form that
        posts through HTMX (a phone reveal) or leads elsewhere (a search box in the header) is not."""
        if (form.get("method") or "get").lower() != "get" or any(
            form.get(f"hx-{verb}") for verb in ("post", "put", "patch", "delete")
        ):
            return False
        action = urlsplit(form.get("action") or "").path
        return not action or action == self.path

    def _note_cell(self, tag: str, classes: list[str]) -> None:
        if tag == "table":
            self._headings, self._body = [], False
        elif tag == "tr":
            self._column = 0
        elif tag == "th":
            self._column += 1
            self._cell = ("th", "", [])
        elif tag == "dt":
            self._dt = []
        elif tag in ("td", "dd", "option") and "code" not in classes and not self._hidden():
            self._column += tag == "td"
            self._body = self._body or tag == "td"
            heading = self._term if tag == "dd" else ""
            if tag == "td" and 0 < self._column <= len(self._headings):
                heading = self._headings[self._column - 1]
            self._cell = (tag, heading, [])

    def _end_cell(self, tag: str) -> None:
        if tag == "dt" and self._dt is not None:
            self._term, self._dt = "".join(self._dt).strip(), None
        if self._cell is None or self._cell[0] != tag:
            return
        kind, heading, parts = self._cell
        text = " ".join("".join(parts).split())
        if kind == "th":
            if not self._body:
                self._headings.append(text)
        elif text:
            self.cells.append((kind, heading, text))
        self._cell = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.link_texts.append((self._href, "".join(self._link).strip()))
            self._link = None
        self._end_cell(tag)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self._link is not None and not self._hidden():
            self._link.append(data)
        if self._dt is not None:
            self._dt.append(data)
        # A cell's text leaves out what it shows as a code on purpose (a ``.code`` inside it).
        if self._cell is not None and (self._cell[0] == "option" or not self._hidden()):
            self._cell[2].append(data)
        if data.strip() and not self._hidden():
            self.texts.append((self.stack[-1][0] if self.stack else "", data.strip()))


def catalogue_codes_in(reader: Reader, url: str, catalogues: Mapping[str, Any]) -> list[Finding]:
    """Cells showing a catalogue's code where its label belongs: the code of a catalogue the page
    uses (one of its labels appears on it), or a bare number under a heading that names a code.
    Codes that are small numbers ("1", "2") are left alone: a count of 1 reads the same."""
    shown = {text for _, text in reader.texts} | {text for _, _, text in reader.cells}
    # A code that is also a label, of its catalogue or another, reads right: English "spouse"
    # is kin's code and label, "parent" a relation's label.
    labels = {label for catalogue in catalogues.values() for pair in catalogue.items.values() for label in pair}
    used = {
        code: name
        for name, catalogue in catalogues.items()
        if any(label in shown for pair in catalogue.items.values() for label in pair if len(label) > 1)
        for code in catalogue.items
        if (not code.isdigit() or len(code) > 2) and code not in labels
    }
    found = []
    for tag, heading, text in reader.cells:
        if text in used:
            found.append(Finding(url, f"a raw {used[text]} code {text!r} in <{tag}> where its label belongs"))
        elif BARE_NUMBER.match(text) and CODE_HEADING.search(heading):
            found.append(Finding(url, f"a bare code {text!r} under {heading!r} in <{tag}>, without its label"))
    return found


def problems_in(url: str, html: str, catalogues: Mapping[str, Any] | None = None) -> tuple[list[str], list[Finding]]:
    reader = Reader(urlsplit(url).path)
    reader.feed(html)
    found = []
    for tag, text in reader.texts:
        for code in DIVISION_CODE.findall(text):
            found.append(Finding(url, f"a raw division code {code} in <{tag}>: {text[:80]!r}"))
        if CATALOGUE_CODE.match(text):
            found.append(Finding(url, f"a raw catalogue code {text!r} in <{tag}>"))
    found += catalogue_codes_in(reader, url, CATALOGUES if catalogues is None else catalogues)
    for href, text in reader.link_texts:
        # The link's whole text is the very id its address carries: a number where a name belongs.
        if text.isdigit() and text in re.findall(r"/(\d+)(?=/|$|\?)", href):
            found.append(Finding(url, f"an internal id {text!r} as the text of a link to {href}"))
    if reader.tables and reader.list_signs and not reader.totals:
        found.append(Finding(url, f"a list (a table with {reader.list_signs[0]}) without its total"))
    return reader.links, found


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # one export of each kind the pages link to


def internal(href: str, here: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
        return None
    return _without_state(parts.path, parts.query)


def file_of(href: str) -> str | None:
    """The address of an export a link downloads (the API's too), or None for anything else."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or not FILE.search(parts.path):
        return None
    return _without_state(parts.path, parts.query)


def _without_state(path: str, query: str) -> str:
    kept = [(k, v) for k, v in parse_qsl(query) if k not in ("lang", "cursor")]
    return path + ("?" + urlencode(kept) if kept else "")


def crawl(get: Callable[[str], tuple[Any, ...]], lang: str, *, start: str = "/", per_kind: int = 1) -> Crawl:
    """Walk from ``start``; ``get(url)`` answers (status, html) or (status, html, content type).
    Each kind of address is opened ``per_kind`` times (with and without a query string counting
    as different kinds). An answer that is not HTML is a file, not a page."""
    result = Crawl()
    seen_kinds: dict[str, int] = {}
    queue: deque[str] = deque([start])
    queued = {start}
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        kind = kind_of(path) + ("?" if "?" in url else "")
        if seen_kinds.get(kind, 0) >= per_kind:
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        sep = "&" if "?" in url else "?"
        status, html, *rest = get(f"{url}{sep}lang={lang}")
        if rest and status == 200 and not rest[0].startswith("text/html"):
            result.files.append(url)
            continue
        result.visited.append(url)
        if status >= 500 or status in (403, 404):
            result.findings.append(Finding(url, f"answered {status}"))
            continue
        if status != 200:
            continue
        links, found = problems_in(url, html)
        result.findings.extend(found)
        for href in links:
            file = file_of(href)
            if file and kind_of(urlsplit(file).path) not in {kind_of(urlsplit(f).path) for f in result.files}:
                result.files.append(file)
            target = internal(href, url)
            if target and target not in queued:
                queued.add(target)
                queue.append(target)
    return result


def pages(crawled: Crawl) -> Iterator[str]:
    yield from crawled.visited
