"""A person's preferred language becomes a BCP 47 code. Free text that names a language
("Polish", "english ", "Farsi") becomes its code; anything else ("see notes", "?") is kept in
language_to_check for a practitioner to settle, and the language is left empty until then."""

from django.db import migrations, models

from familyfeedback.lib import languages


def to_codes(apps, schema_editor):
    Person = apps.get_model("casework", "Person")
    changed = []
    for person in Person.objects.only("preferred_language", "language_to_check"):
        old = person.preferred_language
        if languages.is_language(old) or person.language_to_check:
            continue  # already a code, or already waiting for a practitioner
        # Blank has always meant English: the family import said so ("blank is English").
        code = languages.code_for(old) if old.strip() else languages.ENGLISH
        person.preferred_language, person.language_to_check = (
            (code, "") if code is not None else ("", old.strip()))
        changed.append(person)
    Person.objects.bulk_update(changed, ["preferred_language", "language_to_check"],
                               batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0003_sessions_in_two_halves'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='language_to_check',
            field=models.CharField(blank=True, max_length=60),
        ),
        # Before the column narrows: a long free-text value has moved to language_to_check.
        migrations.RunPython(to_codes, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='person',
            name='preferred_language',
            field=models.CharField(blank=True, default='en', max_length=35),
        ),
    ]
