"""The 0-10 line on a phone: wide enough to mark, no thumb (and no value) until someone marks it,
and every tap or drag, however short, puts its value in the box beside it."""

import io

import pytest
from PIL import Image

from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}
# The thumb of a marked line is GOV.UK blue; nothing else on an unmarked line is.
BLUE = (0x1D, 0x70, 0xB8)


def blue_pixels(element) -> int:
    data = Image.open(io.BytesIO(element.screenshot())).convert("RGB").tobytes()
    pixels = (data[i:i + 3] for i in range(0, len(data), 3))
    return sum(1 for pixel in pixels
               if all(abs(a - b) <= 24 for a, b in zip(pixel, BLUE, strict=True)))


def open_form(live_world, live_server, page):
    """The record form with the first adult's ORS chosen as completed."""
    family = live_world.family
    adult = family.people.order_by("date_of_birth", "id").first()
    sign_in(page, live_server, live_world.practitioner)
    page.goto(f"{live_server.url}/families/{family.pk}/sessions/new/")
    page.locator(f"label[for=p{adult.pk}-ors-status]").click()
    return f"#p{adult.pk}-ors-item_"


def at(page, selector: str, fraction: float) -> tuple[float, float]:
    """The point a fraction of the way along the line's track (the thumb's travel), in view."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    # Chromium's range leaves half the thumb's width at each end of the track.
    thumb = page.locator(selector).evaluate(
        "el => parseFloat(getComputedStyle(el).getPropertyValue('--ff-thumb')) || 0")
    left, width = box["x"] + thumb / 2, box["width"] - thumb
    return left + width * fraction, box["y"] + box["height"] / 2


def touch_drag(page, *points):
    """A finger put down at the first point, moved through the others and lifted at the last."""
    cdp = page.context.new_cdp_session(page)

    def send(kind, x, y):
        touches = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touches})

    send("touchStart", *points[0])
    for point in points[1:]:
        send("touchMove", *point)
    send("touchEnd", *points[-1])


@pytest.fixture
def phone(new_context):
    return new_context(**PHONE).new_page()


def test_on_a_phone_the_line_is_wide_and_shows_no_mark_until_touched(live_world, live_server,
                                                                     phone):
    item = open_form(live_world, live_server, phone)
    line = phone.locator(f"{item}1_line")
    assert line.bounding_box()["width"] >= 280
    assert phone.locator(f"{item}1").input_value() == ""
    assert line.get_attribute("aria-valuetext") == "Not marked"
    assert blue_pixels(line) == 0, "an untouched line shows no thumb"
    assert_no_axe_violations(phone, "the record form on a phone")


def test_a_tap_on_the_line_records_its_value_even_where_the_line_already_stood(
        live_world, live_server, phone):
    item = open_form(live_world, live_server, phone)
    point = at(phone, f"{item}1_line", 0.7)
    phone.touchscreen.tap(*point)
    value = phone.locator(f"{item}1").input_value()
    assert abs(float(value) - 7.0) <= 0.3, value
    assert phone.locator(f"{item}1_line").get_attribute("aria-valuetext") == value
    assert blue_pixels(phone.locator(f"{item}1_line")) > 0, "the thumb shows once marked"
    # Emptying the box unmarks the line; a tap on the very same spot changes no value (so fires
    # no input event) and must still be recorded.
    phone.locator(f"{item}1").fill("")
    assert blue_pixels(phone.locator(f"{item}1_line")) == 0
    phone.touchscreen.tap(*point)
    assert phone.locator(f"{item}1").input_value() == value


def test_a_short_touch_drag_records_its_value(live_world, live_server, phone):
    item = open_form(live_world, live_server, phone)
    x, y = at(phone, f"{item}3_line", 0.5)
    touch_drag(phone, (x, y), (x + 2, y), (x + 4, y), (x + 6, y))
    value = phone.locator(f"{item}3").input_value()
    assert value != "" and 5.0 <= float(value) <= 5.6, value
    # A finger put down where the line already stands and moved less than the browser's touch
    # slop changes nothing and fires no input event: it must still be recorded.
    phone.locator(f"{item}3").fill("")
    touch_drag(phone, (x, y), (x + 2, y), (x + 4, y), (x + 6, y))
    assert phone.locator(f"{item}3").input_value() == value


def test_a_short_mouse_drag_records_its_value(live_world, live_server, page):
    item = open_form(live_world, live_server, page)
    x, y = at(page, f"{item}4_line", 0.3)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 2, y, steps=2)
    page.mouse.up()
    value = page.locator(f"{item}4").input_value()
    assert value != "" and abs(float(value) - 3.0) <= 0.3, value
    # Pressed and let go where the line already stands: no value changes, and it is recorded.
    page.locator(f"{item}4").fill("")
    page.mouse.move(x + 2, y)
    page.mouse.down()
    page.mouse.up()
    assert page.locator(f"{item}4").input_value() == value
