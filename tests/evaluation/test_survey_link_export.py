"""The evaluator exports each practitioner's personal survey link as a CSV: safe to open in a
spreadsheet, and every export recorded."""

import csv
import io

from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation.models import TrialTeam
from tests.evaluation.builders import open_baseline

SITE = "https://feedback.example.test"


def test_the_export_lists_each_link_and_is_audited(world, client, settings):
    settings.SITE_URL = SITE
    trial, me, _ = open_baseline(world, client)
    client.post(reverse("change_survey_link", args=[trial.pk,
                                                    trial.practitioners.exclude(pk=me.pk)
                                                    .first().pk]), {"what": "revoke"})
    TrialTeam.objects.filter(pk=me.team_id).update(team_name='=HYPERLINK("http://x","y")')
    response = client.get(reverse("survey_links_csv", args=[trial.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="survey-links.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["practitioner_id", "team", "link", "works_until"]
    mine = next(r for r in rows if r[0] == me.practitioner_code)
    assert mine[1] == "'=HYPERLINK(\"http://x\",\"y\")"  # never run as a formula
    assert mine[2] == f"{SITE}/surveys/link/{me.link_token}/"
    assert mine[3] == me.link_expires_at().date().isoformat()
    assert sum(1 for r in rows[1:] if r[2] == "") == 1  # the revoked link is not listed
    assert len(rows) - 1 == trial.practitioners.count()
    entry = AuditEntry.objects.get(action="survey_link.export")
    assert entry.changes == {"links": str(trial.practitioners.count())}
