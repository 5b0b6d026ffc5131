"""Each rule that has no history yet gets its first entry, so every later change has a before."""

from django.db import migrations
from django.forms.models import model_to_dict
from django.utils import timezone


def record(apps, schema_editor):
    rule = apps.get_model("routing", "DispatchRule")
    revision = apps.get_model("routing", "DispatchRuleRevision")
    known = set(revision.objects.values_list("rule_id_ref", flat=True))
    now = timezone.now()
    revision.objects.bulk_create(
        revision(
            rule_id_ref=r.pk,
            snapshot=model_to_dict(r),
            changed_at=r.created_at or now,
            reason="默认派单目录",
        )
        for r in rule.objects.exclude(pk__in=known).order_by("pk")
    )


class Migration(migrations.Migration):
    dependencies = [("routing", "0002_default_catalogue")]
    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
