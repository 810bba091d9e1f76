from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_the_power_command_prints_the_design_effect_and_the_mdes():
    out = StringIO()
    call_command("power", "--clusters", "10", "--per-cluster", "10", "--icc", "0.05",
                 "--effect", "0.5", stdout=out)
    text = out.getvalue()
    # 1 + 9 x 0.05 = 1.45; normal: 2.8016 x sqrt(2 x 1.45 / 100) = 0.477.
    assert "Design effect: 1.450" in text
    assert "0.477 (normal approximation)" in text
    assert "Clusters per arm to detect 0.5: 11" in text


def test_impossible_numbers_are_refused_plainly():
    with pytest.raises(CommandError):
        call_command("power", "--clusters", "1", "--per-cluster", "10", "--icc", "0.05",
                     stdout=StringIO())
