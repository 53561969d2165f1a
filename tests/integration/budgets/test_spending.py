"""The ledger's spending per category over any days, read from the monthly totals
plus the postings of the months a range cuts, equals the sum of the postings."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from django.db.models import Sum
from rest_framework.test import APIClient

from modules.shared.application.tenancy import tenant_scope
from modules.transactions import api as ledger
from modules.transactions.infrastructure.models import Posting
from tests.factories import UserFactory
from tests.integration.budgets.test_budgets_api import spend
from tests.integration.ledger.test_ledger_api import category_named, create_account

pytestmark = pytest.mark.django_db


def test_spending_matches_the_postings_for_every_range(signed_in: Any) -> None:
    user = UserFactory()
    ana: APIClient = signed_in(user)
    account = create_account(ana, opening_balance="5000.00")
    groceries, fuel = category_named(ana, "Groceries"), category_named(ana, "Fuel")
    ids = {UUID(groceries): groceries, UUID(fuel): fuel}
    days = [date(2028, 1, 31) + timedelta(days=13 * n) for n in range(8)]
    for n, day in enumerate(days):
        spend(ana, account, f"{n + 1}.25", groceries if n % 3 else fuel, on=day)
    paid = spend(ana, account, "3.00", groceries, on=days[2])
    ana.post(f"/api/v1/transactions/{paid['id']}/reversals", {}, format="json")

    edges = sorted({d + timedelta(days=k) for d in days for k in (-1, 0, 1)})
    ranges = [(a, b) for a, b in itertools.combinations(edges, 2)]
    with tenant_scope(user.tenant_id):
        spending = ledger.spending_by_category(ids, ["EUR"], ranges)
        for start, end in ranges:
            for counted in ({UUID(groceries)}, {UUID(fuel)}, set(ids)):
                expected = Posting.objects.filter(
                    counterpart__in=["expense", "income"],
                    category_id__in=counted,
                    occurred_on__range=(start, end),
                ).aggregate(total=Sum("amount_minor"))["total"]
                total = spending.total(counted, "EUR", start, end)
                assert total == (expected or 0), (start, end, counted)
