from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "tiaojie.demo"
    label = "demo"
    verbose_name = _("Demo")

    def ready(self) -> None:
        from tiaojie.demo import checks  # noqa: F401 - registers the production check
