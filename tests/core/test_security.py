"""Security behaviour through HTTP on the real database: login throttling, sessions, CSRF,
hostile input (sizes, malformed bodies, huge numbers, forged cursors), first login, and
error messages in the caller's language."""

from __future__ import annotations

import base64
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

import zhucun.cli
from tests.conftest import Api, api_token, web_login
from tests.factories.world import PASSWORD, World
from zhucun.accounts.cli import app as user_cli
from zhucun.app import create_app
from zhucun.core import auth
from zhucun.core.models import User

pytestmark = pytest.mark.usefixtures("world")

UNKNOWN = "nobody.here"
WRONG = "Wrong2026x"
LOCKED_MESSAGE = "登录失败次数过多，请 15 分钟后再试。"


# --- helpers ----------------------------------------------------------------------------


class Clock:
    """The clock authentication reads (throttle, sessions, tokens): frozen, moved by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.now = auth.utcnow()
        monkeypatch.setattr(auth, "utcnow", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@contextmanager
def browser(app) -> Iterator[TestClient]:
    """Another browser: a client with its own cookie jar."""
    with TestClient(app, base_url="http://testserver") as other:
        yield other


def request_token(client: TestClient, username: str, password: str, **kwargs):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password}, **kwargs)


def post_login_form(client: TestClient, username: str, password: str):
    client.get("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": client.cookies.get("zhucun_csrf")},
        follow_redirects=False,
    )


def change_password(client: TestClient, username: str, old: str, new: str):
    return client.post("/api/v1/auth/password", json={"username": username, "old_password": old, "new_password": new})


def answers(response) -> tuple[int, object, dict[str, str]]:
    return response.status_code, response.json(), dict(response.headers)


def me(client: TestClient, **kwargs):
    return client.get("/api/v1/auth/me", **kwargs)


def me_with_cookie(app, secret: str):
    with browser(app) as other:
        return me(other, headers={"Cookie": f"zhucun_session={secret}"})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def user_id(session, username: str) -> int:
    return session.scalars(select(User.id).where(User.username == username)).one()


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    """An error answer with the API's JSON shape: {"code", "message", "field"?, ...}."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("code"), str) and body["code"]
    assert isinstance(body.get("message"), str) and body["message"]
    assert set(body) <= {"code", "message", "field", "errors", "row", "column"}
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body


