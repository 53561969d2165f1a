from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "modules.imports.infrastructure"
    label = "imports"
    verbose_name = _("Imports")
