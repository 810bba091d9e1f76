"""Options several management commands take, declared once so that each says the same thing."""

import getpass
from contextlib import contextmanager

from django.core.management.base import CommandError

from familyfeedback.lib.csvfiles import printable


def add_dry_run(parser, does: str) -> None:
    """--dry-run: the command checks everything and says what it would do, changing nothing;
    `does` is the help, in this command's words."""
    parser.add_argument("--dry-run", action="store_true", help=does)


def who_runs() -> str:
    """The account running the command, for the audit trail: a command has no signed-in user."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no password-file entry, as in some containers
        return "unknown"


@contextmanager
def sentences(refused: type[Exception], could_not: str):
    """The command's own refusals (`refused`) and the system's (a full disc, a folder it may
    not write) as a CommandError sentence, never a traceback; `could_not` begins the latter,
    e.g. "Could not write to DIR"."""
    try:
        yield
    except refused as error:
        raise CommandError(printable(str(error))) from None
    except OSError as error:
        raise CommandError(printable(f"{could_not}: {error.strerror or error}")) from None
