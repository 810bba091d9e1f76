from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_invitations"),
    ]

    operations = [
        migrations.AddField(model_name="team", name="archived_on",
                            field=models.DateField(blank=True, null=True)),
    ]
