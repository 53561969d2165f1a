"""Public pages as search engines, screen readers and Spanish speakers meet them:
titles, descriptions, canonical and social tags, structured data, crawler files,
landmarks, the language switcher and the error pages."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from modules.identity.infrastructure.models import User
from modules.shared.interfaces.web import errors

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/help/", "/terms/", "/privacy/", "/signup/", "/login/"]
FOCUSABLE = {"a", "button", "input", "select", "textarea"}
EMAIL_BACKEND = "modules.identity.infrastructure.auth.EmailBackend"


class Page(HTMLParser):
    """What a page says about itself in its head, landmarks and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.landmarks: list[dict[str, str | None]] = []
        self.first_focusable: dict[str, str | None] | None = None
        self.h1_count = 0
        self.json_ld: list[str] = []
        self._in: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "meta":
            key = attributes.get("name") or attributes.get("property")
            if key:
                self.meta[key] = attributes.get("content") or ""
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")
        elif tag in ("header", "nav", "main", "footer"):
            self.landmarks.append({"tag": tag, **attributes})
        elif tag == "h1":
            self.h1_count += 1
        self._remember_focusable(tag, attributes)
        if tag == "title" or (
            tag == "script" and attributes.get("type") == "application/ld+json"
        ):
            self._in, self._buffer = tag, []

    def _remember_focusable(self, tag: str, attributes: dict[str, str | None]) -> None:
        hidden = attributes.get("type") == "hidden"
        if self.first_focusable is None and tag in FOCUSABLE and not hidden:
            self.first_focusable = {"tag": tag, **attributes}

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in == "title":
            self.title = "".join(self._buffer).strip()
        elif tag == self._in == "script":
            self.json_ld.append("".join(self._buffer))
        if tag == self._in:
            self._in = None


def parse(response: Any) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


# --- Head: titles, descriptions, canonical, social ---------------------------------
@pytest.mark.parametrize("language", ["en", "es"])
def test_public_pages_have_unique_short_titles_and_descriptions(
    client: Client, language: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = {path: parse(client.get(path)) for path in PUBLIC_PAGES}
    assert {page.html_lang for page in pages.values()} == {language}

    titles = [page.title for page in pages.values()]
    assert len(set(titles)) == len(titles), titles
    for path, page in pages.items():
        assert page.title.endswith(" | Finance"), path
        assert 0 < len(page.title) < 60, page.title
        assert 50 <= len(page.meta["description"]) < 160, (path, page.meta)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_canonical_and_social_tags(client: Client, path: str) -> None:
    response = client.get(path)
    page = parse(response)

    assert response.status_code == 200
    assert page.canonical == settings.SITE_URL + path
    assert page.meta["og:url"] == page.canonical
    assert page.meta["og:title"] in page.title
    assert page.meta["og:description"] == page.meta["description"]
    assert page.meta["og:image"].startswith(settings.SITE_URL + "/static/")
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["twitter:title"] == page.meta["og:title"]
    assert "robots" not in page.meta
    assert "X-Robots-Tag" not in response


# --- Landmarks and keyboard --------------------------------------------------------
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_landmarks_a_skip_link_and_one_heading(
    client: Client, path: str
) -> None:
    page = parse(client.get(path))

    assert page.html_lang == "en"
    assert page.first_focusable is not None
    assert page.first_focusable["class"] == "skip-link"
    assert page.first_focusable["href"] == "#main-content"
    tags = [landmark["tag"] for landmark in page.landmarks]
    assert {"header", "nav", "main", "footer"} <= set(tags)
    main = next(landmark for landmark in page.landmarks if landmark["tag"] == "main")
    assert main["id"] == "main-content"
    navs = [landmark for landmark in page.landmarks if landmark["tag"] == "nav"]
    assert all(nav.get("aria-label") for nav in navs)
    assert page.h1_count == 1


def test_the_language_switcher_works_without_javascript(client: Client) -> None:
    body = client.get("/help/").content.decode()
    assert 'action="/i18n/setlang/"' in body
    assert '<label for="language-select">' in body

    response = client.post("/i18n/setlang/", {"language": "es", "next": "/help/"})

    assert response["Location"] == "/help/"
    spanish = client.get("/help/")
    assert parse(spanish).html_lang == "es"
    assert "Ayuda" in parse(spanish).title


def test_signed_in_navigation_offers_dashboard_settings_and_a_sign_out_form(
    client: Client,
) -> None:
    user = User.objects.create_user("ana@example.com", "correct horse battery staple")
    client.force_login(user, backend=EMAIL_BACKEND)

    body = client.get("/").content.decode()

    assert 'href="/app/"' in body
    assert 'href="/app/settings/"' in body
    assert 'action="/logout/"' in body
    assert 'href="/login/"' not in body


# --- Spanish -----------------------------------------------------------------------
def test_landing_in_spanish_from_the_browser_language(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "es-ES,es;q=0.9"})
    body = response.content.decode()

    assert parse(response).html_lang == "es"
    assert response["Content-Language"] == "es"
    assert "Todo tu dinero, en un solo lugar privado" in body
    assert "Crea tu cuenta" in body
    assert "All your money" not in body


