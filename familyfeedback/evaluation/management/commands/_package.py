"""What export_evaluation and import_evaluation are both given: the package's folder and the
trial. (Django takes no command from a module whose name starts with an underscore.)"""

from pathlib import Path

from django.core.management.base import BaseCommand


class PackageCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--trial", required=True, help="the trial's name")
