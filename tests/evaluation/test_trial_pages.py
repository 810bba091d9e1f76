from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry, Role, Team
from familyfeedback.evaluation.models import Allocation, Response, Trial
from familyfeedback.evaluation.randomisation import UnitSpec, allocate
from tests import factories
from tests.edit_pages import opened, version_in
from tests.evaluation.builders import teams_version


def make_trial(world, client):
    evaluator = world.evaluator
    client.force_login(evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot", "protocol_note": "Two arms"})
    trial = Trial.objects.get(name="Pilot")
    third = Team.objects.create(name="Central")
    factories.user("cara@example.test", team=third)
    return trial, third


def test_an_evaluator_creates_a_trial_with_the_pilots_research_questions(world, client):
    trial, _ = make_trial(world, client)
    numbers = list(trial.questions_asked.values_list("number", flat=True))
    assert numbers[0] == "1.1" and numbers[-1] == "3.6" and len(numbers) == 14
    assert AuditEntry.objects.filter(action="trial.create").exists()


def test_a_duplicate_trial_name_is_refused_plainly(world, client):
    make_trial(world, client)
    page = client.post(reverse("new_trial"), {"name": "Pilot"}).content.decode()
    assert "A trial with this name already exists" in page


def test_two_teams_grouped_into_one_unit_are_randomised_together(world, client):
    trial, third = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]), {
        "teams": [world.team.pk, world.other_team.pk, third.pk],
        f"unit-{world.team.pk}": "North", f"unit-{world.other_team.pk}": "North",
        **teams_version(client, trial)})
    assert sorted(t.unit for t in trial.teams.all()) == ["North", "North", f"T{third.pk}"]
    # Members get pseudonyms, never names.
    assert set(trial.practitioners.values_list("practitioner_code", flat=True)) >= {"P001"}
    client.post(reverse("randomise", args=[trial.pk]), {
        "method": "simple", "seed": "20221004", "ratio": "1:1"})
    allocation = Allocation.objects.get(trial=trial)
    arms = {t.team_name: t.arm for t in trial.teams.all()}
    assert arms["North 1"] == arms["South 2"] != arms["Central"]
    # Re-running the method with the recorded seed gives the same list and hash.
    again = allocate([UnitSpec("North", 0), UnitSpec(f"T{third.pk}", 0)], method="simple",
                     seed=20221004)
    assert [list(a) for a in again.assignments] == allocation.assignments
    assert again.digest == allocation.digest


def test_an_allocation_never_changes(world, client):
    trial, third = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    before_randomising = teams_version(client, trial)
    client.post(reverse("randomise", args=[trial.pk]), {"method": "simple", "seed": "1"})
    first = Allocation.objects.get(trial=trial).digest
    client.post(reverse("randomise", args=[trial.pk]), {"method": "simple", "seed": "2"})
    assert Allocation.objects.get(trial=trial).digest == first
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, third.pk], **before_randomising})
    assert trial.teams.count() == 2 and not trial.teams.filter(team_name="Central").exists()


def test_seeing_the_allocation_is_audited(world, client):
    trial, _ = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    client.post(reverse("randomise", args=[trial.pk]), {"method": "simple", "seed": "7"})
    client.get(reverse("trial", args=[trial.pk]))
    assert AuditEntry.objects.filter(action="trial.reveal", actor=world.evaluator).count() == 1


def test_a_practitioner_answers_the_baseline_survey_and_can_come_back(world, client):
    trial, _ = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    client.post(reverse("randomise", args=[trial.pk]), {"method": "simple", "seed": "7"})
    client.post(reverse("open_wave", args=[trial.pk, "baseline"]))
    me = trial.practitioners.get(user=world.practitioner)
    wave = trial.waves.get(kind="baseline")
    client.force_login(world.practitioner)
    assert "baseline survey" in client.get(reverse("surveys")).content.decode()
    url = reverse("survey_answer", args=[me.pk, wave.pk])
    client.post(url, {"wai_1": "6", "wai_2": "5", "action": "later"})
    assert dict(Response.objects.filter(respondent=me).values_list("item", "value")) == {
        "wai_1": "6", "wai_2": "5"}
    page = client.get(url).content.decode()
    assert 'name="wai_1" type="radio" value="6" checked' in page
    bad = client.post(url, {"wai_3": "9"}).content.decode()
    assert "Answers to" in bad and "are from 1 to 7" in bad
    assert not Response.objects.filter(item="wai_3").exists()
    # The evaluator sees one respondent for North 1 at baseline.
    client.force_login(world.evaluator)
    page = client.get(reverse("trial", args=[trial.pk])).content.decode()
    assert "North 1" in page


