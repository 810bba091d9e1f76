"""Options several management commands take, declared once so that each says the same thing."""

import getpass


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
