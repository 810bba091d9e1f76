"""The router sends the dashboards' and the analysis's reads to the "reporting" database when
there is one, and everything else to the primary. Here "reporting" is a second alias for the
test database itself: copying the primary to a replica is PostgreSQL's streaming replication,
not the app's, and is not tested here."""

import pytest
from django.urls import reverse

from familyfeedback import reporting
from familyfeedback.casework.models import Administration, Family
from familyfeedback.implementation.models import UsageMonth

ROUTER = reporting.Router()


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES,
                          "reporting": {**settings.DATABASES["default"],
                                        "TEST": {"MIRROR": "default"}}}


def test_without_a_replica_everything_reads_from_the_primary(db):
    with reporting.reads():
        assert Family.objects.all().db == "default"
        assert UsageMonth.objects.all().db == "default"
    assert ROUTER.db_for_read(Family) is None  # Django's own choice: default, or the hint's


def test_with_a_replica_only_reporting_reads_go_there(db, with_replica):
    assert Family.objects.all().db == "default"
    with reporting.reads():
        assert Administration.objects.all().db == "reporting"
        assert UsageMonth.objects.filter(month__isnull=False).db == "reporting"
        assert ROUTER.db_for_write(Family) == "default"
    assert Administration.objects.all().db == "default"


def test_only_the_primary_is_migrated():
    assert ROUTER.allow_migrate("default", "casework")
    assert not ROUTER.allow_migrate("reporting", "casework")


def test_the_dashboards_read_inside_reporting_reads_and_a_caseload_does_not(client, world,
                                                                            monkeypatch):
    """Which reads each page asks the router for, inside reporting.reads() or not: the router
    itself is run, and told of each call."""
    asked = []
    real = reporting.Router.db_for_read

    def noted(self, model, **hints):
        asked.append((model._meta.label, reporting._reporting.get()))
        return real(self, model, **hints)

    monkeypatch.setattr(reporting.Router, "db_for_read", noted)
    client.force_login(world.data_team)
    assert client.get(reverse("dashboards")).status_code == 200
    figures = [inside for label, inside in asked if label == "casework.Administration"]
    assert figures and all(figures)
    asked.clear()
    client.force_login(world.practitioner)
    assert client.get(reverse("home")).status_code == 200
    assert asked and not any(inside for _, inside in asked)
