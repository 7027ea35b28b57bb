"""The crawler's reading of one page, on small pieces of HTML: what it takes for a list, a
code where a label belongs, and a file."""

from __future__ import annotations

from tests.core.crawl import crawl, problems_in
from zhucun.registry.catalogues import KIN, Catalogue

PHONE_REVEAL = """<table><tr><th>电话</th><td>138****0000
<form hx-post="/registry/households/431001/5/reveal"><input name="reason"><button>显示</button></form>
</td></tr></table>"""


def test_a_form_that_reveals_a_phone_is_not_a_filter_bar():
    _links, found = problems_in("/registry/households/431001/5", PHONE_REVEAL, {})
    assert found == []


def test_a_get_form_that_filters_the_page_makes_its_table_a_list_that_needs_a_total():
    html = '<form method="get" action="/registry/households"><input name="q"></form><table><tr><td>x</td></tr></table>'
    _links, found = problems_in("/registry/households?q=1", html, {})
    assert [f.problem for f in found] == ["a list (a table with a filter bar) without its total"]
    _links, found = problems_in("/registry/households", html.replace("<table>", '<p class="total">1</p><table>'), {})
    assert found == []


def test_a_search_box_leading_to_another_page_is_not_this_pages_filter_bar():
    html = '<form method="get" action="/search"><input name="q"></form><table><tr><td>x</td></tr></table>'
    assert problems_in("/divisions/431001001001", html, {})[1] == []


def test_a_bare_number_under_a_heading_that_names_a_code_is_flagged_unless_marked_as_a_code():
    bare = "<dl><dt>城乡分类代码</dt><dd>220</dd><dt>人口</dt><dd>1,200</dd></dl>"
    problems = [f.problem for f in problems_in("/divisions/x", bare, {})[1]]
    assert problems == ["a bare code '220' under '城乡分类代码' in <dd>, without its label"]
    labelled = '<dl><dt>城乡分类</dt><dd>村庄 <span class="code">220</span></dd></dl>'
    assert problems_in("/divisions/x", labelled, {})[1] == []


def test_a_table_cell_holding_a_code_of_a_catalogue_the_page_uses_is_flagged():
    html = (
        "<table><thead><tr><th>姓名</th><th>关系</th></tr></thead>"
        "<tbody><tr><td>张三</td><td>配偶</td></tr><tr><td>李四</td><td>in_law</td></tr></tbody></table>"
    )
    problems = [f.problem for f in problems_in("/registry/members/1/2/kin", html, {"kin": KIN})[1]]
    assert problems == ["a raw kin code 'in_law' in <td> where its label belongs"]


def test_a_choice_of_a_select_showing_a_code_is_flagged():
    html = '<p>配偶</p><select name="k"><option value="in_law">in_law</option></select>'
    problems = [f.problem for f in problems_in("/x", html, {"kin": KIN})[1]]
    assert problems == ["a raw kin code 'in_law' in <option> where its label belongs"]


def test_an_answer_that_is_not_html_is_counted_as_a_file_not_a_page():
    answers = {
        "/": (200, '<a href="/selection/guarantee/units/3/report">x</a>', "text/html; charset=utf-8"),
        "/selection/guarantee/units/3/report": (200, "PK...", "application/vnd.ms-excel"),
    }
    result = crawl(lambda url: answers[url.split("?")[0]], "zh_CN")
    assert result.visited == ["/"]
    assert result.files == ["/selection/guarantee/units/3/report"]


def test_a_code_that_is_also_its_label_in_english_is_not_flagged():
    html = "<table><tr><th>Kin</th></tr><tr><td>spouse</td></tr><tr><td>in-law</td></tr></table>"
    assert problems_in("/registry/members/1/2/kin", html, {"kin": KIN})[1] == []


def test_a_code_that_is_another_catalogues_label_is_not_flagged():
    relation = Catalogue("relation", {"11": ("父母", "parent")})
    html = '<p>配偶</p><select name="r"><option value="11">parent</option></select>'
    assert problems_in("/x", html, {"kin": KIN, "relation": relation})[1] == []
