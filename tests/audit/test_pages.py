"""The audit trail page for people: actions by their labels in both languages, a picker of
labelled actions grouped by mechanism, the object by its name with a link for whoever may
open it, before and after as the history words them, the total, and an export."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from tests.factories.registry import id_number
from zhucun.core.audit import AuditEntry

HEAD_ID = id_number("522799", "19720304", male=True, seq=741)
UPDATED = "registry:household:updated"


def _changed_household(api, world) -> int:
    body = {
        "household_no": "5227990966",
        "village_code": world.a.village,
        "status": "22",
        "attribute": "1",
        "members": [{"name": "韦大成", "id_number": HEAD_ID, "relation": "户主"}],
    }
    household = api("zhen").post("/api/v1/households", json=body)
    assert household.status_code == 201, household.text
    household_id = household.json()["id"]
    patched = api("zhen").patch(
        f"/api/v1/households/{household_id}", json={"main_cause": "因病", "reason": "入户核实发现大病"}
    )
    assert patched.status_code == 200, patched.text
    return household_id


def _entry(page: str, marker: str) -> str:
    """The list item of the entry whose text contains ``marker``."""
    items = page.split('data-testid="entries"', 1)[1].split("<li ")
    return next(item for item in items if marker in item)


def test_entries_read_as_labelled_sentences_that_open_onto_before_and_after(api, client, web, world):
    household_id = _changed_household(api, world)
    web("jiwei")
    page = client.get(f"/audit?action={UPDATED}").text
    entry = _entry(page, "入户核实发现大病")
    assert 'data-testid="action">修改农户<' in entry
    assert f'<a href="/registry/households/{world.a.county_code}/{household_id}">5227990966</a>' in entry
    assert "王镇长（乡镇） 修改了农户 5227990966：把主要致贫原因从（空）改为 因病" in entry
    details = entry.split('data-testid="entry-details"', 1)[1]
    assert "<td>主要致贫原因</td><td>（空）</td><td>因病</td>" in details and "入户核实发现大病" in details
    assert UPDATED not in entry.replace(f'value="{UPDATED}"', "") and "main_cause" not in entry


def test_the_same_entries_in_english(api, client, web, world):
    _changed_household(api, world)
    web("jiwei")
    page = client.get(f"/audit?action={UPDATED}&lang=en").text
    entry = _entry(page, "入户核实发现大病")
    assert 'data-testid="action">Household changed<' in entry
    assert "changed the household 5227990966: changed the main cause of poverty from (empty) to illness" in entry


def test_sign_ins_and_accounts_are_named_not_coded(client, web, world, session):
    web("admin")
    page = client.get("/audit?action=account:session:started").text
    entry = _entry(page, "登录了系统")
    assert 'data-testid="action">登录<' in entry and "系统管理员 登录了系统" in entry
    assert "account:session:started</" not in page
    created = client.get("/audit?action=account:user:created&entity=user").text
    shuji = session.scalar(
        select(AuditEntry.entity_id).where(
            AuditEntry.action == "account:user:created", AuditEntry.after["username"].as_string() == "shuji"
        )
    )
    assert f'<a href="/users/{shuji}">张书记（驻村第一书记）</a>' in created


def test_the_picker_offers_every_action_by_label_grouped_by_mechanism(client, web, world):
    web("jiwei")
    picker = client.get("/audit").text.split('data-testid="action-picker"', 1)[1].split("</select>", 1)[0]
    assert '<optgroup label="农户台账">' in picker
    assert f'<option value="{UPDATED}" >修改农户</option>' in picker
    assert 'value="account:session:started"' in picker and ">登录</option>" in picker
    chosen = client.get(f"/audit?action={UPDATED}").text
    assert f'value="{UPDATED}" selected' in chosen


def test_the_total_counts_what_the_filters_select_in_the_readers_area(api, client, web, world, session):
    _changed_household(api, world)
    web("jiwei")  # the county's discipline inspection: county A only
    page = client.get(f"/audit?action={UPDATED}").text
    expected = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == UPDATED, AuditEntry.division_code.startswith(world.a.county[:6]))
    )
    assert expected >= 1
    assert f'data-testid="total">共 {expected} 条<' in page


def test_the_export_holds_what_is_shown_and_is_itself_audited(api, client, web, world, session):
    _changed_household(api, world)
    web("jiwei")
    page = client.get(f"/audit?action={UPDATED}").text
    assert f'href="/audit/export.csv?action={UPDATED.replace(":", "%3A")}"' in page
    before = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "core:list:exported")
    )
    response = client.get(f"/audit/export.csv?action={UPDATED}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["记录", "时间", "操作人", "操作"]
    sentences = [row[5] for row in rows[1:]]
    assert "王镇长（乡镇） 修改了农户 5227990966：把主要致贫原因从（空）改为 因病" in sentences
    assert {row[3] for row in rows[1:]} == {"修改农户"} and HEAD_ID not in response.text
    after = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "core:list:exported")
    )
    assert after == before + 1
