"""A practitioner records a whole session with the keyboard alone, and sees it on the family's
charts. The screenshots taken on the way illustrate the user guide (docs/images/)."""

import re
from decimal import Decimal

from familyfeedback.casework.models import Administration, Session
from tests.browser.conftest import screenshot, sign_in
from tests.browser.keys import is_focused, tab_to, type_into

# Marks typed from a paper form, by person (oldest first) and tool. None: set with the line.
ADULT_1_ORS = ("6.5", "7.0", "5.5", "8.0")
ADULT_1_SRS = ("9.0", "9.5", "8.5", "10")
ADULT_2_ORS = (None, "4.5", "3.0", "6.0")  # item 1 on the line: Page Up, then right twice
CHILD_9_CORS = (None, "7.5", None, "8.2")  # item 1: left three times; item 3: End
CHILD_9_CSRS = ("9.0", "9.0", "9.0", "9.5")

EXPECTED = {
    # (person index, tool): (measure, items)
    (0, "ORS"): ("ORS", ("6.5", "7.0", "5.5", "8.0")),
    (0, "SRS"): ("SRS", ("9.0", "9.5", "8.5", "10.0")),
    (1, "ORS"): ("ORS", ("6.2", "4.5", "3.0", "6.0")),
    (2, "ORS"): ("CORS", ("4.7", "7.5", "10.0", "8.2")),
    (2, "SRS"): ("CSRS", ("9.0", "9.0", "9.0", "9.5")),
}


def total(items) -> Decimal:
    return sum((Decimal(i) for i in items), Decimal("0"))


def choose_completed(page, prefix: str) -> None:
    """Tab into the status radios (focus lands on the first, 'completed') and tick it."""
    tab_to(page, f"#{prefix}-status")
    page.keyboard.press("Space")
    assert page.locator(f"#{prefix}-status").is_checked()


def type_marks(page, prefix: str, marks) -> None:
    for n, mark in enumerate(marks, start=1):
        if mark is not None:
            type_into(page, f"#{prefix}-item_{n}", mark)


