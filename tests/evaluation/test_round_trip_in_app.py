"""A trial run in the app exports a package that imports back to the same analysis."""

from datetime import timedelta

from django.utils import timezone

from familyfeedback.evaluation import actions, analysis, package_io
from familyfeedback.evaluation.models import Response, Trial
from tests import factories


def test_an_in_app_trial_exports_and_imports_back_to_the_same_analysis(world, tmp_path):
    trial = actions.create_trial(world.evaluator, name="In the app")
    actions.set_teams(world.evaluator, trial, {world.team: "", world.other_team: ""})
    actions.randomise(world.evaluator, trial, method="simple", seed=5, ratio=(1, 1))
    for kind in ("baseline", "endline"):
        actions.open_wave(world.evaluator, trial, kind)
    for n, respondent in enumerate(trial.practitioners.all()):
        for kind, shift in (("baseline", 0), ("endline", 1)):
            for i in range(1, 13):
                Response.objects.create(trial=trial, respondent=respondent, wave=kind,
                                        item=f"wai_{i}", value=str(min(7, 4 + (i + n + shift) % 4)))
    today = timezone.localdate()
    factories.session(world.practitioner, world.family, today - timedelta(days=9))
    factories.session(world.colleague_other_team, world.other_family, today - timedelta(days=2))
    actions.refresh_admin_data(world.evaluator, trial)
    package_io.export_package(trial, tmp_path)
    copy, _ = package_io.load(tmp_path, "Copy of the app's trial")
    assert analysis.report(copy) == analysis.report(trial)
    assert Trial.objects.count() == 2
    assert analysis.report(copy)["usage_by_month"], "the admin data made the round trip"
