"""OpenAPI pieces shared by every endpoint: the one error shape."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorDetail = inline_serializer(
    name="ErrorDetail",
    fields={
        "field": serializers.CharField(),
        "code": serializers.CharField(),
        "message": serializers.CharField(),
    },
)

ErrorResponse = inline_serializer(
    name="ErrorResponse",
    fields={
        "error": inline_serializer(
            name="Error",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "details": ErrorDetail.__class__(many=True),
                "correlation_id": serializers.CharField(),
                "documentation_url": serializers.CharField(),
            },
        )
    },
)

VALIDATION_EXAMPLE = OpenApiExample(
    "Validation failed",
    value={
        "error": {
            "code": "VALIDATION_ERROR",
            "message": "Validation failed",
            "details": [
                {
                    "field": "email",
                    "code": "invalid",
                    "message": "Enter a valid email address.",
                }
            ],
            "correlation_id": "3f2b8c1e-9a4d-4f7e-8b2a-1c5d6e7f8a9b",
            "documentation_url": "/api/docs/",
        }
    },
)

ERROR_RESPONSES = {
    400: OpenApiResponse(
        ErrorResponse, description="Invalid input", examples=[VALIDATION_EXAMPLE]
    ),
    401: OpenApiResponse(ErrorResponse, description="Not signed in or bad credentials"),
    403: OpenApiResponse(ErrorResponse, description="Not allowed"),
    413: OpenApiResponse(
        ErrorResponse, description="Body larger than the server accepts (2.5 MB)"
    ),
    429: OpenApiResponse(
        ErrorResponse, description="Too many requests; see Retry-After"
    ),
}