def cursor_of(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# --- login throttling -------------------------------------------------------------------


def test_sixth_login_is_refused_for_15_minutes_even_with_the_right_password(client, clock):
    for _ in range(5):
        assert_error(request_token(client, "zhen", WRONG), 401, "invalid_credentials")
    sixth = request_token(client, "zhen", PASSWORD)
    assert assert_error(sixth, 429, "too_many_attempts")["message"] == LOCKED_MESSAGE
    assert sixth.headers["Retry-After"] == "900"


def test_a_locked_login_still_answers_in_the_callers_language(client, clock):
    for _ in range(5):
        request_token(client, "zhen", WRONG)
    response = request_token(client, "zhen", PASSWORD, headers={"Accept-Language": "en"})
    assert response.json()["message"] == "Too many failed logins. Try again in 15 minute(s)."


@pytest.mark.parametrize(
    "attempt",
    [
        lambda client, username: request_token(client, username, WRONG),
        lambda client, username: change_password(client, username, WRONG, "Better2027x"),
    ],
    ids=["token", "password-change"],
)
def test_an_unknown_user_name_gets_exactly_the_answers_of_a_known_one(client, clock, attempt):
    def six_attempts(username: str) -> list:
        return [answers(attempt(client, username)) for _ in range(6)]

    known, unknown = six_attempts("zhen"), six_attempts(UNKNOWN)
    assert [status for status, _body, _headers in known] == [401] * 5 + [429]
    assert unknown == known


def test_the_login_form_is_throttled_the_same_way(client, clock):
    statuses = [post_login_form(client, "zhen", WRONG).status_code for _ in range(5)]
    locked = post_login_form(client, "zhen", PASSWORD)
    assert statuses == [401] * 5
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "900"
    assert LOCKED_MESSAGE in locked.text


def test_the_login_form_answers_an_unknown_name_like_a_known_one(client, clock):
    def six_attempts(username: str) -> list:
        results = []
        for _ in range(6):
            response = post_login_form(client, username, WRONG)
            results.append(
                (response.status_code, response.headers.get("Retry-After"), response.text.replace(username, "NAME"))
            )
        return results

    assert six_attempts(UNKNOWN) == six_attempts("zhen")


def test_password_change_is_throttled_like_a_login(client, clock):
    for _ in range(5):
        assert_error(change_password(client, "zhen", WRONG, "Better2027x"), 401, "invalid_credentials")
    response = change_password(client, "zhen", PASSWORD, "Better2027x")
    assert_error(response, 429, "too_many_attempts")
    assert response.headers["Retry-After"] == "900"


def test_failures_through_the_form_and_the_api_count_together(client, clock):
    for _ in range(3):
        request_token(client, "zhen", WRONG)
    for _ in range(2):
        post_login_form(client, "zhen", WRONG)
    assert_error(request_token(client, "zhen", PASSWORD), 429, "too_many_attempts")


def test_a_successful_login_resets_the_failure_count(client, clock):
    for _ in range(4):
        request_token(client, "zhen", WRONG)
    assert request_token(client, "zhen", PASSWORD).status_code == 200
    for _ in range(4):
        assert_error(request_token(client, "zhen", WRONG), 401)
    assert request_token(client, "zhen", PASSWORD).status_code == 200


def test_login_works_again_once_the_lock_has_expired(client, clock):
    for _ in range(5):
        request_token(client, "zhen", WRONG)
    clock.advance(minutes=14, seconds=59)
    assert request_token(client, "zhen", PASSWORD).status_code == 429
    clock.advance(seconds=1)
    assert request_token(client, "zhen", PASSWORD).status_code == 200


# --- sessions and tokens ----------------------------------------------------------------


def test_logging_in_again_issues_a_new_session_and_ends_the_old_one(app, client):
    web_login(client, "zhen")
    old = client.cookies.get("zhucun_session")
    web_login(client, "zhen")
    new = client.cookies.get("zhucun_session")
    assert new and new != old
    assert me_with_cookie(app, old).status_code == 401
    assert me_with_cookie(app, new).status_code == 200


def test_the_session_cookie_is_kept_from_scripts_and_cross_site_requests(client):
    cookie = post_login_form(client, "zhen", PASSWORD).headers["set-cookie"].lower()
    assert cookie.startswith("zhucun_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie


@pytest.mark.parametrize("url", ["/login", "/api/v1/users/1"])
def test_answers_forbid_framing_and_content_sniffing(client, url):
    headers = client.get(url).headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_a_session_idle_longer_than_the_idle_timeout_is_refused(client, clock, settings):
    web_login(client, "zhen")
    clock.advance(minutes=settings.session_idle_minutes + 1)
    assert_error(me(client), 401)
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_activity_keeps_a_session_alive_past_the_idle_timeout(client, clock, settings):
    web_login(client, "zhen")
    for _ in range(3):
        clock.advance(minutes=settings.session_idle_minutes - 5)
        assert me(client).status_code == 200


def test_a_session_ends_at_the_absolute_timeout_despite_activity(client, clock, settings):
    web_login(client, "zhen")
    step = timedelta(minutes=settings.session_idle_minutes - 5)
    elapsed = timedelta()
    while elapsed + step < timedelta(hours=settings.session_absolute_hours):
        clock.advance(seconds=step.total_seconds())
        elapsed += step
        assert me(client).status_code == 200
    clock.advance(seconds=step.total_seconds())
    assert_error(me(client), 401)


def test_an_api_token_expires_after_its_lifetime(client, clock, settings):
    token = api_token(client, "zhen")
    clock.advance(hours=settings.token_hours, seconds=-1)
    assert me(client, headers=bearer(token)).status_code == 200
    clock.advance(seconds=1)
    assert_error(me(client, headers=bearer(token)), 401, "invalid_token")


def test_disabling_an_account_ends_its_sessions_and_tokens_at_once(app, client, api, session):
    token = api_token(client, "zhen")
    with browser(app) as zhen_browser:
        web_login(zhen_browser, "zhen")
        response = api("admin").patch(f"/api/v1/users/{user_id(session, 'zhen')}", json={"is_active": False})
        assert response.status_code == 200, response.text
        assert_error(me(zhen_browser), 401)
    assert_error(me(client, headers=bearer(token)), 401, "invalid_token")


def test_disabling_an_account_at_the_command_line_ends_its_sessions_and_tokens(app, client, db, monkeypatch):
    token = api_token(client, "zhen")
    with browser(app) as zhen_browser:
        web_login(zhen_browser, "zhen")
        monkeypatch.setattr(db, "dispose", lambda: None)  # the CLI disposes its database when done
        monkeypatch.setattr(zhucun.cli, "database", lambda: db)
        result = CliRunner().invoke(user_cli, ["disable", "zhen", "--reason", "left the work team"])
        assert result.exit_code == 0, result.output
        assert_error(me(zhen_browser), 401)
    assert_error(me(client, headers=bearer(token)), 401, "invalid_token")


# --- CSRF -------------------------------------------------------------------------------


@pytest.fixture
def admin_browser(web) -> str:
    """The client logged in as the national administrator through the form; its CSRF token."""
    return web("admin")


def rename_zhen(client: TestClient, session, **kwargs):
    return client.patch(f"/api/v1/users/{user_id(session, 'zhen')}", json={"display_name": "王镇长"}, **kwargs)


def test_a_cookie_request_without_the_csrf_token_is_refused(client, session, admin_browser):
    assert_error(rename_zhen(client, session), 403, "csrf_failed")


def test_a_cookie_request_with_a_wrong_csrf_token_is_refused(client, session, admin_browser):
    assert_error(rename_zhen(client, session, headers={"X-CSRF-Token": "not-the-token"}), 403, "csrf_failed")


def test_a_cookie_request_with_a_non_ascii_csrf_token_is_refused(client, session, admin_browser):
    response = rename_zhen(client, session, headers={"X-CSRF-Token": "令牌".encode()})
    assert_error(response, 403, "csrf_failed")


def test_a_cookie_request_with_the_csrf_header_succeeds(client, session, admin_browser):
    assert rename_zhen(client, session, headers={"X-CSRF-Token": admin_browser}).status_code == 200


def test_a_cookie_form_with_the_csrf_field_succeeds(client, session, admin_browser):
    target = user_id(session, "zhen")
    response = client.post(
        f"/users/{target}/active", data={"active": "0", "csrf_token": admin_browser}, follow_redirects=False
    )
    assert response.status_code == 303
    assert session.get(User, target).is_active is False


def test_a_cookie_form_without_the_csrf_field_is_refused(client, session, admin_browser):
    response = client.post(f"/users/{user_id(session, 'zhen')}/active", data={"active": "0"}, follow_redirects=False)
    assert response.status_code == 403


def test_a_cookie_form_with_a_non_ascii_csrf_field_is_refused(client, session, admin_browser):
    response = client.post(
        f"/users/{user_id(session, 'zhen')}/active", data={"active": "0", "csrf_token": "令牌"}, follow_redirects=False
    )
    assert response.status_code == 403


def test_a_bearer_request_needs_no_csrf_token(api, session):
    response = api("admin").patch(f"/api/v1/users/{user_id(session, 'zhen')}", json={"display_name": "王镇长"})
    assert response.status_code == 200, response.text


def test_the_login_form_without_a_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"username": "zhen", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403
    assert "zhucun_session" not in client.cookies


def test_the_login_form_with_a_token_that_does_not_match_its_cookie_is_refused(client):
    client.get("/login")
    response = client.post(
        "/login", data={"username": "zhen", "password": PASSWORD, "csrf_token": "forged"}, follow_redirects=False
    )
    assert response.status_code == 403


def test_the_login_form_with_a_non_ascii_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post(
        "/login", data={"username": "zhen", "password": PASSWORD, "csrf_token": "令牌"}, follow_redirects=False
    )
    assert response.status_code == 403


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example/"])
def test_the_login_form_does_not_send_the_browser_to_another_site(client, target):
    client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "zhen",
            "password": PASSWORD,
            "next": target,
            "csrf_token": client.cookies.get("zhucun_csrf"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_the_login_form_without_its_csrf_cookie_is_refused(app):
    with browser(app) as fresh:
        response = fresh.post(
            "/login", data={"username": "zhen", "password": PASSWORD, "csrf_token": "forged"}, follow_redirects=False
        )
    assert response.status_code == 403


# --- hostile input ----------------------------------------------------------------------


@pytest.fixture
def small_body_api(db, settings) -> Iterator[Api]:
    """The API of an app that accepts bodies of at most 1 KiB, as the national administrator."""
    app = create_app(settings.model_copy(update={"max_body_bytes": 1024}), db)
    with TestClient(app, base_url="http://testserver") as small:
        yield Api(small, "admin")


def test_a_body_declared_larger_than_the_limit_is_refused(small_body_api):
    response = small_body_api.post(
        "/api/v1/users", content=b"{" + b" " * 2048 + b"}", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 413, "body_too_large")


def test_a_chunked_body_growing_past_the_limit_is_refused(small_body_api):
    def chunks() -> Iterator[bytes]:
        yield b"{"
        for _ in range(8):
            yield b" " * 256

    response = small_body_api.post("/api/v1/users", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "body_too_large")


@pytest.mark.parametrize("url", ["/api/v1/users", "/api/v1/auth/password"])
def test_malformed_json_is_refused(api, url):
    response = api("admin").post(url, content=b'{"username": ', headers={"Content-Type": "application/json"})
    assert_error(response, 422, "json_invalid")


def test_a_body_in_the_wrong_content_type_is_refused(api):
    response = api("admin").post(
        "/api/v1/users", content=b'{"username": "someone"}', headers={"Content-Type": "text/plain"}
    )
    assert_error(response, 422)


def test_a_token_request_in_json_instead_of_a_form_is_refused(client):
    assert_error(client.post("/api/v1/auth/token", json={"username": "zhen", "password": PASSWORD}), 415)


@pytest.mark.parametrize(
    ("method", "url", "field"),
    [
        ("GET", "/api/v1/users/99999999999999999999", "user_id"),
        ("GET", "/api/v1/users/0", "user_id"),
        ("DELETE", "/api/v1/users/2/grants/99999999999999999999", "grant_id"),
        ("GET", "/api/v1/users?limit=99999999999999999999", "limit"),
        ("GET", "/api/v1/divisions?limit=99999999999999999999", "limit"),
        ("GET", "/api/v1/audit?limit=-99999999999999999999", "limit"),
        ("GET", "/api/v1/divisions/99999999999999999999", "code"),
    ],
)
def test_huge_numbers_in_path_and_query_are_refused(api, method, url, field):
    assert_error(api("admin").request(method, url), 422, "invalid", field)


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!!not base64",
        cursor_of("not json"),
        cursor_of('{"id": 1}'),
        cursor_of("[1, 2]"),
        cursor_of('["abc"]'),
        cursor_of("[null]"),
        cursor_of("[true]"),
        cursor_of("[1e400]"),
        cursor_of("[100000000000000000000000000000]"),
    ],
    ids=[
        "garbage",
        "not-json",
        "not-a-list",
        "wrong-width",
        "text-for-id",
        "null",
        "boolean",
        "infinity",
        "huge-integer",
    ],
)
def test_a_forged_cursor_is_refused(api, cursor):
    assert_error(api("admin").get("/api/v1/users", params={"cursor": cursor}), 422, "bad_cursor", "cursor")


@pytest.mark.parametrize(
    "raw", ['["522799", "seq"]', '["522799", 100000000000000000000]', "[null, 1]", '["522799\\u0000", 1]']
)
def test_a_forged_cursor_of_a_two_column_key_is_refused(api, raw):
    response = api("admin").get("/api/v1/audit", params={"cursor": cursor_of(raw)})
    assert_error(response, 422, "bad_cursor", "cursor")


def test_a_cursor_from_a_page_leads_to_the_next_page(api):
    admin = api("admin")
    first = admin.get("/api/v1/users", params={"limit": 2}).json()
    second = admin.get("/api/v1/users", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    first_ids, second_ids = [u["id"] for u in first["items"]], [u["id"] for u in second["items"]]
    assert second_ids and min(second_ids) > max(first_ids)


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("GET", "/api/v1/users", {"params": {"q": "a\x00b"}}),
        ("GET", "/api/v1/divisions", {"params": {"q": "\x00"}}),
        ("POST", "/api/v1/auth/password", {"json": {"username": "zhen\x00", "old_password": "x", "new_password": "y"}}),
    ],
    ids=["query", "division-query", "json-body"],
)
def test_text_with_a_nul_character_is_refused(api, method, url, kwargs):
    assert_error(api("admin").request(method, url, **kwargs), 422, "nul_character")


