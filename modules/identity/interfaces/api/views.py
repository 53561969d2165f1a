"""The identity API: sign-up, verification, sessions, password reset and profile."""

from __future__ import annotations

from datetime import UTC, datetime

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError

from modules.identity.application import use_cases
from modules.identity.domain.members import Preferences
from modules.identity.infrastructure.auth import lockout_policy
from modules.identity.infrastructure.models import Profile, User
from modules.identity.infrastructure.reset import queue_password_reset
from modules.identity.infrastructure.tokens import (
    SessionRefreshSerializer,
    SessionRefreshToken,
    revoke_family,
)
from modules.identity.infrastructure.uow import unit_of_work
from modules.identity.interfaces.api import serializers as io
from modules.shared.domain.errors import AuthenticationError
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


class Sessions(SensitivePublicEndpoint):
    throttle_endpoint = "login"

    @extend_schema(
        operation_id="login",
        tags=["identity"],
        request=io.SessionInput,
        responses={201: io.SessionOutput, **ERROR_RESPONSES},
        summary="Sign in: a 15-minute access token and a 7-day refresh token",
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
        )
        refresh = SessionRefreshToken.for_user(User.objects.get(id=member.id))
        access = refresh.access_token
        body = {
            "access": str(access),
            "refresh": str(refresh),
            "access_expires_at": datetime.fromtimestamp(access["exp"], tz=UTC),
        }
        return Response(io.SessionOutput(body).data, status=status.HTTP_201_CREATED)


class SessionRefresh(PublicEndpoint):
    @extend_schema(
        operation_id="refresh_session",
        tags=["identity"],
        request=io.RefreshInput,
        responses={201: io.RefreshOutput, **ERROR_RESPONSES},
        summary="Trade a refresh token for a new pair; the old one stops working",
    )
    def post(self, request: Request) -> Response:
        data = SessionRefreshSerializer(data=request.data)
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
