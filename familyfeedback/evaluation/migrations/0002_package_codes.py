# The package's string identifiers are codes, so that none reads as a foreign key. The columns
# are renamed in place, so every trial's data is kept; the unique constraints that name them are
# taken off first and put back on the new names.

from django.db import migrations, models

CONSTRAINTS = [
    ("trialteam", "trial_team_once", ("trial", "team_code")),
    ("trialpractitioner", "trial_practitioner_once", ("trial", "practitioner_code")),
    ("trainingrecord", "training_record_once", ("practitioner", "event_code")),
    ("question", "question_once", ("trial", "question_code")),
    ("adminrecord", "admin_record_once", ("trial", "administration_code")),
]


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        *[migrations.RemoveConstraint(model, name) for model, name, _ in CONSTRAINTS],
        migrations.RenameField("trialteam", "team_id", "team_code"),
        migrations.RenameField("trialteam", "unit_id", "unit_code"),
        migrations.RenameField("trialpractitioner", "practitioner_id", "practitioner_code"),
        migrations.RenameField("trainingrecord", "event_id", "event_code"),
        migrations.RenameField("question", "question_id", "question_code"),
        migrations.RenameField("adminrecord", "administration_id", "administration_code"),
        *[migrations.AddConstraint(model, models.UniqueConstraint(fields=fields, name=name))
          for model, name, fields in CONSTRAINTS],
        migrations.AlterModelOptions("trialteam", {"ordering": ["team_code"]}),
        migrations.AlterModelOptions("trialpractitioner", {"ordering": ["practitioner_code"]}),
    ]