def test_a_login_name_with_a_nul_character_is_refused(client):
    body = assert_error(request_token(client, "zhen\x00", PASSWORD), 422, "nul_character")
    assert body["message"] == "文本不能包含 NUL 空字符。"


def test_a_nul_character_is_not_stored(api, session):
    target = user_id(session, "zhen")
    response = api("admin").patch(f"/api/v1/users/{target}", json={"display_name": "王\x00镇长"})
    assert_error(response, 422, "nul_character")
    assert "\x00" not in session.get(User, target).display_name


@pytest.mark.parametrize(
    "body", [{"name": None}, {"name": "   "}, {"is_poor_village": None}], ids=["null-name", "blank-name", "null-flag"]
)
def test_a_division_attribute_that_cannot_be_empty_is_not_cleared(api, world, body):
    response = api("admin").patch(f"/api/v1/divisions/{world.a.village}", json=body)
    # Refused by the schema (a null) or by the service (a blank name): 422 on that field either way.
    assert_error(response, 422, None, next(iter(body)))
    assert api("admin").get(f"/api/v1/divisions/{world.a.village}").json()["name"].strip()


def test_a_unit_number_in_other_digits_is_refused_by_the_account_form(client, world, admin_browser):
    response = client.post(
        "/users/new",
        data={
            "csrf_token": admin_browser,
            "username": "danwei2",
            "display_name": "单位",
            "password": "Initial2026",
            "role": "unit",
            "division_code": world.a.county,
            "unit_id": "²",
        },
    )
    assert response.status_code == 422


