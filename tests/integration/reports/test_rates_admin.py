"""An admin enters a published reference rate; a bad one is refused on the form."""

from __future__ import annotations

from typing import Any

import pytest

from modules.accounts.infrastructure.models import ReferenceRate

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/referencerate/add/"


def test_an_admin_enters_a_reference_rate(staff_client: Any) -> None:
    body = {"source": "ECB", "base": "eur", "quote": "usd", "day": "2026-01-02"}
    response = staff_client.post(ADD, {**body, "rate": "1.0842"})
    assert response.status_code == 302, response.content
    rate = ReferenceRate.objects.get()
    assert (rate.base, rate.quote, rate.rate) == ("EUR", "USD", "1.0842")

    refused = staff_client.post(ADD, {**body, "day": "2026-01-03", "rate": "-1"})
    assert refused.status_code == 200
    assert "positive decimal number" in refused.content.decode()
    assert ReferenceRate.objects.count() == 1
    assert staff_client.get("/admin/accounts/exchangerate/").status_code == 200
