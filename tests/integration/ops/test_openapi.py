"""The OpenAPI contract: served, valid, in step with the checked-in file, no CDN."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

CONTRACT = Path(__file__).resolve().parents[3] / "contracts" / "openapi.yaml"


def test_schema_is_served_and_valid(staff_client: Client) -> None:
    response = staff_client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi"
    )
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert "/api/v1/sessions" in schema["paths"]
    assert "jwtAuth" in schema["components"]["securitySchemes"]


def test_checked_in_contract_matches_the_code(tmp_path: Path) -> None:
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate")
    assert generated.read_text() == CONTRACT.read_text(), (
        "run `make contract` and commit"
    )


def test_every_operation_documents_the_error_shape() -> None:
    schema = yaml.safe_load(CONTRACT.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"] or "401" in operation["responses"], (
                path,
                method,
            )


def test_request_bodies_have_examples() -> None:
    schema = yaml.safe_load(CONTRACT.read_text())
    registration = schema["paths"]["/api/v1/users"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert registration.get("examples")


def test_swagger_ui_is_served_from_our_own_static_files(
    staff_client: Client,
) -> None:
    html = staff_client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html and "unpkg" not in html
