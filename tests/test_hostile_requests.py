"""No value anyone can send makes a server error: every page and form of the product gets hostile
values (huge numbers, null and control characters, emoji and Welsh text, 29 February, years 1
and 9999, NaN and infinities, very long text), signed in as someone who can reach it, and must
answer below 500, on SQLite and PostgreSQL alike.

Nothing here lists the pages or their fields by hand, so a new page or form is covered without
anyone remembering to add it:
- the pages are the URL patterns (get_resolver()), given real objects for their ids;
- a form's fields are those of the Django form classes each view instantiates (read from the
  view's source, following the helpers it calls in its module), with date fields as their day,
  month and year boxes, together with every field of every form the pages draw (parsed from the
  HTML each persona is shown, so fields a form adds as it is built, one a person, are there too);
- the GET parameters a view reads outside a form are found in its module's source
  (request.GET.get("..."), request.GET["..."], "..." in request.GET).
Each example starts from what a browser would send for the form as drawn and replaces some of
the fields with hostile values; each runs in a savepoint rolled back after it, so one example's
writes (or a failed PostgreSQL statement) cannot leak into the next.
"""

import ast
import inspect
import textwrap
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from familyfeedback.accounts import actions, two_factor
from familyfeedback.accounts.models import Membership, Team
from familyfeedback.casework import actions as casework_actions
from familyfeedback.casework.models import Administration, Session
from familyfeedback.evaluation import actions as evaluation_actions
from familyfeedback.implementation import dashboard
from familyfeedback.implementation.models import TrainingEvent
from familyfeedback.lib.dateinput import DatePartsWidget
from tests import factories, oidc_provider
from tests.casework.forms_data import record_session_post
from tests.evaluation.builders import open_baseline
from tests.routes import routes

EXAMPLES = 20  # per endpoint and method: see the timing in the report

LONG = "Ll" * 70_000  # past any field's limit, and past the csv module's field size limit
HOSTILE = {
    "numbers": ["99999999999999999999", "-99999999999999999999", "-1", "0", "1e309", "-1e309",
                "1.5", "10.01", "²", "١٢", "1_000", "0x1F", "  "],
    "not numbers": ["nan", "NaN", "inf", "-inf", "Infinity"],
    "null and control characters": ["\x00", "a\x00b", "\x00\x00", "5\x00", "%00",
                                    "\x01\x02\x1b[31m\x7f", "\r\n", "\t", "\u202eevil"],
    "emoji and Welsh": ["😀", "👨‍👩‍👧‍👦", "Llanfair\u00adpwllgwyngyll ŵ ŷ",
                        "Ysgol Gymraeg Bro Ddyfrdwy — ŵŷ"],
    "markup and formulas": ["=HYPERLINK(\"http://example.test\")", "<script>alert(1)</script>",
                            "' OR 1=1 --", "../../etc/passwd"],
    "date parts": ["29", "2", "1", "9999", "0001", "2024", "31", "13"],
    "very long": [LONG],
}
# Dates as day, month, year: 29 February in a leap year and not, the first and last years a date
# can have, and numbers too big for one.
HOSTILE_DATES = [("29", "2", "2024"), ("29", "2", "2023"), ("1", "1", "1"), ("31", "12", "9999"),
                 ("99999999999999999999", "1", "2026"), ("1", "99999999999999999999", "2026"),
                 ("1", "1", "99999999999999999999"), ("0", "0", "0"), ("-1", "-1", "-1"),
                 ("1e309", "nan", "inf")]

# Null characters twice over: PostgreSQL refuses them anywhere in text, so every text field
# should meet one in a few examples.
hostile = st.one_of(*(st.sampled_from(values) for values in HOSTILE.values()),
                    st.sampled_from(HOSTILE["null and control characters"]),
                    st.text(max_size=30), st.integers().map(str), st.floats().map(str))


# The forms the pages draw --------------------------------------------------------------------

@dataclass
class DrawnForm:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values sent by default


