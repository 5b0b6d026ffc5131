from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "tiaojie.portal"
    verbose_name = _("Online portal for the public")
