import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from familyfeedback import measures
from familyfeedback.casework import actions
from familyfeedback.lib.csvfiles import printable, read_for_command


class Command(BaseCommand):
    help = (
        "Load a licensed text pack (the measures' wording and translations, see "
        "familyfeedback/measures/TEXT_PACK.md). The whole file is checked first; a pack with any "
        "problem is not loaded and every problem is listed. The newest pack loaded is in force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        text = read_for_command(file, "a JSON file")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(printable(f"{file} is not a JSON file: {error}")) from None
        try:
            pack = measures.parse_text_pack(data)
        except measures.TextPackError as error:
            raise CommandError(printable(str(error))) from None
        actions.install_text_pack(None, data, pack)
        languages = ", ".join(sorted(pack.languages))
        self.stdout.write(f"Loaded the text pack licensed to {pack.holder} ({languages})")
