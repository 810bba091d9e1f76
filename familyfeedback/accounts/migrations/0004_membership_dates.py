"""Memberships have dates, so a person can leave a team and join another with the history kept:
one current membership per person and team. Existing memberships start today."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_remove_user_role"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="membership", name="membership_once_per_team"),
        migrations.AddField(model_name="membership", name="started_on",
                            field=models.DateField(default=django.utils.timezone.localdate)),
        migrations.AddField(model_name="membership", name="ended_on",
                            field=models.DateField(blank=True, null=True)),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(condition=models.Q(("ended_on__isnull", True)),
                                               fields=("user", "team"),
                                               name="membership_one_current_per_team"),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(("ended_on__isnull", True),
                                   ("ended_on__gte", models.F("started_on")), _connector="OR"),
                name="membership_ends_after_it_starts"),
        ),
    ]
