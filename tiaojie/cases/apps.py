from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tiaojie.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from tiaojie.accounts import notify
        from tiaojie.cases.sensitivity import restricted

        # A labelled case's messages reach uncleared readers as a title only.
        notify.withhold_body_when(restricted)
