import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_membership_dates"),
    ]

    operations = [
        migrations.AddField(model_name="user", name="invited_at",
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower("email"),
                                               name="user_email_unique_ignoring_case"),
        ),
    ]
