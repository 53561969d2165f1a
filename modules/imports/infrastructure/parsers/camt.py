"""ISO 20022 CAMT.053 bank-to-customer statements, read with defusedxml (no entity
expansion, no external fetches). One row per booked entry (`Ntry`): a batch entry is
one movement of the account however many transactions it carries."""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import ElementTree

from modules.imports.domain.statements import (
    Statement,
    StatementError,
    StatementFormat,
    StatementRow,
    line_error,
)
from modules.imports.infrastructure.parsers.text import (
    NOT_AN_AMOUNT,
    clean,
    parse_amount,
)
from modules.shared.domain.text import gettext_noop


def looks_like_camt(text: str) -> bool:
    head = text[:2048]
    return "camt.053" in head or "BkToCstmrStmt" in text[:8192]


def read_camt(data: bytes) -> Statement:
    lines = _LineBuilder()
    parser = ElementTree.DefusedXMLParser(target=lines)
    lines.parser = parser
    try:
        parser.feed(data.removeprefix(b"\xef\xbb\xbf"))
        root = parser.close()
    except ElementTree.ParseError as error:
        raise StatementError(
            gettext_noop("The XML is not well formed: %(problem)s"),
            line=error.position[0],
            problem=str(error),
        ) from None
    _strip_namespaces(root)
    rows: list[StatementRow] = []
    currency = ""
    for stmt in root.iter("Stmt"):
        account = _text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id")
        currency = currency or _text(stmt, "Acct/Ccy")
        rows.extend(
            _row(entry, account, lines.of(entry)) for entry in stmt.findall("Ntry")
        )
    if not rows and root.find(".//Stmt") is None:
        raise StatementError(gettext_noop("This XML file holds no CAMT.053 statement."))
    return Statement(format=StatementFormat.CAMT053, rows=rows, currency=currency)


def _row(node: Element, account: str, line: int) -> StatementRow:
    """`line` is where the entry's `Ntry` opens in the file."""
    amount_text = _text(node, "Amt")
    direction = _text(node, "CdtDbtInd")
    booked = _text(node, "BookgDt/Dt") or _text(node, "BookgDt/DtTm")[:10]
    try:
        amount = parse_amount(amount_text, signed=False)
    except ValueError:
        raise line_error(line, NOT_AN_AMOUNT, value=amount_text) from None
    try:
        on = date.fromisoformat(booked)
    except ValueError:
        raise line_error(
            line, gettext_noop("“%(value)s” is not a date."), value=booked
        ) from None
    if direction not in {"CRDT", "DBIT"}:
        raise line_error(
            line,
            gettext_noop("“%(value)s” is not a direction (CRDT or DBIT)."),
            value=direction,
        )
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


class _LineBuilder(TreeBuilder):
    """Builds the tree and notes the line each element opens on (ElementTree keeps
    none)."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: ElementTree.DefusedXMLParser | None = None
        self.lines: dict[Element, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[element] = self.parser.parser.CurrentLineNumber
        return element

    def of(self, element: Element) -> int:
        return self.lines.get(element, 0)


def _text(node: Element, path: str) -> str:
    found = node.find(path)
    return (found.text or "").strip() if found is not None else ""


def _strip_namespaces(root: Element) -> None:
    for node in root.iter():
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.split("}", 1)[1]