class FormsOnPage(HTMLParser):
    """Every <form> on a page, with each field's name and what a browser would send for it."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.found, self.current, self.textarea = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.page_url).path
            self.current = DrawnForm(action, (attrs.get("method") or "get").lower())
            self.found.append(self.current)
        elif self.current is None or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            values = self.current.fields.setdefault(attrs["name"], [])
            if attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs:
                values.append(attrs.get("value") or "")
        elif tag in ("textarea", "select"):
            self.current.fields.setdefault(attrs["name"], [])
            self.textarea = attrs["name"] if tag == "textarea" else None
        elif tag == "button" and attrs.get("value") is not None:
            self.current.fields.setdefault(attrs["name"], [attrs["value"]])

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current.fields[self.textarea].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None


# What the views read, from their source -------------------------------------------------------

def _functions_reached(view) -> list:
    """The view and the functions of its module it calls, transitively."""
    view = inspect.unwrap(view)
    module = inspect.getmodule(view)
    seen, todo, found = set(), [view], []
    while todo:
        function = todo.pop()
        if function in seen or not inspect.isfunction(function):
            continue
        seen.add(function)
        found.append(function)
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                called = getattr(module, node.func.id, None)
                if inspect.isfunction(called) and called.__module__ == module.__name__:
                    todo.append(called)
    return found


def form_classes(view) -> set[type]:
    """The Django form classes a view instantiates (for a class-based view, the one it names)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        named = (getattr(view_class, "authentication_form", None)
                 or getattr(view_class, "form_class", None))
        return {named} if named else set()
    found = set()
    for function in _functions_reached(view):
        module = inspect.getmodule(function)
        for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(function)))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                form = getattr(module, node.func.id, None)
                if inspect.isclass(form) and issubclass(form, forms.BaseForm):
                    found.add(form)
    return found


def form_fields(view) -> set[str]:
    """The field names, as sent, of the forms a view instantiates: a date as its three boxes."""
    names = set()
    for form in form_classes(view):
        for name, form_field in form.base_fields.items():
            if isinstance(form_field.widget, DatePartsWidget):
                names.update(f"{name}-{part}" for part in DatePartsWidget.parts)
            else:
                names.add(name)
    return names


def get_parameters(view) -> set[str]:
    """The query parameters a view's module reads outside a form."""
    tree = ast.parse(inspect.getsource(inspect.getmodule(
        getattr(view, "view_class", None) or inspect.unwrap(view))))

    def is_get(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "GET"
                and isinstance(node.value, ast.Name) and node.value.id == "request")

    names = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "getlist") and is_get(node.func.value)
                and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(node.args[0].value)
        elif (isinstance(node, ast.Subscript) and is_get(node.value)
              and isinstance(node.slice, ast.Constant)):
            names.add(node.slice.value)
        elif (isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant)
              and isinstance(node.ops[0], ast.In) and is_get(node.comparators[0])):
            names.add(node.left.value)
    return {name for name in names if isinstance(name, str)}


# The product's pages, with real objects ------------------------------------------------------

def patterns():
    return (route for route in routes() if route.name)


# A 1x1 PNG: the photo of a drawn face some records carry.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae4260"
                    "82")


