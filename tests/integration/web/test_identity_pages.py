"""The identity web pages, driven through the Django test client as a browser would:
sign-up and its email, verification, sign-in and lockout, sign-out, password reset,
the dashboard's tenant-scoped activity, settings and private-page markers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from modules.identity.application.ports import AuditAction
from modules.identity.infrastructure.models import AuditEvent, Profile, User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 7"
NEW_PASSWORD = "another quite long passphrase 9"
LINK = re.compile(r"https?://[^\s\"<>]+#token=[^\s\"<>]+")


def make_member(email: str, *, verified: bool = True, locale: str = "en") -> User:
    """A member with a tenant and profile, verified unless asked otherwise."""
    verified_at = timezone.now() if verified else None
    user = User.objects.create_user(email, PASSWORD, email_verified_at=verified_at)
    Profile.all_tenants.filter(user=user).update(locale=locale)
    return user


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/login/", {"email": email, "password": password}, **extra)


def link_in(message: Any) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def local(link: str) -> str:
    """What a browser asks the server for when it opens an emailed absolute link:
    the path, with neither a query nor the fragment that carries the token."""
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == settings.SITE_URL
    assert not parts.query
    return parts.path


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).fragment)["token"][0]


def assert_fills_token_from_fragment(page: Any) -> None:
    """The landing page has an empty token field its own script fills in from the
    fragment (and the person can paste into without the script)."""
    field = next(c for c in parse(page).controls if c.get("name") == "token")
    assert "data-token-from-fragment" in field
    assert field.get("type") == "text"
    assert not field.get("value")
    assert 'src="/static/js/token-from-fragment.js"' in page.content.decode()


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


class Inputs(HTMLParser):
    """Form controls and labels of a page, and its robots meta tag."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.robots: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **attributes})
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(str(attributes["for"]))
        elif tag == "meta" and attributes.get("name") == "robots":
            self.robots = attributes.get("content")


def parse(response: Any) -> Inputs:
    parser = Inputs()
    parser.feed(response.content.decode())
    return parser


