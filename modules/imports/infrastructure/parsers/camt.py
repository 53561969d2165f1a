"""ISO 20022 CAMT.053 bank-to-customer statements, read with defusedxml (no entity
expansion, no external fetches). One row per booked entry (`Ntry`): a batch entry is
one movement of the account however many transactions it carries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from modules.imports.domain.statements import (
    Statement,
    StatementError,
    StatementFormat,
    StatementRow,
)
from modules.imports.infrastructure.parsers.text import clean
from modules.shared.domain.text import gettext_noop

ENTRY_ERROR = gettext_noop("Statement %(statement)s, entry %(entry)s: %(problem)s")


def looks_like_camt(text: str) -> bool:
    head = text[:2048]
    return "camt.053" in head or "BkToCstmrStmt" in text[:8192]


def read_camt(data: bytes) -> Statement:
    try:
        root = ElementTree.fromstring(data.removeprefix(b"\xef\xbb\xbf"))
    except ElementTree.ParseError as error:
        raise StatementError(
            gettext_noop("The XML is not well formed: %(problem)s"),
            line=error.position[0],
            problem=str(error),
        ) from None
    _strip_namespaces(root)
    rows: list[StatementRow] = []
    currency = ""
    for number, stmt in enumerate(root.iter("Stmt"), start=1):
        account = _text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id")
        currency = currency or _text(stmt, "Acct/Ccy")
        for index, entry in enumerate(stmt.findall("Ntry"), start=1):
            rows.append(
                _row(entry, account, line=len(rows) + 1, statement=number, entry=index)
            )
    if not rows and root.find(".//Stmt") is None:
        raise StatementError(gettext_noop("This XML file holds no CAMT.053 statement."))
    return Statement(format=StatementFormat.CAMT053, rows=rows, currency=currency)


def _row(
    node: Element, account: str, *, line: int, statement: int, entry: int
) -> StatementRow:
    """`line` numbers the entries of the whole file (CAMT has no meaningful lines)."""
    where = {"statement": statement, "entry": entry}
    amount_text = _text(node, "Amt")
    direction = _text(node, "CdtDbtInd")
    booked = _text(node, "BookgDt/Dt") or _text(node, "BookgDt/DtTm")[:10]
    try:
        amount = Decimal(amount_text)
        on = date.fromisoformat(booked)
    except (ArithmeticError, ValueError):
        raise StatementError(
            ENTRY_ERROR, problem=f"{amount_text!r} {booked!r}", **where
        ) from None
    if direction not in {"CRDT", "DBIT"}:
        raise StatementError(ENTRY_ERROR, problem=f"CdtDbtInd {direction!r}", **where)
    details = node.findall("NtryDtls/TxDtls")
    party = "Dbtr" if direction == "CRDT" else "Cdtr"
    payee = next(
        (
            _text(tx, f"RltdPties/{party}/Nm")
            for tx in details
            if _text(tx, f"RltdPties/{party}/Nm")
        ),
        "",
    )
    remittance = [clean(node.text or "") for tx in details for node in tx.iter("Ustrd")]
    description = "; ".join(filter(None, remittance)) or _text(node, "AddtlNtryInf")
    return StatementRow(
        line=line,
        on=on,
        amount=amount if direction == "CRDT" else -amount,
        payee=clean(payee),
        description=clean(description),
        reference=_text(node, "NtryRef"),
        bank_id=_text(node, "AcctSvcrRef"),
        account=account,
    )


def _text(node: Element, path: str) -> str:
    found = node.find(path)
    return (found.text or "").strip() if found is not None else ""


def _strip_namespaces(root: Element) -> None:
    for node in root.iter():
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.split("}", 1)[1]
