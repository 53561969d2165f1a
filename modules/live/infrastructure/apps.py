from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "modules.live.infrastructure"
    label = "live"
    verbose_name = _("Live updates")