def test_landing_in_spanish_from_the_language_cookie(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    body = client.get("/").content.decode()

    assert "Todo tu dinero, en un solo lugar privado" in body
    assert "Saltar al contenido principal" in body


# --- Structured data ---------------------------------------------------------------
def test_help_page_publishes_its_questions_as_faq_structured_data(
    client: Client,
) -> None:
    response = client.get("/help/")
    page = parse(response)
    body = response.content.decode()

    assert len(page.json_ld) == 1
    data = json.loads(page.json_ld[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    questions = data["mainEntity"]
    assert len(questions) >= 6
    for item in questions:
        assert item["@type"] == "Question"
        assert item["acceptedAnswer"]["@type"] == "Answer"
        assert len(item["acceptedAnswer"]["text"]) > 40
    names = " ".join(item["name"] for item in questions).lower()
    for topic in ("account", "confirmation", "sign in", "password", "data", "language"):
        assert topic in names, topic
    assert "after 5 failed attempts" in body


def test_faq_structured_data_is_translated(client: Client) -> None:
    response = client.get("/help/", headers={"accept-language": "es"})

    data = json.loads(parse(response).json_ld[0])

    assert data["mainEntity"][0]["name"] == "¿Cómo creo una cuenta?"


def test_landing_publishes_the_organization(client: Client) -> None:
    page = parse(client.get("/"))

    data = json.loads(page.json_ld[0])

    assert data["@type"] == "Organization"
    assert data["name"] == "Finance"
    assert data["url"] == settings.SITE_URL + "/"
    assert data["logo"].startswith(settings.SITE_URL)


# --- Crawler files -----------------------------------------------------------------
def test_robots_txt_keeps_crawlers_out_of_private_areas(client: Client) -> None:
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/app/", "/admin/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines


def test_sitemap_lists_the_public_pages_with_absolute_urls(client: Client) -> None:
    response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1")

    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {node.text for node in tree.findall("s:url/s:loc", namespace)}
    assert locations == {settings.SITE_URL + path for path in PUBLIC_PAGES}


# --- Error pages -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "We could not find that page."), ("es", "No hemos encontrado esa página.")],
)
def test_a_missing_page_is_a_friendly_404_in_each_language(
    client: Client, language: str, text: str
) -> None:
    response = client.get("/no-such-page/", headers={"accept-language": language})

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = parse(response)
    assert page.html_lang == language
    assert text in response.content.decode()
    assert 'href="/"' in response.content.decode()


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_error_templates_render_their_message(status: int) -> None:
    request = RequestFactory().get("/somewhere/")

    body = render_to_string(f"errors/{status}.html", {"message": "Xyzzy"}, request)

    assert "Xyzzy" in body
    assert f"{status}" in body


def test_the_server_error_page_needs_no_database(
    django_assert_num_queries: Any,
) -> None:
    request = RequestFactory().get("/boom/")

    with translation.override("en"), django_assert_num_queries(0):
        response = errors.server_error(request)

    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side." in body
    assert '<html lang="en">' in body
