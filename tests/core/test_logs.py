"""No resident ID number reaches a log: the access log's URLs are redacted."""

from __future__ import annotations

import io
import logging
import logging.config

import pytest
from sqlalchemy import select

from tests.factories.registry import id_number
from zhucun.core.audit import AuditEntry
from zhucun.core.idnumbers import check_char as id_check
from zhucun.core.logs import redact, uvicorn_log_config

NUMBER = id_number("522799", "19650312", male=True, seq=777)


def test_redact_masks_18_and_15_digit_numbers_only():
    assert redact(f"q={NUMBER}&x=1") == f"q={NUMBER[:6]}********{NUMBER[-4:]}&x=1"
    assert redact("110105491231002") == "110105*********"
    assert redact("order 12345678901234567890 and 2026") == "order 12345678901234567890 and 2026"


def test_the_access_log_never_holds_an_id_number():
    logging.config.dictConfig(uvicorn_log_config())
    stream = io.StringIO()
    access = logging.getLogger("uvicorn.access")
    handler = access.handlers[0]
    handler.setStream(stream)
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/api/v1/members?q={NUMBER}", "1.1", 200)
    written = stream.getvalue()
    assert "/api/v1/members?q=" in written and NUMBER not in written


def test_an_export_searched_by_id_number_is_audited_masked(api, session):
    api("zhen").get("/api/v1/members/export.csv", params={"q": NUMBER})
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "core:list:exported").order_by(AuditEntry.at.desc())
    ).first()
    assert NUMBER not in str(entry.after) and NUMBER[:6] in str(entry.after)


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
MASKED = f"{NUMBER[:6]}********{NUMBER[-4:]}"


@pytest.mark.parametrize("before", ["%20", "%09", "%2C", "%E3%80%80", "+", "q="])
def test_redact_masks_a_number_after_a_percent_escape(before):
    assert redact(f"/api/v1/members?q={before}{NUMBER}") == f"/api/v1/members?q={before}{MASKED}"
    assert redact(f"q={before}{NUMBER}%20") == f"q={before}{MASKED}%20"


def test_redact_masks_a_number_typed_in_full_width_digits():
    assert redact(f"按身份证号 {NUMBER.translate(FULL_WIDTH)} 查询") == f"按身份证号 {MASKED} 查询"
    fifteen = "110105491231002"
    assert redact(f"q={fifteen.translate(FULL_WIDTH)}") == "q=110105*********"
    assert redact("５２２７９９ＡＢ，不是号码") == "５２２７９９ＡＢ，不是号码"  # nothing to mask: kept as typed


def test_redact_masks_an_id_ending_in_a_full_width_x():
    body = "11010519491231002"
    number = body + id_check(body)
    assert redact(number.translate(FULL_WIDTH).replace("X", "Ｘ")) == f"{number[:6]}********{number[-4:]}"


def test_a_database_error_is_logged_without_its_values(session, world):
    """A unique violation (its message quotes the row's key) logged with its traceback keeps
    the frames, the SQL and the constraint, but not the values: not the household number,
    and not the statement's parameters."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from zhucun.core.logs import protect_error_logs
    from zhucun.registry.models import Household

    taken = session.get(Household, (world.a.county[:6], world.a.household_id))
    clash = {"county_code": taken.county_code, "id": 2**40, "household_no": taken.household_no}
    clash |= {"village_code": taken.village_code, "member_count": 0, "attribute": "1", "status": "00"}
    try:
        with session.begin_nested():
            session.execute(insert(Household).values(**clash))
    except IntegrityError as error:
        caught = error
    assert taken.household_no in str(caught.orig) or "UNIQUE" in str(caught.orig)
    protect_error_logs()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("zhucun.http")
    logger.addHandler(handler)
    try:
        logger.error("unhandled error on %s %s", "POST", "/api/v1/households", exc_info=caught)
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "Traceback" in written and "IntegrityError" in written and "INSERT INTO households" in written
    assert taken.household_no not in written and str(2**40) not in written
