"""Every deployment starts with the default dispatch catalogue (routing/defaults.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from tiaojie.routing.defaults import default_rules

    rule = apps.get_model("routing", "DispatchRule")
    version = apps.get_model("routing", "CatalogueVersion")
    if not rule.objects.exists():
        rule.objects.bulk_create(rule(**data) for data in default_rules())
    version.objects.get_or_create(pk=1, defaults={"number": 1})


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
