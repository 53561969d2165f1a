"""Exporting everything: a zip of JSON and CSV with every row of the person's own and
none of anyone else's, progress on the way, a notification and an email when ready,
and a download link that names one export and stops working when it expires."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from modules.live.infrastructure.models import OutboxEvent
from modules.notifications.infrastructure.models import Notification
from modules.privacy.domain.exports import DOWNLOAD_LIFETIME, ExportStatus
from modules.privacy.infrastructure import tasks, writer
from modules.privacy.infrastructure.models import DataExport
from modules.shared.application.tenancy import tenant_scope
from tests.factories import UserFactory
from tests.integration.budgets.test_budgets_api import create_budget
from tests.integration.imports.helpers import SIMPLE, confirm, csv_lines, upload
from tests.integration.imports.test_rules_api import create_rule as create_import_rule
from tests.integration.ledger.test_ledger_api import (
    category_named,
    create_account,
    record,
)
from tests.integration.loans.test_loans_api import take_out
from tests.integration.recurring.test_recurring_api import create_rule
from tests.integration.reports.test_reports_api import post

# The job writes its progress from a thread of its own connection: it must see
# committed rows, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.EXPORT_ROOT = tmp_path / "exports"


@pytest.fixture
def ana(signed_in: Any) -> tuple[Any, APIClient]:
    user = UserFactory(email="ana@example.com")
    return user, signed_in(user)


def export(client: APIClient) -> dict[str, Any]:
    started = client.post("/api/v1/me/exports", format="json")
    assert started.status_code == 202, started.content
    found = client.get(f"/api/v1/me/exports/{started.json()['id']}")
    assert found.status_code == 200
    return dict(found.json())


def fetch(url: str) -> Any:
    """What a browser does with the link: it asks for the path (the token stays in
    the fragment), then the page POSTs the token."""
    parts = urlsplit(url)
    assert not parts.query
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(parts.path)
    assert page.status_code == 200
    assert "data-token-from-fragment" in page.content.decode()
    token = parse_qs(parts.fragment).get("token", [""])[0]
    csrf = browser.cookies["csrftoken"].value
    return browser.post(parts.path, {"token": token, "csrfmiddlewaretoken": csrf})


def download(url: str) -> zipfile.ZipFile:
    response = fetch(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(archive: zipfile.ZipFile, name: str) -> tuple[list[Any], list[dict[str, str]]]:
    as_json = json.loads(archive.read(f"{name}.json"))
    as_csv = list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))
    return as_json, as_csv


def test_the_zip_holds_every_transaction_and_posting_as_json_and_csv(
    ana: tuple[Any, APIClient], signed_in: Any
) -> None:
    _, client = ana
    account = create_account(client, opening_balance="100.00")
    record(client, type="outflow", account=account["id"], amount="12.50", payee="Café")
    record(
        client, type="inflow", account=account["id"], amount="0.05", payee="Interest"
    )
    ben = signed_in(UserFactory(email="ben@example.com"))
    other = create_account(ben, name="Ben's")
    record(ben, type="outflow", account=other["id"], amount="9.99", payee="Not Ana's")

    done = export(client)

    assert done["status"] == "ready" and done["progress"] == 100
    assert done["size_bytes"] > 0 and done["expires_at"]
    archive = download(done["download_url"])
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["rows"]["transactions"] == 3  # the opening balance and two more
    entries, entries_csv = rows(archive, "transactions")
    assert sorted(e["payee"] for e in entries) == ["", "Café", "Interest"]
    assert [row["payee"] for row in entries_csv] == [e["payee"] for e in entries]
    postings, postings_csv = rows(archive, "postings")
    on_account = [p for p in postings if p["account_id"] == account["id"]]
    assert sorted(p["amount"] for p in on_account) == ["-12.50", "0.05", "100.00"]
    assert sum(int(p["amount"].replace(".", "")) for p in postings) == 0  # balanced
    assert len(postings_csv) == len(postings) == 6
    accounts, _ = rows(archive, "accounts")
    assert [a["name"] for a in accounts] == ["Everyday"]
    profile, _ = rows(archive, "profile")
    assert profile[0]["email"] == "ana@example.com"
    assert "Not Ana's" not in archive.read("transactions.json").decode()
    events, _ = rows(archive, "security_events")
    assert "privacy.export_requested" in {e["action"] for e in events}


def test_budgets_and_loans_are_in_it_with_their_amounts(
    ana: tuple[Any, APIClient],
) -> None:
    _, client = ana
    create_budget(client, category=category_named(client, "Groceries"), amount="200.00")
    take_out(client)

    archive = download(export(client)["download_url"])

    budgets, budgets_csv = rows(archive, "budgets")
    assert [(b["limit"], b["currency"]) for b in budgets] == [("200.00", "EUR")]
    assert budgets_csv[0]["limit"] == "200.00"
    loans, _ = rows(archive, "loans")
    assert [
        (loan["principal"], loan["currency"], loan["recurring_payments"])
        for loan in loans
    ] == [("10000.00", "EUR", False)]
    assert json.loads(archive.read("manifest.json"))["rows"]["loan_payments"] == 0


def test_recurring_rules_and_their_handled_dates_are_in_it(
    ana: tuple[Any, APIClient],
) -> None:
    _, client = ana
    account = create_account(client)
    rule = create_rule(client, account, is_bill=True)

    archive = download(export(client)["download_url"])

    rules, rules_csv = rows(archive, "recurring_rules")
    assert [(r["id"], r["amount"], r["currency"], r["is_bill"]) for r in rules] == [
        (rule["id"], "187.60", "EUR", True)
    ]
    assert rules_csv[0]["payee"] == "Landlord"
    occurrences, _ = rows(archive, "recurring_occurrences")
    assert {o["rule_id"] for o in occurrences} <= {rule["id"]}


def imports_rates_and_valuations(client: APIClient, payee: str) -> dict[str, Any]:
    """An import recorded and one left for review, a profile, a rule, a rate and a
    valuation: what the export must hold of each person."""
    account = create_account(client)
    lines = csv_lines(f"2026-11-02,-4.50,{payee}", f"2026-11-03,9.00,{payee} refund")
    recorded = confirm(client, upload(client, account, content=lines, mapping=SIMPLE))
    waiting = upload(client, account, content=lines, mapping=SIMPLE)
    profile = post(
        client, "/api/v1/import-profiles", {"name": f"{payee} bank", "mapping": SIMPLE}
    )
    rule = create_import_rule(
        client,
        name=f"{payee} rule",
        conditions=[{"field": "payee", "operator": "contains", "value": payee}],
        actions={"payee": payee.upper()},
    )
    rate = post(
        client,
        "/api/v1/exchange-rates",
        {"base": "EUR", "quote": "USD", "rate": "1.1", "date": "2026-01-15"},
    )
    house = post(
        client,
        "/api/v1/accounts",
        {"name": f"{payee} flat", "kind": "property", "currency": "EUR"},
    )
    valued = post(
        client,
        f"/api/v1/accounts/{house['id']}/valuations",
        {"value": "250000.00", "date": "2026-01-10"},
    )
    return {
        "imports": {recorded["id"], waiting["id"]},
        "transactions": {r["transaction"] for r in recorded["rows"]},
        "profile": profile["id"],
        "rule": rule["id"],
        "rate": rate["id"],
        "valuation": valued["id"],
    }


def test_imports_profiles_rules_rates_and_valuations_are_in_it(
    ana: tuple[Any, APIClient], signed_in: Any
) -> None:
    _, client = ana
    mine = imports_rates_and_valuations(client, "Market")
    imports_rates_and_valuations(signed_in(UserFactory(email="ben@example.com")), "Ben")

    archive = download(export(client)["download_url"])

    imported, imported_csv = rows(archive, "imports")
    assert {i["id"] for i in imported} == mine["imports"]
    assert {i["status"] for i in imported} == {"recorded", "ready"}
    assert all(i["format"] == "csv" and "content" not in i for i in imported)
    assert {i["id"] for i in imported_csv} == mine["imports"]
    lines, lines_csv = rows(archive, "import_rows")
    assert {line["statement_import_id"] for line in lines} == mine["imports"]
    outcomes = sorted(
        (line["amount"], line["status"], line["action"], bool(line["entry_id"]))
        for line in lines
    )
    assert outcomes == [
        ("-4.50", "duplicate", "skip", False),
        ("-4.50", "new", "record", True),
        ("9.00", "duplicate", "skip", False),
        ("9.00", "new", "record", True),
    ]
    recorded = {line["entry_id"] for line in lines if line["entry_id"]}
    assert recorded == mine["transactions"]
    assert sorted(line["amount"] for line in lines_csv) == [
        "-4.50",
        "-4.50",
        "9.00",
        "9.00",
    ]
    profiles, _ = rows(archive, "import_profiles")
    assert [(p["id"], p["name"]) for p in profiles] == [
        (mine["profile"], "Market bank")
    ]
    rules, rules_csv = rows(archive, "import_rules")
    assert [r["id"] for r in rules] == [mine["rule"]]
    assert rules_csv[0]["payee"] == "MARKET"
    rates, _ = rows(archive, "exchange_rates")
    assert [(r["id"], r["rate"]) for r in rates] == [(mine["rate"], "1.1")]
    entries, _ = rows(archive, "transactions")
    valuations = [e for e in entries if e["kind"] == "revaluation"]
    assert [e["id"] for e in valuations] == [mine["valuation"]]
    text = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "Ben" not in text


def test_ready_is_announced_by_event_notification_and_email(
    ana: tuple[Any, APIClient],
) -> None:
    user, client = ana
    client.patch("/api/v1/me", {"notify_by_email": False}, format="json")
    mail.outbox.clear()

    done = export(client)

    with tenant_scope(user.tenant_id):
        ready = OutboxEvent.objects.filter(type="export.ready").get()
        assert ready.data["export_id"] == done["id"]
        assert Notification.objects.filter(kind="export_ready").count() == 1
    # Asked for, so emailed even with notification emails off.
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    assert "export" in mail.outbox[0].subject.lower()


def test_progress_is_announced_step_by_step_while_rows_are_written(
    ana: tuple[Any, APIClient], monkeypatch: Any
) -> None:
    user, client = ana
    monkeypatch.setattr(writer, "REPORT_EVERY", 1)
    account = create_account(client)
    for cents in range(1, 21):
        record(client, type="outflow", account=account["id"], amount=f"0.{cents:02d}")

    export(client)

    with tenant_scope(user.tenant_id):
        steps = [
            event.data["progress"]
            for event in OutboxEvent.objects.filter(type="export.progress").order_by(
                "sequence"
            )
        ]
    assert steps == sorted(steps) and len(steps) >= 5
    assert all(0 < step < 100 for step in steps)


def test_asking_again_while_one_is_written_returns_that_one(
    ana: tuple[Any, APIClient],
) -> None:
    user, client = ana
    with tenant_scope(user.tenant_id):
        waiting = DataExport.objects.create(
            tenant_id=user.tenant_id, requested_by=user.id
        )
    response = client.post("/api/v1/me/exports", format="json")
    assert response.status_code == 202
    assert response.json()["id"] == str(waiting.id)
    assert response.json()["download_url"] is None


def test_another_persons_export_is_not_found(
    ana: tuple[Any, APIClient], signed_in: Any
) -> None:
    _, client = ana
    done = export(client)
    ben = signed_in(UserFactory(email="ben@example.com"))
    response = ben.get(f"/api/v1/me/exports/{done['id']}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_a_changed_or_expired_link_opens_nothing_and_expired_files_go(
    ana: tuple[Any, APIClient],
) -> None:
    user, client = ana
    done = export(client)
    url = done["download_url"]
    assert fetch(url[:-3] + "abc").status_code == 404
    assert fetch("/exports/download/").status_code == 404

    later = timezone.now() + DOWNLOAD_LIFETIME + timedelta(minutes=1)
    with time_machine.travel(later):
        assert fetch(url).status_code == 404
        assert tasks.purge_expired_exports() == 1
    with tenant_scope(user.tenant_id):
        gone = DataExport.objects.get(id=UUID(done["id"]))
    assert gone.status == ExportStatus.EXPIRED and gone.file_name == ""
    assert not any(tasks.export_root().iterdir())


def test_a_failure_is_recorded_and_shown(
    ana: tuple[Any, APIClient], monkeypatch: Any
) -> None:
    _, client = ana

    def broken(path: Path, *_: Any, **__: Any) -> None:
        path.write_bytes(b"PK half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "write_zip", broken)
    done = export(client)
    assert done["status"] == "failed" and done["download_url"] is None
    assert not any(tasks.export_root().iterdir())  # the half-written file is gone


def test_the_web_page_starts_an_export_and_links_its_file(
    ana: tuple[Any, APIClient],
) -> None:
    user, _ = ana
    web = Client()
    web.force_login(user)
    page = web.get("/app/privacy/")
    assert page.status_code == 200
    assert b"Export my data" in page.content
    started = web.post("/app/privacy/exports/")
    assert started.status_code == 302 and started["Location"] == "/app/privacy/"
    page = web.get("/app/privacy/")
    assert b"Download the zip" in page.content


@pytest.mark.postgres
def test_the_rows_are_read_from_one_snapshot_on_postgresql() -> None:
    with tasks._snapshot(), connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        assert cursor.fetchone() == ("repeatable read",)
        cursor.execute("SHOW transaction_read_only")
        assert cursor.fetchone() == ("on",)
