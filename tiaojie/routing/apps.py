from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "tiaojie.routing"
    verbose_name = _("Routing")

    def ready(self) -> None:
        from tiaojie.cases import hooks

        from . import proposals

        # The catalogue's proposal: the units offered on assignment, the deadline policy on
        # acceptance. cases calls it, never imports it.
        hooks.register_proposal(proposals.proposal_for)
