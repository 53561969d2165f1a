"""The OpenAPI contract is true: schemathesis sends every operation generated
requests, valid and invalid, as a signed-up person, against a real server.

A failure is a server error, a response outside its documented schema or status
codes, or an invalid request accepted. (A valid-looking request refused for what
the schema cannot say, an id that names nothing of yours, is not a failure: it is
documented as 404 or 400.) The budget is fixed (`FUZZ_EXAMPLES` per operation) and
the seed too, so a run is repeatable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from modules.identity.infrastructure.tokens import SessionRefreshToken
from tests.factories import UserFactory

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "openapi.yaml"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Sign-in, sign-up and reset would mail or lock out at random; the account's
# closing erases the person the rest of the run needs.
SKIPPED_HERE = "^/api/v1/(sessions$|users$|password-resets|email-verifications)"

schema = schemathesis.openapi.from_path(CONTRACT).exclude(path_regex=SKIPPED_HERE)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def person_headers(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for scope in ("anon", "user", "auth"):  # many requests in a second are the point
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "100000/second")
    user = UserFactory()
    token = SessionRefreshToken.for_user(user).access_token
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(
    case: Any, live_server: Any, person_headers: dict[str, str]
) -> None:
    case.call_and_validate(
        base_url=live_server.url, headers=person_headers, checks=CHECKS
    )
