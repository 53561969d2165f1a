from __future__ import annotations

from rest_framework import serializers

from modules.privacy.domain.exports import ExportStatus
from modules.privacy.infrastructure.models import DataExport
from modules.privacy.interfaces.presenters import download_link
from modules.shared.interfaces.api.fields import CharField


class ExportOutput(serializers.ModelSerializer[DataExport]):
    status = serializers.ChoiceField(choices=[status.value for status in ExportStatus])
    progress = serializers.IntegerField(
        min_value=0, max_value=100, help_text="Percent of the rows written."
    )
    download_url = serializers.SerializerMethodField(
        help_text=(
            "Signed and short-lived; present only while the export is ready. Open "
            "it in a browser: its token is in the fragment, which the page POSTs "
            "to download the zip."
        )
    )

    class Meta:
        model = DataExport
        fields = (
            "id",
            "status",
            "progress",
            "size_bytes",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
        )

    def get_download_url(self, export: DataExport) -> str | None:
        path = download_link(export)
        request = self.context.get("request")
        if path is None or request is None:
            return path
        return str(request.build_absolute_uri(path))


class CloseAccountInput(serializers.Serializer):
    password = CharField(write_only=True, trim_whitespace=False, max_length=128)
    otp = CharField(
        required=False,
        max_length=16,
        help_text="One-time code; needed when two-factor sign-in is on.",
    )


class CloseAccountOutput(serializers.Serializer):
    erase_after = serializers.DateTimeField(
        help_text="Everything is erased after this moment unless the mailed link "
        "reopens the account first."
    )