def test_a_personal_link_works_without_signing_in(world, client):
    trial, _ = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    client.post(reverse("randomise", args=[trial.pk]), {"method": "simple", "seed": "7"})
    client.post(reverse("open_wave", args=[trial.pk, "baseline"]))
    client.logout()
    me = trial.practitioners.get(user=world.practitioner)
    wave = trial.waves.get(kind="baseline")
    client.get(reverse("survey_link", args=[me.link_token]))
    response = client.post(reverse("survey_link_answer", args=[wave.pk]), {"proqol_cs_1": "4"})
    assert response.status_code == 302
    assert Response.objects.get(respondent=me).value == "4"
    assert client.get(reverse("survey_link", args=["not-a-token"])).status_code == 404


def test_only_evaluators_reach_the_trials(world, client):
    for persona, user in world.everyone().items():
        client.force_login(user)
        expected = 200 if persona == "evaluator" else 404
        assert client.get(reverse("trials")).status_code == expected, persona
        assert client.get(reverse("power")).status_code == expected, persona


def test_a_practitioner_cannot_answer_someone_elses_survey(world, client):
    trial, _ = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    client.post(reverse("randomise", args=[trial.pk]), {"method": "simple", "seed": "7"})
    client.post(reverse("open_wave", args=[trial.pk, "baseline"]))
    theirs = trial.practitioners.get(user=world.colleague_other_team)
    wave = trial.waves.get(kind="baseline")
    client.force_login(world.practitioner)
    assert client.get(reverse("survey_answer", args=[theirs.pk, wave.pk])).status_code == 404


def test_the_power_page_works_out_the_minimum_detectable_effect(world, client):
    client.force_login(world.evaluator)
    page = client.get(reverse("power"), {"clusters": "10", "per_cluster": "10", "icc": "0.05",
                                         "alpha": "0.05", "power": "0.8", "effect": "0.5"})
    text = page.content.decode()
    # Design effect 1 + 9 x 0.05 = 1.45; normal MDES 2.8016 x sqrt(2 x 1.45 / 100) = 0.477.
    assert "Design effect 1.45" in text and "0.48</strong>" not in text and "0.48 with" in text
    assert client.get(reverse("power"), {"icc": "-1"}).status_code == 200
    assert "Enter an ICC from 0 to 1" in client.get(
        reverse("power"), {"icc": "x"}).content.decode()


def test_data_team_role_is_not_an_evaluator(world, client):
    user = factories.user("dt@example.test", Role.DATA_TEAM)
    client.force_login(user)
    assert client.get(reverse("new_trial")).status_code == 404


def test_admin_data_is_taken_from_the_records_pseudonymised(world, client):
    from datetime import timedelta

    from django.utils import timezone

    from familyfeedback.evaluation.models import AdminRecord

    trial, _ = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    factories.session(world.practitioner, world.family, timezone.localdate() - timedelta(days=2))
    client.post(reverse("refresh_admin_data", args=[trial.pk]))
    client.post(reverse("refresh_admin_data", args=[trial.pk]))  # twice: replaced, not doubled
    records = AdminRecord.objects.filter(trial=trial)
    assert records.count() == 8
    me = trial.practitioners.get(user=world.practitioner)
    assert set(records.values_list("practitioner_key", flat=True)) == {me.practitioner_code}
    codes = set(records.values_list("person_key", flat=True))
    assert codes == {"F0001", "F0002", "F0003", "F0004"}
    names = set(world.family.people.values_list("first_name", flat=True))
    assert not codes & names
    assert records.filter(adult=False).values("person_key").distinct().count() == 2


def open_baseline(world, client):
    trial, _ = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    client.post(reverse("randomise", args=[trial.pk]), {"method": "simple", "seed": "7"})
    client.post(reverse("open_wave", args=[trial.pk, "baseline"]))
    return trial