@pytest.fixture
def objects(world, client, settings, tmp_path):
    """A real object for every id a URL takes: a trial run here (baseline open), a family with a
    recorded session (one record with a photo), a closed episode, a training event; and single
    sign-on set up, through a provider on 127.0.0.1, so that its pages answer too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with oidc_provider.configured(settings):
        yield made_objects(world, client)


def made_objects(world, client) -> dict:
    trial, respondent, wave = open_baseline(world, client, questions=[
        {"question_id": "prev_ors", "wave": "baseline", "text": "Used the ORS before?",
         "kind": "choice", "options": "Yes\nNo"},
        {"question_id": "hours", "wave": "baseline", "text": "Hours a week", "kind": "number"},
        {"question_id": "comments", "wave": "baseline", "text": "Anything else?",
         "kind": "text"}])
    document, coding = qualitative_objects(world, trial, respondent)
    today = timezone.localdate()
    client.force_login(world.practitioner)
    # The session goes through the record form, photo and all, as a practitioner records one.
    child = world.family.people.get(first_name="Person4")
    data = record_session_post(world.family, today - timedelta(days=14))
    data[f"p{child.pk}-ors-picture"] = SimpleUploadedFile("face.png", PNG)
    assert client.post(reverse("record_session", args=[world.family.pk]), data).status_code == 302
    record = Administration.objects.get(person=child, tool="ORS")
    closed = factories.family(world.team, world.practitioner, name="Closed family")
    factories.session(world.practitioner, closed, today - timedelta(days=30))
    client.post(reverse("close_support", args=[closed.pk]), {
        "closed_on-day": str(today.day), "closed_on-month": str(today.month),
        "closed_on-year": str(today.year), "note": ""})
    # A session waiting for its end ratings, with a self-completion link for its first person.
    waiting, _ = casework_actions.record_session(
        world.practitioner, world.family, token=uuid.uuid4(), on=today, kind="office",
        present=list(world.family.people.all()), entries=[], stage=Session.Stage.STARTED)
    _, feedback = casework_actions.make_feedback_link(world.practitioner, waiting,
                                                      world.family.people.first())
    event = TrainingEvent.objects.create(kind="part_1", on=today - timedelta(days=1))
    event.invited_teams.set([world.team])
    client.logout()
    invited = actions.create_first_administrator(email="new@example.test", full_name="New",
                                                 site="")
    _, uidb64, invitation, _ = invited.rsplit("/", 3)
    # The administration's pages change people and teams even when posted to empty-handed
    # (leaving a team, archiving one): they get a team and person of their own.
    spare = Team.objects.create(name="Spare team")
    mover = factories.user("mover@example.test", team=spare)
    return {
        "user_id": [mover.pk], "team_id": [spare.pk],
        "membership_id": [Membership.objects.current().get(user=mover).pk],
        "trial_id": [trial.pk], "kind": ["baseline", "csv"], "number": ["1.1"],
        "tool": ["ORS", "SRS"],
        "practitioner_id": [world.practitioner.pk], "key": [dashboard.KEYS[0]],
        "respondent_id": [respondent.pk], "wave_id": [wave.pk],
        "token": [respondent.link_token, invitation, feedback], "event_id": [event.pk],
        "family_id": [world.family.pk], "person_id": [world.family.people.first().pk],
        "episode_id": [closed.episodes.get().pk], "session_id": [record.session_id],
        "administration_id": [record.pk],
        "document_id": [document.pk], "coding_id": [coding.pk], "theme_id": [coding.theme_id],
        # A password reset link's account (its token, a survey link's, is not a reset token),
        # and the invitation's, beside the invitation's token.
        "uidb64": [urlsafe_base64_encode(force_bytes(world.practitioner.pk)), uidb64],
    }


def qualitative_objects(world, trial, respondent):
    """The respondent's interview with one theme's coding of its first paragraph, by the
    evaluator: a document to code and a cell of the framework matrix."""
    document = evaluation_actions.add_document(
        world.evaluator, trial, kind="interview", title="Interview",
        text="First answer.\n\nSecond answer.", participant=respondent)
    theme = evaluation_actions.add_theme(world.evaluator, trial, name="Barriers")
    [coding] = evaluation_actions.code_passage(world.evaluator, document, themes=[theme],
                                               start=0, end=13)
    return document, coding


@dataclass
class Endpoint:
    name: str
    url: str
    method: str
    persona: str
    defaults: dict[str, list[str]]
    fuzzed: list[str]  # the fields to put hostile values in
    path_values: list[str]  # the values in the URL of its parts that are text, not ids
    # A one-time link that puts its token in the session and redirects here: opened first.
    opened_by: str | None = None


def discover(world, objects) -> list[Endpoint]:
    personas = everyone(world, objects)
    client = Client()

    def as_persona(name):
        become(client, personas[name])

    found, drawn = [], {}  # drawn: action path -> (persona, DrawnForm)
    opened_by = {}  # page -> the one-time link that leads to it
    pages = []
    for pattern in patterns():
        names = list(pattern.converters)
        missing = [n for n in names if n not in objects]
        assert missing == [], f"give the objects fixture a {missing} for {pattern.name}"
        # The first sample for each id that some persona can reach; failing that, a page that
        # only sends on somewhere other than signing in (a personal link).
        reached = redirected = None
        for choice in range(max((len(objects[n]) for n in names), default=1)):
            kwargs = {n: objects[n][min(choice, len(objects[n]) - 1)] for n in names}
            url = reverse(pattern.name, kwargs=kwargs or None)
            for persona in personas:
                as_persona(persona)
                response = client.get(url)
                if _to_itself(response, pattern):
                    link, url = url, response["Location"]
                    opened_by[url] = link
                    response = client.get(url)
                # A public page may send anyone elsewhere: single sign-on to the provider.
                if response.status_code == 200 or (personas[persona] is None
                                                   and response.status_code == 302
                                                   and urlsplit(response["Location"]).path
                                                   != reverse("login")):
                    reached = (url, persona, response)
                    break
                if response.status_code == 302 and not _to_sign_in(response):
                    redirected = redirected or (url, persona, response)
                if response.status_code == 405:
                    post = client.post(url, {})
                    if post.status_code not in (404, 405) and not (
                            isinstance(personas[persona], (str, type(None))) and _to_sign_in(post)):
                        reached = (url, persona, None)
                        break
            if reached:
                break
        reached = reached or redirected
        assert reached, f"no persona reaches {pattern.name}: the objects fixture needs a sample"
        url, persona, response = reached
        text_parts = [str(kwargs[n]) for n, c in pattern.converters.items()
                      if type(c).__name__ != "IntConverter"]
        pages.append((pattern, url, persona, response, text_parts))
        if response is not None and response.get("Content-Type", "").startswith("text/html"):
            parser = FormsOnPage(url)
            parser.feed(response.content.decode())
            for form in parser.found:
                drawn.setdefault((form.action, form.method), (persona, form))
    for pattern, url, persona, response, text_parts in pages:
        view = pattern.callback
        read = form_fields(view)
        if response is not None:
            _, page_form = drawn.get((url, "get"), (persona, DrawnForm(url, "get")))
            query = set(page_form.fields) | get_parameters(view) | read
            found.append(Endpoint(pattern.name, url, "get", persona, page_form.fields,
                                  sorted(query) or ["anything"], text_parts,
                                  opened_by.get(url)))
        as_persona(persona)
        if url in opened_by:
            client.get(opened_by[url])
        if client.post(url, {}).status_code != 405:
            post_persona, form = drawn.get((url, "post"), (persona, DrawnForm(url, "post")))
            fields = (set(form.fields) | read) - {"csrfmiddlewaretoken"}
            found.append(Endpoint(pattern.name, url, "post", post_persona, form.fields,
                                  sorted(fields) or ["anything"], text_parts,
                                  opened_by.get(url)))
    return found


@dataclass
class SigningIn:
    """Someone part-way through signing in: their password given and no code yet, or (with
    new_codes) their app just set up and their recovery codes about to be shown."""
    user: object
    new_codes: bool = False


def everyone(world, objects) -> dict:
    """Each persona; two who are not signed in: anyone, and someone who followed a personal
    survey link (a path to it, followed to let them in); and three part-way through signing in."""
    setting_up = factories.user("sam@example.test", team=world.team)
    giving_a_code = factories.user("gil@example.test", team=world.team)
    factories.authenticator(giving_a_code)
    factories.recovery_codes(giving_a_code, "abcd-efgh-2345")
    return {**world.everyone(), "anonymous": None,
            "survey link holder": reverse("survey_link", args=[objects["token"][0]]),
            "setting up": SigningIn(setting_up),
            "giving a code": SigningIn(giving_a_code),
            "just set up": SigningIn(giving_a_code, new_codes=True)}


def become(client: Client, persona) -> None:
    client.logout()
    if isinstance(persona, str):
        client.get(persona)
    elif isinstance(persona, SigningIn):
        client.force_login(persona.user, with_code=persona.new_codes)
        if persona.new_codes:
            session = client.session
            session[two_factor.NEW_CODES_SESSION_KEY] = ["abcd-efgh-2345"]
            session.save()
    elif persona is not None:
        client.force_login(persona)


def _to_sign_in(response) -> bool:
    return response.status_code == 302 and reverse("login") in response["Location"]


def _to_itself(response, pattern) -> bool:
    """A one-time link's answer: a redirect to the same page without the token."""
    location = urlsplit(response.get("Location", ""))
    if response.status_code != 302 or location.netloc:  # elsewhere: single sign-on's provider
        return False
    match = get_resolver().resolve(location.path)
    return match.url_name == pattern.name


