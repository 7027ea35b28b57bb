"""Logging in and out in a real browser, in Chinese and in English, and the first-login
password change."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.support import PHONE_WIDTH, Site, assert_fits, assert_legible, log_in, path_of, press, t
from zhucun.accounts import service as accounts
from zhucun.core.auth import Principal
from zhucun.core.deps import SESSION_COOKIE
from zhucun.core.http import LANG_COOKIE
from zhucun.core.models import User
from zhucun.core.permissions import Role
from zhucun.demo.accounts import PERSONAS

pytestmark = pytest.mark.browser

ZHEN = next(p for p in PERSONAS if p.username == "zhen")
CJK = re.compile(r"[\u4e00-\u9fff]")


def cookies(page: Page) -> dict[str, str]:
    return {c["name"]: c["value"] for c in page.context.cookies()}


def main_nav(page: Page):
    return page.locator("nav.mainnav a")


@pytest.mark.one_backend  # the language a browser is answered in does not depend on the database
@pytest.mark.parametrize(
    ("accept_language", "lang", "button"),
    [
        ("", "zh-CN", "登录"),
        ("zh-CN,zh;q=0.9", "zh-CN", "登录"),
        ("fr-FR,fr;q=0.9", "zh-CN", "登录"),
        ("en-GB,en;q=0.9", "en", "Log in"),
    ],
    ids=["no-preference", "chinese", "unsupported", "english"],
)
def test_login_page_speaks_the_browsers_language_and_chinese_by_default(open_page, shot, accept_language, lang, button):
    # Without a locale of its own the browser would ask for en-US; the header given here replaces
    # that (so the Chinese answers also show that it was sent).
    page = open_page(locale=None, extra_http_headers={"Accept-Language": accept_language})
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_test_id("login-submit")).to_have_text(button)
    expect(page.get_by_role("heading", level=1)).to_have_text(button)
    other = "en" if lang == "zh-CN" else "zh_CN"
    expect(page.locator(f"a[data-lang={other}]")).to_have_text("English" if other == "en" else "中文")
    assert LANG_COOKIE not in cookies(page)  # negotiated, not chosen: nothing to remember
    shot(page, "login")


def test_log_in_in_chinese(open_page, shot):
    page = open_page()
    log_in(page, ZHEN.username)
    assert path_of(page) == "/"
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    welcome = page.get_by_test_id("welcome")
    expect(welcome).to_have_text(t("Welcome, {name}").format(name=ZHEN.display_name))
    assert welcome.inner_text().startswith("欢迎")
    expect(main_nav(page)).to_contain_text(["首页", "行政区划"])
    expect(page.get_by_test_id("account-menu")).to_have_text(ZHEN.display_name)
    assert SESSION_COOKIE in cookies(page)
    shot(page, "home")
    press(main_nav(page).filter(has_text="行政区划"))
    expect(page.get_by_role("heading", level=1)).to_have_text("行政区划")
    expect(page.locator("nav.mainnav a[aria-current=page]")).to_have_text("行政区划")


@pytest.mark.one_backend  # the language a browser is answered in does not depend on the database
def test_lang_parameter_switches_to_english_and_is_remembered(open_page, shot):
    page = open_page()  # a Chinese browser
    page.goto("/login?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("login-submit")).to_have_text("Log in")
    assert cookies(page)[LANG_COOKIE] == "en"
    shot(page, "login")

    page.goto("/login")  # no parameter: the cookie keeps English
    expect(page.get_by_test_id("login-submit")).to_have_text("Log in")
    log_in(page, ZHEN.username)
    assert path_of(page) == "/"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("welcome")).to_have_text(f"Welcome, {ZHEN.display_name}")
    expect(main_nav(page)).to_contain_text(["Home", "Divisions"])
    shot(page, "home")
    page.goto("/divisions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Divisions")
    expect(page.get_by_test_id("division-search")).to_have_attribute("placeholder", "Name or code")

    # The link in the header switches back, and that choice is remembered too.
    with page.expect_navigation():
        page.locator("a[data-lang=zh_CN]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("行政区划")
    assert cookies(page)[LANG_COOKIE] == "zh_CN"
    page.goto("/")
    expect(page.get_by_test_id("welcome")).to_have_text(t("Welcome, {name}").format(name=ZHEN.display_name))


@pytest.mark.one_backend  # the language a browser is answered in does not depend on the database
def test_english_browser_gets_english(open_page, shot):
    page = open_page(locale="en-US")
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("login-submit")).to_have_text("Log in")
    expect(page.locator("a[data-lang=zh_CN]")).to_have_text("中文")
    assert LANG_COOKIE not in cookies(page)  # negotiated, not chosen: nothing to remember
    log_in(page, ZHEN.username)
    expect(page.get_by_test_id("welcome")).to_have_text(f"Welcome, {ZHEN.display_name}")
    expect(main_nav(page)).to_contain_text(["Home", "Divisions"])
    assert not any(CJK.search(label) for label in main_nav(page).all_inner_texts())
    shot(page, "home")


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_wrong_password_shows_translated_error_and_stays_on_login(open_page, shot, locale):
    page = open_page(locale=locale.replace("_", "-"))
    log_in(page, ZHEN.username, "not-the-password1")
    assert path_of(page) == "/login"
    error = page.get_by_test_id("login-error")
    expect(error).to_have_text(t("Wrong user name or password.", locale))
    expect(error).to_have_attribute("role", "alert")
    if locale == "zh_CN":
        expect(error).to_have_text("用户名或密码错误。")
    expect(page.locator("input[name=username]")).to_have_value(ZHEN.username)
    expect(page.locator("input[name=password]")).to_have_value("")
    assert SESSION_COOKIE not in cookies(page)
    shot(page, "error")

    # The right password then lets the same person in (and clears the failure count).
    page.locator("input[name=password]").fill("Zhucun2026")
    with page.expect_navigation():
        page.get_by_test_id("login-submit").click()
    assert path_of(page) == "/"
    expect(page.get_by_test_id("welcome")).to_be_visible()


def test_first_login_requires_a_new_password(open_page, shot, site: Site):
    username = f"xinren_{secrets.token_hex(3)}"
    initial, chosen = "Chushi2026a", "Xinmima2027b"
    with site.session() as session:
        township = session.scalars(select(User).where(User.username == ZHEN.username)).one().division_code
        accounts.create_user(
            session,
            actor=Principal.system(),
            settings=site.settings,
            username=username,
            display_name="新同事",
            password=initial,
            division_code=township,
            must_change_password=True,
            grants=[accounts.GrantSpec(Role.TOWNSHIP.value, township)],
        )

    page = open_page()
    log_in(page, username, initial)
    expect(page.get_by_test_id("password-required")).to_have_text(
        t("You must change your initial password before you continue.")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("修改密码")
    expect(page.locator("input[name=username]")).to_have_value(username)
    assert SESSION_COOKIE not in cookies(page)
    shot(page, "required")

    # Two different new passwords are refused, with the reason next to the field.
    page.locator("input[name=old_password]").fill(initial)
    page.locator("input[name=new_password]").fill(chosen)
    page.locator("input[name=confirm_password]").fill(chosen + "x")
    with page.expect_navigation():
        page.get_by_role("button", name="修改密码").click()
    expect(page.locator("#confirm_password-error")).to_have_text("两次输入的新密码不一致。")
    expect(page.locator("input[name=confirm_password]")).to_have_accessible_description("两次输入的新密码不一致。")
    shot(page, "mismatch")

    page.locator("input[name=old_password]").fill(initial)
    page.locator("input[name=new_password]").fill(chosen)
    page.locator("input[name=confirm_password]").fill(chosen)
    with page.expect_navigation():
        page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("status")).to_have_text(t("Your password has been changed. Please log in."))
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    shot(page, "changed")

    log_in(page, username, initial)  # the initial password is gone
    expect(page.get_by_test_id("login-error")).to_have_text("用户名或密码错误。")
    log_in(page, username, chosen)
    assert path_of(page) == "/"
    expect(page.get_by_test_id("welcome")).to_have_text(t("Welcome, {name}").format(name="新同事"))
    shot(page, "home")
    with site.session() as session:
        assert session.scalars(select(User).where(User.username == username)).one().must_change_password is False


def test_logout_ends_the_session(open_page, shot):
    page = open_page(phone=True)
    log_in(page, ZHEN.username)
    expect(page.get_by_test_id("welcome")).to_be_visible()
    session_cookie = next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)
    press(page.get_by_test_id("account-menu"))
    logout = page.get_by_test_id("logout")
    expect(logout).to_have_text("退出登录")
    assert_legible(logout)
    assert_legible(page.locator(".dropdown a[href='/account']"))
    assert_fits(page, PHONE_WIDTH)
    shot(page, "menu")
    with page.expect_navigation():
        press(logout)
    assert path_of(page) == "/login"
    assert SESSION_COOKIE not in cookies(page)
    shot(page, "logged-out")

    response = page.goto("/")
    assert response is not None and response.ok
    assert page.url.endswith("/login?next=%2F")
    expect(page.get_by_test_id("login-submit")).to_have_text("登录")
    # The session is ended on the server too: its old cookie opens nothing.
    page.context.add_cookies([session_cookie])
    page.goto("/divisions")
    assert path_of(page) == "/login"
