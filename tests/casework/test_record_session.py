from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import Administration, Session
from tests import factories
from tests.casework.forms_data import record_session_post


def url(world):
    return reverse("record_session", args=[world.family.pk])


def people(world):
    return {p.first_name: p for p in world.family.people.all()}


def test_a_practitioner_records_a_whole_family_in_one_go(world, signed_in):
    client = signed_in(world.practitioner)
    on = timezone.localdate()
    response = client.post(url(world), record_session_post(world.family, on))
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("session", args=[session.pk])
    records = {(r.person.first_name, r.tool): r for r in session.administrations.all()}
    by_name = people(world)
    # Adults 35 and 34 get the ORS and SRS, the 9-year-old the child forms, the 4-year-old faces.
    measures_used = {key: r.measure for key, r in records.items()}
    assert measures_used == {
        ("Person1", "ORS"): "ORS", ("Person1", "SRS"): "SRS",
        ("Person2", "ORS"): "ORS", ("Person2", "SRS"): "SRS",
        ("Person3", "ORS"): "CORS", ("Person3", "SRS"): "CSRS",
        ("Person4", "ORS"): "YCORS", ("Person4", "SRS"): "YCSRS",
    }
    adult_ors = records[("Person1", "ORS")]
    assert adult_ors.items() == {"item_1": Decimal("4.5"), "item_2": Decimal("5.0"),
                                 "item_3": Decimal("6.1"), "item_4": Decimal("3.2")}
    assert adult_ors.total == Decimal("18.8")
    assert records[("Person1", "SRS")].total == Decimal("37.2")
    assert records[("Person4", "ORS")].face == "happy"
    assert records[("Person4", "ORS")].total is None
    assert set(session.present.all()) == set(by_name.values())
    assert session.practitioner == world.practitioner


def test_an_empty_mark_is_missing_whatever_a_line_said(world, signed_in):
    client = signed_in(world.practitioner)
    adult = people(world)["Person1"]
    data = record_session_post(world.family, timezone.localdate(), {
        f"p{adult.pk}-ors-item_1": "", f"p{adult.pk}-ors-item_1_line": "7.3"})
    page = client.post(url(world), data).content.decode()
    assert "Person1&#39;s ORS: How I am doing in myself is missing" in page
    assert Session.objects.count() == 0


def test_a_date_that_changes_the_form_is_not_saved_under_the_other_form(world, signed_in):
    """The page showed the ORS to a 13-year-old; the practitioner then typed a date before
    their birthday, when the CORS applied. Their marks must not become CORS marks silently."""
    client = signed_in(world.practitioner)
    teen = people(world)["Person3"]
    today = timezone.localdate()
    teen.date_of_birth = today.replace(year=today.year - 13) - timedelta(days=20)
    teen.save()
    world.family.episodes.update(opened_on=today - timedelta(days=400))
    before_birthday = today - timedelta(days=40)
    data = record_session_post(world.family, before_birthday)
    data[f"p{teen.pk}-ors-shown_measure"] = "ORS"
    data[f"p{teen.pk}-srs-shown_measure"] = "SRS"
    page = client.post(url(world), data).content.decode()
    assert "Person3 was 12 on the session date, so the CORS applies, not the ORS" in page
    assert Session.objects.count() == 0
    assert f'name="p{teen.pk}-ors-shown_measure" value="CORS"' in page
    data[f"p{teen.pk}-ors-shown_measure"] = "CORS"
    data[f"p{teen.pk}-srs-shown_measure"] = "CSRS"
    assert client.post(url(world), data).status_code == 302
    assert Administration.objects.get(person=teen, tool="ORS").measure == "CORS"


def test_a_token_from_another_familys_session_is_refused(world, signed_in):
    client = signed_in(world.colleague_other_team)
    other = record_session_post(world.other_family, timezone.localdate())
    client.post(reverse("record_session", args=[world.other_family.pk]), other)
    mine = record_session_post(world.family, timezone.localdate(), {"token": other["token"]})
    response = signed_in(world.practitioner).post(url(world), mine)
    assert response.status_code == 200
    assert "This form was already used" in response.content.decode()
    assert Session.objects.filter(family=world.family).count() == 0


