from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "modules.imports.infrastructure"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from modules.imports.infrastructure.rules import rules_exist, rules_on_entry
        from modules.transactions.api import EntryRules, connect_entry_rules

        connect_entry_rules(EntryRules(exist=rules_exist, apply=rules_on_entry))
