"""Options several management commands take, declared once so that each says the same thing."""


def add_dry_run(parser, does: str) -> None:
    """--dry-run: the command checks everything and says what it would do, changing nothing;
    `does` is the help, in this command's words."""
    parser.add_argument("--dry-run", action="store_true", help=does)
