"""Where a request without a session is sent: to the login form, which then returns to the page."""

from urllib.parse import quote

import pytest

CHILDREN = "/divisions/522799101000/children"


def login_for(path: str) -> str:
    return "/login?next=" + quote(path, safe="")


def test_a_page_returns_to_itself(client):
    response = client.get("/divisions?q=%E6%B2%B3", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == login_for("/divisions?q=%E6%B2%B3")


@pytest.mark.parametrize(
    ("current", "back_to"),
    [
        ("http://testserver/divisions?q=%E6%B2%B3", "/divisions?q=%E6%B2%B3"),
        ("http://elsewhere.example/divisions/522799101201", "/divisions/522799101201"),  # only the path is kept
        ("http://testserver//elsewhere.example/x", "//elsewhere.example/x"),  # refused by the login form
        (None, "/"),
    ],
)
def test_an_htmx_piece_returns_to_the_page_that_asked_for_it(client, current, back_to):
    headers = {"HX-Request": "true", **({"HX-Current-URL": current} if current else {})}
    response = client.get(CHILDREN, headers=headers, follow_redirects=False)
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == login_for(back_to)
    assert CHILDREN not in response.headers["hx-redirect"]


def test_the_login_form_ignores_a_next_that_leaves_the_site(client):
    client.get("/login")
    csrf = client.cookies.get("zhucun_csrf")
    response = client.post(
        "/login",
        data={"username": "zhen", "password": "Zhucun2026", "csrf_token": csrf, "next": "//elsewhere.example/x"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
