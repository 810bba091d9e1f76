import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from familyfeedback import measures
from familyfeedback.casework.models import InstalledTextPack


class Command(BaseCommand):
    help = (
        "Load a licensed text pack (the measures' wording and translations, see "
        "familyfeedback/measures/TEXT_PACK.md). The whole file is checked first; a pack with any "
        "problem is not loaded and every problem is listed. The newest pack loaded is in force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"No file at {file}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not a JSON file: {error}") from None
        try:
            pack = measures.parse_text_pack(data)
        except measures.TextPackError as error:
            raise CommandError(str(error)) from None
        InstalledTextPack.objects.create(data=data, holder=pack.holder, reference=pack.reference)
        languages = ", ".join(sorted(pack.languages))
        self.stdout.write(f"Loaded the text pack licensed to {pack.holder} ({languages})")
