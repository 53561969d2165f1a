"""django-hordak behind the product's own HTTP stack, for the ledger benchmark only.

The product's URLs plus three endpoints over hordak's models, served by the same
gunicorn command, middleware, JWT authentication, throttles and JSON renderer as
`POST /api/v1/transactions`; only the ledger behind the view differs:

    POST /bench/hordak/transfers        one transfer, body as ours (type "transfer",
                                        from_account, to_account, amount, date)
    GET  /bench/hordak/balances         every account's balance, one query
                                        (`Account.objects.with_balances()`)
    GET  /bench/hordak/balances?each=1  the same through `account.get_balance()` each

A transfer is `Account.transfer_to()` (a Transaction and two Legs) in one database
transaction, as hordak's docs show. The view does less than ours: no idempotency
record, no outbox events, no tenant checks: a floor for hordak, not a handicap.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import path
from moneyed import Money
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as product_urls


class TransferInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=["transfer"])
    from_account = serializers.UUIDField()
    to_account = serializers.UUIDField()
    amount = serializers.DecimalField(max_digits=13, decimal_places=2, min_value=0)
    date = serializers.DateField()


class Transfers(APIView):
    def post(self, request: Request) -> Response:
        from hordak.models import Account

        data = TransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        found = data.validated_data
        with transaction.atomic():
            accounts = {
                account.uuid: account
                for account in Account.objects.filter(
                    uuid__in=[found["from_account"], found["to_account"]]
                )
            }
            record = accounts[found["from_account"]].transfer_to(
                accounts[found["to_account"]],
                Money(found["amount"], "USD"),
                date=found["date"],
            )
        return Response({"id": str(record.uuid)}, status=status.HTTP_201_CREATED)


class Balances(APIView):
    def get(self, request: Request) -> Response:
        from hordak.models import Account

        if request.query_params.get("each"):
            rows = [(a, a.get_balance()) for a in Account.objects.order_by("name")]
        else:
            rows = [
                (a, a.balance) for a in Account.objects.order_by("name").with_balances()
            ]
        return Response(
            {"results": [_balance(account, balance) for account, balance in rows]}
        )


def _balance(account: Any, balance: Any) -> dict[str, str]:
    money = balance["USD"] if hasattr(balance, "monies") else balance
    amount = getattr(money, "amount", money)
    return {
        "id": str(account.uuid),
        "name": account.name,
        "balance": str(Decimal(amount).quantize(Decimal("0.01"))),
    }


urlpatterns = [
    path("bench/hordak/transfers", Transfers.as_view()),
    path("bench/hordak/balances", Balances.as_view()),
    *product_urls,
]
