from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModesConfig(AppConfig):
    name = "tiaojie.modes"
    verbose_name = _("Dispatch modes")

    def ready(self) -> None:
        from . import selectors  # noqa: F401 - connects the cache-clearing signals
