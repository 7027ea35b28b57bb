"""No work before authentication: an upload from someone who may not send it is refused from
its headers, without its body being read; the public login and token forms take only small
URL-encoded bodies."""

from __future__ import annotations

import threading

import anyio
import pytest

from tests.factories.auth import bearer_headers, cookie_headers

BOUNDARY = b"zhucun-boundary"
SIZE = 8 << 20  # several MB, well under the upload limit


class Upload:
    """A multipart body sent in 64 KiB pieces straight to the ASGI app, counting what it takes."""

    def __init__(self, size: int = SIZE):
        head = b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        tail = b"\r\n--" + BOUNDARY + b"--\r\n"
        self.pieces = [head, *([b"x" * 65536] * (size // 65536)), tail]
        self.length = sum(map(len, self.pieces))
        self.taken = 0
        self.status: int | None = None

    async def receive(self) -> dict:
        if not self.pieces:
            return {"type": "http.disconnect"}
        piece = self.pieces.pop(0)
        self.taken += len(piece)
        return {"type": "http.request", "body": piece, "more_body": bool(self.pieces)}

    async def send(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]

    def post(self, app, path: str, headers: dict[str, str] | None = None) -> Upload:
        raw = [
            (b"host", b"testserver"),
            (b"content-type", b"multipart/form-data; boundary=" + BOUNDARY),
            (b"content-length", str(self.length).encode()),
            *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
        ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": raw,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": {},
        }
        # In a thread of its own: a worker that ran the browser tests keeps Playwright's event
        # loop running in the main thread, where a second loop cannot start.
        errors: list[BaseException] = []

        def serve() -> None:
            try:
                anyio.run(app, scope, self.receive, self.send)
            except BaseException as exc:  # re-raised in the test's thread
                errors.append(exc)

        thread = threading.Thread(target=serve)
        thread.start()
        thread.join()
        if errors:
            raise errors[0]
        return self


UPLOADS = ["/imports/members", "/imports/cadres", "/divisions/import"]
API_UPLOADS = ["/api/v1/imports/members", "/api/v1/imports/cadres", "/api/v1/divisions/import"]


@pytest.mark.parametrize("path", UPLOADS)
def test_an_anonymous_upload_page_is_sent_to_the_login_form_unread(app, path):
    upload = Upload().post(app, path)
    assert upload.status == 303
    assert upload.taken == 0


@pytest.mark.parametrize("path", API_UPLOADS)
def test_an_anonymous_api_upload_answers_401_unread(app, path):
    upload = Upload().post(app, path)
    assert upload.status == 401
    assert upload.taken == 0


@pytest.mark.parametrize("path", API_UPLOADS)
def test_an_upload_with_a_forged_token_answers_401_unread(app, path):
    upload = Upload().post(app, path, {"Authorization": "Bearer forged"})
    assert upload.status == 401
    assert upload.taken == 0


def test_an_upload_from_a_role_without_the_permission_answers_403_unread(app, db, settings):
    upload = Upload().post(app, "/api/v1/imports/members", bearer_headers(db, settings, "bangfu"))
    assert upload.status == 403
    assert upload.taken == 0


def test_an_upload_page_from_a_role_without_the_permission_answers_403_unread(app, db, settings):
    headers, _csrf = cookie_headers(db, settings, "bangfu")
    upload = Upload().post(app, "/imports/members", headers)
    assert upload.status == 403
    assert upload.taken == 0


def test_a_permitted_upload_is_still_read(app, db, settings):
    headers, csrf = cookie_headers(db, settings, "zhen")
    upload = Upload(1 << 20).post(app, "/imports/members", {**headers, "X-CSRF-Token": csrf})
    assert upload.taken == upload.length
    assert upload.status is not None and upload.status < 500


@pytest.mark.parametrize("path", ["/login", "/api/v1/auth/token", "/api/v1/auth/password", "/account/password"])
def test_the_public_forms_refuse_a_multipart_body_unread(app, path):
    upload = Upload().post(app, path)
    assert upload.status == 415
    assert upload.taken == 0


@pytest.mark.parametrize("path", ["/login", "/api/v1/auth/token"])
def test_the_public_forms_refuse_a_large_form(client, path):
    response = client.post(path, data={"username": "zhen", "password": "x" * 10_000})
    assert response.status_code == 413


def test_the_token_endpoint_refuses_json(client):
    response = client.post("/api/v1/auth/token", json={"username": "zhen", "password": "x"})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
