from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistlesConfig(AppConfig):
    name = "tiaojie.whistles"
    verbose_name = _("Whistles")

    def ready(self) -> None:
        from tiaojie.cases.scoping import also_sees
        from tiaojie.whistles.scope import summoned_cases

        also_sees(summoned_cases)
