"""The identity API: sign-up, verification, sessions, password reset and profile;
the caller's own security (password, address, two-step sign-in) is in `security`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError

from modules.identity.application import use_cases
from modules.identity.domain.members import Preferences
from modules.identity.infrastructure import sign_ins
from modules.identity.infrastructure.auth import lockout_policy
from modules.identity.infrastructure.models import Profile, SignIn, User
from modules.identity.infrastructure.reset import queue_password_reset
from modules.identity.infrastructure.stores import to_member
from modules.identity.infrastructure.tokens import (
    FAMILY_CLAIM,
    SessionRefreshSerializer,
    SessionRefreshToken,
    revoke_family,
)
from modules.identity.infrastructure.uow import unit_of_work
from modules.identity.interfaces.api import serializers as io
from modules.shared.domain.errors import AuthenticationError, NotFoundError
from modules.shared.domain.text import gettext_noop
from modules.shared.interfaces.api.pagination import CursorPage, page_schema
from modules.shared.interfaces.api.schema import ERROR_RESPONSES
from modules.shared.interfaces.api.throttling import (
    AnonymousRateThrottle,
    SensitiveEndpointThrottle,
)

PUBLIC_THROTTLES = [AnonymousRateThrottle, SensitiveEndpointThrottle]


class PublicEndpoint(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]


class SensitivePublicEndpoint(PublicEndpoint):
    throttle_classes = PUBLIC_THROTTLES


class UserRegistration(SensitivePublicEndpoint):
    throttle_endpoint = "register"

    @extend_schema(
        operation_id="register",
        tags=["identity"],
        request=io.RegistrationInput,
        responses={201: io.RegistrationOutput, **ERROR_RESPONSES},
        summary="Sign up; a verification email follows",
        description=(
            "The answer is the same whether or not the address already has an "
            "account: its owner is emailed instead, and the id then names nobody."
        ),
    )
    def post(self, request: Request) -> Response:
        data = io.RegistrationInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        preferences = Preferences(
            **{
                k: fields[k]
                for k in ("locale", "timezone", "base_currency")
                if k in fields
            }
        )
        member_id = use_cases.register_member(
            uow=unit_of_work(),
            command=use_cases.Registration(
                email=fields["email"],
                password=fields["password"],
                accepted_terms=fields["accepted_terms"],
                preferences=preferences,
            ),
        )
        body = {"id": member_id, "email": fields["email"], "email_verified": False}
        return Response(
            io.RegistrationOutput(body).data, status=status.HTTP_201_CREATED
        )


class EmailVerification(PublicEndpoint):
    @extend_schema(
        operation_id="verify_email",
        tags=["identity"],
        request=io.TokenInput,
        responses={
            204: OpenApiResponse(description="Email verified"),
            **ERROR_RESPONSES,
        },
    )
    def post(self, request: Request) -> Response:
        data = io.TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        use_cases.verify_email(uow=unit_of_work(), token=data.validated_data["token"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class Sessions(APIView):
    """POST signs in (public); GET lists the caller's signed-in devices."""

    throttle_endpoint = "login"

    def _signing_in(self) -> bool:
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self) -> list[Any]:
        return [] if self._signing_in() else super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self._signing_in() else super().get_permissions()

    def get_throttles(self) -> list[Any]:
        if self._signing_in():
            return [throttle() for throttle in PUBLIC_THROTTLES]
        return super().get_throttles()

    @extend_schema(
        operation_id="login",
        tags=["identity"],
        auth=[],
        request=io.SessionInput,
        responses={201: io.SessionOutput, **ERROR_RESPONSES},
        summary="Sign in: a 15-minute access token and a 7-day refresh token",
        description=(
            "With two-step sign-in on, a request without `otp` answers 401 "
            "`OTP_REQUIRED` and a wrong one 400 `OTP_INVALID` (it counts towards "
            "the lockout); `otp` takes a 6-digit code or a recovery code."
        ),
    )
    def post(self, request: Request) -> Response:
        data = io.SessionInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = use_cases.authenticate_member(
            uow=unit_of_work(),
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            policy=lockout_policy(),
            surface="api",
            otp=data.validated_data.get("otp"),
        )
        user = User.objects.get(id=member.id)
        refresh = SessionRefreshToken.for_user(user)
        sign_ins.record_sign_in(
            user=user, kind=SignIn.Kind.APP, key=refresh[FAMILY_CLAIM], request=request
        )
        return Response(
            io.SessionOutput(token_pair(refresh)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        operation_id="list_sessions",
        tags=["identity"],
        responses={
            200: page_schema("SignInPage", io.SignInOutput(many=True)),
            **ERROR_RESPONSES,
        },
        summary="Your signed-in devices: browser sessions and app sign-ins",
    )
    def get(self, request: Request) -> Response:
        paginator = CursorPage()
        rows = sign_ins.sign_ins_of(request.user)
        page = paginator.paginate_queryset(rows, request, view=self) or []
        current = _current_family(request)
        for row in page:
            row.current = row.key == current  # type: ignore[attr-defined]
        return paginator.get_paginated_response(io.SignInOutput(page, many=True).data)


def token_pair(refresh: SessionRefreshToken) -> dict[str, Any]:
    access = refresh.access_token
    return {
        "access": str(access),
        "refresh": str(refresh),
        "access_expires_at": datetime.fromtimestamp(access["exp"], tz=UTC),
    }


def _current_family(request: Request) -> str:
    token = request.auth
    return str(token.get(FAMILY_CLAIM, "")) if token is not None else ""


class SessionDetail(APIView):
    @extend_schema(
        operation_id="end_session",
        tags=["identity"],
        responses={204: OpenApiResponse(description="Signed out"), **ERROR_RESPONSES},
        summary="Sign one device out: its session or its tokens stop working at once",
    )
    def delete(self, request: Request, sign_in_id: UUID) -> Response:
        if not sign_ins.end_sign_in(request.user, sign_in_id):
            raise NotFoundError(gettext_noop("No such session."))
        use_cases.record_sign_ins_ended(
            uow=unit_of_work(), member=to_member(request.user), count=1, surface="api"
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionRefresh(PublicEndpoint):
    @extend_schema(
        operation_id="refresh_session",
        tags=["identity"],
        request=io.RefreshInput,
        responses={201: io.RefreshOutput, **ERROR_RESPONSES},
        summary="Trade a refresh token for a new pair; the old one stops working",
    )
    def post(self, request: Request) -> Response:
        data = SessionRefreshSerializer(data=request.data, context={"request": request})
        try:
            data.is_valid(raise_exception=True)
        except TokenError as error:
            raise AuthenticationError(str(error), code="TOKEN_INVALID") from None
        return Response(io.RefreshOutput(data.validated_data).data, status=201)


class CurrentSession(PublicEndpoint):
    @extend_schema(
        operation_id="logout",
        tags=["identity"],
        request=io.RefreshInput,
        responses={204: OpenApiResponse(description="Signed out"), **ERROR_RESPONSES},
        summary="Sign out: this sign-in's refresh and access tokens are revoked",
    )
    def delete(self, request: Request) -> Response:
        data = io.RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            refresh = SessionRefreshToken(data.validated_data["refresh"])
            refresh.blacklist()
            revoke_family(refresh, reason="signed_out")
        except TokenError as error:
            raise AuthenticationError(str(error), code="TOKEN_INVALID") from None
        user = User.objects.filter(id=refresh.get("user_id")).first()
        if user is not None:
            use_cases.record_logout(
                uow=unit_of_work(),
                member_id=user.id,
                tenant_id=user.tenant_id,
                surface="api",
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResets(SensitivePublicEndpoint):
    throttle_endpoint = "password-reset"

    @extend_schema(
        operation_id="request_password_reset",
        tags=["identity"],
        request=io.PasswordResetInput,
        responses={202: OpenApiResponse(description="Accepted"), **ERROR_RESPONSES},
        summary="Email a reset link; the answer is the same whether or not the email exists",
    )
    def post(self, request: Request) -> Response:
        data = io.PasswordResetInput(data=request.data)
        data.is_valid(raise_exception=True)
        queue_password_reset(data.validated_data["email"])
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmations(SensitivePublicEndpoint):
    throttle_endpoint = "password-reset"

    @extend_schema(
        operation_id="confirm_password_reset",
        tags=["identity"],
        request=io.PasswordResetConfirmationInput,
        responses={
            204: OpenApiResponse(description="Password changed"),
            **ERROR_RESPONSES,
        },
    )
    def post(self, request: Request) -> Response:
        data = io.PasswordResetConfirmationInput(data=request.data)
        data.is_valid(raise_exception=True)
        use_cases.reset_password(
            uow=unit_of_work(),
            token=data.validated_data["token"],
            new_password=data.validated_data["password"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class Me(APIView):
    @extend_schema(
        operation_id="get_me",
        tags=["identity"],
        responses={200: io.MeOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        return Response(io.MeOutput(_me(request)).data)

    @extend_schema(
        operation_id="update_me",
        tags=["identity"],
        request=io.MePatchInput,
        responses={200: io.MeOutput, **ERROR_RESPONSES},
    )
    def patch(self, request: Request) -> Response:
        data = io.MePatchInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        use_cases.update_preferences(
            uow=unit_of_work(),
            command=use_cases.UpdatePreferences(
                member_id=request.user.id,
                tenant_id=request.user.tenant_id,
                **data.validated_data,
            ),
        )
        return Response(io.MeOutput(_me(request)).data)


def _me(request: Request) -> User:
    """The caller, with their profile read through the tenant-scoped manager."""
    user: User = request.user
    user.profile = Profile.objects.get(user_id=user.id)
    return user