def test_a_practitioner_records_a_family_session_with_only_the_keyboard(live_world, live_server,
                                                                         page):
    """Given the practitioner and a family of four (adults of 35 and 34, children of 9 and 4),
    When they sign in and record a session with only the keyboard: marks typed in the boxes, the
    line moved with the arrow keys, Page Up and End, a face for the 4-year-old, one session
    rating not administered because it was declined, and Enter on "Save session",
    Then the session page shows the records, the family page draws each person's charts with the
    totals entered, the caseload shows the latest totals, and the database holds exactly the
    item values entered."""
    family = live_world.family
    adult_1, adult_2, child_9, child_4 = family.people.order_by("date_of_birth", "id")
    a, b, c, d = (f"p{p.pk}" for p in (adult_1, adult_2, child_9, child_4))

    # Given / When: sign in, then reach the family and the form by keyboard.
    sign_in(page, live_server, live_world.practitioner)
    tab_to(page, f'a[href="/families/{family.pk}/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/families/{family.pk}/")
    tab_to(page, f'a[href="/families/{family.pk}/sessions/new/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/families/{family.pk}/sessions/new/")

    # The date is today's and everyone is ticked as present; the kind changes with an arrow.
    tab_to(page, "input[name=kind]")
    assert is_focused(page, "#kind"), "focus should land on the ticked kind, Home visit"
    page.keyboard.press("ArrowDown")
    assert page.locator("#kind-2").is_checked()

    # First adult: every mark typed from the paper forms.
    choose_completed(page, f"{a}-ors")
    type_marks(page, f"{a}-ors", ADULT_1_ORS)
    choose_completed(page, f"{a}-srs")
    type_marks(page, f"{a}-srs", ADULT_1_SRS)

    # Second adult: the first ORS line moved with the keyboard, from its start at 5.0.
    choose_completed(page, f"{b}-ors")
    tab_to(page, f"#{b}-ors-item_1_line")
    for key in ("PageUp", "ArrowRight", "ArrowRight"):
        page.keyboard.press(key)
    assert page.locator(f"#{b}-ors-item_1_line").input_value() == "6.2"
    assert page.locator(f"#{b}-ors-item_1").input_value() == "6.2", "the box follows the line"
    type_marks(page, f"{b}-ors", ADULT_2_ORS)
    # ...who declined the session rating: the second status radio, then the second reason.
    tab_to(page, f"#{b}-srs-status")
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#{b}-srs-status-2").is_checked()
    tab_to(page, f"#{b}-srs-reason")
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#{b}-srs-reason-2").is_checked()

    # The 9-year-old (CORS and CSRS): two lines moved, two marks typed.
    choose_completed(page, f"{c}-ors")
    tab_to(page, f"#{c}-ors-item_1_line")
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    type_marks(page, f"{c}-ors", CHILD_9_CORS[:2])
    tab_to(page, f"#{c}-ors-item_3_line")
    page.keyboard.press("End")
    type_into(page, f"#{c}-ors-item_4", CHILD_9_CORS[3])
    assert [page.locator(f"#{c}-ors-item_{n}").input_value() for n in range(1, 5)] == [
        "4.7", "7.5", "10.0", "8.2"]
    choose_completed(page, f"{c}-srs")
    type_marks(page, f"{c}-srs", CHILD_9_CSRS)

    # The 4-year-old (YCORS and YCSRS): faces are radios, sad, in between, happy.
    choose_completed(page, f"{d}-ors")
    tab_to(page, f"#{d}-ors-face")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#{d}-ors-face-3").is_checked()
    choose_completed(page, f"{d}-srs")
    tab_to(page, f"#{d}-srs-face")
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#{d}-srs-face-2").is_checked()

    tab_to(page, "button.govuk-button")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Save session"
    screenshot(page, "record-session.png")
    page.keyboard.press("Enter")

    # Then: the session page, with the records.
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    session = Session.objects.get(family=family)
    assert page.url == f"{live_server.url}/sessions/{session.pk}/"
    assert "Session recorded" in page.locator(".govuk-notification-banner").inner_text()
    rows = page.locator("main table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].slice(0, 4).map(c => c.innerText.trim()))")
    one, two, nine, four = (p.first_name for p in (adult_1, adult_2, child_9, child_4))
    assert rows == [
        [one, "ORS", "6.5, 7.0, 5.5, 8.0", "27.0"],
        [one, "SRS", "9.0, 9.5, 8.5, 10.0", "37.0"],
        [two, "ORS", "6.2, 4.5, 3.0, 6.0", "19.7"],
        [two, "SRS", "Not administered: Declined", ""],
        [nine, "CORS", "4.7, 7.5, 10.0, 8.2", "30.4"],
        [nine, "CSRS", "9.0, 9.0, 9.0, 9.5", "36.5"],
        [four, "YCORS", "Face chosen: happy", ""],
        [four, "YCSRS", "Face chosen: in between", ""],
    ]

    # The database holds what was entered, item by item.
    assert session.kind == Session.Kind.OFFICE
    assert session.practitioner == live_world.practitioner
    assert set(session.present.all()) == {adult_1, adult_2, child_9, child_4}
    people = (adult_1, adult_2, child_9, child_4)
    records = {(r.person_id, r.tool): r for r in Administration.objects.filter(session=session)}
    assert len(records) == 8
    for (index, tool), (measure, items) in EXPECTED.items():
        record = records[(people[index].pk, tool)]
        assert (record.measure, record.status) == (measure, "completed")
        assert [record.item_1, record.item_2, record.item_3, record.item_4] == [
            Decimal(i) for i in items]
        assert record.total == total(items)
    declined = records[(adult_2.pk, "SRS")]
    assert (declined.measure, declined.status, declined.reason) == (
        "SRS", "not_administered", "declined")
    assert declined.total is None and declined.item_1 is None
    faces = {tool: records[(child_4.pk, tool)] for tool in ("ORS", "SRS")}
    assert (faces["ORS"].measure, faces["ORS"].face, faces["ORS"].total) == (
        "YCORS", "happy", None)
    assert (faces["SRS"].measure, faces["SRS"].face) == ("YCSRS", "in_between")

    # And the family page draws each person's charts, with a table of the totals.
    page.goto(f"{live_server.url}/families/{family.pk}/")
    for (index, tool), (_, items) in EXPECTED.items():
        person = people[index]
        section = page.locator(f'section[aria-labelledby="person-{person.pk}-name"]')
        figure = section.locator("figure").filter(
            has=page.locator(f"table#{tool.lower()}-{person.pk}"))
        table = figure.locator("table")
        assert figure.locator("svg.ff-chart").is_visible()
        cells = table.locator("tbody td.govuk-table__cell--numeric").all_text_contents()
        assert cells == [f"{total(items):.1f}"], (person.first_name, tool)
    assert page.locator(f"table#srs-{adult_2.pk}").count() == 0, "no SRS chart when declined"
    assert page.locator(f'section[aria-labelledby="person-{child_4.pk}-name"] svg').count() == 0
    faces_text = page.locator(f'section[aria-labelledby="person-{child_4.pk}-name"]').inner_text()
    assert "Outcome rating (YCORS): 1 completed" in faces_text and ": happy" in faces_text
    assert "Session rating (YCSRS): 1 completed" in faces_text and ": in between" in faces_text
    assert page.locator("svg.ff-chart:not(.ff-chart--family)").count() == 5
    assert page.locator("svg.ff-chart--family").count() == 1
    screenshot(page, "family-page.png")

    # And the caseload shows each person's latest outcome rating.
    page.goto(f"{live_server.url}/")
    row = page.locator("tr").filter(has=page.get_by_role("link", name=family.name))
    row_text = row.inner_text()
    assert f"{adult_1.first_name}: 27.0" in row_text
    assert f"{adult_2.first_name}: 19.7" in row_text
    assert f"{child_9.first_name}: 30.4" in row_text
    assert f"{child_4.first_name}: no score yet" in row_text
    screenshot(page, "my-families.png")
