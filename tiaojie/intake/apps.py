from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "tiaojie.intake"
    verbose_name = _("Intake channels")

    def ready(self) -> None:
        from tiaojie.worker.registry import register_step

        from .services import process

        # Machine requests wait seconds, not a sweep's minute, for their case.
        register_step("intake", lambda: f"intake requests registered {process()}", every=2)
