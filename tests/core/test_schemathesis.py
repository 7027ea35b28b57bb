"""Schemathesis over the app's own /openapi.json, in-process: whatever a caller sends, valid or
not, no operation answers with a server error (5xx).

Each account fuzzes every operation with a bounded number of positive and negative examples,
derandomized so that a run is repeatable; path parameters are generated, or name an existing
village, account and grant so that bodies reach the code behind the lookup. The token is
obtained before fuzzing, so the login
throttle never sees the test accounts; everything the fuzzer changes is rolled back with the
test's transaction.

Schemathesis' pytest integration (``schemathesis.pytest.from_fixture``) does not run under
pytest 9 (it reads ``Function._nodeid``), so the operations are driven through its public
loader and strategies: ``schemathesis.openapi.from_asgi`` and ``APIOperation.as_strategy``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import DeadlineExceeded
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from sqlalchemy import select

from tests.conftest import api_token
from tests.core.route_samples import PARAMS
from tests.factories.world import World
from zhucun.core.auth import API, start_session
from zhucun.core.models import RoleGrant, User

pytestmark = pytest.mark.slow

# The budget, explicit so that the test's time is bounded and predictable: each operation gets
# at most EXAMPLES_PER_OPERATION cases per account (79 operations × 10 × 2 accounts ≈ 1,600
# in-process requests: 65–70 s per account on a 2-core machine under a load of 8, against
# 150 s with 30 cases), and one
# case may take at most DEADLINE — a request that slow points at a runaway query or loop, not
# at a busy machine. The time grows with the number of operations, not with luck.
EXAMPLES_PER_OPERATION = 10
DEADLINE = timedelta(seconds=5)
FUZZED_ACCOUNTS = ("admin", "zhen")
# The account the fuzzer acts on whenever it picks the fuzzing account itself: revoking its own
# role or resetting its own password would leave every later operation answering 401/403.
STAND_IN = "cunwei"
LOGOUT = ("POST", "/api/v1/auth/logout")

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=DEADLINE,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def user_id(db, username: str) -> int:
    with db.begin(write=False) as session:
        return session.scalars(select(User.id).where(User.username == username)).one()


def first_grant_id(db, owner: int) -> int:
    with db.begin(write=False) as session:
        return session.scalars(select(RoleGrant.id).where(RoleGrant.user_id == owner).order_by(RoleGrant.id)).first()


def mint_token(db, settings, username: str) -> str:
    """A token made without logging in, for the calls that end the token they use."""
    with db.begin() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        secret, _row = start_session(session, user, kind=API, settings=settings)
    return secret


class Fuzzer:
    """Calls the generated cases as one account and collects every server error."""

    def __init__(self, db, settings, world: World, username: str, token: str):
        self.db, self.settings, self.username = db, settings, username
        self.headers = {"Authorization": f"Bearer {token}"}
        self.own_id, self.stand_in_id = user_id(db, username), user_id(db, STAND_IN)
        # Existing keys, so that the fuzzer also gets past the lookup to what a route does with a body:
        # those of the route table's samples, with a stand-in for the fuzzing account itself.
        with db.begin(write=False) as session:
            self.known = {name: make(session, world.a) for name, make in PARAMS.items()}
        self.known.update({"user_id": self.stand_in_id, "grant_id": first_grant_id(db, self.stand_in_id)})
        self.failures: list[str] = []

    def call(self, case: Case) -> None:
        headers = dict(self.headers)
        if (case.method.upper(), case.operation.path) == LOGOUT:
            headers["Authorization"] = f"Bearer {mint_token(self.db, self.settings, self.username)}"
        parameters = case.path_parameters or {}
        if "user_id" in parameters and str(parameters["user_id"]).strip().lstrip("0") == str(self.own_id):
            parameters["user_id"] = self.stand_in_id
        try:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])
        except FailureGroup:
            raise
        except Exception as exc:  # the app raised through its 500 answer: say which request did it
            raise AssertionError(f"{exc!r} answering\n{case.as_curl_command(headers=headers)}") from exc

    def strategy(self, operation) -> st.SearchStrategy[Case]:
        """Positive and negative cases, with generated path parameters and with existing ones."""
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        strategies = [operation.as_strategy(mode) for mode in modes]
        names = re.findall(r"{(\w+)}", operation.path)
        known = {name: self.known[name] for name in names if name in self.known}
        if known and len(known) == len(names):
            strategies += [operation.as_strategy(mode, path_parameters=known) for mode in modes]
        return st.one_of(strategies)

    def fuzz(self, operation) -> None:
        strategy = self.strategy(operation)

        @FUZZ_SETTINGS
        @given(case=strategy)
        def run(case: Case) -> None:
            self.call(case)

        try:
            run()
        # Every failing operation is reported, not only the first.
        except (AssertionError, FailureGroup, DeadlineExceeded) as exc:
            self.failures.append(f"{operation.label}:\n{exc}")


@pytest.mark.parametrize("username", FUZZED_ACCOUNTS)
def test_no_operation_answers_a_server_error(app, client, db, settings, world, username):
    token = api_token(client, username)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    fuzzer = Fuzzer(db, settings, world, username, token)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:
        fuzzer.fuzz(operation)
    if fuzzer.failures:
        pytest.fail("\n\n".join(fuzzer.failures), pytrace=False)
    # The run fuzzed as the account to the end: its token still works.
    assert client.get("/api/v1/auth/me", headers=fuzzer.headers).status_code == 200
