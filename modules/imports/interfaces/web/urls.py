"""Import pages under /app/; included with the namespace `imports`."""

from django.urls import path

from modules.imports.interfaces.web import rule_views, views

urlpatterns = [
    path("imports/", views.imports, name="list"),
    path("imports/<uuid:import_id>/", views.detail, name="detail"),
    path("imports/<uuid:import_id>/mapping/", views.mapping, name="mapping"),
    path("imports/<uuid:import_id>/confirm/", views.confirm, name="confirm"),
    path("imports/<uuid:import_id>/undo/", views.undo, name="undo"),
    path("rules/", rule_views.rules, name="rules"),
    path("rules/new/", rule_views.new_rule, name="new-rule"),
    path("rules/<uuid:rule_id>/", rule_views.edit_rule, name="rule"),
    path("rules/<uuid:rule_id>/delete/", rule_views.delete_rule, name="delete-rule"),
    path("rules/<uuid:rule_id>/dry-run/", rule_views.dry_run, name="dry-run"),
]
