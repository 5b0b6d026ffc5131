from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "tiaojie.worker"
    label = "worker"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from .registry import register_step
        from .services import prune_finished

        # Work that succeeded is kept a week (to look into), then its rows go.
        register_step("prune_tasks", lambda: f"finished tasks pruned {prune_finished()}", order=99)
