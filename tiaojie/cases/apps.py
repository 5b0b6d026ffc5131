from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tiaojie.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from tiaojie.worker.registry import register_step

        from .sweeper import sweep

        # Deadlines first: what they escalate is told in the same sweep.
        register_step("deadlines", lambda: str(sweep()), order=10)
