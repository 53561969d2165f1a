"""Imports API under /api/v1/."""

from django.urls import path

from modules.imports.interfaces.api import rule_views, views

urlpatterns = [
    path("imports", views.ImportList.as_view(), name="imports"),
    path("imports/<uuid:import_id>", views.ImportDetail.as_view(), name="import"),
    path(
        "imports/<uuid:import_id>/mappings",
        views.ImportMappings.as_view(),
        name="import_mappings",
    ),
    path(
        "imports/<uuid:import_id>/confirmations",
        views.ImportConfirmations.as_view(),
        name="import_confirmations",
    ),
    path(
        "imports/<uuid:import_id>/reversals",
        views.ImportReversals.as_view(),
        name="import_reversals",
    ),
    path("import-profiles", views.ProfileList.as_view(), name="import_profiles"),
    path("rules", rule_views.RuleList.as_view(), name="rules"),
    path("rules/<uuid:rule_id>", rule_views.RuleDetail.as_view(), name="rule"),
    path(
        "rules/<uuid:rule_id>/dry-runs",
        rule_views.RuleDryRuns.as_view(),
        name="rule_dry_runs",
    ),
    path(
        "rules/<uuid:rule_id>/applications",
        rule_views.RuleApplications.as_view(),
        name="rule_applications",
    ),
]
