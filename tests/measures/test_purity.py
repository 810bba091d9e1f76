import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_measures_package_imports_nothing_from_django_or_the_rest_of_the_project():
    # A fresh interpreter, so modules loaded by other tests or pytest plugins do not count.
    script = (
        "import sys, familyfeedback.measures\n"
        "ours = [m for m in sys.modules if m.startswith('familyfeedback.')"
        " and not m.startswith('familyfeedback.measures')]\n"
        "print([m for m in sys.modules if m.split('.')[0] == 'django'] + ours)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"