def test_sending_the_same_form_twice_records_it_once(world, signed_in):
    client = signed_in(world.practitioner)
    data = record_session_post(world.family, timezone.localdate())
    first = client.post(url(world), data)
    second = client.post(url(world), data)
    assert Session.objects.count() == 1
    assert Administration.objects.count() == 8
    assert first["Location"] == second["Location"]
    assert "already recorded" in client.get(second["Location"]).content.decode()


def test_back_then_save_again_asks_before_recording_a_second_session(world, signed_in):
    """The page after Back is drawn afresh, with a new token: the token cannot catch it."""
    client = signed_in(world.practitioner)
    today = timezone.localdate()
    first = client.post(url(world), record_session_post(world.family, today))
    again = record_session_post(world.family, today, {"notes": "Talked about school"})
    response = client.post(url(world), again)
    page = response.content.decode()
    assert response.status_code == 200
    assert Session.objects.count() == 1
    assert "You already recorded a session for this family on" in page
    assert f'href="{first["Location"]}"' in page  # the session already saved, to look at
    assert 'value="4.5"' in page and "Talked about school" in page  # nothing typed is lost
    assert "Yes, save it as another session" in page


def test_only_an_explicit_yes_records_a_second_session_on_the_same_day(world, signed_in):
    client = signed_in(world.practitioner)
    today = timezone.localdate()
    client.post(url(world), record_session_post(world.family, today))
    response = client.post(url(world), record_session_post(world.family, today,
                                                           {"another_session": "yes"}))
    assert response.status_code == 302
    assert Session.objects.filter(date=today).count() == 2


def test_another_practitioners_session_that_day_needs_no_question(world, signed_in):
    colleague = factories.user("sam@example.test", team=world.team)
    today = timezone.localdate()
    signed_in(colleague).post(url(world), record_session_post(world.family, today))
    response = signed_in(world.practitioner).post(url(world),
                                                  record_session_post(world.family, today))
    assert response.status_code == 302
    assert Session.objects.filter(date=today).count() == 2


def test_a_session_on_another_day_needs_no_question(world, signed_in):
    client = signed_in(world.practitioner)
    today = timezone.localdate()
    client.post(url(world), record_session_post(world.family, today - timedelta(days=7)))
    assert client.post(url(world), record_session_post(world.family, today)).status_code == 302
    assert Session.objects.count() == 2


