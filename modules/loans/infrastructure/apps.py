from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "modules.loans.infrastructure"
    label = "loans"
    verbose_name = _("Loans")

    def ready(self) -> None:
        from modules.loans.infrastructure.sweep import sweep_payments
        from modules.shared.application.sweeps import register_sweep_job

        register_sweep_job("loan_payments", sweep_payments)
