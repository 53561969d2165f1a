"""The import pages through the Django test client: upload a CSV, map its columns
(saved as a profile), review, confirm, re-import with the profile and see 0 new,
undo; rules from an imported row, their dry run; another person's ids as 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from modules.identity.infrastructure.models import User
from modules.imports.infrastructure.models import ImportProfile, ImportRow, ImportRule
from tests.factories import UserFactory
from tests.integration.imports.helpers import SAMPLES
from tests.integration.web.test_ledger_pages import (
    _errors,
    balances,
    money,
    open_account,
    signed_in_client,
)

pytestmark = pytest.mark.django_db
SCHWAB = "csv2ofx__schwab-checking.csv"


@pytest.fixture
def ana() -> User:
    return UserFactory()


@pytest.fixture
def browser(ana: User) -> Client:
    return signed_in_client(ana)


def upload(client: Client, account: UUID, sample: str, **fields: Any) -> str:
    data = (SAMPLES / sample).read_bytes()
    response = client.post(
        "/app/imports/",
        {"file": SimpleUploadedFile(sample, data), "account": str(account), **fields},
    )
    assert response.status_code == 302, _errors(response)
    return str(response["Location"])


def test_upload_map_review_confirm_and_import_again(browser: Client, ana: User) -> None:
    usd = open_account(browser, name="Schwab", currency="USD")
    page = browser.get("/app/imports/")
    assert page.status_code == 200 and b"Upload and preview" in page.content
    detail = upload(browser, usd, SCHWAB)
    mapping = browser.get(detail)
    assert (
        b"Which column holds what" in mapping.content
        and b"BMO HARRIS BANK" in mapping.content
    )
    import_id = detail.rstrip("/").rsplit("/", 1)[-1]
    mapped = browser.post(
        f"/app/imports/{import_id}/mapping/",
        {
            "separator": ",",
            "skip_rows": "0",
            "date": "Date",
            "date_format": "%m/%d/%Y",
            "debit": "Withdrawal",
            "credit": "Deposit",
            "description": "Description",
            "save_as": "Schwab",
        },
    )
    assert mapped.status_code == 302, _errors(mapped)
    review = browser.get(detail)
    assert b"4 new, 0 already imported" in review.content
    confirmed = browser.post(f"/app/imports/{import_id}/confirm/", {"action-1": "skip"})
    assert confirmed.status_code == 302
    recorded = browser.get(detail).content
    assert b"Recorded" in recorded and b"Create a rule from line 2" in recorded
    # 20 - 75 - 57.27: the ATM row skipped
    assert balances(browser)["Schwab"] == money("-112.27", "USD")

    profile = ImportProfile.all_tenants.get(tenant_id=ana.tenant_id)
    again = upload(browser, usd, SCHWAB, profile=str(profile.id))
    assert b"1 new, 3 already imported" in browser.get(again).content

    undone = browser.post(f"/app/imports/{import_id}/undo/")
    assert undone.status_code == 302
    assert b"Undone" in browser.get(detail).content


def test_a_bad_mapping_is_shown_on_the_form(browser: Client) -> None:
    eur = open_account(browser)
    detail = upload(browser, eur, SCHWAB)
    import_id = detail.rstrip("/").rsplit("/", 1)[-1]
    refused = browser.post(
        f"/app/imports/{import_id}/mapping/",
        {"separator": ",", "skip_rows": "0", "date": "Date", "date_format": "%m/%d/%Y"},
    )
    assert refused.status_code == 400
    assert b"amount column" in refused.content


def test_a_failed_import_says_why(browser: Client) -> None:
    eur = open_account(browser)
    detail = upload(browser, eur, "ofxparse__checking.ofx")
    page = browser.get(detail)
    assert b"The statement is in USD but the account is in EUR." in page.content
    assert b"Nothing was recorded" in page.content


def test_a_rule_from_an_imported_row_and_its_dry_run(
    browser: Client, ana: User
) -> None:
    usd = open_account(browser, name="Checking", currency="USD")
    detail = upload(browser, usd, "ofxparse__checking.ofx")
    row = (
        ImportRow.all_tenants.filter(tenant_id=ana.tenant_id)
        .order_by("position")
        .last()
    )
    form = browser.get(f"/app/rules/new/?from_row={row.id}")
    assert form.status_code == 200
    assert form.context["form"].initial["value"] == row.payee
    saved = browser.post(
        "/app/rules/new/",
        {
            "name": "Checks",
            "position": "0",
            "text_field": "payee",
            "operator": "contains",
            "value": "check",
            "payee": "Cheque",
        },
    )
    assert saved.status_code == 302, _errors(saved)
    rule = ImportRule.all_tenants.get(tenant_id=ana.tenant_id)
    assert b"Checks" in browser.get("/app/rules/").content
    assert browser.get(f"/app/rules/{rule.id}/").status_code == 200
    import_id = detail.rstrip("/").rsplit("/", 1)[-1]
    browser.post(f"/app/imports/{import_id}/confirm/")
    dry = browser.get(f"/app/rules/{rule.id}/dry-run/")
    assert dry.status_code == 200 and b"would change" in dry.content
    applied = browser.post(f"/app/rules/{rule.id}/dry-run/")
    assert applied.status_code == 302
    assert (
        b"would change no past transaction"
        in browser.get(f"/app/rules/{rule.id}/dry-run/").content
    )
    assert browser.post(f"/app/rules/{rule.id}/delete/").status_code == 302
    assert not ImportRule.all_tenants.filter(tenant_id=ana.tenant_id).exists()


def test_another_persons_import_and_rule_are_not_found(browser: Client) -> None:
    eur = open_account(browser)
    detail = upload(browser, eur, SCHWAB)
    other = signed_in_client(UserFactory())
    assert other.get(detail).status_code == 404
    import_id = detail.rstrip("/").rsplit("/", 1)[-1]
    assert other.post(f"/app/imports/{import_id}/undo/").status_code == 404


def test_the_pages_speak_spanish(browser: Client) -> None:
    page = browser.get("/app/imports/", HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    assert "Importar un extracto" in page.content.decode()


def test_the_review_shows_the_shares_of_a_split_line(browser: Client) -> None:
    usd = open_account(browser, name="Quicken", currency="USD")
    review = browser.get(upload(browser, usd, "quiffen__test.qif")).content.decode()
    assert "Split into:" in review
    assert "<li>Transportation:Automobile (25%): -25.00 USD</li>" in review
    assert "<li>Food:Groceries (50% 2): -5.00 USD</li>" in review
