"""`make bench`, imports part: a 100,000-row CSV statement into an account that
already holds 100,000 transactions (parse + classify, then record: rows per second,
and the peak memory of the job), then the same file again (0 new, and its time).

    python bench/run.py --only imports          this part alone
    python -m bench.imports measure             (in-process) the measurement

Its own database (`<prefix>_imports`). The account is filled by importing a first
statement of the same size over the same five years (its rows are other purchases),
so the measured file meets a full account: every dedupe key and every possible
match is looked up against 100,000 transactions. The jobs run in process, as on the
embedded default; the figures are the use cases', without HTTP.
Sizes: BENCH_IMPORT_ROWS 100000/2000.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import ledger
from bench.common import manage, run_module
from bench.sizes import size

IMPORTS_DB = f"{ledger.DATABASE_PREFIX}_imports"
ROWS = size("BENCH_IMPORT_ROWS", 100_000, 2_000)
DAYS = 5 * 365
FIRST_DAY = date(2021, 1, 1)
PAYEES = ("Corner Market", "Fuel station", "Bakery", "Cinema", "Pharmacy", "Bookshop")
PARSE_GOAL_ROWS_S = 2_000
RECORD_GOAL_ROWS_S = 1_000
MEMORY_GOAL_MIB = 512


def run(workdir: Path, phase: Any) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    url = ledger.reset_database(IMPORTS_DB)
    env = ledger.quiet(ledger.stack_env(workdir, url))
    phase("imports: migrate", lambda: manage(env, "migrate", "--noinput", "-v", "0"))
    measured = phase(
        "imports: measure",
        lambda: run_module(env, "bench.imports", "measure", str(workdir), timeout=3600),
    )
    ledger.admin("VACUUM (ANALYZE)", url)
    return {"inputs": {"rows": ROWS}, "results": measured, "goals": goals(measured)}


def goals(measured: dict[str, Any]) -> dict[str, Any]:
    first, again = measured["import"], measured["re-import"]
    return {
        "import_parse_rows_per_s": ledger.goal(
            f"{ROWS:,}-row CSV into an account of {ROWS:,}: parse + classify rows/s "
            f">= {PARSE_GOAL_ROWS_S:,}",
            first["parse_rows_per_s"],
            first["parse_rows_per_s"] >= PARSE_GOAL_ROWS_S,
        ),
        "import_record_rows_per_s": ledger.goal(
            f"the same import: record rows/s >= {RECORD_GOAL_ROWS_S:,}",
            first["record_rows_per_s"],
            first["record_rows_per_s"] >= RECORD_GOAL_ROWS_S,
        ),
        "import_peak_memory": ledger.goal(
            f"peak memory of the import process <= {MEMORY_GOAL_MIB} MiB",
            measured["peak_rss_mib"],
            measured["peak_rss_mib"] <= MEMORY_GOAL_MIB,
        ),
        "reimport_adds_nothing": ledger.goal(
            "the same file imported again: 0 new",
            again["new"],
            again["new"] == 0 and again["duplicate"] == ROWS,
        ),
    }


def print_report(report: dict[str, Any]) -> None:
    results = report["results"]
    first, again = results["import"], results["re-import"]
    print(f"\nimports, {ROWS:,}-row CSV into an account of {ROWS:,} transactions")
    print(
        f"parse + classify: {first['parse_s']} s ({first['parse_rows_per_s']:,} rows/s); "
        f"record: {first['record_s']} s ({first['record_rows_per_s']:,} rows/s)"
    )
    print(
        f"re-import: {again['new']} new, {again['duplicate']:,} duplicates in "
        f"{again['parse_s']} s; peak memory {results['peak_rss_mib']} MiB"
    )


# --- In-process: the statements, imported through the use cases ------------------


def statement(seed: int) -> bytes:
    """`ROWS` purchases over five years, oldest first, as a bank's CSV."""
    chooser = random.Random(seed)
    lines = ["Date,Amount,Payee,Description"]
    for number in range(ROWS):
        day = FIRST_DAY + timedelta(days=number * DAYS // ROWS)
        cents = chooser.randint(100, 20_000)
        payee = chooser.choice(PAYEES)
        lines.append(
            f"{day:%d/%m/%Y},-{cents // 100}.{cents % 100:02d},{payee},#{seed}-{number}"
        )
    return ("\n".join(lines) + "\n").encode()


def one_import(
    tenant_id: Any, account_id: Any, content: bytes, user_id: Any
) -> dict[str, Any]:
    from modules.imports.application.use_cases import (
        StartImport,
        parse_import,
        record_import,
        start_import,
    )
    from modules.imports.domain.mapping import CsvMapping
    from modules.imports.infrastructure import selectors
    from modules.imports.infrastructure.jobs import unit_of_work
    from modules.imports.infrastructure.models import StatementImport
    from modules.shared.application.tenancy import tenant_scope

    mapping = CsvMapping(
        date="Date",
        date_format="%d/%m/%Y",
        amount="Amount",
        payee="Payee",
        description="Description",
    )
    with tenant_scope(tenant_id):
        import_id = start_import(
            uow=_no_jobs(unit_of_work()),
            command=StartImport(
                account_id=account_id,
                file_name="bench.csv",
                content=content,
                requested_by=user_id,
                mapping=mapping,
            ),
        )
        started = time.perf_counter()
        parse_import(uow=_no_jobs(unit_of_work()), import_id=import_id)
        parse_s = time.perf_counter() - started
        summary = selectors.summary(StatementImport.objects.get(id=import_id))
        uow = _no_jobs(unit_of_work())
        StatementImport.objects.filter(id=import_id).update(status="recording")
        started = time.perf_counter()
        record_import(uow=uow, import_id=import_id)
        record_s = time.perf_counter() - started
    recorded = summary.new + summary.match
    return {
        "new": summary.new,
        "duplicate": summary.duplicate,
        "match": summary.match,
        "parse_s": round(parse_s, 2),
        "parse_rows_per_s": int(ROWS / parse_s),
        "record_s": round(record_s, 2),
        "record_rows_per_s": int(recorded / record_s) if recorded else None,
    }


def _no_jobs(uow: Any) -> Any:
    """The bench runs each job itself, timed, instead of queueing it."""

    class Inline:
        def parse(self, import_id: Any) -> None:
            pass

        def record(self, import_id: Any) -> None:
            pass

    uow.jobs = Inline()
    return uow


def measure() -> dict[str, Any]:
    from django.utils import timezone

    from bench.inprocess import PASSWORD
    from modules.accounts.api import AccountKind, OpenAccount, open_account
    from modules.accounts.api import unit_of_work as accounts_uow
    from modules.identity.infrastructure.models import User
    from modules.shared.application.tenancy import tenant_scope

    user = User.objects.create_user(
        "imports@example.com", PASSWORD, email_verified_at=timezone.now()
    )
    with tenant_scope(user.tenant_id):
        account = open_account(
            uow=accounts_uow(),
            command=OpenAccount(
                tenant_id=user.tenant_id,
                name="Everyday",
                kind=AccountKind.CHECKING,
                currency="EUR",
                opened_on=FIRST_DAY - timedelta(days=1),
            ),
        )
    account_id = account.id
    filled = one_import(user.tenant_id, account_id, statement(seed=1), user.id)
    measured = statement(seed=2)
    first = one_import(user.tenant_id, account_id, measured, user.id)
    again = one_import(user.tenant_id, account_id, measured, user.id)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "fill": filled,
        "import": first,
        "re-import": again,
        "file_bytes": len(measured),
        "peak_rss_mib": round(peak, 1),
    }


def main() -> None:
    from bench.inprocess import setup as django_setup

    command = sys.argv[1]
    if command != "measure":
        raise SystemExit(f"unknown command {command}")
    django_setup()
    print(json.dumps(measure()))


if __name__ == "__main__":
    main()
