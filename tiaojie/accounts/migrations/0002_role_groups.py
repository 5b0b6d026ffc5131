"""One auth group per role of DESIGN §1; the group name is the role code and never changes."""

from django.db import migrations

ROLE_CODES = [
    "window_clerk",
    "dispatcher",
    "mediator",
    "handler",
    "town_staff",
    "grid_worker",
    "leader",
    "inspector",
    "sysadmin",
    "secadmin",
    "auditor",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for code in ROLE_CODES:
        Group.objects.get_or_create(name=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
