"""Ledger pages: the transactions list and its filters, recording and reversing a
transaction, and categories. Each view reads a form, calls one use case, then
redirects with a message or renders the form again with the refusal on its field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from modules.accounts.api import account_rows
from modules.shared.domain.errors import DomainError, NotFoundError
from modules.shared.domain.money import Money
from modules.shared.infrastructure.keyset import Key, keyset_page
from modules.shared.interfaces.web.forms import add_domain_error
from modules.shared.interfaces.web.views import (
    GET_OR_POST,
    safe_next,
    signed_in,
)
from modules.transactions.application import categories as category_cases
from modules.transactions.application import use_cases
from modules.transactions.domain.categories import CategoryKind
from modules.transactions.domain.ledger import EntryKind
from modules.transactions.infrastructure import selectors
from modules.transactions.infrastructure.entry_rules import apply_entry_rules
from modules.transactions.infrastructure.models import Category, Entry
from modules.transactions.infrastructure.statements import KIND_LABELS
from modules.transactions.infrastructure.uow import unit_of_work
from modules.transactions.interfaces.web.forms import (
    CategoryChangeForm,
    CategoryForm,
    ReverseForm,
    TransactionFilterForm,
    TransactionForm,
    today,
)

PAGE_SIZE = 50
ENTRY_KEY = Key(
    fields=("occurred_on", "created_at", "id"), types=(date, datetime, UUID)
)


# --- Rows as the list shows them -----------------------------------------------
@dataclass(frozen=True, kw_only=True)
class TransactionRow:
    """One entry in the person's words: which accounts, which way, how much."""

    view: selectors.TransactionView
    signed: Money
    account_name: str = ""
    from_name: str = ""
    to_name: str = ""
    category: str = ""

    @property
    def entry(self) -> Entry:
        return self.view.entry

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.entry.kind, self.entry.kind))

    @property
    def is_transfer(self) -> bool:
        return self.view.from_account is not None

    @property
    def is_reversal(self) -> bool:
        return self.entry.kind == EntryKind.REVERSAL

    @property
    def is_reversed(self) -> bool:
        return self.view.reversed_by is not None

    @property
    def can_reverse(self) -> bool:
        return not (self.is_reversal or self.is_reversed)


def transaction_row(
    entry: Entry, *, accounts: Mapping[UUID, str], categories: Mapping[UUID, str]
) -> TransactionRow:
    """Uses the prefetched postings only: no query per row. Transfers keep their
    amount unsigned; other entries carry the sign of their effect on the account."""
    view = selectors.transaction_view(entry)
    category = categories.get(view.category, "") if view.category else ""
    if view.from_account is not None and view.to_account is not None:
        return TransactionRow(
            view=view,
            signed=view.amount,
            from_name=accounts.get(view.from_account, ""),
            to_name=accounts.get(view.to_account, ""),
            category=category,
        )
    own = next(p for p in selectors.postings_of(entry) if p.account_id is not None)
    return TransactionRow(
        view=view,
        signed=Money.from_minor(own.amount_minor, own.currency),
        account_name=accounts.get(own.account_id, ""),
        category=category,
    )


class Named(Protocol):
    id: UUID
    name: str


def names_of(rows: Iterable[Named]) -> dict[UUID, str]:
    return {row.id: row.name for row in rows}


# --- Transactions ----------------------------------------------------------------
@signed_in
@require_GET
def transaction_list(request: HttpRequest) -> HttpResponse:
    accounts = list(account_rows())
    categories = list(Category.objects.all())
    form = TransactionFilterForm(
        request.GET or None, accounts=accounts, categories=categories
    )
    if form.is_bound:
        form.is_valid()
    page = keyset_page(
        selectors.entries(form.to_filter()),
        ENTRY_KEY,
        size=PAGE_SIZE,
        before=request.GET.get("before"),
        after=request.GET.get("after"),
    )
    account_names, category_names = names_of(accounts), names_of(categories)
    rows = [
        transaction_row(e, accounts=account_names, categories=category_names)
        for e in page.rows
    ]
    context = {
        "form": form,
        "rows": rows,
        "older": page.older,
        "newer": page.newer,
        "filtered": form.to_filter() != selectors.TransactionFilter(),
    }
    return render(request, "ledger/transaction_list.html", context)


