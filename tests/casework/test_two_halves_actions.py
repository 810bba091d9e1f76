"""A session given in two halves: started with no ratings, each person's rating saved as they
give it, ended by the practitioner with what is missing. Through the real write functions."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from familyfeedback import measures
from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework import actions
from familyfeedback.casework.models import Administration, Session
from tests import factories


def started(world, people=None) -> Session:
    people = people if people is not None else list(world.family.people.all())
    session, created = actions.record_session(
        world.practitioner, world.family, token=uuid.uuid4(), on=timezone.localdate(),
        kind="home_visit", present=people, entries=[], stage=Session.Stage.STARTED)
    assert created
    return session


def rating(person, tool, marks=(6, 7, 5, 8), **extra) -> actions.NewAdministration:
    measure = measures.measure_for(tool, measures.age_on(person.date_of_birth,
                                                         timezone.localdate()))
    faces = measure.kind == "faces"
    return actions.NewAdministration(
        person=person, tool=tool, measure=measure.code, status="completed",
        items={} if faces else factories.lines(*marks), face="happy" if faces else "", **extra)


def test_a_started_session_waits_with_no_ratings(world):
    session = started(world)
    assert session.stage == Session.Stage.STARTED
    assert session.administrations.count() == 0
    entry = AuditEntry.objects.get(action="session.create", object_id=session.pk)
    assert entry.changes["stage"] == "started"


def test_each_rating_is_saved_as_it_is_given_and_a_second_send_keeps_the_first(world):
    session = started(world)
    mum = world.family.people.order_by("-date_of_birth").last()
    first, created = actions.give_rating(world.practitioner, session, rating(
        mum, "ORS", channel="tablet", language="cy", helped=True))
    again, created_again = actions.give_rating(world.practitioner, session, rating(
        mum, "ORS", marks=(1, 1, 1, 1), channel="tablet"))
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    saved = Administration.objects.get(pk=first.pk)
    assert (saved.total, saved.channel, saved.language, saved.helped) == (26, "tablet", "cy", True)
    audit = AuditEntry.objects.get(action="administration.create", object_id=first.pk)
    assert audit.changes["channel"] == "tablet" and audit.changes["language"] == "cy"


def test_a_rating_from_a_phone_has_no_signed_in_actor(world):
    session = started(world)
    mum = world.family.people.order_by("date_of_birth").first()
    made, _ = actions.give_rating(None, session, rating(mum, "SRS", marks=(9, 9, 8, 9),
                                                        channel="own_device"))
    audit = AuditEntry.objects.get(action="administration.create", object_id=made.pk)
    assert audit.actor is None and audit.changes["channel"] == "own_device"


def test_ratings_are_refused_for_someone_absent_a_wrong_form_or_an_ended_session(world):
    people = list(world.family.people.order_by("date_of_birth"))
    adult, child = people[0], people[2]
    session = started(world, people=[adult])
    with pytest.raises(ValidationError, match="not in the session"):
        actions.give_rating(world.practitioner, session, rating(child, "ORS"))
    wrong = rating(adult, "ORS")
    wrong.measure = "CORS"
    with pytest.raises(ValidationError, match="ORS is the right form"):
        actions.give_rating(world.practitioner, session, wrong)
    actions.finish_session(world.practitioner, session, [])
    with pytest.raises(actions.SessionEnded):
        actions.give_rating(None, session, rating(adult, "SRS", channel="own_device"))
    assert session.administrations.count() == 0


def test_ending_adds_what_is_missing_and_keeps_what_arrived_meanwhile(world):
    session = started(world)
    people = list(world.family.people.order_by("date_of_birth"))
    actions.give_rating(None, session, rating(people[0], "SRS", marks=(9, 9, 9, 9),
                                              channel="own_device"))
    missing = [
        rating(people[0], "SRS", marks=(2, 2, 2, 2)),  # arrived from the phone meanwhile
        actions.NewAdministration(person=people[1], tool="SRS", measure="SRS",
                                  status="not_administered", reason="declined"),
    ]
    ended, kept = actions.finish_session(world.practitioner, session, missing)
    assert ended.stage == Session.Stage.COMPLETE and kept == [people[0]]
    srs = {a.person_id: a for a in session.administrations.filter(tool="SRS")}
    assert srs[people[0].pk].total == 36 and srs[people[0].pk].channel == "own_device"
    assert srs[people[1].pk].status == "not_administered"
    assert AuditEntry.objects.filter(action="session.finish", object_id=session.pk).count() == 1
    # Ending twice (a double tap on "End the session") changes nothing more.
    assert actions.finish_session(world.practitioner, session, missing[1:]) == (ended, [])
    assert session.administrations.count() == 2
