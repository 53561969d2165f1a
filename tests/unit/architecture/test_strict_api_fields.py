"""Request fields keep JSON's types: every API serializer uses the shared strict text,
yes/no and id fields, never DRF's coercing ones (which store `"notes": 0` as "0" and
read `true` as an id)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from modules.shared.interfaces.api.fields import (
    BooleanField,
    CharField,
    QuerySerializer,
    UUIDField,
)

MODULES = Path(__file__).resolve().parents[3] / "modules"
COERCING = re.compile(r"serializers\.(CharField|BooleanField|UUIDField)\(")


def test_no_api_serializer_uses_drfs_coercing_fields() -> None:
    offenders = [
        str(path.relative_to(MODULES))
        for path in MODULES.glob("*/interfaces/api/*.py")
        if path.parts[-4] != "shared" and COERCING.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("value", [0, 12.5, True, None, [], {}])
def test_text_is_text_only(value: object) -> None:
    with pytest.raises(ValidationError):
        CharField(allow_null=False).run_validation(value)


@pytest.mark.parametrize("value", [0, 1, "true", "yes", None])
def test_a_body_says_yes_or_no_with_a_boolean(value: object) -> None:
    with pytest.raises(ValidationError):
        BooleanField().run_validation(value)
    assert BooleanField().run_validation(True) is True


def test_a_query_string_says_it_in_words_and_an_empty_value_is_wrong() -> None:
    class Query(QuerySerializer):
        unread = BooleanField(required=False)
        account = CharField(required=False)

    good = Query(data=QueryDict("unread=true"))
    assert good.is_valid() and good.validated_data == {"unread": True}
    assert not Query(data=QueryDict("account=")).is_valid()


@pytest.mark.parametrize("value", [True, False, 0, 1, 12.5, None, []])
def test_an_id_is_text_only(value: object) -> None:
    with pytest.raises(ValidationError):
        UUIDField(allow_null=False).run_validation(value)
    id_ = uuid.uuid4()
    assert UUIDField().run_validation(str(id_)) == id_


def test_a_query_refuses_what_it_does_not_know_except_the_paging() -> None:
    class Query(QuerySerializer):
        account = CharField(required=False)

    paged = Query(data=QueryDict("account=a&cursor=xyz&limit=10"))
    assert paged.is_valid() and paged.validated_data == {"account": "a"}
    typo = Query(data=QueryDict("acount=a&zz=1"))
    assert not typo.is_valid()
    assert {name: [e.code for e in errors] for name, errors in typo.errors.items()} == {
        "acount": ["unknown"],
        "zz": ["unknown"],
    }
