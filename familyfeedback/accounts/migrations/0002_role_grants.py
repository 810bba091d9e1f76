"""A person may hold several roles: each becomes a row of RoleGrant, starting from the one role
each person held (the stored values are kept)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ROLES = [("practitioner", "Practitioner"), ("senior_practitioner", "Senior practitioner"),
         ("team_manager", "Team manager"), ("data_team", "Data team"), ("evaluator", "Evaluator"),
         ("administrator", "Administrator")]


def copy_roles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    RoleGrant.objects.bulk_create(RoleGrant(user_id=pk, role=role)
                                  for pk, role in User.objects.values_list("pk", "role"))


def copy_back(apps, schema_editor):
    """Back to one role each: the first granted, practitioner for someone with none."""
    User = apps.get_model("accounts", "User")
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    for grant in RoleGrant.objects.order_by("-pk"):
        User.objects.filter(pk=grant.user_id).update(role=grant.role)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleGrant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("role", models.CharField(choices=ROLES, max_length=20)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="role_grants",
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("user", "role"),
                                                        name="role_grant_once_per_person")],
            },
        ),
        migrations.RunPython(copy_roles, copy_back),
    ]