# --- Sign-up and verification ----------------------------------------------------
def test_signup_sends_one_email_whose_link_verifies_through_a_confirm_button(
    client: Client,
) -> None:
    response = client.post(
        "/signup/",
        {
            "email": " Ana@Example.com ",
            "password": PASSWORD,
            "accepted_terms": "on",
            "locale": "en",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/signup/check-email/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.com"]
    link = link_in(message)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert link in html

    page = client.get(local(link))
    assert page.status_code == 200
    assert "Confirm my email" in page.content.decode()
    assert_fills_token_from_fragment(page)
    assert not User.objects.get(email="ana@example.com").email_verified

    confirmed = client.post("/verify-email/", {"token": token_of(link)}, follow=True)

    assert confirmed.redirect_chain[-1][0] == "/login/"
    assert "Your email address is confirmed" in confirmed.content.decode()
    assert User.objects.get(email="ana@example.com").email_verified


def test_signup_without_terms_shows_accessible_errors_and_creates_nothing(
    client: Client,
) -> None:
    response = client.post("/signup/", {"email": "ana@example.com", "password": "x"})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "You must accept the terms to sign up." in body
    controls = parse(response).controls
    terms = next(c for c in controls if c.get("id") == "id_accepted_terms")
    assert terms["aria-invalid"] == "true"
    assert "id_accepted_terms_error" in str(terms["aria-describedby"])
    assert 'id="id_accepted_terms_error"' in body
    assert not User.objects.filter(email="ana@example.com").exists()
    assert mail.outbox == []


def test_signup_refuses_a_weak_password(client: Client) -> None:
    response = client.post(
        "/signup/",
        {"email": "ana@example.com", "password": "12345678", "accepted_terms": "on"},
    )

    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="ana@example.com").exists()


def test_signup_with_a_taken_address_looks_like_any_sign_up(client: Client) -> None:
    """Nobody learns that the address is registered; its owner is mailed."""
    make_member("ana@example.com")

    response = client.post(
        "/signup/",
        {"email": "ana@example.com", "password": PASSWORD, "accepted_terms": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/signup/check-email/"
    assert User.objects.filter(email="ana@example.com").count() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    assert "already has an account" in mail.outbox[0].body


def test_signup_in_spanish_keeps_the_language_for_pages_and_mail(
    client: Client,
) -> None:
    response = client.post(
        "/signup/",
        {
            "email": "lucia@example.com",
            "password": PASSWORD,
            "accepted_terms": "on",
            "locale": "es",
        },
    )

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert Profile.all_tenants.get(user__email="lucia@example.com").locale == "es"
    assert "Verifica tu dirección" in mail.outbox[0].subject
    page = client.get("/signup/check-email/")
    assert '<html lang="es"' in page.content.decode()


def test_a_bad_verification_token_shows_an_error_page_with_a_way_to_a_new_link(
    client: Client,
) -> None:
    response = client.post("/verify-email/", {"token": "not-a-token"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "This link is invalid or has expired" in body
    assert 'action="/verify-email/resend/"' in body


def test_resend_gives_the_same_answer_whether_or_not_the_address_waits(
    client: Client,
) -> None:
    make_member("waiting@example.com", verified=False)

    unknown = client.post("/verify-email/resend/", {"email": "nobody@example.com"})
    waiting = client.post("/verify-email/resend/", {"email": "waiting@example.com"})

    assert unknown.status_code == waiting.status_code == 302
    assert unknown["Location"] == waiting["Location"] == "/signup/check-email/"
    assert [m.to for m in mail.outbox] == [["waiting@example.com"]]


# --- Sign-in and sign-out ----------------------------------------------------------
def test_sign_in_is_refused_before_verification_with_a_resend_button(
    client: Client,
) -> None:
    make_member("new@example.com", verified=False)

    response = sign_in(client, "new@example.com")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Please verify your email address before signing in." in body
    assert 'action="/verify-email/resend/"' in body
    assert "Send me a new confirmation link" in body
    assert not is_signed_in(client)


def test_sign_in_works_once_verified_and_follows_a_safe_next(client: Client) -> None:
    make_member("ana@example.com")

    response = client.post(
        "/login/?next=/app/settings/",
        {"email": "ana@example.com", "password": PASSWORD, "next": "/app/settings/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/app/settings/"
    assert is_signed_in(client)


def test_sign_in_ignores_a_next_pointing_to_another_site(client: Client) -> None:
    make_member("ana@example.com")

    response = client.post(
        "/login/",
        {
            "email": "ana@example.com",
            "password": PASSWORD,
            "next": "https://evil.test/",
        },
    )

    assert response["Location"] == "/app/"


def test_a_wrong_password_says_so_without_naming_which_part(client: Client) -> None:
    make_member("ana@example.com")

    response = sign_in(client, "ana@example.com", "wrong password entirely")

    assert response.status_code == 200
    assert "Email or password is incorrect." in response.content.decode()
    assert not is_signed_in(client)


def test_five_failures_lock_the_address_even_from_other_ip_addresses(
    client: Client,
) -> None:
    make_member("ana@example.com")
    for attempt in range(settings.LOCKOUT_THRESHOLD - 1):
        response = sign_in(
            client, "ana@example.com", "wrong", REMOTE_ADDR=f"10.0.0.{attempt + 1}"
        )
        assert "Email or password is incorrect." in response.content.decode()

    fifth = sign_in(client, "ana@example.com", "wrong", REMOTE_ADDR="10.0.1.1")
    right_password = sign_in(client, "ana@example.com", REMOTE_ADDR="10.0.2.1")

    for response in (fifth, right_password):
        body = response.content.decode()
        assert "Too many failed sign-in attempts" in body
        assert "You can try again in 15 minutes." in body
    assert not is_signed_in(client)


def test_sign_in_switches_to_the_language_of_the_profile(client: Client) -> None:
    make_member("lucia@example.com", locale="es")

    response = sign_in(client, "lucia@example.com")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    dashboard = client.get("/app/")
    assert '<html lang="es"' in dashboard.content.decode()
    assert "Actividad de seguridad reciente" in dashboard.content.decode()


def test_sign_out_is_post_only_and_is_recorded(client: Client) -> None:
    user = make_member("ana@example.com")
    sign_in(client, "ana@example.com")

    refused = client.get("/logout/")
    assert refused.status_code == 405
    assert client.get("/app/").status_code == 200

    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not is_signed_in(client)
    assert client.get("/app/")["Location"] == "/login/?next=/app/"
    logged_out = AuditEvent.all_tenants.filter(
        tenant_id=user.tenant_id, action=AuditAction.LOGGED_OUT
    )
    assert logged_out.get().metadata == {"surface": "web"}


# --- Password reset ----------------------------------------------------------------
def test_password_reset_round_trip(client: Client) -> None:
    make_member("ana@example.com")

    asked = client.post("/password-reset/", {"email": "ana@example.com"})
    assert asked["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    form = client.get(local(link))
    assert form.status_code == 200
    names = {c.get("name") for c in parse(form).controls}
    assert {"token", "new_password", "new_password_again"} <= names
    assert_fills_token_from_fragment(form)

    mismatch = client.post(
        "/password-reset/confirm/",
        {
            "token": token_of(link),
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD + "x",
        },
    )
    assert "The two passwords do not match." in mismatch.content.decode()

    done = client.post(
        "/password-reset/confirm/",
        {
            "token": token_of(link),
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/login/"
    assert "Your password has been changed." in done.content.decode()
    assert (
        "Email or password is incorrect."
        in sign_in(client, "ana@example.com").content.decode()
    )
    used_again = client.post(
        "/password-reset/confirm/",
        {
            "token": token_of(link),
            "new_password": NEW_PASSWORD + "2",
            "new_password_again": NEW_PASSWORD + "2",
        },
    )
    assert used_again.status_code == 400
    assert sign_in(client, "ana@example.com", NEW_PASSWORD)["Location"] == "/app/"


@pytest.mark.parametrize(
    "path", ["/verify-email/", "/password-reset/confirm/", "/account/reopen/"]
)
def test_a_link_mailed_before_the_fragment_still_fills_in_its_token(
    client: Client, path: str
) -> None:
    """Links in inboxes from before carry `?token=`: they still work."""
    page = client.get(path, {"token": "an-older-token"})
    assert page.status_code == 200
    field = next(c for c in parse(page).controls if c.get("name") == "token")
    assert field.get("value") == "an-older-token"


def test_password_reset_gives_the_same_answer_for_unknown_addresses(
    client: Client,
) -> None:
    response = client.post("/password-reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


# --- Signed-in pages --------------------------------------------------------------
def test_dashboard_requires_sign_in(client: Client) -> None:
    response = client.get("/app/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/app/"


def test_dashboard_shows_only_the_signed_in_persons_own_activity(
    client: Client,
) -> None:
    ana = make_member("ana@example.com")
    make_member("bob@example.com")
    bob_client = Client()
    sign_in(bob_client, "bob@example.com")
    bob_client.post("/password-reset/", {"email": "bob@example.com"})
    bob_client.post(
        "/app/settings/",
        {"locale": "en", "timezone": "Asia/Tokyo", "base_currency": "JPY"},
    )
    sign_in(client, "ana@example.com", "not my password")
    sign_in(client, "ana@example.com")

    body = client.get("/app/").content.decode()

    assert "Welcome, ana@example.com" in body
    assert "Signed in" in body
    assert "Failed sign-in" in body
    assert "Asked for a password reset" not in body
    assert "Changed preferences" not in body
    rows = body.count("<tr>") - 1  # minus the header row
    assert rows == AuditEvent.all_tenants.filter(tenant_id=ana.tenant_id).count() == 2


def test_settings_change_is_saved_and_switches_the_language(client: Client) -> None:
    user = make_member("ana@example.com")
    sign_in(client, "ana@example.com")
    assert '<html lang="en"' in client.get("/app/settings/").content.decode()

    response = client.post(
        "/app/settings/",
        {
            "locale": "es",
            "timezone": "Europe/Madrid",
            "base_currency": "USD",
            "notify_by_email": "on",
            "email_notifications": [],
            "marketing_consent": "on",
        },
        follow=True,
    )

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/app/settings/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es"' in body
    assert "Se han guardado tus ajustes." in body
    profile = Profile.all_tenants.get(user=user)
    assert (profile.locale, profile.timezone, profile.base_currency) == (
        "es",
        "Europe/Madrid",
        "USD",
    )
    assert profile.marketing_consent is True
    changed = AuditEvent.all_tenants.get(
        tenant_id=user.tenant_id, action=AuditAction.PREFERENCES_CHANGED
    )
    fields = "base_currency,email_notifications,locale,marketing_consent,timezone"
    assert changed.metadata["fields"] == fields
    assert profile.email_notifications == []


def test_settings_refuse_an_unknown_time_zone(client: Client) -> None:
    user = make_member("ana@example.com")
    sign_in(client, "ana@example.com")

    response = client.post(
        "/app/settings/",
        {"locale": "en", "timezone": "Mars/Olympus", "base_currency": "EUR"},
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Profile.all_tenants.get(user=user).timezone == "UTC"


# --- Robots, labels ----------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/app/",
        "/app/settings/",
        "/signup/check-email/",
        "/verify-email/",
        "/password-reset/",
    ],
)
def test_private_pages_tell_robots_not_to_index(client: Client, path: str) -> None:
    make_member("ana@example.com")
    sign_in(client, "ana@example.com")

    response = client.get(path)

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert parse(response).robots == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/signup/", "/login/"])
def test_public_sign_up_and_sign_in_pages_may_be_indexed(
    client: Client, path: str
) -> None:
    response = client.get(path)

    assert "X-Robots-Tag" not in response
    assert parse(response).robots is None


@pytest.mark.parametrize("path", ["/signup/", "/login/"])
def test_every_visible_control_on_sign_up_and_sign_in_has_a_label(
    client: Client, path: str
) -> None:
    page = parse(client.get(path))
    visible = [c for c in page.controls if c.get("type") not in ("hidden", "submit")]

    assert len(visible) >= 3  # the form's fields and the language switcher
    unlabelled = [c for c in visible if c.get("id") not in page.label_targets]
    assert unlabelled == []


@pytest.mark.django_db
def test_form_posts_that_send_email_are_limited_per_ip(client: Client) -> None:
    statuses = [
        client.post("/password-reset/", {"email": f"p{n}@example.com"}).status_code
        for n in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    refused = client.post("/password-reset/", {"email": "p@example.com"})
    assert int(refused["Retry-After"]) > 0
    assert b"Too many attempts" in refused.content
    assert client.get("/password-reset/").status_code == 200


@pytest.mark.django_db
def test_switching_language_is_remembered_in_the_profile(client: Client) -> None:
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/app/"})
    assert response.status_code == 302
    assert Profile.objects.model.all_tenants.get(user=user).locale == "es"
    anonymous = Client()
    assert anonymous.post("/i18n/setlang/", {"language": "es"}).status_code == 302
