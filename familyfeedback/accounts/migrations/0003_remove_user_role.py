from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_role_grants"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="role"),
    ]
