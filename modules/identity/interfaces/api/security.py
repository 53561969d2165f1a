"""The caller's own security over the API: password, address, two-step sign-in."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from modules.identity.application import account_security, use_cases
from modules.identity.infrastructure import sign_ins
from modules.identity.infrastructure.auth import lockout_policy
from modules.identity.infrastructure.models import User
from modules.identity.infrastructure.stores import to_member
from modules.identity.infrastructure.tokens import FAMILY_CLAIM, SessionRefreshToken
from modules.identity.infrastructure.totp import qr_svg
from modules.identity.infrastructure.uow import unit_of_work
from modules.identity.interfaces.api import serializers as io
from modules.identity.interfaces.api.views import token_pair
from modules.shared.interfaces.api.schema import ERROR_RESPONSES
from modules.shared.interfaces.api.throttling import (
    SensitiveEndpointThrottle,
    UserRateThrottle,
)


class SensitiveSelfService(APIView):
    """Checks a password or a code: the per-IP budget of sign-in applies too, and a
    wrong one counts towards the sign-in lockout."""

    # Each action reads its body with `input_class` and builds its `proof` here.
    throttle_classes = [UserRateThrottle, SensitiveEndpointThrottle]
    input_class: type[Serializer] = io.CodeInput

    def checked_input(self, request: Request) -> dict[str, Any]:
        data = self.input_class(
            data=request.data, context={"email": request.user.email}
        )
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @staticmethod
    def proof(password: str, *, field: str) -> use_cases.Proof:
        return use_cases.Proof(
            password=password, field=field, policy=lockout_policy(), surface="api"
        )


class PasswordChanges(SensitiveSelfService):
    throttle_endpoint = "password-change"
    input_class = io.PasswordChangeInput

    @extend_schema(
        operation_id="change_password",
        tags=["identity"],
        request=io.PasswordChangeInput,
        responses={200: io.SessionOutput, **ERROR_RESPONSES},
        summary="Change your password: every other session, token and socket ends",
        description=(
            "A new password refuses every token made under the old one, this "
            "caller's included, so the answer carries a new pair for this sign-in "
            "(the same device, in the list of sessions): use it from now on. "
            "A wrong `current_password` answers 400 `INVALID_PASSWORD`."
        ),
    )
    def post(self, request: Request) -> Response:
        user: User = request.user
        data = self.checked_input(request)
        use_cases.change_password(
            uow=unit_of_work(),
            member_id=user.id,
            proof=self.proof(data["current_password"], field="current_password"),
            new_password=data["new_password"],
        )
        user.refresh_from_db()
        family = str(request.auth.get(FAMILY_CLAIM))
        sign_ins.carry_over(user=user, old_key=family)
        sign_ins.end_other_sign_ins(user, keep_key=family)
        refresh = SessionRefreshToken.for_family(user, family)
        return Response(io.SessionOutput(token_pair(refresh)).data)


class EmailChanges(SensitiveSelfService):
    throttle_endpoint = "email-change"
    input_class = io.EmailChangeInput

    @extend_schema(
        operation_id="change_email",
        tags=["identity"],
        request=io.EmailChangeInput,
        responses={202: OpenApiResponse(description="Link sent"), **ERROR_RESPONSES},
        summary="Change your sign-in address: it takes effect from the mailed link",
    )
    def post(self, request: Request) -> Response:
        data = self.checked_input(request)
        account_security.request_email_change(
            uow=unit_of_work(),
            member=to_member(request.user),
            new_email=data["new_email"],
            proof=self.proof(data["password"], field="password"),
        )
        return Response(status=status.HTTP_202_ACCEPTED)


class Totp(SensitiveSelfService):
    throttle_endpoint = "second-factor"

    @extend_schema(
        operation_id="start_totp",
        tags=["identity"],
        request=None,
        responses={201: io.TotpSetupOutput, **ERROR_RESPONSES},
        summary="Start two-step sign-in: a secret for the authenticator app",
        description="409 `TOTP_ALREADY_ON` when it is on; turn it off first.",
    )
    def post(self, request: Request) -> Response:
        setup = account_security.start_totp(
            uow=unit_of_work(), member_id=request.user.id
        )
        body = {
            "secret": setup.secret,
            "otpauth_uri": setup.uri,
            "qr_svg": qr_svg(setup.uri),
        }
        return Response(io.TotpSetupOutput(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="stop_totp",
        tags=["identity"],
        request=io.CodeInput,
        responses={204: OpenApiResponse(description="Off"), **ERROR_RESPONSES},
        summary="Turn two-step sign-in off, with a code (a wrong one counts towards the lockout)",
    )
    def delete(self, request: Request) -> Response:
        account_security.turn_off_totp(
            uow=unit_of_work(),
            member=to_member(request.user),
            code=self.checked_input(request)["code"],
            policy=lockout_policy(),
            surface="api",
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class TotpConfirmations(SensitiveSelfService):
    throttle_endpoint = "second-factor"

    @extend_schema(
        operation_id="confirm_totp",
        tags=["identity"],
        request=io.CodeInput,
        responses={201: io.RecoveryCodesOutput, **ERROR_RESPONSES},
        summary="Turn two-step sign-in on with a first code: ten recovery codes, once",
    )
    def post(self, request: Request) -> Response:
        codes = account_security.confirm_totp(
            uow=unit_of_work(),
            member=to_member(request.user),
            code=self.checked_input(request)["code"],
        )
        body = {"recovery_codes": codes}
        return Response(
            io.RecoveryCodesOutput(body).data, status=status.HTTP_201_CREATED
        )
