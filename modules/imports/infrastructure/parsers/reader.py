"""The one door to every statement format: recognise a file by its content, never its
name, and read it (the `StatementReader` port)."""

from __future__ import annotations

from modules.imports.domain.mapping import CsvMapping
from modules.imports.domain.statements import Statement, StatementError, StatementFormat
from modules.imports.infrastructure.parsers.camt import looks_like_camt, read_camt
from modules.imports.infrastructure.parsers.csvfile import CsvSample, read_csv, sample
from modules.imports.infrastructure.parsers.mt940 import looks_like_mt940, read_mt940
from modules.imports.infrastructure.parsers.ofx import looks_like_ofx, read_ofx
from modules.imports.infrastructure.parsers.qif import looks_like_qif, read_qif
from modules.imports.infrastructure.parsers.text import decode
from modules.shared.domain.text import gettext_noop


def detect_format(data: bytes) -> StatementFormat:
    text = decode(data[:16384])
    if looks_like_ofx(text):
        return StatementFormat.OFX
    if looks_like_camt(text):
        return StatementFormat.CAMT053
    if looks_like_qif(text):
        return StatementFormat.QIF
    if looks_like_mt940(text):
        return StatementFormat.MT940
    if "\x00" in text:
        raise StatementError(
            gettext_noop(
                "This is not a bank statement we can read (CSV, OFX, QFX, QIF, CAMT.053 or MT940)."
            )
        )
    return StatementFormat.CSV


class FileStatementReader:
    def detect(self, data: bytes) -> StatementFormat:
        return detect_format(data)

    def sample(self, data: bytes, *, encoding: str = "") -> CsvSample:
        return sample(decode(data, encoding))

    def read(self, data: bytes, *, mapping: CsvMapping | None = None) -> Statement:
        found = detect_format(data)
        if found is StatementFormat.CAMT053:
            return read_camt(data)
        if found is StatementFormat.OFX:
            return read_ofx(decode(data))
        if found is StatementFormat.QIF:
            return read_qif(decode(data))
        if found is StatementFormat.MT940:
            return read_mt940(decode(data))
        if mapping is None:
            raise StatementError(
                gettext_noop(
                    "A CSV file needs a column mapping: which column holds what."
                )
            )
        return read_csv(decode(data, mapping.encoding), mapping)
