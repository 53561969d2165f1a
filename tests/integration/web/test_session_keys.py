"""No raw session key at rest: `django_session` and the signed-in devices keep a
digest of the cookie's key, so a database read gives no live session (ADR 0026)."""

from __future__ import annotations

import importlib
import time
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as RawSessionStore
from django.contrib.sessions.models import Session
from django.test import Client

from modules.identity.infrastructure.models import SignIn
from modules.identity.infrastructure.session_store import SessionStore, digest
from tests.conftest import CommittingClient
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> tuple[Client, str]:
    client = CommittingClient()
    response = client.post("/login/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def keys_at_rest() -> set[str]:
    sessions = Session.objects.values_list("session_key", flat=True)
    return set(sessions) | set(SignIn.objects.values_list("key", flat=True))


def assert_not_at_rest(raw: str) -> None:
    assert not Session.objects.filter(session_data__contains=raw).exists()
    assert raw not in keys_at_rest()


def test_the_cookie_key_is_kept_only_as_its_digest() -> None:
    user = UserFactory()
    client, raw = signed_in(user)
    assert_not_at_rest(raw)
    assert Session.objects.filter(session_key=digest(raw)).exists()
    assert SignIn.objects.get(user=user).key == digest(raw)
    assert client.get("/app/settings/").status_code == 200


def test_a_key_read_from_the_database_opens_no_session() -> None:
    user = UserFactory()
    signed_in(user)
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = SignIn.objects.get(user=user).key
    assert stolen.get("/app/settings/").status_code == 302


def test_signing_in_replaces_the_anonymous_session_and_out_deletes_it() -> None:
    client = CommittingClient()
    client.get("/login/")
    session = client.session
    session["seen"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    user = UserFactory()
    client.post("/login/", {"email": user.email, "password": PASSWORD})
    raw = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert raw != before
    assert not Session.objects.filter(session_key=digest(before)).exists()
    assert client.post("/logout/").status_code == 302
    assert not Session.objects.filter(session_key=digest(raw)).exists()
    assert not SignIn.objects.filter(user=user).exists()


def test_signing_one_device_out_deletes_its_session() -> None:
    user = UserFactory()
    this, _ = signed_in(user)
    other, raw = signed_in(user)
    row = SignIn.objects.get(key=digest(raw))
    assert this.post(f"/app/settings/devices/{row.id}/sign-out/").status_code == 302
    assert not Session.objects.filter(session_key=digest(raw)).exists()
    assert other.get("/app/settings/").status_code == 302
    assert this.get("/app/settings/").status_code == 200


def test_a_password_change_keeps_this_device_under_its_new_key() -> None:
    user = UserFactory()
    this, before = signed_in(user)
    other, _ = signed_in(user)
    response = this.post(
        "/app/settings/password/",
        {"current_password": PASSWORD, "new_password": "another-long-passphrase-77"},
    )
    assert response.status_code == 302
    raw = this.cookies[settings.SESSION_COOKIE_NAME].value
    assert raw != before
    assert_not_at_rest(raw)
    assert list(SignIn.objects.filter(user=user).values_list("key", flat=True)) == [
        digest(raw)
    ]
    assert set(Session.objects.values_list("session_key", flat=True)) == {digest(raw)}
    assert this.get("/app/settings/").status_code == 200
    assert other.get("/app/settings/").status_code == 302


@pytest.mark.parametrize(("stamp", "days"), [("_seen_at", 4), ("_signed_in_at", 15)])
def test_a_session_past_its_idle_or_absolute_limit_is_deleted(
    stamp: str, days: int
) -> None:
    user = UserFactory()
    client, raw = signed_in(user)
    session = SessionStore(session_key=raw)
    session[stamp] = time.time() - timedelta(days=days).total_seconds()
    session.save()
    assert client.get("/app/settings/").status_code == 302
    assert not Session.objects.filter(session_key=digest(raw)).exists()
    assert not SignIn.objects.filter(user=user).exists()


def test_the_migration_rewrites_raw_keys_as_digests() -> None:
    user = UserFactory()
    old = RawSessionStore()
    old["_auth_user_id"] = str(user.pk)
    old.create()
    raw = str(old.session_key)
    SignIn.objects.create(user=user, kind=SignIn.Kind.WEB, key=raw)
    app_sign_in = SignIn.objects.create(user=user, kind=SignIn.Kind.APP, key="family")
    migration = importlib.import_module(
        "modules.identity.infrastructure.migrations.0009_hash_session_keys"
    )
    migration.hash_keys(apps, None)
    assert_not_at_rest(raw)
    assert SessionStore(session_key=raw).load()["_auth_user_id"] == str(user.pk)
    assert SignIn.objects.get(user=user, kind=SignIn.Kind.WEB).key == digest(raw)
    assert SignIn.objects.get(id=app_sign_in.id).key == "family"
