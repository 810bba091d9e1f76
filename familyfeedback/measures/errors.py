"""Exceptions raised by the measures package, with messages fit to show a practitioner."""


class UnknownMeasure(KeyError):
    """A measure code (or tool) that has no definition.

    A KeyError so that lookups behave like a mapping, but with a plain message: KeyError would
    otherwise show the message wrapped in quotes.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "Unknown measure"


class ScoreError(ValueError):
    """Scores that cannot be accepted.

    `errors` maps each problem item key (or "face") to its message, so that a form can show each
    message beside its field; str() joins them for everything else.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))
