"""The imports API: upload, follow, confirm and undo a statement import; profiles.
Views parse, call, render."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.imports.application.ports import RowChoice
from modules.imports.application.use_cases import (
    StartImport,
    confirm_import,
    map_import,
    start_import,
    undo_import,
)
from modules.imports.domain.dedupe import RowAction
from modules.imports.domain.mapping import CsvMapping
from modules.imports.infrastructure.jobs import unit_of_work
from modules.imports.infrastructure.models import ImportProfile, StatementImport
from modules.imports.infrastructure.profiles import profile_mapping, save_profile
from modules.imports.interfaces.api import serializers as io
from modules.shared.domain.errors import NotFoundError, ValidationError
from modules.shared.domain.text import gettext_noop
from modules.shared.interfaces.api.schema import ERROR_RESPONSES, ErrorResponse

TAG = ["imports"]
NOT_FOUND = {404: OpenApiResponse(ErrorResponse, description="No such import")}


def import_body(import_id: UUID, request: Request) -> dict[str, object]:
    found = StatementImport.objects.filter(id=import_id).first()
    if found is None:
        raise NotFoundError(gettext_noop("No such import."))
    return io.ImportOutput(found, context={"request": request}).data  # type: ignore[return-value]


class ImportList(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="create_import",
        tags=TAG,
        request={"multipart/form-data": io.UploadInput},
        responses={202: io.ImportOutput, **ERROR_RESPONSES},
        summary="Upload a statement (CSV, OFX/QFX, QIF, CAMT.053, MT940) to import",
        description=(
            "The format is recognised from the content. It is read and classified in "
            "the background (`import.progress` events); follow it with GET "
            ".../imports/{id}, then confirm. A CSV needs a `mapping` or a `profile`."
        ),
    )
    def post(self, request: Request) -> Response:
        data = io.UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        profile_id = fields.get("profile")
        mapping = fields.get("mapping") or (
            profile_mapping(profile_id) if profile_id else None
        )
        upload = fields["file"]
        import_id = start_import(
            uow=unit_of_work(),
            command=StartImport(
                account_id=fields["account"],
                file_name=upload.name or "",
                content=upload.read(),
                requested_by=request.user.id,
                mapping=mapping,
                profile_id=profile_id,
                source_account=fields.get("source_account", ""),
            ),
        )
        return Response(
            import_body(import_id, request), status=status.HTTP_202_ACCEPTED
        )


class ImportDetail(APIView):
    @extend_schema(
        operation_id="get_import",
        tags=TAG,
        responses={200: io.ImportOutput, **NOT_FOUND, **ERROR_RESPONSES},
        summary="An import's status, progress, summary and rows (new, duplicate, possible match)",
    )
    def get(self, request: Request, import_id: UUID) -> Response:
        return Response(import_body(import_id, request))


class ImportMappings(APIView):
    @extend_schema(
        operation_id="map_import",
        tags=TAG,
        request=io.MappingInput,
        responses={202: io.ImportOutput, **NOT_FOUND, **ERROR_RESPONSES},
        summary="Give a CSV waiting for it its column mapping (or a profile), and read it",
        description=(
            "The import's `sample` shows the header, the first rows and the date "
            "formats that fit. With `save_as`, the mapping is kept as a profile."
        ),
    )
    def post(self, request: Request, import_id: UUID) -> Response:
        data = io.MappingInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        profile_id = fields.get("profile")
        if fields.get("mapping"):
            mapping = CsvMapping(**fields["mapping"])
            if fields.get("save_as"):
                profile_id = save_profile(name=fields["save_as"], mapping=mapping).id
        elif profile_id:
            mapping = profile_mapping(profile_id)
        else:
            raise ValidationError.for_field(
                "mapping", gettext_noop("Send a mapping or a profile."), code="required"
            )
        map_import(
            uow=unit_of_work(),
            import_id=import_id,
            mapping=mapping,
            profile_id=profile_id,
        )
        return Response(
            import_body(import_id, request), status=status.HTTP_202_ACCEPTED
        )


class ImportConfirmations(APIView):
    @extend_schema(
        operation_id="confirm_import",
        tags=TAG,
        request=io.ConfirmationInput,
        responses={202: io.ImportOutput, **NOT_FOUND, **ERROR_RESPONSES},
        summary="Confirm the review and record the import, all or nothing",
        description=(
            "Each row may change its `action` (record, link to its possible match, "
            "skip) and its `category`; rows not named keep what was proposed."
        ),
    )
    def post(self, request: Request, import_id: UUID) -> Response:
        data = io.ConfirmationInput(data=request.data)
        data.is_valid(raise_exception=True)
        choices = {
            row["position"]: RowChoice(
                action=RowAction(row["action"]) if row.get("action") else None,
                category_id=row.get("category"),
            )
            for row in data.validated_data.get("rows", [])
        }
        confirm_import(uow=unit_of_work(), import_id=import_id, choices=choices)
        return Response(
            import_body(import_id, request), status=status.HTTP_202_ACCEPTED
        )


class ImportReversals(APIView):
    @extend_schema(
        operation_id="undo_import",
        tags=TAG,
        request=None,
        responses={200: io.ImportOutput, **NOT_FOUND, **ERROR_RESPONSES},
        summary="Undo a recorded import: every transaction it recorded is reversed",
    )
    def post(self, request: Request, import_id: UUID) -> Response:
        undo_import(uow=unit_of_work(), import_id=import_id)
        return Response(import_body(import_id, request))


class ProfileList(APIView):
    @extend_schema(
        operation_id="list_import_profiles",
        tags=TAG,
        responses={200: io.ProfileOutput(many=True), **ERROR_RESPONSES},
        summary="Saved CSV column mappings, one per bank",
    )
    def get(self, request: Request) -> Response:
        return Response(io.ProfileOutput(ImportProfile.objects.all(), many=True).data)

    @extend_schema(
        operation_id="save_import_profile",
        tags=TAG,
        request=io.ProfileInput,
        responses={201: io.ProfileOutput, **ERROR_RESPONSES},
        summary="Save a CSV column mapping under a name (the same name replaces it)",
    )
    def post(self, request: Request) -> Response:
        data = io.ProfileInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        profile = save_profile(
            name=fields["name"], mapping=CsvMapping(**fields["mapping"])
        )
        return Response(io.ProfileOutput(profile).data, status=status.HTTP_201_CREATED)
