"""The legal default deadline policies as rows, so that looking one up never writes.

Before, a policy was written from the defaults the first time a transition needed it, inside
that transition (and bumping the cache version there): two transitions needing two missing
policies could deadlock on PostgreSQL. Existing rows, perhaps edited by an admin, are kept.
The defaults are read from tiaojie.cases.policies rather than copied, so that there is one
list; a later change of a default reaches only databases migrated after it, as before.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from tiaojie.cases.policies import DEFAULTS

    DeadlinePolicy = apps.get_model("cases", "DeadlinePolicy")
    DeadlinePolicy.objects.using(schema_editor.connection.alias).bulk_create(
        [DeadlinePolicy(code=code, **default._asdict()) for code, default in DEFAULTS.items()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_open_cases_by_region"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop, elidable=True),
    ]
