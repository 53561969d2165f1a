"""OpenAPI pieces shared by every endpoint: the one error shape."""

from __future__ import annotations

from typing import Any

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


NOT_FOUND = {
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}
    },
    "description": "No such object among yours (an id in the path, query or body)",
}


def document_not_found(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular post-processing: every operation that takes an id (in its
    path, its query or its body) may answer 404, and says so; a generated client
    then knows the answer it gets for another person's object or a deleted one."""
    schemas = result.get("components", {}).get("schemas", {})
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if _takes_an_id(path, operation, schemas):
                operation["responses"].setdefault("404", NOT_FOUND)
    return result


def _takes_an_id(path: str, operation: dict[str, Any], schemas: dict[str, Any]) -> bool:
    if "{" in path:
        return True
    if any(_is_id(p.get("schema", {})) for p in operation.get("parameters", [])):
        return True
    body = operation.get("requestBody", {}).get("content", {})
    return any(_names_an_id(c.get("schema", {}), schemas, set()) for c in body.values())


def _is_id(schema: dict[str, Any]) -> bool:
    return schema.get("format") == "uuid"


def _names_an_id(
    schema: dict[str, Any], schemas: dict[str, Any], seen: set[str]
) -> bool:
    """Whether a body schema holds a uuid anywhere (following `$ref`s once each)."""
    ref = schema.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return False
        seen.add(name)
        return _names_an_id(schemas.get(name, {}), schemas, seen)
    if _is_id(schema):
        return True
    nested = [
        *schema.get("properties", {}).values(),
        *([schema["items"]] if "items" in schema else []),
        *schema.get("allOf", []),
        *schema.get("oneOf", []),
        *schema.get("anyOf", []),
    ]
    return any(_names_an_id(s, schemas, seen) for s in nested)
