from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistlesConfig(AppConfig):
    name = "tiaojie.whistles"
    verbose_name = _("Whistles")