@signed_in
@GET_OR_POST
def new_transaction(request: HttpRequest) -> HttpResponse:
    initial = {"date": today(), "account": request.GET.get("account", "")}
    form = TransactionForm(
        request.POST or None,
        initial=initial,
        accounts=account_rows(include_archived=False),
        categories=Category.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            use_cases.record_transaction(
                uow=unit_of_work(), command=form.to_command(), rules=apply_entry_rules
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The transaction has been recorded."))
            return redirect("ledger:transactions")
    return render(request, "ledger/transaction_form.html", {"form": form})


@signed_in
@GET_OR_POST
def reverse_transaction(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """A confirmation page first: a reversal cannot itself be undone."""
    entry = selectors.entries().filter(id=entry_id).first()
    if entry is None:
        raise Http404
    row = transaction_row(
        entry,
        accounts=names_of(account_rows()),
        categories=names_of(Category.objects.all()),
    )
    form = ReverseForm(request.POST or None, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            use_cases.reverse_transaction(
                uow=unit_of_work(), entry_id=entry.id, on=form.cleaned_data["date"]
            )
        except NotFoundError as error:
            raise Http404 from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The transaction has been reversed."))
            return redirect(safe_next(request) or "ledger:transactions")
    context = {"form": form, "row": row, "next": safe_next(request)}
    return render(request, "ledger/reverse_confirm.html", context)


# --- Categories ----------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class CategoryGroup:
    """A top-level category and the categories filed under it."""

    group: Category
    children: list[Category]


def grouped(categories: Iterable[Category], kind: str) -> list[CategoryGroup]:
    of_kind = sorted(
        (c for c in categories if c.kind == kind), key=lambda c: c.name.casefold()
    )
    return [
        CategoryGroup(group=c, children=[x for x in of_kind if x.parent_id == c.id])
        for c in of_kind
        if c.parent_id is None
    ]


@signed_in
@GET_OR_POST
def category_list(request: HttpRequest) -> HttpResponse:
    """Every category by kind and group, and the form that creates one."""
    categories = list(Category.objects.all())
    form = CategoryForm(
        request.POST or None,
        categories=categories,
        initial={"kind": CategoryKind.EXPENSE.value},
    )
    if request.method == "POST" and form.is_valid():
        try:
            category_cases.create_category(
                uow=unit_of_work(),
                command=category_cases.CreateCategory(
                    name=form.cleaned_data["name"],
                    kind=CategoryKind(form.cleaned_data["kind"]),
                    parent=form.cleaned_data["parent"],
                ),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The category has been created."))
            return redirect("ledger:categories")
    context = {
        "form": form,
        "sections": [
            (_("Expense categories"), grouped(categories, CategoryKind.EXPENSE.value)),
            (_("Income categories"), grouped(categories, CategoryKind.INCOME.value)),
        ],
    }
    return render(request, "ledger/category_list.html", context)


@signed_in
@GET_OR_POST
def category_change(request: HttpRequest, category_id: UUID) -> HttpResponse:
    categories = list(Category.objects.all())
    category = next((c for c in categories if c.id == category_id), None)
    if category is None:
        raise Http404
    form = CategoryChangeForm(
        request.POST or None, category=category, categories=categories
    )
    if request.method == "POST" and form.is_valid():
        try:
            category_cases.change_category(
                uow=unit_of_work(),
                command=category_cases.ChangeCategory(
                    category_id=category.id, **form.changes()
                ),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The category has been saved."))
            return redirect("ledger:categories")
    context = {"form": form, "category": category}
    return render(request, "ledger/category_form.html", context)
