"""Importing statements through the API: preview, confirm, re-import, undo."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from modules.live.infrastructure.models import OutboxEvent
from modules.shared.domain.money import Money
from modules.transactions.infrastructure.models import Posting
from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape
from tests.integration.imports.helpers import (
    SAMPLES,
    SCHWAB,
    SIMPLE,
    confirm,
    csv_lines,
    upload,
)
from tests.integration.ledger.test_ledger_api import (
    balance,
    category_named,
    create_account,
    record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory(email="ana@example.com"))


@pytest.fixture
def usd(ana: APIClient) -> dict[str, Any]:
    return create_account(ana, currency="USD", opening_balance="1000.00")


def test_a_csv_previews_then_records_and_a_second_import_adds_nothing(
    ana: APIClient, usd: dict[str, Any]
) -> None:
    first = upload(ana, usd, sample="csv2ofx__schwab-checking.csv", mapping=SCHWAB)
    assert first["status"] == "ready" and first["format"] == "csv"
    assert first["summary"] == {"new": 4, "duplicate": 0, "match": 0, "skipped": 0}
    assert [r["amount"]["amount"] for r in first["rows"]] == [
        "20.00",
        "-103.00",
        "-75.00",
        "-57.27",
    ]
    assert balance(ana, usd) == "1000.00"  # nothing recorded before the confirmation

    recorded = confirm(ana, first)
    assert recorded["status"] == "recorded"
    assert all(r["transaction"] for r in recorded["rows"])
    assert balance(ana, usd) == "784.73"

    again = upload(ana, usd, sample="csv2ofx__schwab-checking.csv", mapping=SCHWAB)
    assert again["summary"]["new"] == 0 and again["summary"]["duplicate"] == 4
    confirm(ana, again)
    assert balance(ana, usd) == "784.73"
    progress = OutboxEvent.all_tenants.filter(type="import.progress")
    assert {e.data["status"] for e in progress} >= {"parsing", "ready", "recorded"}


def test_an_overlapping_statement_adds_only_its_new_rows(
    ana: APIClient, usd: dict[str, Any]
) -> None:
    confirm(
        ana, upload(ana, usd, sample="csv2ofx__schwab-checking.csv", mapping=SCHWAB)
    )
    moved = upload(
        ana, usd, sample="csv2ofx__schwab-checking-baltest-case2.csv", mapping=SCHWAB
    )
    statuses = {
        r["date"]: r["status"]
        for r in moved["rows"]
        if r["amount"]["amount"] == "-103.00"
    }
    assert statuses == {"2022-08-17": "match"}  # the ATM row the bank re-dated
    assert moved["summary"] == {"new": 0, "duplicate": 3, "match": 1, "skipped": 0}
    confirm(ana, moved)
    assert balance(ana, usd) == "784.73"


def test_two_identical_purchases_on_one_day_both_survive_and_stay_unique(
    ana: APIClient,
) -> None:
    eur = create_account(ana)
    two = csv_lines("2026-11-02,-4.50,Cafe", "2026-11-02,-4.50,Cafe")
    found = upload(ana, eur, content=two, mapping=SIMPLE)
    assert found["summary"]["new"] == 2
    confirm(ana, found)
    assert balance(ana, eur) == "-9.00"
    three = csv_lines(
        "2026-11-02,-4.50,Cafe", "2026-11-02,-4.50,Cafe", "2026-11-02,-4.50,Cafe"
    )
    assert upload(ana, eur, content=three, mapping=SIMPLE)["summary"]["new"] == 1


def test_a_hand_entered_transaction_is_linked_not_doubled(ana: APIClient) -> None:
    eur = create_account(ana)
    typed = record(
        ana, type="outflow", account=eur["id"], amount="42.50", date="2026-11-20"
    )
    found = upload(
        ana, eur, content=csv_lines("2026-11-22,-42.50,Shop"), mapping=SIMPLE
    )
    row = found["rows"][0]
    assert (
        row["status"] == "match"
        and row["match"] == typed["id"]
        and row["action"] == "link"
    )
    confirm(ana, found)
    assert balance(ana, eur) == "-42.50"
    again = upload(
        ana, eur, content=csv_lines("2026-11-22,-42.50,Shop"), mapping=SIMPLE
    )
    assert again["summary"]["duplicate"] == 1


def test_the_person_may_skip_rows_and_record_a_match_anyway(ana: APIClient) -> None:
    eur = create_account(ana)
    record(ana, type="outflow", account=eur["id"], amount="10.00", date="2026-11-20")
    found = upload(
        ana,
        eur,
        content=csv_lines("2026-11-20,-10.00,A", "2026-11-21,-3.00,B"),
        mapping=SIMPLE,
    )
    confirm(
        ana,
        found,
        [{"position": 0, "action": "record"}, {"position": 1, "action": "skip"}],
    )
    assert balance(ana, eur) == "-20.00"


def test_undo_reverses_the_whole_import_and_it_can_be_imported_again(
    ana: APIClient, usd: dict[str, Any]
) -> None:
    recorded = confirm(
        ana, upload(ana, usd, sample="csv2ofx__schwab-checking.csv", mapping=SCHWAB)
    )
    undone = ana.post(f"/api/v1/imports/{recorded['id']}/reversals", format="json")
    assert undone.status_code == 200, undone.content
    assert undone.json()["status"] == "undone"
    assert balance(ana, usd) == "1000.00"
    again = upload(ana, usd, sample="csv2ofx__schwab-checking.csv", mapping=SCHWAB)
    assert again["summary"]["new"] == 4
    twice = ana.post(f"/api/v1/imports/{recorded['id']}/reversals", format="json")
    assert_error_shape(twice, status=409, code="IMPORT_NOT_RECORDED")


def test_a_malformed_file_names_the_line_and_records_nothing(ana: APIClient) -> None:
    eur = create_account(ana)
    bad = csv_lines("2026-11-02,-4.50,Cafe", "2026-11-03,lots,Cafe")
    found = upload(ana, eur, content=bad, mapping=SIMPLE)
    assert found["status"] == "failed"
    assert found["error"] == "Line 3: “lots” is not an amount."
    assert found["rows"] == []
    refused = ana.post(
        f"/api/v1/imports/{found['id']}/confirmations", {}, format="json"
    )
    assert_error_shape(refused, status=409, code="IMPORT_NOT_READY")
    assert balance(ana, eur) == "0.00"


@pytest.mark.parametrize(
    ("sample", "currency", "new"),
    [
        ("ofxparse__checking.ofx", "USD", 3),
        ("quiffen__test.qif", "USD", 5),
        ("moov__FI_camt_053_sample.xml.xml", "EUR", 10),
        ("team__abnamro-style.sta", "EUR", 4),
        ("team__sparkasse-quirks.sta", "EUR", 4),
    ],
)
def test_other_formats_are_recognised_by_content_and_import(
    ana: APIClient, sample: str, currency: str, new: int
) -> None:
    account = create_account(ana, currency=currency)
    found = upload(ana, account, sample=sample, name="statement.txt")
    assert found["status"] == "ready", found["error"]
    assert found["summary"]["new"] == new
    assert confirm(ana, found)["status"] == "recorded"
    again = upload(ana, account, sample=sample)
    assert again["summary"]["new"] == 0


def test_an_mt940_statement_that_overlaps_the_last_adds_only_its_new_rows(
    ana: APIClient,
) -> None:
    eur = create_account(ana, currency="EUR")
    first = (SAMPLES / "team__abnamro-style.sta").read_bytes()
    confirm(ana, upload(ana, eur, content=first, name="december.sta"))
    later = first.replace(b":62F:C231204EUR3350,00", MT940_NEXT_DAY)
    found = upload(ana, eur, content=later, name="december.sta")
    assert found["summary"] == {"new": 1, "duplicate": 4, "match": 0, "skipped": 0}
    assert confirm(ana, found)["status"] == "recorded"
    assert balance(ana, eur) == "2087.50"


MT940_NEXT_DAY = (
    b":62M:C231204EUR3350,00\n-}\n{4:\n:20:ABN AMRO BANK NV\n"
    b":25:NL91ABNA0417164300\n:28C:18/1\n:60F:C231204EUR3350,00\n"
    b":61:2312051205D12,50N544NONREF//B3L05AA11BB22CC\n"
    b":86:BEA   NR:5K2X02   05.12.23/09.10 HEMA AMSTERDAM,PAS123\n"
    b":62F:C231205EUR3337,50"
)


def test_a_qif_split_is_one_transaction_with_a_line_per_share(
    ana: APIClient,
) -> None:
    usd = create_account(ana, currency="USD")
    groceries = category_named(ana, "Groceries")
    found = upload(ana, usd, sample="quiffen__test.qif")
    rows = {row["payee"]: row for row in found["rows"]}
    amazon = rows["Amazon.com"]["splits"]
    assert [
        (s["amount"]["amount"], s["statement_category"], s["memo"]) for s in amazon
    ] == [
        ("-50.00", "Food:Groceries", "50%"),
        ("-25.00", "Transportation:Automobile", "25%"),
        ("-10.00", "Personal Care:Haircare", "10%"),
        ("-15.00", "Healthcare:Prescriptions", "15%"),
    ]
    assert [s["category"] for s in amazon] == [groceries, None, None, None]
    assert rows["Walmart"]["splits"] == []  # no split
    assert len(rows["T-Mobile"]["splits"]) == 2

    recorded = confirm(ana, found)
    assert recorded["status"] == "recorded"
    assert balance(ana, usd) == "-35.50"
    by_payee = {row["payee"]: row["transaction"] for row in recorded["rows"]}
    assert postings(by_payee["Amazon.com"]) == [
        ("-100.00", "", None),
        ("10.00", "expense", None),
        ("15.00", "expense", None),
        ("25.00", "expense", None),
        ("50.00", "expense", groceries),
    ]
    phone = ana.get(f"/api/v1/transactions/{by_payee['T-Mobile']}").json()
    assert phone["type"] == "inflow" and phone["amount"]["amount"] == "67.50"
    assert postings(by_payee["T-Mobile"]) == [
        ("-82.50", "income", None),
        ("15.00", "expense", None),
        ("67.50", "", None),
    ]
    again = upload(ana, usd, sample="quiffen__test.qif")
    assert again["summary"]["new"] == 0


def test_a_qif_split_of_nothing_is_left_out_and_the_line_still_records(
    ana: APIClient,
) -> None:
    everyday = create_account(ana, opening_balance="100.00")
    statement = (
        b"!Type:Bank\nD03/01/2026\nT-30.00\nPMarket\n"
        b"SFood\n$-20.00\nSHome\n$-10.00\nSFees\n$0.00\n^\n"
        b"D03/02/2026\nT-5.00\nPKiosk\nSFood\n$-5.00\nSFees\n$0.00\n^\n"
    )
    found = upload(ana, everyday, content=statement, name="statement.qif")
    rows = {row["payee"]: row for row in found["rows"]}
    assert [s["amount"]["amount"] for s in rows["Market"]["splits"]] == [
        "-20.00",
        "-10.00",
    ]
    assert rows["Kiosk"]["splits"] == []  # one share left: no split
    assert confirm(ana, found)["status"] == "recorded"
    assert balance(ana, everyday) == "65.00"


def postings(entry_id: str) -> list[tuple[str, str, str | None]]:
    found = Posting.all_tenants.filter(entry_id=entry_id)
    return sorted(
        (
            f"{Money.from_minor(p.amount_minor, p.currency).amount}",
            p.counterpart or "",
            str(p.category_id) if p.category_id else None,
        )
        for p in found
    )


def test_a_file_with_several_accounts_asks_which(ana: APIClient) -> None:
    gbp = create_account(ana, currency="GBP")
    sample = "asgrim__ofx-multiple-accounts-xml.ofx"
    found = upload(ana, gbp, sample=sample)
    assert found["status"] == "failed" and "several accounts" in found["error"]
    chosen = upload(ana, gbp, sample=sample, source_account="546582659855")
    assert chosen["summary"]["new"] == 2


def test_a_wrong_currency_is_refused(ana: APIClient) -> None:
    eur = create_account(ana)
    found = upload(ana, eur, sample="ofxparse__checking.ofx")
    assert found["error"] == "The statement is in USD but the account is in EUR."


def test_profiles_save_a_mapping_and_read_the_next_file(
    ana: APIClient, usd: dict[str, Any]
) -> None:
    saved = ana.post(
        "/api/v1/import-profiles", {"name": "Schwab", "mapping": SCHWAB}, format="json"
    )
    assert saved.status_code == 201, saved.content
    listed = ana.get("/api/v1/import-profiles").json()
    assert [p["name"] for p in listed] == ["Schwab"]
    found = upload(
        ana, usd, sample="csv2ofx__schwab-checking.csv", profile=saved.json()["id"]
    )
    assert found["summary"]["new"] == 4 and found["profile"] == saved.json()["id"]


def test_another_tenants_import_is_not_found(
    ana: APIClient, signed_in: Any, usd: dict[str, Any]
) -> None:
    found = upload(ana, usd, sample="csv2ofx__schwab-checking.csv", mapping=SCHWAB)
    bob = signed_in(UserFactory(email="bob@example.com"))
    assert_error_shape(bob.get(f"/api/v1/imports/{found['id']}"), status=404)
    refused = bob.post(
        f"/api/v1/imports/{found['id']}/confirmations", {}, format="json"
    )
    assert_error_shape(refused, status=404)


def test_a_refused_recording_records_nothing_and_goes_back_to_review(
    ana: APIClient,
) -> None:
    eur = create_account(ana)
    salary = category_named(ana, "Salary")  # an income category, on money out
    found = upload(ana, eur, content=csv_lines("2026-11-02,-4.50,Cafe"), mapping=SIMPLE)
    back = confirm(ana, found, [{"position": 0, "category": salary}])
    assert back["status"] == "ready" and back["error"]
    assert balance(ana, eur) == "0.00"
    assert (
        confirm(ana, back, [{"position": 0, "action": "record"}])["status"] == "ready"
    )


def test_two_imports_of_the_same_lines_record_them_once(ana: APIClient) -> None:
    eur = create_account(ana)
    lines = csv_lines("2026-11-02,-4.50,Cafe")
    first = upload(ana, eur, content=lines, mapping=SIMPLE)
    second = upload(ana, eur, content=lines, mapping=SIMPLE)
    assert confirm(ana, first)["status"] == "recorded"
    refused = confirm(ana, second)
    assert refused["status"] == "ready"
    assert refused["error"].startswith("Another import recorded some of these lines")
    assert balance(ana, eur) == "-4.50"


def test_a_csv_without_a_mapping_waits_for_one_with_a_sample(
    ana: APIClient, usd: dict[str, Any]
) -> None:
    waiting = upload(ana, usd, sample="csv2ofx__schwab-checking.csv")
    assert waiting["status"] == "mapping" and waiting["rows"] == []
    sample = waiting["sample"]
    assert sample["header"][0] == "Date" and sample["date_formats"]["Date"] == [
        "%m/%d/%Y"
    ]
    path = f"/api/v1/imports/{waiting['id']}/mappings"
    refused = ana.post(path, {}, format="json")
    assert_error_shape(refused, status=400, code="VALIDATION_ERROR")
    mapped = ana.post(path, {"mapping": SCHWAB, "save_as": "Schwab"}, format="json")
    assert mapped.status_code == 202, mapped.content
    found = ana.get(f"/api/v1/imports/{waiting['id']}").json()
    assert found["summary"]["new"] == 4 and found["sample"] is None
    again = ana.post(path, {"mapping": SCHWAB}, format="json")
    assert_error_shape(again, status=409, code="IMPORT_NOT_MAPPING")
    profile = ana.get("/api/v1/import-profiles").json()[0]
    second = upload(ana, usd, sample="csv2ofx__schwab-checking.csv")
    by_profile = ana.post(
        f"/api/v1/imports/{second['id']}/mappings",
        {"profile": profile["id"]},
        format="json",
    )
    assert by_profile.status_code == 202
    assert ana.get(f"/api/v1/imports/{second['id']}").json()["summary"]["new"] == 4
