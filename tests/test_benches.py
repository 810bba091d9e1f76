"""Every benchmark runs end to end at a small size, as a script, the way docs/performance.md says
to run it: a bench nobody can run measures nothing (the dashboards bench once lost its --rounds
option to a change in the harness, and nothing noticed until it was next run by hand). The alerts
and evaluation benches take 30-50 s even small, and the load bench has its own test
(tests/test_bench_load.py), so they are left out here."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SMALL = {
    # The dashboards bench also checks every figure and summary equal to hand-written SQL.
    "dashboards.py": (["--size", "30000", "--rounds", "2", "--warmup", "0"],
                      "figures and summaries equal to the hand-written SQL"),
    "record_session.py": (["--rounds", "2", "--warmup", "0"], "Worst ratio of 200 sessions to 20"),
    "audit.py": (["--rounds", "2", "--warmup", "0", "--entries", "200"], "verify_audit checked"),
    "import_families.py": (["--rounds", "2", "--families", "20"],
                           "importing again: nothing changes"),
}


@pytest.mark.parametrize("script", sorted(SMALL))
def test_the_bench_runs_and_prints_its_table(script):
    options, expected = SMALL[script]
    # SQLite only: a bench runs on PostgreSQL only when asked, and the suite's own database is not
    # the bench's.
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *options], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert expected in done.stdout
