"""The public site (landing, help, terms, privacy, crawler files) and the signed-in
dashboard, which gathers what each module has to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from modules.accounts import api as accounts
from modules.budgets import api as budgets
from modules.identity import api as identity
from modules.loans import api as loans
from modules.recurring import api as recurring
from modules.reports import api as reports
from modules.shared.interfaces.web.context_processors import SITE_NAME
from modules.shared.interfaces.web.retention import retention_rows
from modules.shared.interfaces.web.views import json_ld, signed_in
from modules.transactions import api as ledger

SCHEMA_ORG = "https://schema.org"
RECENT_SECURITY_EVENTS = 10
RECENT_TRANSACTIONS = 5
UPCOMING_SHOWN = 5


@signed_in
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each module's summary, read through its API, for the signed-in person: the
    same queries however much history there is (every sum from the read model)."""
    with identity.owner_settings_read_once():
        summary, totals = accounts.active_accounts_summary()
        names = {view.row.id: view.row.name for view in summary}
        context = {
            "profile": identity.profile_of(request.user.id),
            "events": identity.recent_security_events(RECENT_SECURITY_EVENTS),
            "accounts": summary,
            "totals": totals,
            "budgets": budgets.active_budgets(),
            "figures": reports.dashboard_figures(),
            "upcoming": recurring.upcoming(limit=UPCOMING_SHOWN),
            "loans": loans.upcoming_payments()[:UPCOMING_SHOWN],
            "recent": [
                (view, names.get(view.account or view.from_account, ""))
                for view in ledger.recent_transactions(RECENT_TRANSACTIONS)
            ],
        }
    return render(request, "home/dashboard.html", context)


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    organization = {
        "@context": SCHEMA_ORG,
        "@type": "Organization",
        "name": SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": settings.SITE_URL + static("img/og-default.png"),
        "description": _("Personal finance: accounts, budgets, loans and net worth."),
    }
    context = {"structured_data": json_ld(organization)}
    return render(request, "site/landing.html", context)


@dataclass(frozen=True)
class Question:
    question: str
    answer: str


def frequently_asked() -> list[Question]:
    """Built per request so numbers come from settings and text is in the reader's
    language; the page and its FAQPage data are rendered from this one list."""
    threshold = settings.LOCKOUT_THRESHOLD
    minutes = int(settings.LOCKOUT_DURATION.total_seconds() // 60)
    verify_days = settings.EMAIL_VERIFICATION_MAX_AGE.days
    reset_minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    closure_days = settings.ACCOUNT_CLOSURE_GRACE.days
    return [
        Question(
            _("How do I create an account?"),
            _(
                "Choose “Sign up”, enter your email address and a password of at least "
                "12 characters, and accept the terms. We then send you an email to "
                "confirm that the address is yours."
            ),
        ),
        Question(
            _("I did not get the confirmation email. What can I do?"),
            ngettext(
                "Check your spam folder first. The link works once and expires after "
                "%(days)d day. You can ask for a new link on the “Resend confirmation "
                "email” page, or from the sign-in page.",
                "Check your spam folder first. The link works once and expires after "
                "%(days)d days. You can ask for a new link on the “Resend confirmation "
                "email” page, or from the sign-in page.",
                verify_days,
            )
            % {"days": verify_days},
        ),
        Question(
            _("Why can I not sign in after several attempts?"),
            _(
                "To protect your account, after %(threshold)d failed attempts in a row "
                "we pause sign-in for that address for %(minutes)d minutes. Wait and "
                "try again, or reset your password."
            )
            % {"threshold": threshold, "minutes": minutes},
        ),
        Question(
            _("How do I reset my password?"),
            _(
                "Choose “Forgot your password?” on the sign-in page and enter your "
                "email address. We send you a link that works once and expires after "
                "%(minutes)d minutes. For your safety, we give the same answer "
                "whether or not the address has an account."
            )
            % {"minutes": reset_minutes},
        ),
        Question(
            _("Who can see my financial data?"),
            _(
                "Only you. Every person's data is kept separate from everyone else's, "
                "we never sell it, and our staff do not look at it unless you ask us "
                "to help."
            ),
        ),
        Question(
            _("Can I export or delete my data?"),
            _(
                "Yes, both are your rights, and both are on the Your data page. "
                "Export gives you one zip with everything you have entered, as JSON "
                "and CSV, that you can download for 7 days. Closing your account "
                "(with your password) stops every sign-in at once; we email you a "
                "link that reopens it for %(days)d days, and after that all its data "
                "is erased for good. The privacy policy lists how long we keep "
                "everything else."
            )
            % {"days": closure_days},
        ),
        Question(
            _("Which languages can I use?"),
            _(
                "English and Spanish. Change the language with the selector at the "
                "bottom of every page, or in your settings; emails arrive in the "
                "language of your settings."
            ),
        ),
    ]


def faq_structured_data(questions: list[Question]) -> dict[str, Any]:
    return {
        "@context": SCHEMA_ORG,
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": item.question,
                "acceptedAnswer": {"@type": "Answer", "text": item.answer},
            }
            for item in questions
        ],
    }


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    questions = frequently_asked()
    context = {
        "questions": questions,
        "structured_data": json_ld(faq_structured_data(questions)),
    }
    return render(request, "site/help.html", context)


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "site/terms.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "site/privacy.html", {"retention": retention_rows()})


# --- Crawlers ------------------------------------------------------------------
ROBOTS_DISALLOWED = ("/app/", "/admin/", "/api/")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('site:sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


class PublicPagesSitemap(Sitemap):
    """Pages worth finding in a search engine, with absolute URLs on `SITE_URL`
    rather than whatever host the request came in on."""

    changefreq = "monthly"
    pages = {
        "site:landing": 1.0,
        "site:help": 0.8,
        "identity:signup": 0.8,
        "identity:login": 0.5,
        "site:terms": 0.3,
        "site:privacy": 0.3,
    }

    def items(self) -> list[str]:
        return list(self.pages)

    def location(self, item: str) -> str:
        return reverse(item)

    def priority(self, item: str) -> float:
        return self.pages[item]

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site: object = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


SITEMAPS = {"pages": PublicPagesSitemap}
