"""The rules API: ordered rules that categorise on import, a dry run over history and
applying a rule to history (reversal + corrected entry, never an edit)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.imports.application.rules import Change, apply_to_history, dry_run
from modules.imports.domain.rules import (
    Direction,
    Operator,
    Outcome,
    Rule,
    TextCondition,
    TextField,
)
from modules.imports.infrastructure.history import RulesUnitOfWork
from modules.imports.infrastructure.models import ImportRule
from modules.imports.infrastructure.rule_store import (
    delete_rule,
    rule_row,
    save_rule,
    to_domain,
)
from modules.imports.interfaces.api import serializers as io
from modules.shared.interfaces.api.schema import ERROR_RESPONSES, ErrorResponse

TAG = ["rules"]
NOT_FOUND = {404: OpenApiResponse(ErrorResponse, description="No such rule")}


def rule_from(rule_id: UUID, fields: dict[str, Any]) -> Rule:
    actions = fields.get("actions", {})
    direction = fields.get("direction")
    return Rule(
        id=rule_id,
        name=fields["name"],
        position=fields.get("position", 0),
        conditions=tuple(
            TextCondition(
                field=TextField(c["field"]),
                operator=Operator(c["operator"]),
                value=c["value"],
            )
            for c in fields.get("conditions", [])
        ),
        amount_min=_decimal(fields.get("amount_min")),
        amount_max=_decimal(fields.get("amount_max")),
        account_id=fields.get("account"),
        direction=Direction(direction) if direction else None,
        outcome=Outcome(
            category_id=actions.get("category"),
            payee=actions.get("payee", ""),
            transfer_to=actions.get("transfer_to"),
        ),
    )


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


def change_data(change: Change) -> dict[str, Any]:
    past = change.transaction
    return {
        "transaction": past.transaction_id,
        "date": past.on,
        "payee": past.movement.payee,
        "amount": f"{past.movement.amount:f}",
        "category": past.category_id,
        "new_category": change.outcome.category_id,
        "new_payee": change.outcome.payee,
        "transfer_to": change.outcome.transfer_to,
    }


class RuleList(APIView):
    @extend_schema(
        operation_id="list_rules",
        tags=TAG,
        responses={200: io.CategoryRuleOutput(many=True), **ERROR_RESPONSES},
        summary="The rules, in the order they are tried",
    )
    def get(self, request: Request) -> Response:
        rules = [to_domain(row) for row in ImportRule.objects.all()]
        return Response(io.CategoryRuleOutput(rules, many=True).data)

    @extend_schema(
        operation_id="create_rule",
        tags=TAG,
        request=io.CategoryRuleInput,
        responses={201: io.CategoryRuleOutput, **ERROR_RESPONSES},
        summary="A rule: conditions on text, amount, account and direction; actions",
        description=(
            "All conditions must hold. On import, the first matching rule (lowest "
            "`position`) decides."
        ),
    )
    def post(self, request: Request) -> Response:
        data = io.CategoryRuleInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = save_rule(rule_from(uuid4(), data.validated_data))
        return Response(
            io.CategoryRuleOutput(to_domain(row)).data, status=status.HTTP_201_CREATED
        )


class RuleDetail(APIView):
    @extend_schema(
        operation_id="update_rule",
        tags=TAG,
        request=io.CategoryRuleInput(partial=True),
        responses={200: io.CategoryRuleOutput, **NOT_FOUND, **ERROR_RESPONSES},
        summary="Change a rule (only the fields sent)",
    )
    def patch(self, request: Request, rule_id: UUID) -> Response:
        current = io.CategoryRuleOutput(to_domain(rule_row(rule_id))).data
        data = io.CategoryRuleInput(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        row = save_rule(rule_from(rule_id, data.validated_data))
        return Response(io.CategoryRuleOutput(to_domain(row)).data)

    @extend_schema(
        operation_id="delete_rule",
        tags=TAG,
        responses={204: None, **NOT_FOUND, **ERROR_RESPONSES},
        summary="Delete a rule (what it categorised stays as it is)",
    )
    def delete(self, request: Request, rule_id: UUID) -> Response:
        delete_rule(rule_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RuleDryRuns(APIView):
    @extend_schema(
        operation_id="dry_run_rule",
        tags=TAG,
        request=None,
        responses={200: io.DryRunOutput, **NOT_FOUND, **ERROR_RESPONSES},
        summary="What the rule would change in past transactions (the first 200)",
    )
    def post(self, request: Request, rule_id: UUID) -> Response:
        found = dry_run(uow=RulesUnitOfWork(), rule=to_domain(rule_row(rule_id)))
        return Response(
            io.DryRunOutput({"changes": [change_data(c) for c in found]}).data
        )


class RuleApplications(APIView):
    @extend_schema(
        operation_id="apply_rule",
        tags=TAG,
        request=None,
        responses={200: io.ApplicationOutput, **NOT_FOUND, **ERROR_RESPONSES},
        summary="Apply the rule to history: each change is a reversal and a corrected transaction",
    )
    def post(self, request: Request, rule_id: UUID) -> Response:
        count = apply_to_history(
            uow=RulesUnitOfWork(), rule=to_domain(rule_row(rule_id))
        )
        return Response(io.ApplicationOutput({"corrected": count}).data)
