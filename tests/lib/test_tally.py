import pytest

from familyfeedback.lib.tally import Tally


class Emails(Tally):
    KINDS = frozenset({"sent", "failed"})


def test_a_kind_never_counted_reads_as_nothing():
    emails = Emails()
    emails.add("sent")
    emails.add("sent", 2)
    assert (emails["sent"], emails["failed"]) == (3, 0)


@pytest.mark.parametrize("misspelt", [lambda e: e.add("snet"), lambda e: e["snet"]])
def test_a_misspelt_kind_is_an_error_not_a_count_of_nothing(misspelt):
    with pytest.raises(KeyError, match="snet"):
        misspelt(Emails())