def test_a_future_date_is_refused_and_everything_typed_is_kept(world, signed_in):
    client = signed_in(world.practitioner)
    adult = people(world)["Person1"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = record_session_post(world.family, tomorrow, {"notes": "Talked about school mornings"})
    response = client.post(url(world), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert Session.objects.count() == 0
    assert "There is a problem" in page
    assert "The session date cannot be in the future" in page
    assert 'href="#date-day"' in page
    assert "Talked about school mornings" in page
    assert f'name="p{adult.pk}-ors-item_3"' in page and 'value="6.1"' in page


def test_a_date_before_the_family_was_opened_is_refused(world, signed_in):
    client = signed_in(world.practitioner)
    early = world.family.episodes.get().opened_on - timedelta(days=1)
    response = client.post(url(world), record_session_post(world.family, early))
    assert "on or after this support started" in response.content.decode()
    assert Session.objects.count() == 0


def test_a_date_before_a_present_persons_birth_is_refused(world, signed_in):
    client = signed_in(world.practitioner)
    baby = people(world)["Person4"]
    baby.date_of_birth = timezone.localdate() - timedelta(days=30)
    baby.save()
    on = timezone.localdate() - timedelta(days=60)
    response = client.post(url(world), record_session_post(world.family, on))
    assert "before Person4 was born" in response.content.decode()
    assert Session.objects.count() == 0


def test_an_impossible_date_says_so(world, signed_in):
    client = signed_in(world.practitioner)
    data = record_session_post(world.family, timezone.localdate(),
                               {"date-day": "31", "date-month": "2"})
    response = client.post(url(world), data)
    assert "The session date must be a real date" in response.content.decode()


def test_a_score_out_of_range_names_the_person_and_item(world, signed_in):
    client = signed_in(world.practitioner)
    child = people(world)["Person3"]
    data = record_session_post(world.family, timezone.localdate(),
                               {f"p{child.pk}-ors-item_2": "10.4",
                                f"p{child.pk}-srs-item_4": "6.45"})
    page = client.post(url(world), data).content.decode()
    assert ("Person3&#39;s CORS: Home and the people I live with must be between 0.0 and 10.0"
            in page)
    assert "Person3&#39;s CSRS: The session as a whole must have at most one decimal place" in page
    assert f'href="#p{child.pk}-ors-item_2"' in page
    assert Session.objects.count() == 0


def test_not_administered_needs_a_reason_and_keeps_it(world, signed_in):
    client = signed_in(world.practitioner)
    adult = people(world)["Person2"]
    missing = record_session_post(world.family, timezone.localdate(),
                                  {f"p{adult.pk}-srs-status": "not_administered"})
    page = client.post(url(world), missing).content.decode()
    assert "Select why Person2&#39;s SRS was not administered" in page
    given = {**missing, "token": "5b4bd2c6-51a4-4d4e-8a55-3f0c6d9b7a11",
             f"p{adult.pk}-srs-reason": "language"}
    client.post(url(world), given)
    record = Administration.objects.get(person=adult, tool="SRS")
    assert (record.status, record.reason, record.total) == ("not_administered", "language", None)


def test_other_as_a_reason_needs_a_detail(world, signed_in):
    client = signed_in(world.practitioner)
    adult = people(world)["Person2"]
    data = record_session_post(world.family, timezone.localdate(), {
        f"p{adult.pk}-ors-status": "not_administered", f"p{adult.pk}-ors-reason": "other"})
    page = client.post(url(world), data).content.decode()
    assert "Say why Person2&#39;s ORS was not administered" in page


def test_a_person_not_present_needs_no_scores(world, signed_in):
    client = signed_in(world.practitioner)
    present = [p for p in world.family.people.all() if p.first_name != "Person2"]
    data = record_session_post(world.family, timezone.localdate(), present=present)
    response = client.post(url(world), data)
    assert response.status_code == 302
    assert not Administration.objects.filter(person__first_name="Person2").exists()


def test_nobody_present_is_refused(world, signed_in):
    client = signed_in(world.practitioner)
    data = record_session_post(world.family, timezone.localdate(), present=[])
    page = client.post(url(world), data).content.decode()
    assert "Select who was at the session" in page


def test_choosing_neither_completed_nor_not_administered_is_refused(world, signed_in):
    client = signed_in(world.practitioner)
    child = people(world)["Person4"]
    data = record_session_post(world.family, timezone.localdate())
    del data[f"p{child.pk}-ors-status"]
    page = client.post(url(world), data).content.decode()
    assert "Select whether Person4 completed the YCORS or say why not" in page


def test_an_earlier_session_uses_the_forms_for_the_age_then(world, signed_in):
    client = signed_in(world.practitioner)
    child = people(world)["Person3"]  # 9 and a half today
    child.date_of_birth = timezone.localdate().replace(year=timezone.localdate().year - 13) - \
        timedelta(days=20)  # turned 13 twenty days ago
    child.save()
    world.family.episodes.update(opened_on=timezone.localdate() - timedelta(days=400))
    before_birthday = timezone.localdate() - timedelta(days=40)
    client.post(url(world), record_session_post(world.family, before_birthday))
    assert Administration.objects.get(person=child, tool="ORS").measure == "CORS"
    client.post(url(world), record_session_post(world.family, timezone.localdate()))
    assert Administration.objects.filter(person=child, tool="ORS").latest(
        "session__date").measure == "ORS"


def test_recording_writes_the_audit_trail(world, signed_in):
    client = signed_in(world.practitioner)
    client.post(url(world), record_session_post(world.family, timezone.localdate()))
    actions = list(AuditEntry.objects.filter(actor=world.practitioner)
                   .values_list("action", flat=True))
    assert actions.count("session.create") == 1
    assert actions.count("administration.create") == 8
    entry = AuditEntry.objects.filter(action="administration.create",
                                      changes__measure="ORS").first()
    assert entry.changes["item_1"] == "4.5"


def test_the_manager_records_for_a_family_of_their_team(world, signed_in):
    client = signed_in(world.manager)
    response = client.post(url(world), record_session_post(world.family, timezone.localdate()))
    assert response.status_code == 302
    assert Session.objects.get().practitioner == world.manager
