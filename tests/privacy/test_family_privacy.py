"""A family's privacy page, for administrators: found by its case reference sent by POST; its
people with their subject access downloads and corrections; a legal hold set and lifted, audited,
never overwriting a colleague's; erasure refused, with the reason shown, while a hold, open
support or the retention duty applies, and otherwise done, leaving a tombstone with the reason."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.accounts.presenters import action_words
from familyfeedback.casework.models import Episode, Family, Person
from familyfeedback.privacy import actions, erasure_rules
from familyfeedback.privacy.models import Tombstone
from tests.edit_pages import opened, version_in

TODAY = date(2026, 12, 3)


def page_url(family) -> str:
    return reverse("family_privacy", args=[family.pk])


def close_support(family, days_ago: int) -> None:
    family.episodes.update(closed_on=timezone.localdate() - timedelta(days=days_ago))


@pytest.fixture
def admin(client, world):
    client.force_login(world.administrator)
    return client


# Who may reach it -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["practitioner", "manager", "data team", "evaluator",
                                 "colleague in another team", "outsider"])
def test_anyone_but_an_administrator_is_told_there_is_no_such_page(client, world, who):
    client.force_login(world.everyone()[who])
    family, person = world.family, world.family.people.first()
    for method, url in [("get", reverse("privacy_find_family")),
                        ("post", reverse("privacy_find_family")),
                        ("get", page_url(family)),
                        ("post", reverse("set_legal_hold", args=[family.pk])),
                        ("post", reverse("lift_legal_hold", args=[family.pk])),
                        ("post", reverse("erase_family", args=[family.pk])),
                        ("get", reverse("rectify_person", args=[person.pk])),
                        ("post", reverse("rectify_person", args=[person.pk]))]:
        assert getattr(client, method)(url, {"case_reference": family.case_reference,
                                             "legal_hold_reason": "x", "reason": "x",
                                             "confirm": "on"}).status_code == 404, url
    family.refresh_from_db()
    assert family.legal_hold_reason == ""
    assert Family.objects.filter(pk=family.pk).exists()


# Finding the family -----------------------------------------------------------------------------

def test_an_administrator_finds_a_family_by_its_reference_sent_by_post(admin, world):
    world.family.case_reference = "EH-4417"
    world.family.save()
    response = admin.post(reverse("privacy_find_family"), {"case_reference": "  eh-4417 "})
    assert response.status_code == 302
    assert response["Location"] == page_url(world.family)
    assert "4417" not in response["Location"]
    # The find page's own form posts: the reference never goes into an address.
    page = admin.get(reverse("privacy_find_family")).content.decode()
    assert 'method="post"' in page and 'name="case_reference"' in page


def test_a_reference_nobody_has_says_so_and_keeps_what_was_typed(admin, world):
    response = admin.post(reverse("privacy_find_family"), {"case_reference": "NO-SUCH-9"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No family in the service has this case reference" in page
    assert 'value="NO-SUCH-9"' in page
    assert admin.post(reverse("privacy_find_family"), {"case_reference": ""}).status_code == 200


def test_the_page_lists_the_people_with_their_downloads_and_the_periods_of_support(admin,
                                                                                  world):
    close_support(world.family, 30)
    page = admin.get(page_url(world.family)).content.decode()
    for person in world.family.people.all():
        assert str(person) in page
        assert reverse("subject_access", args=[person.pk]) in page
        assert reverse("rectify_person", args=[person.pk]) in page
    episode = world.family.episodes.get()
    assert f"{episode.opened_on.day} {episode.opened_on:%B %Y}" in page
    assert f"{episode.closed_on.day} {episode.closed_on:%B %Y}" in page
    assert world.other_family.name not in page
    assert AuditEntry.objects.filter(action="family.view_privacy", actor=world.administrator,
                                     object_id=world.family.pk).count() == 1


def test_the_find_page_is_linked_from_the_administration_pages(admin):
    assert reverse("privacy_find_family") in admin.get(reverse("people")).content.decode()
    assert reverse("privacy_find_family") in admin.get(reverse("home")).content.decode()


# Legal hold -------------------------------------------------------------------------------------

def test_a_legal_hold_is_set_with_its_reason_and_lifted_each_audited(admin, world):
    family = world.family
    version = opened(admin, page_url(family))
    response = admin.post(reverse("set_legal_hold", args=[family.pk]),
                          {**version, "legal_hold_reason": "Care proceedings ZC25C00123"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.legal_hold_reason == "Care proceedings ZC25C00123"
    assert family.legal_hold_since == timezone.localdate()
    entry = AuditEntry.objects.get(action="family.legal_hold")
    assert entry.actor == world.administrator and entry.object_id == family.pk
    # Special category: recorded as changed, never in clear (ADR 0006).
    assert entry.changes == {"legal_hold_reason": ["(changed)", "(changed)"],
                             "legal_hold_since": [None, timezone.localdate().isoformat()]}
    assert "ZC25C00123" not in str(AuditEntry.objects.values_list("changes", flat=True))

    page = admin.get(page_url(family)).content.decode()
    assert "Lift the legal hold" in page and "Care proceedings ZC25C00123" in page
    response = admin.post(reverse("lift_legal_hold", args=[family.pk]), version_in(page))
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.legal_hold_reason == "" and family.legal_hold_since is None
    lifted = AuditEntry.objects.get(action="family.lift_legal_hold")
    assert lifted.changes["legal_hold_reason"] == ["(changed)", "(changed)"]

    # The family's manager, in its record of access, reads who looked at it here and held it.
    admin.force_login(world.manager)
    trail = admin.get(reverse("family_trail", args=[family.pk])).content.decode()
    for words in ("Opened the family&#39;s privacy page", "Set or changed a legal hold",
                  "Lifted a legal hold"):
        assert words in trail


def test_a_hold_needs_its_reason(admin, world):
    version = opened(admin, page_url(world.family))
    response = admin.post(reverse("set_legal_hold", args=[world.family.pk]),
                          {**version, "legal_hold_reason": "   "})
    assert response.status_code == 200
    assert "Give the reason for the legal hold" in response.content.decode()
    world.family.refresh_from_db()
    assert world.family.legal_hold_reason == ""
    assert not AuditEntry.objects.filter(action="family.legal_hold").exists()


def test_a_colleagues_hold_set_meanwhile_is_shown_not_overwritten(admin, world, client):
    family = world.family
    mine = opened(admin, page_url(family))
    # A second administrator, in another browser, sets a hold first.
    other = type(client)()
    other.force_login(world.administrator)
    theirs = opened(other, page_url(family))
    assert other.post(reverse("set_legal_hold", args=[family.pk]),
                      {**theirs, "legal_hold_reason": "Complaint C-88"}).status_code == 302
    response = admin.post(reverse("set_legal_hold", args=[family.pk]),
                          {**mine, "legal_hold_reason": "Inquiry I-12"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Changed by someone else since you opened this page" in page
    assert "Complaint C-88" in page and "Inquiry I-12" in page
    family.refresh_from_db()
    assert family.legal_hold_reason == "Complaint C-88"
    assert AuditEntry.objects.filter(action="family.legal_hold").count() == 1
    # Sent again from the page now shown, knowingly, it goes through.
    assert admin.post(reverse("set_legal_hold", args=[family.pk]),
                      {**version_in(page), "legal_hold_reason": "Inquiry I-12"}
                      ).status_code == 302
    family.refresh_from_db()
    assert family.legal_hold_reason == "Inquiry I-12"


def test_lifting_a_hold_whose_reason_changed_meanwhile_is_shown_not_done(admin, world):
    family = world.family
    family.legal_hold_reason, family.legal_hold_since = "Complaint C-88", TODAY
    family.save()
    version = opened(admin, page_url(family))
    Family.objects.filter(pk=family.pk).update(legal_hold_reason="Court case ZC-1")
    response = admin.post(reverse("lift_legal_hold", args=[family.pk]), version)
    assert response.status_code == 200
    assert "Changed by someone else since you opened this page" in response.content.decode()
    family.refresh_from_db()
    assert family.legal_hold_reason == "Court case ZC-1"


# Erasure: the rule ------------------------------------------------------------------------------

def test_the_rule_refuses_for_a_hold_open_support_and_the_duty_and_otherwise_allows():
    closed = [(date(2019, 1, 1), date(2020, 6, 30))]
    rule = erasure_rules.refusal
    assert "legal hold" in rule(legal_hold_reason="Court", periods=closed, today=TODAY,
                                duty_years=0)
    assert "still open" in rule(legal_hold_reason="", periods=[*closed, (TODAY, None)],
                                today=TODAY, duty_years=0)
    assert rule(legal_hold_reason="", periods=closed, today=TODAY, duty_years=7) == (
        "The service must keep the records for 7 years after support closed: support last "
        "closed on 30 June 2020, so they can be erased from 30 June 2027.")
    assert rule(legal_hold_reason="", periods=closed, today=date(2027, 6, 30),
                duty_years=7) is None
    assert rule(legal_hold_reason="", periods=closed, today=TODAY, duty_years=0) is None
    assert rule(legal_hold_reason="", periods=[], today=TODAY, duty_years=7) is None


# Erasure: the page ------------------------------------------------------------------------------

def erase(admin, family, reason="DPO-2026-014"):
    return admin.post(reverse("erase_family", args=[family.pk]),
                      {"reason": reason, "confirm": "on"})


def assert_nothing_removed(family):
    assert Family.objects.filter(pk=family.pk).exists()
    assert Person.objects.filter(family=family).count() == 4
    assert not Tombstone.objects.exists()


def test_erasure_is_refused_while_support_is_open_with_the_reason_shown(admin, world):
    page = admin.get(page_url(world.family)).content.decode()
    assert "The family&#39;s support is still open" in page
    assert "Erase the family&#39;s records" not in page
    response = erase(admin, world.family)
    assert response.status_code == 200
    assert "The family&#39;s support is still open" in response.content.decode()
    assert_nothing_removed(world.family)


def test_erasure_is_refused_under_a_legal_hold_even_when_set_after_the_page_opened(admin,
                                                                                    world):
    close_support(world.family, 30)
    assert "Erase the family&#39;s records" in admin.get(page_url(world.family)).content.decode()
    Family.objects.filter(pk=world.family.pk).update(legal_hold_reason="Court case ZC-1",
                                                     legal_hold_since=TODAY)
    response = erase(admin, world.family)
    assert response.status_code == 200
    assert "The family is under a legal hold" in response.content.decode()
    assert_nothing_removed(world.family)


def test_erasure_is_refused_within_the_retention_duty(admin, world, settings):
    settings.ERASURE_DUTY_YEARS = 2
    close_support(world.family, 30)
    page = admin.get(page_url(world.family)).content.decode()
    assert "The service must keep the records for 2 years after support closed" in page
    response = erase(admin, world.family)
    assert "The service must keep the records for 2 years" in response.content.decode()
    assert_nothing_removed(world.family)


def test_erasure_needs_a_reason_without_a_name_and_the_confirmation(admin, world):
    close_support(world.family, 30)
    url = reverse("erase_family", args=[world.family.pk])
    page = admin.post(url, {"reason": "", "confirm": "on"}).content.decode()
    assert "Give the reason for the erasure" in page
    page = admin.post(url, {"reason": "DPO-2026-014"}).content.decode()
    assert "Confirm that the family" in page
    assert 'value="DPO-2026-014"' in page
    page = admin.post(url, {"reason": "Asked by person1 test", "confirm": "on"}).content.decode()
    assert "must not name anyone in the family" in page
    assert_nothing_removed(world.family)


def test_erasure_refuses_a_reason_holding_the_familys_or_a_persons_reference(admin, world):
    close_support(world.family, 30)
    Person.objects.filter(pk=world.family.people.first().pk).update(reference="NHS-99-x")
    url = reverse("erase_family", args=[world.family.pk])
    for reason in (f"DPO request for {world.family.case_reference.lower()}",
                   f"ref{world.family.case_reference.upper()}/2", "DPO 14 (nhs-99-X)"):
        page = admin.post(url, {"reason": reason, "confirm": "on"}).content.decode()
        assert "must not hold the family&#39;s case reference or a person&#39;s reference" in page
    assert_nothing_removed(world.family)


def test_erasure_allowed_removes_the_family_and_leaves_a_tombstone_with_the_reason(admin,
                                                                                   world):
    close_support(world.family, 30)
    family_id = world.family.pk
    people = list(world.family.people.values_list("pk", flat=True))
    response = erase(admin, world.family)
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_find_family")
    assert not Family.objects.filter(pk=family_id).exists()
    assert not Person.objects.filter(pk__in=people).exists()
    assert not Episode.objects.filter(family_id=family_id).exists()
    stone = Tombstone.objects.get(record_type="casework.Family")
    assert stone.rule == "erasure" and stone.reason == "DPO-2026-014"
    assert stone.removed_ids == [family_id] and stone.by == world.administrator
    assert "Ashdown" not in str(Tombstone.objects.values())
    assert AuditEntry.objects.filter(action="family.erase", object_id=family_id,
                                     actor=world.administrator).exists()
    # The audit log's pages say it in words.
    assert [action_words(a) for a in ("family.erase", "family.purge")] == [
        "Erased the family's records on request",
        "Removed the family's records under a retention rule"]
    assert Family.objects.filter(pk=world.other_family.pk).exists()


def test_an_erasure_sent_twice_or_a_family_erased_meanwhile_is_refused_plainly(admin, world):
    close_support(world.family, 30)
    url = reverse("erase_family", args=[world.family.pk])
    assert erase(admin, world.family).status_code == 302
    # The second post: the family is gone, so the page is not there; no error page.
    assert admin.post(url, {"reason": "DPO-2026-014", "confirm": "on"}).status_code == 404
    # A page drawn before the erasure still holds the family: its writes say so, plainly.
    stale = world.family
    for write in (lambda: actions.erase_family(world.administrator, stale, reason="DPO-1"),
                  lambda: actions.set_legal_hold(world.administrator, stale,
                                                 legal_hold_reason="Court", opened={}),
                  lambda: actions.lift_legal_hold(world.administrator, stale, opened={})):
        with pytest.raises(ValidationError, match="These records have already been erased"):
            write()
    assert Tombstone.objects.filter(record_type="casework.Family").count() == 1


# Rectification ----------------------------------------------------------------------------------

def rectify_data(person, **changes) -> dict:
    values = {"first_name": person.first_name, "last_name": person.last_name,
              "date_of_birth-day": str(person.date_of_birth.day),
              "date_of_birth-month": str(person.date_of_birth.month),
              "date_of_birth-year": str(person.date_of_birth.year),
              "preferred_language": person.preferred_language, "reason": "DPO-2026-020"}
    return {**values, **changes}


def test_an_administrator_corrects_a_persons_details_with_the_reason_recorded(admin, world):
    person = world.family.people.first()
    url = reverse("rectify_person", args=[person.pk])
    version = opened(admin, url)
    assert AuditEntry.objects.filter(action="person.view", object_id=person.pk).exists()
    response = admin.post(url, {**rectify_data(person, last_name="Ashdown-Hale"), **version})
    assert response.status_code == 302
    assert response["Location"] == page_url(world.family)
    person.refresh_from_db()
    assert person.last_name == "Ashdown-Hale"
    entry = AuditEntry.objects.get(action="person.update", object_id=person.pk)
    assert entry.actor == world.administrator
    assert entry.changes == {"last_name": ["(changed)", "(changed)"], "reason": "DPO-2026-020"}


def test_a_corrected_first_name_is_the_one_the_message_uses(admin, world):
    person = world.family.people.first()
    url = reverse("rectify_person", args=[person.pk])
    version = opened(admin, url)
    page = admin.post(url, {**rectify_data(person, first_name="Rowanne"), **version},
                      follow=True).content.decode()
    assert "Rowanne&#39;s details corrected" in page
    assert f"{person.first_name}&#39;s details" not in page


def test_a_correction_needs_its_reason_and_never_overwrites_a_colleagues(admin, world):
    person = world.family.people.first()
    url = reverse("rectify_person", args=[person.pk])
    version = opened(admin, url)
    page = admin.post(url, {**rectify_data(person, last_name="New", reason=""), **version})
    assert "Give the reason for the correction" in page.content.decode()
    Person.objects.filter(pk=person.pk).update(first_name="Changed")
    response = admin.post(url, {**rectify_data(person, last_name="New"), **version})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Changed by someone else since you opened this page" in page
    assert 'value="DPO-2026-020"' in page
    person.refresh_from_db()
    assert person.last_name == "Test"
