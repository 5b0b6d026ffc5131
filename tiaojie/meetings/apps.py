from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "tiaojie.meetings"
    verbose_name = _("Reviews and meetings")

    def ready(self) -> None:
        from tiaojie.cases import panels

        from .panels import case_reviews

        # 分级研判 on the case page, after its parties.
        panels.register(
            panels.Panel(
                "reviews",
                "meetings/_case_reviews.html",
                case_reviews,
                before=panels.BEFORE_ATTACHMENTS,
            )
        )
