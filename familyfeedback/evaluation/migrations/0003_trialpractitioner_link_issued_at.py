from django.db import migrations, models
from django.utils import timezone


def start_the_clock_on_existing_links(apps, schema_editor):
    # Links sent before links expired count from today, rather than all running out at once.
    TrialPractitioner = apps.get_model("evaluation", "TrialPractitioner")
    TrialPractitioner.objects.exclude(link_token="").update(link_issued_at=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0002_package_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="trialpractitioner",
            name="link_issued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(start_the_clock_on_existing_links, migrations.RunPython.noop),
    ]
