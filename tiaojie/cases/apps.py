from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tiaojie.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from tiaojie.accounts import notify
        from tiaojie.cases import selectors, shelves
        from tiaojie.cases.sensitivity import restricted
        from tiaojie.worker.registry import register_step

        from .sweeper import sweep

        # A labelled case's messages reach uncleared readers as a title only.
        notify.withhold_body_when(restricted)

        for key, title, items, urgent in [
            ("due_today", _("My cases due today"), selectors.due_today, False),
            ("overdue", _("My overdue cases"), selectors.overdue, True),
            ("awaiting_check_in", _("Awaiting our check-in"), selectors.awaiting_check_in, False),
            ("awaiting_follow_up", _("Awaiting follow-up"), selectors.awaiting_follow_up, False),
        ]:
            shelves.register(shelves.ShelfKind(key, title, items, urgent=urgent))

        # Deadlines first: what they escalate is told in the same sweep.
        register_step("deadlines", lambda: str(sweep()), order=10)
