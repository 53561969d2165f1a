"""Recurring pages under /app/; included with the namespace `recurring`."""

from django.urls import path

from modules.recurring.interfaces.web import views

urlpatterns = [
    path("recurring/", views.rule_list, name="list"),
    path("recurring/new/", views.new_rule, name="new"),
    path("recurring/<uuid:rule_id>/edit/", views.edit_rule, name="edit"),
    path("recurring/<uuid:rule_id>/pause/", views.pause_rule, name="pause"),
    path("recurring/<uuid:rule_id>/resume/", views.resume_rule, name="resume"),
    path("recurring/<uuid:rule_id>/delete/", views.delete_rule, name="delete"),
    path("recurring/<uuid:rule_id>/skip/", views.skip_occurrence, name="skip"),
    path("bills/", views.bills, name="bills"),
    path("bills/<uuid:rule_id>/pay/", views.confirm_bill, name="pay"),
    path("forecast/", views.forecast, name="forecast"),
]
