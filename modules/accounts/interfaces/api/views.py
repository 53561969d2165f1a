"""The accounts API: list with balances and totals, open, read, rename or archive."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.accounts.application.use_cases import (
    OpenAccount,
    UpdateAccount,
    open_account,
    update_account,
)
from modules.accounts.domain.accounts import AccountKind
from modules.accounts.domain.rates import checked_pair, parse_rate
from modules.accounts.infrastructure import rates, selectors
from modules.accounts.infrastructure.rates import owner_today
from modules.accounts.infrastructure.stores import connected_ledger
from modules.accounts.infrastructure.uow import unit_of_work
from modules.accounts.interfaces.api import serializers as io
from modules.identity import api as identity
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.text import gettext_noop
from modules.shared.interfaces.api.idempotency import idempotent
from modules.shared.interfaces.api.money import RateUsedOutput
from modules.shared.interfaces.api.pagination import CursorPage, page_schema
from modules.shared.interfaces.api.schema import ERROR_RESPONSES

AccountPage = page_schema(
    "AccountPage",
    io.AccountOutput(many=True),
    totals=io.TotalsOutput(many=True),
    totals_in_base=io.TotalsInBaseOutput(),
)


def account_view(account_id: UUID) -> selectors.AccountView:
    row = selectors.account_rows().filter(id=account_id).first()
    if row is None:
        raise NotFoundError(gettext_noop("No such account."))
    return selectors.with_balances([row])[0]


class AccountPagination(CursorPage):
    ordering = ("name", "id")


class AccountList(APIView):
    @extend_schema(
        operation_id="list_accounts",
        tags=["accounts"],
        responses={200: AccountPage, **ERROR_RESPONSES},
        summary=(
            "Accounts with current balances, totals per currency and all together "
            "in the base currency"
        ),
    )
    def get(self, request: Request) -> Response:
        # One SUM over the tenant's postings serves both the page and the totals.
        paginator = AccountPagination()
        page = (
            paginator.paginate_queryset(selectors.account_rows(), request, view=self)
            or []
        )
        active = list(selectors.account_rows(include_archived=False))
        raw = connected_ledger().raw_balances({row.id for row in [*page, *active]})
        with_balance = selectors.with_known_balances
        response = paginator.get_paginated_response(
            io.AccountOutput(with_balance(page, raw), many=True).data
        )
        totals = selectors.totals_by_currency(with_balance(active, raw))
        response.data["totals"] = io.TotalsOutput(totals, many=True).data
        owner = identity.owner_settings()
        in_base = rates.totals_in_base(
            totals, owner.base_currency, owner_today(owner.time_zone)
        )
        response.data["totals_in_base"] = io.TotalsInBaseOutput(in_base).data
        return response

    @extend_schema(
        operation_id="create_account",
        tags=["accounts"],
        request=io.AccountInput,
        responses={201: io.AccountOutput, **ERROR_RESPONSES},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.AccountInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = data.validated_data
        account = open_account(
            uow=unit_of_work(),
            command=OpenAccount(
                tenant_id=current_tenant_id(),
                name=fields["name"],
                kind=AccountKind(fields["kind"]),
                currency=fields["currency"],
                opening_balance=fields.get("opening_balance"),
                institution=fields.get("institution", ""),
                notes=fields.get("notes", ""),
                opened_on=timezone.localdate(),
            ),
        )
        return Response(
            io.AccountOutput(account_view(account.id)).data,
            status=status.HTTP_201_CREATED,
        )


class AccountDetail(APIView):
    @extend_schema(
        operation_id="get_account",
        tags=["accounts"],
        responses={200: io.AccountOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request, account_id: UUID) -> Response:
        return Response(io.AccountOutput(account_view(account_id)).data)

    @extend_schema(
        operation_id="update_account",
        tags=["accounts"],
        request=io.AccountPatchInput,
        responses={200: io.AccountOutput, **ERROR_RESPONSES},
        summary="Rename, describe, archive or restore",
    )
    def patch(self, request: Request, account_id: UUID) -> Response:
        data = io.AccountPatchInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        update_account(
            uow=unit_of_work(),
            command=UpdateAccount(account_id=account_id, **data.validated_data),
        )
        return Response(io.AccountOutput(account_view(account_id)).data)


class RatePagination(CursorPage):
    ordering = ("-day", "base", "quote", "id")


RatePage = page_schema(
    "ExchangeRatePage",
    io.ExchangeRateOutput(many=True),
    in_use=RateUsedOutput(allow_null=True),
)


class ExchangeRateList(APIView):
    @extend_schema(
        operation_id="list_exchange_rates",
        tags=["exchange rates"],
        parameters=[io.ExchangeRateQuery],
        responses={200: RatePage, **ERROR_RESPONSES},
        summary="Your rates, newest first; with a pair, also the rate totals use",
    )
    def get(self, request: Request) -> Response:
        query = io.ExchangeRateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = rates.person_rates()
        pair = None
        if "base" in params or "quote" in params:
            pair = checked_pair(params.get("base", ""), params.get("quote", ""))
            rows = rows.filter(base=pair[0], quote=pair[1])
        paginator = RatePagination()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        response = paginator.get_paginated_response(
            io.ExchangeRateOutput(page, many=True).data
        )
        response.data["in_use"] = None
        if pair is not None:
            on = params.get("date") or owner_today()
            found = rates.rate_book(pair, since=on, until=on).quote(*pair, on)
            response.data["in_use"] = found and RateUsedOutput(found).data
        return response

    @extend_schema(
        operation_id="create_exchange_rate",
        tags=["exchange rates"],
        request=io.ExchangeRateInput,
        responses={201: io.ExchangeRateOutput, **ERROR_RESPONSES},
        summary="Your rate between two currencies on one day",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.ExchangeRateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = data.validated_data
        row = rates.add_rate(
            base=fields["base"],
            quote=fields["quote"],
            day=fields["date"],
            rate=parse_rate(fields["rate"]),
        )
        return Response(io.ExchangeRateOutput(row).data, status=status.HTTP_201_CREATED)
