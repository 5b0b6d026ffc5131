from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tiaojie.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from tiaojie.accounts import receivers  # noqa: F401 - connects them
        from tiaojie.accounts.notify import send_pending
        from tiaojie.accounts.services import disable_dormant
        from tiaojie.worker.registry import register_step

        # Text messages leave within seconds; last in a sweep, after what the steps told.
        register_step("sms", lambda: f"text messages sent {send_pending()}", order=90, every=5)
        register_step(
            "dormant_accounts",
            lambda: f"dormant accounts disabled {len(disable_dormant())}",
            order=95,
        )
