"""Every door into the product: web pages, API, admin, health and metrics."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health, metrics
from modules.accounts.interfaces import admin as accounts_admin  # noqa: F401 - registers
from modules.budgets.interfaces import admin as budgets_admin  # noqa: F401 - registers
from modules.identity.interfaces import admin as identity_admin  # noqa: F401 - registers
from modules.identity.interfaces.web import views as identity_web
from modules.imports.interfaces import admin as imports_admin  # noqa: F401 - registers
from modules.live.interfaces import admin as live_admin  # noqa: F401 - registers
from modules.loans.interfaces import admin as loans_admin  # noqa: F401 - registers
from modules.notifications.interfaces import admin as notifications_admin  # noqa: F401 - registers
from modules.privacy.interfaces import admin as privacy_admin  # noqa: F401 - registers
from modules.recurring.interfaces import admin as recurring_admin  # noqa: F401 - registers
from modules.shared.interfaces import admin as shared_admin  # noqa: F401 - registers
from modules.shared.interfaces.web import errors
from modules.transactions.interfaces import admin as ledger_admin  # noqa: F401 - registers

api_v1 = [
    path("", include("modules.accounts.interfaces.api.urls")),
    path("", include("modules.transactions.interfaces.api.urls")),
    path("", include("modules.notifications.interfaces.api.urls")),
    path("", include("modules.budgets.interfaces.api.urls")),
    path("", include("modules.recurring.interfaces.api.urls")),
    path("", include("modules.loans.interfaces.api.urls")),
    path("", include("modules.reports.interfaces.api.urls")),
    path("", include("modules.privacy.interfaces.api.urls")),
    path("", include("modules.imports.interfaces.api.urls")),
    path("", include("modules.live.interfaces.api.urls")),
    path(
        "",
        include(
            ("modules.identity.interfaces.api.urls", "identity"), namespace="identity"
        ),
    ),
]

urlpatterns = [
    path("health/", health.liveness, name="health"),
    path("health/ready/", health.readiness, name="health-ready"),
    path("metrics", metrics.metrics, name="metrics"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    re_path(r"^api/", errors.api_not_found),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", identity_web.set_language),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "app/",
        include(
            ("modules.accounts.interfaces.web.urls", "accounts"), namespace="accounts"
        ),
    ),
    path(
        "app/",
        include(
            ("modules.transactions.interfaces.web.urls", "ledger"), namespace="ledger"
        ),
    ),
    path(
        "app/",
        include(
            ("modules.notifications.interfaces.web.urls", "notifications"),
            namespace="notifications",
        ),
    ),
    path(
        "app/",
        include(
            ("modules.budgets.interfaces.web.urls", "budgets"), namespace="budgets"
        ),
    ),
    path(
        "app/",
        include(
            ("modules.recurring.interfaces.web.urls", "recurring"),
            namespace="recurring",
        ),
    ),
    path(
        "app/",
        include(("modules.loans.interfaces.web.urls", "loans"), namespace="loans"),
    ),
    path(
        "app/",
        include(
            ("modules.reports.interfaces.web.urls", "reports"), namespace="reports"
        ),
    ),
    path(
        "app/",
        include(
            ("modules.imports.interfaces.web.urls", "imports"), namespace="imports"
        ),
    ),
    path(
        "",
        include(
            ("modules.identity.interfaces.web.urls", "identity"), namespace="identity"
        ),
    ),
    path(
        "",
        include(
            ("modules.privacy.interfaces.web.urls", "privacy"), namespace="privacy"
        ),
    ),
    path("", include(("modules.home.interfaces.web.urls", "site"), namespace="site")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