def payload(data, endpoint: Endpoint) -> dict:
    sent = {name: list(values) for name, values in endpoint.defaults.items()
            if name != "csrfmiddlewaretoken"}
    chosen = data.draw(st.lists(st.sampled_from(endpoint.fuzzed), min_size=1,
                                max_size=min(4, len(endpoint.fuzzed)), unique=True))
    for name in chosen:
        stem, _, part = name.rpartition("-")
        if part in DatePartsWidget.parts and data.draw(st.booleans()):
            for box, value in zip(DatePartsWidget.parts, data.draw(st.sampled_from(HOSTILE_DATES)),
                                  strict=True):
                sent[f"{stem}-{box}"] = [value]
        else:
            sent[name] = data.draw(st.lists(hostile, min_size=1, max_size=2))
    return sent


def test_no_hostile_value_makes_a_server_error(world, objects):
    # Finding the pages posts to them empty-handed; none of that is kept.
    point = transaction.savepoint()
    endpoints = discover(world, objects)
    transaction.savepoint_rollback(point)
    assert {e.name for e in endpoints} >= {"dashboards", "power", "new_trial", "record_session",
                                           "survey_link_answer", "attendance", "trial_teams"}
    assert sum(len(e.fuzzed) for e in endpoints) > 100  # the forms' fields were found
    people = everyone(world, objects)
    client = Client()
    failures, timings = [], []

    for endpoint in endpoints:
        started = time.perf_counter()
        try:
            fuzz(endpoint, client, people)
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0][:600])
        except ExceptionGroup as found:  # hypothesis found several distinct failures
            failures.extend(str(one).splitlines()[0][:600] for one in found.exceptions)
        timings.append((round(time.perf_counter() - started, 2), endpoint.method, endpoint.name))
    print("slowest endpoints:", sorted(timings, reverse=True)[:5])
    assert not failures, "\n".join(failures)


def fuzz(endpoint: Endpoint, client: Client, people: dict) -> None:
    """Send EXAMPLES hostile variants of the endpoint's form; AssertionError on a server error."""

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.generate, Phase.shrink],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def send(data):
        url = endpoint.url
        if endpoint.path_values and data.draw(st.booleans()):
            # A text part of the address itself gets the hostile value.
            value = quote(data.draw(hostile)[:200], safe="") or "%00"
            url = url.replace(data.draw(st.sampled_from(endpoint.path_values)), value, 1)
        sent = payload(data, endpoint)
        point = transaction.savepoint()
        try:
            become(client, people[endpoint.persona])
            if endpoint.opened_by:
                client.get(endpoint.opened_by)
            try:
                response = (client.get(url, sent) if endpoint.method == "get"
                            else client.post(url, sent))
            except Exception as error:
                raise AssertionError(f"{endpoint.method.upper()} {url} as {endpoint.persona}: "
                                     f"{type(error).__name__}: {error}"[:600]) from error
            assert response.status_code < 500, (endpoint.method, url, endpoint.persona)
        finally:
            transaction.savepoint_rollback(point)

    send()
