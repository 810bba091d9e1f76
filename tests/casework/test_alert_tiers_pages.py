"""The caseload, the family page and the dashboards show alerts by tier: act now first, then talk
about it; "for the record" only on the family's page. The session-drop amount is a setting,
named on the page."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests import factories


def three_tiers(world):
    """Person1 rated the session low (35.5: talk about it, with an item under 9 and a fall of 1.5
    from 37.0: for the record); Person2's outcome rating fell from 20.0 to 14.0 (act now)."""
    first, second = (world.family.people.get(first_name=n) for n in ("Person1", "Person2"))
    today = timezone.localdate()
    factories.session(world.practitioner, world.family, today - timedelta(days=14),
                      {first.pk: ((5, 5, 5, 5), (9, 9, 9, 10)),
                       second.pk: ((5, 5, 5, 5), (9, 9, 9, 9))})
    factories.session(world.practitioner, world.family, today - timedelta(days=7),
                      {first.pk: ((5, 5, 5, 5), (9, 9, 9, 8.5)),
                       second.pk: ((3.5, 3.5, 3.5, 3.5), (9, 9, 9, 9))})
    return first, second


def test_the_caseload_lists_act_now_first_and_leaves_out_what_is_for_the_record(world,
                                                                              signed_in):
    three_tiers(world)
    page = signed_in(world.practitioner).get(reverse("home")).content.decode()
    assert "Person2: got worse" in page and "Person1: low session rating" in page
    assert page.index("Person2: got worse") < page.index("Person1: low session rating")
    assert "session rating fell" not in page and "rated low" not in page
    assert "2 alerts need a look" in page
    assert "Act now" in page and "Talk about it" in page


def test_the_family_page_shows_every_alert_ordered_by_tier(world, signed_in):
    three_tiers(world)
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    order = [page.index(text) for text in (
        "Act now", "Person2: got worse", "Talk about it", "Person1: low session rating",
        "For the record", "Person1: part of the session rated low",
        "Person1: session rating fell")]
    assert order == sorted(order)
    assert "fell by 1.5 points, from 37.0 to 35.5" in page


def test_the_drop_amount_is_a_setting_named_on_the_page(world, signed_in, settings):
    settings.ALERT_SESSION_DROP = Decimal("2")
    three_tiers(world)
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "session rating fell" not in page
    assert "a fall of 2 points or more from the one before" in page


def test_the_page_names_the_default_drop_of_one_point(world, signed_in):
    three_tiers(world)
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "a fall of 1 point or more from the one before" in page


def test_the_dashboards_count_the_first_two_tiers_in_order(world, client):
    three_tiers(world)
    client.force_login(world.manager)
    page = client.get(reverse("dashboards"), {"alerts": "1"}).content.decode()
    rows = [page.index(text) for text in ("Outstanding now: act now",
                                          "Outstanding now: talk about it",
                                          "Acknowledged in the period")]
    assert rows == sorted(rows)
    assert "For the record" not in page and "for the record" not in page.split(
        "Outstanding now: act now")[1].split("</table>")[0]


def test_the_supervision_page_counts_only_the_first_two_tiers(world, client):
    three_tiers(world)
    client.force_login(world.manager)
    page = client.get(reverse("supervision", args=[world.practitioner.pk])).content.decode()
    assert "2 alerts not yet acknowledged" in page
    assert "session rating fell" not in page
