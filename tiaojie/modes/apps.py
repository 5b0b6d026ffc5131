from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModesConfig(AppConfig):
    name = "tiaojie.modes"
    verbose_name = _("Dispatch modes")

    def ready(self) -> None:
        from tiaojie.cases import hooks

        from . import deadlines, escalation, notify

        # What a dispatch mode adds to the case lifecycle (三调度); cases calls it, never
        # imports it.
        hooks.register_deadline_factor(deadlines.factor_for)
        hooks.register_after_accept(
            escalation.sent_up_in_mode, risk_levels=escalation.SENT_UP_IN_MODE
        )
        hooks.register_announcer(hooks.Announcer(notify.MODE_ANNOUNCED, notify.announce))
