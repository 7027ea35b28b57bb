"""Password strength (zxcvbn), the published demo password, and reuse of recent passwords."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories.auth import bearer_headers
from zhucun.core.models import PasswordHistory, User

STRONG = ["Qinglan-huaishu-7731", "Baiyan-shanlu-2208", "Jinyan-hehua-5190", "Huahe-qiaotou-6621"]


def _reset(client, db, settings, session, password: str, username: str = "bangfu"):
    user_id = session.scalar(select(User.id).where(User.username == username))
    headers = {**bearer_headers(db, settings, "admin"), "Accept-Language": "zh-CN"}
    return client.post(f"/api/v1/users/{user_id}/password", json={"password": password}, headers=headers)


@pytest.mark.parametrize("weak", ["Zhucun2026", "zhucun2026", "Password1", "aaaaaaa1", "bangfu-2026"])
def test_a_guessable_or_published_password_is_refused_with_the_reason(client, db, settings, session, weak):
    response = _reset(client, db, settings, session, weak)
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("weak_password", "password")
    assert any(word in body["message"] for word in ("演示密码", "太容易被猜中", "用户名"))


def test_the_demo_password_is_refused_by_name(client, db, settings, session):
    assert (
        _reset(client, db, settings, session, "Zhucun2026").json()["message"]
        == "这是公开的演示密码，请设置您自己的密码。"
    )


def test_a_strong_password_is_accepted(client, db, settings, session):
    assert _reset(client, db, settings, session, STRONG[0]).status_code == 204


def test_the_last_five_passwords_are_refused_and_older_ones_accepted(client, db, settings, session):
    # The demo password, then four more: five in all, the last one current.
    for password in STRONG:
        assert _reset(client, db, settings, session, password).status_code == 204
    for password in STRONG:
        response = _reset(client, db, settings, session, password)
        assert (response.status_code, response.json()["code"]) == (422, "password_reused"), password
    assert _reset(client, db, settings, session, "Shanzhai-yuntian-3380").status_code == 204
    # Now five back is the first of STRONG; the one before it has left the history.
    assert _reset(client, db, settings, session, STRONG[0]).status_code == 422
    user_id = session.scalar(select(User.id).where(User.username == "bangfu"))
    kept = session.scalar(select(func.count()).select_from(PasswordHistory).where(PasswordHistory.user_id == user_id))
    assert kept == 4


def test_the_holder_cannot_change_back_to_a_recent_password(client):
    first = {"username": "zhen", "old_password": "Zhucun2026", "new_password": STRONG[1]}
    assert client.post("/api/v1/auth/password", json=first).status_code == 204
    back = {"username": "zhen", "old_password": STRONG[1], "new_password": STRONG[1] + "x"}
    assert client.post("/api/v1/auth/password", json=back).status_code == 204
    again = {"username": "zhen", "old_password": STRONG[1] + "x", "new_password": STRONG[1]}
    response = client.post("/api/v1/auth/password", json=again)
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        422,
        "password_reused",
        "new_password",
    )


def test_the_minimum_score_is_configurable(client, db, settings, session, app):
    app.state.settings = settings.model_copy(update={"password_min_score": 4})
    assert _reset(client, db, settings, session, "Wang2026pw").status_code == 422
