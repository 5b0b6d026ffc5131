from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistlesConfig(AppConfig):
    name = "tiaojie.whistles"
    verbose_name = _("Whistles")

    def ready(self) -> None:
        from tiaojie.cases import panels
        from tiaojie.cases.scoping import also_sees
        from tiaojie.whistles.scope import summoned_cases
        from tiaojie.worker.registry import register_step

        from .panels import whistles_panel
        from .services import sweep

        also_sees(summoned_cases)
        panels.register(panels.Panel("whistles", "whistles/_panel.html", whistles_panel))
        # Check-ins not made by their deadline are marked absent (docs/whistles.md).
        register_step("whistle_absences", lambda: str(sweep()), order=20)
