import json
import shlex
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from familyfeedback.accounts.models import AuditEntry, Role, User
from familyfeedback.casework.models import Administration, Family, InstalledTextPack, Person


def test_load_demo_makes_the_service_once_and_prints_the_sign_ins(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    out = StringIO()
    call_command("load_demo", stdout=out)
    counts = (Family.objects.count(), Person.objects.count(), Administration.objects.count())
    assert "Open http://127.0.0.1:8000 and sign in." in out.getvalue()
    again = StringIO()
    call_command("load_demo", "--address", "127.0.0.1:8123", stdout=again)
    out.write(again.getvalue())
    assert "Open http://127.0.0.1:8123 and sign in." in again.getvalue()
    assert (Family.objects.count(), Person.objects.count(),
            Administration.objects.count()) == counts
    assert counts[0] == 150 and 350 <= counts[1] <= 450
    assert "already loaded" in out.getvalue()
    assert "ORS intake" in out.getvalue()  # expected trajectories were fitted from the demo
    for email in ("practitioner@demo.test", "manager@demo.test", "datateam@demo.test",
                  "evaluator@demo.test", "admin@demo.test"):
        assert email in out.getvalue()
        assert User.objects.get(email=email).check_password("a-demo-password-for-tests")
    assert User.objects.filter(role_grants__role__in=[Role.PRACTITIONER, Role.TEAM_MANAGER]
                               ).distinct().count() >= 45


def test_make_run_prints_the_address_it_serves(db):
    # What `make run ADDRESS=...` would run, read from the Makefile itself (make -n runs nothing).
    root = Path(__file__).resolve().parents[2]
    commands = subprocess.run(["make", "-n", "-B", "run", "ADDRESS=127.0.0.1:8123"], cwd=root,
                              capture_output=True, text=True, check=True).stdout.splitlines()
    load_demo = next(shlex.split(c) for c in commands if "manage.py load_demo" in c)
    runserver = next(shlex.split(c) for c in commands if "manage.py runserver" in c)
    assert runserver[-1] == "127.0.0.1:8123"
    out = StringIO()
    call_command(*load_demo[load_demo.index("load_demo"):], stdout=out)
    assert "Open http://127.0.0.1:8123 and sign in." in out.getvalue()


@pytest.mark.parametrize(("address", "shown"), [
    ("8080", "http://127.0.0.1:8080"),
    ("0.0.0.0:8000", "http://127.0.0.1:8000"),
    ("[::1]:8000", "http://[::1]:8000"),
    ("localhost:9000", "http://localhost:9000"),
])
def test_load_demo_names_the_address_a_browser_on_this_machine_opens(address, shown):
    from familyfeedback.demo.management.commands.load_demo import browser_url

    assert browser_url(address) == shown


def test_load_demo_refuses_an_address_runserver_would_refuse_before_loading(db):
    with pytest.raises(CommandError, match="not a port or a host:port"):
        call_command("load_demo", "--address", "http://example.test", stdout=StringIO())
    assert not Family.objects.exists()


def test_the_demo_has_every_pattern_a_practitioner_meets(db):
    call_command("load_demo", stdout=StringIO())
    records = Administration.objects.all()
    assert records.filter(status="not_administered").exclude(reason="").exists()
    assert records.filter(tool="SRS", total__lt=36).exists()
    assert records.filter(measure="YCORS").exclude(face="").exists()
    assert set(records.values_list("measure", flat=True)) == {
        "ORS", "CORS", "YCORS", "SRS", "CSRS", "YCSRS"}


PACK = {
    "format": "family-feedback-text-pack",
    "version": 1,
    "licence": {"holder": "Example Council", "reference": "LIC-0001"},
    "languages": {"en": {"SRS": {
        "title": "Example session form", "instructions": "Mark each line.",
        "items": {f"item_{n}": {"label": f"Example {n}", "low": "Low", "high": "High"}
                  for n in range(1, 5)},
    }}},
}


def test_a_text_pack_is_loaded_and_used_on_the_record_page(world, signed_in, tmp_path):
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(PACK))
    out = StringIO()
    call_command("load_text_pack", str(path), stdout=out)
    assert "Example Council" in out.getvalue()
    assert InstalledTextPack.objects.get().reference == "LIC-0001"
    page = signed_in(world.practitioner).get(
        f"/families/{world.family.pk}/sessions/new/").content.decode()
    assert "Example session form" in page and "Example 3" in page


def test_loading_a_text_pack_is_audited(db, tmp_path):
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(PACK))
    call_command("load_text_pack", str(path), stdout=StringIO())
    entry = AuditEntry.objects.get(action="text_pack.install")
    assert entry.object_id == InstalledTextPack.objects.get().pk
    assert entry.changes == {"holder": "Example Council", "reference": "LIC-0001"}


def test_a_broken_text_pack_lists_every_problem_and_loads_nothing(db, tmp_path):
    broken = json.loads(json.dumps(PACK))
    broken["licence"]["holder"] = ""
    del broken["languages"]["en"]["SRS"]["items"]["item_2"]
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(CommandError) as error:
        call_command("load_text_pack", str(path))
    assert "licence.holder" in str(error.value)
    assert "languages.en.SRS.items.item_2: is missing" in str(error.value)
    assert not InstalledTextPack.objects.exists()


def test_a_file_that_is_not_json_is_refused_plainly(db, tmp_path):
    path = tmp_path / "pack.json"
    path.write_text("not json")
    with pytest.raises(CommandError, match="is not a JSON file"):
        call_command("load_text_pack", str(path))
