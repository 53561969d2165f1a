"""`manage.py load_exchange_rates FILE [--source ECB] [--base EUR]`: published
reference rates from a CSV in the ECB's layout (daily `eurofxref.csv` or the history
`eurofxref-hist.csv`), inserted or updated, for every tenant."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from modules.accounts.domain.rates import rates_from_reference_csv
from modules.accounts.infrastructure.rates import load_reference_rates
from modules.shared.domain.errors import ValidationError


class Command(BaseCommand):
    help = "Load published reference exchange rates from a CSV file (ECB layout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument("--source", default="ECB", help="Who published them.")
        parser.add_argument(
            "--base", default="EUR", help="The currency every column is quoted in."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open(newline="", encoding="utf-8-sig") as file:
                parsed = rates_from_reference_csv(
                    csv.reader(file), base=options["base"], source=options["source"]
                )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except ValidationError as error:
            raise CommandError(
                f"{path}: {error.message} ({error.details[0].code})"
            ) from None
        loaded = load_reference_rates(parsed.rates)
        self.stdout.write(
            self.style.SUCCESS(
                f"Exchange rates loaded: {loaded}; cells without a rate: "
                f"{parsed.skipped}."
            )
        )