def test_the_audit_trail_can_be_filtered_up_to_the_last_day_of_the_calendar(api):
    response = api("admin").get("/api/v1/audit", params={"until": "9999-12-31", "limit": 1})
    assert response.status_code == 200, response.text
    assert response.json()["items"]


def test_files_sent_to_routes_that_take_none_are_closed(api, client, session):
    """An upload left open becomes a ResourceWarning when collected, which fails the test."""
    file = {"file": ("big.bin", b"x" * 1000, "application/octet-stream")}
    client.post("/api/v1/auth/password", files=file, data={"username": "zhen"})
    api("admin").patch(f"/api/v1/users/{user_id(session, 'zhen')}", files=file, data={"display_name": "x"})
    gc.collect()


# --- first login --------------------------------------------------------------------------

NEWCOMER, INITIAL = "xinren", "Chushi-mima-4417"


@pytest.fixture
def newcomer(api, world: World) -> str:
    """An account an administrator has just created, with an initial password."""
    response = api("admin").post(
        "/api/v1/users",
        json={
            "username": NEWCOMER,
            "display_name": "新人",
            "password": INITIAL,
            "division_code": world.a.township,
            "grants": [{"role": "township", "division_code": world.a.township}],
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["must_change_password"] is True
    return NEWCOMER


def test_a_new_account_must_change_its_password_before_getting_a_token(client, newcomer):
    body = assert_error(request_token(client, newcomer, INITIAL), 403, "password_change_required")
    assert body["message"] == "首次登录须先修改初始密码。"


@pytest.mark.parametrize(
    "weak",
    ["Ab1", "Zhucun2026", "Password1", "aaaaaaa1", "1234567890", f"{NEWCOMER}2027"],
    ids=["too-short", "demo-password", "common-word", "repeated", "digits-only", "contains-user-name"],
)
def test_a_weak_new_password_is_refused(client, newcomer, weak):
    assert_error(change_password(client, newcomer, INITIAL, weak), 422, "weak_password", "new_password")


def test_the_changed_password_opens_the_token_endpoint_and_retires_the_old_one(client, newcomer):
    assert change_password(client, newcomer, INITIAL, "Gaiguo-mima-2027").status_code == 204
    token = request_token(client, newcomer, "Gaiguo-mima-2027").json()["access_token"]
    assert me(client, headers=bearer(token)).json()["username"] == newcomer
    assert_error(request_token(client, newcomer, INITIAL), 401, "invalid_credentials")


# --- language -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "params", "message"),
    [
        ({"Accept-Language": "en"}, {}, "Not found."),
        ({"Accept-Language": "zh-CN"}, {}, "未找到。"),
        ({"Accept-Language": "zh-CN"}, {"lang": "en"}, "Not found."),
        ({"Accept-Language": "fr, en;q=0.5"}, {}, "Not found."),
        ({}, {}, "未找到。"),
    ],
    ids=["english", "chinese", "query-over-header", "first-supported", "default-chinese"],
)
def test_error_messages_follow_the_callers_language(api, headers, params, message):
    response = api("admin").get("/api/v1/users/2147483647", headers=headers, params=params)
    assert assert_error(response, 404, "not_found")["message"] == message


def test_the_chosen_language_is_remembered_in_a_cookie(client, api):
    admin = api("admin")
    admin.get("/api/v1/users/2147483647", params={"lang": "en"})
    response = admin.get("/api/v1/users/2147483647", headers={"Accept-Language": "zh-CN"})
    assert response.json()["message"] == "Not found."
