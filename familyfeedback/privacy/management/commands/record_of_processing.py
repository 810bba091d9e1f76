from django.core.management.base import BaseCommand, CommandError

from familyfeedback.privacy import dictionary, record


class Command(BaseCommand):
    help = (
        "Print the record of processing (UK GDPR Article 30) as Markdown, drawn from the data "
        "dictionary and the settings: the controller (FF_CONTROLLER_NAME), the data protection "
        "contact (FF_DATA_PROTECTION_CONTACT, FF_DATA_PROTECTION_EMAIL), purposes, data "
        "subjects, categories of data, recipients, transfers, retention and security. Refuses "
        "while a field is unclassed or a rule unknown, since the record would not say what is "
        "held or for how long."
    )

    def handle(self, *args, **options):
        if problems := dictionary.unclassed(dictionary.every_model()):
            raise CommandError("The data dictionary does not class everything held, so the "
                               "record would be incomplete: " + "; ".join(problems))
        if problems := dictionary.unknown_rules():
            raise CommandError("The data dictionary names a retention rule that does not exist, "
                               "so the record could not say how long it is kept: "
                               + "; ".join(problems))
        self.stdout.write(record.markdown(), ending="")
