"""The default mode settings: 平时 ×1, 急时 ×0.5, 战时 ×0.25 (data an admin may edit)."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    ("normal", Decimal("1"), [], "平时：按法定和本地时限办理"),
    ("urgent", Decimal("0.5"), ["leader", "dispatcher"], "急时：时限减半，中心领导和调度员同步知悉"),
    (
        "wartime",
        Decimal("0.25"),
        ["leader", "dispatcher", "town_staff"],
        "战时：时限压缩至四分之一，各级中心领导、调度员和镇街综治中心同步知悉",
    ),
]


def add_defaults(apps, schema_editor):
    ModeSetting = apps.get_model("modes", "ModeSetting")
    for mode, factor, roles, note in DEFAULTS:
        ModeSetting.objects.get_or_create(
            mode=mode, defaults={"deadline_factor": factor, "notify_roles": roles, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("modes", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
