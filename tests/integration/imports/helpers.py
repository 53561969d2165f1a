"""Uploading statements through the API, for the imports tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
SCHWAB = {
    "date": "Date",
    "debit": "Withdrawal",
    "credit": "Deposit",
    "description": "Description",
    "reference": "CheckNumber",
}


def upload(
    client: APIClient,
    account: dict[str, Any],
    *,
    content: bytes | None = None,
    sample: str = "",
    name: str = "statement.csv",
    mapping: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    data = content if content is not None else (SAMPLES / sample).read_bytes()
    body: dict[str, Any] = {
        "file": SimpleUploadedFile(sample or name, data),
        "account": account["id"],
        **fields,
    }
    if mapping is not None:
        body["mapping"] = json.dumps(mapping)
    response = client.post("/api/v1/imports", body, format="multipart")
    assert response.status_code == 202, response.content
    found = client.get(f"/api/v1/imports/{response.json()['id']}")
    assert found.status_code == 200
    return dict(found.json())


def confirm(
    client: APIClient, found: dict[str, Any], rows: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/imports/{found['id']}/confirmations",
        {"rows": rows or []},
        format="json",
    )
    assert response.status_code == 202, response.content
    return dict(client.get(f"/api/v1/imports/{found['id']}").json())


def csv_lines(*lines: str) -> bytes:
    return ("Date,Amount,Payee\n" + "\n".join(lines) + "\n").encode()


SIMPLE = {"date": "Date", "amount": "Amount", "payee": "Payee"}