def test_non_responders_are_reminded_with_their_link(world, client, settings, mailoutbox):
    settings.SITE_URL = "https://feedback.example.test"
    trial = open_baseline(world, client)
    me = trial.practitioners.get(user=world.practitioner)
    Response.objects.create(trial=trial, respondent=me, wave="baseline", item="wai_1",
                            value="5")
    client.post(reverse("remind", args=[trial.pk, "baseline"]))
    sent_to = sorted(m.to[0] for m in mailoutbox)
    others = trial.practitioners.exclude(pk=me.pk)
    assert sent_to == sorted(p.user.email for p in others)
    assert any(p.link_token in mailoutbox[0].body for p in others)
    assert world.practitioner.email not in sent_to


def test_an_evaluator_adds_a_question_of_their_own(world, client):
    trial = open_baseline(world, client)
    client.post(reverse("add_question", args=[trial.pk]), {
        "question_id": "prev_srs", "wave": "baseline", "text": "Used the SRS before?",
        "kind": "choice", "options": "Yes\nNo\nNot sure"})
    question = trial.custom_questions.get()
    assert (question.question_code, question.options) == ("prev_srs", ["Yes", "No", "Not sure"])
    client.post(reverse("add_question", args=[trial.pk]), {
        "question_id": "wai_1", "wave": "baseline", "text": "x", "kind": "text"})
    assert trial.custom_questions.count() == 1
    me = trial.practitioners.get(user=world.practitioner)
    wave = trial.waves.get(kind="baseline")
    client.force_login(world.practitioner)
    page = client.get(reverse("survey_answer", args=[me.pk, wave.pk])).content.decode()
    assert "Used the SRS before?" in page
    client.post(reverse("survey_answer", args=[me.pk, wave.pk]), {"prev_srs": "Maybe"})
    assert not Response.objects.filter(item="prev_srs").exists()
    client.post(reverse("survey_answer", args=[me.pk, wave.pk]), {"prev_srs": "No"})
    assert Response.objects.get(item="prev_srs").value == "No"


def test_a_text_pack_supplies_the_wording_of_a_survey_measure(world, client):
    from familyfeedback.casework.models import InstalledTextPack
    from familyfeedback.measures import parse_text_pack

    pack = {"format": "family-feedback-text-pack", "version": 1,
            "licence": {"holder": "Example Council", "reference": "WAI-1"},
            "languages": {"en": {"wai": {
                "title": "Example alliance", "instructions": "Rate each statement.",
                "items": {f"wai_{i}": {"label": f"Example statement {i}"} for i in range(1, 13)},
                "response_labels": ["Never", "Rarely", "Occasionally", "Sometimes", "Often",
                                    "Very often", "Always"]}}}}
    parse_text_pack(pack)
    InstalledTextPack.objects.create(data=pack, holder="Example Council", reference="WAI-1")
    trial = open_baseline(world, client)
    me = trial.practitioners.get(user=world.practitioner)
    wave = trial.waves.get(kind="baseline")
    client.force_login(world.practitioner)
    page = client.get(reverse("survey_answer", args=[me.pk, wave.pk])).content.decode()
    assert "Example statement 7" in page and "Very often" in page
    assert "Example alliance" in page


def test_a_research_question_can_be_changed_and_the_change_is_audited(world, client):
    trial, _ = make_trial(world, client)
    url = reverse("research_question", args=[trial.pk, "1.4"])
    page = client.get(url).content.decode()
    assert "Reach" in page
    client.post(url, {"text": "Reach: who took part?", "methods": "Admin data\nSurvey",
                      **version_in(page)})
    question = trial.questions_asked.get(number="1.4")
    assert (question.text, question.methods) == ("Reach: who took part?", ["Admin data",
                                                                            "Survey"])
    assert AuditEntry.objects.filter(action="research_question.change").exists()
    page = client.post(url, {"text": " ", "methods": "", **opened(client, url)}).content.decode()
    assert "Enter the research question" in page


def test_a_team_archived_after_joining_the_trial_stays_in_it(world, client):
    trial, _ = make_trial(world, client)
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    Team.objects.filter(pk=world.other_team.pk).update(archived_on="2026-01-01")
    page = client.get(reverse("trial", args=[trial.pk]))
    assert page.status_code == 200
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    assert sorted(trial.teams.values_list("service_team", flat=True)) == sorted(
        [world.team.pk, world.other_team.pk])
