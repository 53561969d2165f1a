"""The exchange rates a person entered are theirs: they are in the export, and
another person's are not."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import UserFactory
from tests.integration.privacy.test_exports import download, export, rows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"


def test_the_export_holds_the_persons_own_rates(signed_in: Any) -> None:
    ana, ben = signed_in(UserFactory()), signed_in(UserFactory())
    for client, rate in ((ana, "0.92"), (ben, "0.5")):
        response = client.post(
            "/api/v1/exchange-rates",
            {"base": "USD", "quote": "EUR", "rate": rate, "date": "2026-01-15"},
            format="json",
        )
        assert response.status_code == 201, response.content

    archive = download(export(ana)["download_url"])

    found, as_csv = rows(archive, "exchange_rates")
    assert [(r["base"], r["quote"], r["rate"], r["day"]) for r in found] == [
        ("USD", "EUR", "0.92", "2026-01-15")
    ]
    assert [r["rate"] for r in as_csv] == ["0.92"]
