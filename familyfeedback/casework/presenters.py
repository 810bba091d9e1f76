"""What the practitioner's pages show about a person's scores, worked out once here so that
templates only lay it out."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone
from markupsafe import Markup

from familyfeedback import measures
from familyfeedback.accounts import presenters as account_words
from familyfeedback.accounts.models import Membership
from familyfeedback.accounts.two_factor import qr_svg
from familyfeedback.casework import alerts, queries, trajectories
from familyfeedback.casework.charts import Chart, FamilyChart, build_chart, build_family_chart
from familyfeedback.casework.models import Family, Person, Session
from familyfeedback.casework.queries import Rating
from familyfeedback.casework.trajectories import Curves, expected_range
from familyfeedback.casework.wording import text_pack_status
from familyfeedback.lib import formats, languages, notify
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.pages import pagination
from familyfeedback.measures import family as family_rule

DIRECTION_TEXT = {"up": "Up", "down": "Down", "same": "No change"}


@dataclass
class ToolProgress:
    tool: str
    records: list[Rating]
    measure: measures.Measure | None = None
    chart: Chart | None = None
    cutoff: measures.Cutoff | None = None
    change_text: str = ""
    expected_note: str = ""
    # record id -> "low to high": the expected range at that rating, for the chart's table.
    expected_at: dict[int, str] = field(default_factory=dict)

    # Worked out once: the template asks for the completed ratings several times a chart.
    @cached_property
    def completed(self) -> list[Rating]:
        return [r for r in self.records if r.rated]

    @cached_property
    def table(self) -> list[tuple[str, str, str, str]]:
        """The chart's table of numbers as text, a row a rating, given or not (date, form, total,
        expected range): a long history has hundreds of rows a chart, which cost less written
        here than worked out in the template cell by cell."""
        return [(formats.date_short(r.session_date), r.measure,
                 formats.score(r.total) if r.completed else f"Not administered: {r.reason_label}",
                 self.expected_at.get(r.pk, "")) for r in self.records]

    @cached_property
    def faces(self) -> list[Rating]:
        """A young child's completed ratings: a face chosen, no total to draw."""
        return [r for r in self.records if r.completed and r.face]

    @property
    def not_administered(self) -> int:
        return sum(not r.completed for r in self.records)

    @property
    def latest(self) -> Rating | None:
        done = self.completed
        return done[-1] if done else None

    @property
    def direction(self) -> str:
        done = self.completed
        if len(done) < 2:
            return ""
        return DIRECTION_TEXT[measures.direction(done[-2].total, done[-1].total)]


@dataclass
class PersonProgress:
    person: Person
    age: int
    ors: ToolProgress
    srs: ToolProgress


def person_progress(person: Person, records: list[Rating], today: date,
                    curves: Curves) -> PersonProgress:
    age = measures.age_on(person.date_of_birth, today)
    by_tool = {tool: [r for r in records if r.tool == tool] for tool in ("ORS", "SRS")}
    ors = _progress("ORS", by_tool["ORS"], age, curves)
    srs = _progress("SRS", by_tool["SRS"], age, curves)
    return PersonProgress(person=person, age=age, ors=ors, srs=srs)


def _progress(tool: str, records: list[Rating], age: int,
              curves: Curves) -> ToolProgress:
    progress = ToolProgress(tool=tool, records=records)
    done = progress.completed
    if not done:
        return progress
    # The chart follows the latest measure: a child who turned 13 moves from the CORS to the ORS,
    # and the two are not drawn on one line.
    measure = measures.get(done[-1].measure)
    done = [r for r in done if r.measure == measure.code]
    progress.measure = measure
    progress.cutoff = measures.cutoff_for(measure, age)
    band = None
    if tool == "ORS":
        rc = measures.reliable_change_for(measure, settings.RELIABLE_CHANGE_STANDARD)
        if rc is not None:
            band = rc.value
            if len(done) > 1:
                first, latest = done[0].total, done[-1].total
                progress.change_text = measures.classify_change(first, latest, rc.value).value
                if progress.cutoff is not None and measures.clinically_significant(
                        first, latest, rc.value, progress.cutoff.value):
                    progress.change_text = ("clinically significant improvement: a reliable "
                                            "improvement that has crossed the cut-off")
    cutoff_label = ""
    if progress.cutoff is not None:
        # Short, to fit inside the chart's key; the session rating's meaning is said under it.
        cutoff_label = f"Cut-off {progress.cutoff.value}"
    expected = expected_range(curves, measure.code, [r.total for r in done])
    if tool == "ORS" and not expected:
        progress.expected_note = curves.why_not(measure.code)
    progress.expected_at = {
        r.pk: f"{max(low, 0):.1f} to {min(high, 40):.1f}"
        for r, (low, high) in zip(done, expected, strict=False)
    }
    progress.chart = build_chart(
        [(r.session_date, r.total) for r in done],
        cutoff=progress.cutoff.value if progress.cutoff else None,
        cutoff_label=cutoff_label,
        cutoff_note=(progress.cutoff.meaning if tool == "SRS" and progress.cutoff
                     else ""),
        band_width=band,
        expected=expected,
    )
    return progress


def thresholds_note() -> str:
    """The service's thresholds in words, so a reader knows what raised an alert."""
    if settings.RELIABLE_CHANGE_STANDARD == "cyp_iapt_2015":
        change = "Reliable change uses the CYP IAPT 2015 thresholds (ORS 6.6 points, CORS 10)."
    else:
        change = "Reliable change uses the commonly cited values (ORS 5 points, CORS 6)."
    return (f"{change} A session rating is raised as fallen at a fall of "
            f"{measures.points(settings.ALERT_SESSION_DROP)} or more from the one before; no "
            f"reliable improvement is raised after {settings.ALERT_REVIEW_AFTER} outcome "
            "ratings.")


def latest_ors_totals(records: list[Rating]) -> dict[int, tuple[Decimal, str]]:
    """person id -> (latest ORS total, direction from the one before) for the caseload."""
    by_person: dict[int, list[Decimal]] = {}
    for record in records:
        if record.tool == "ORS" and record.completed and record.total is not None:
            by_person.setdefault(record.person_id, []).append(record.total)
    result = {}
    for person_id, totals in by_person.items():
        direction = DIRECTION_TEXT[measures.direction(totals[-2], totals[-1])] if len(
            totals) > 1 else ""
        result[person_id] = (totals[-1], direction)
    return result


# What each change class means, in a sentence a parent reads right: a change inside the
# reliable-change band is not "big enough" to say anything, so it says the opposite.
FAMILY_SENTENCES = {
    measures.ChangeClass.IMPROVED: "That rise is big enough to say that things got better, not "
                                   "just the ups and downs of everyday life.",
    measures.ChangeClass.NO_CHANGE: "That change is too small to be sure it is more than the ups "
                                    "and downs of everyday life: things stayed about the same.",
    measures.ChangeClass.DETERIORATED: "That fall is big enough to say that things got harder, "
                                       "not just the ups and downs of everyday life.",
}


@dataclass
class ClosureLine:
    person: Person
    attended: int
    first: measures.Score | None
    last: measures.Score | None
    change: Decimal | None
    change_class: measures.ChangeClass | None
    clinically_significant: bool | None
    average_session_rating: Decimal | None

    @property
    def in_words(self) -> str:
        return FAMILY_SENTENCES.get(self.change_class, "")


def closure_lines(people: list[Person], records: list[Rating],
                  attended: dict[int, int], on: date) -> list[ClosureLine]:
    """Per person: first and last outcome rating of the episode, the change and what it means,
    the average session rating and how many sessions they came to."""
    lines = []
    for person in people:
        mine = [r for r in records if r.person_id == person.pk]
        outcome = alerts.scores(mine, "ORS")
        summary = None
        if outcome:
            measure = measures.get(outcome[-1].measure)
            outcome = [s for s in outcome if s.measure == measure.code]
            cutoff = measures.cutoff_for(measure, measures.age_on(person.date_of_birth, on))
            rc = measures.reliable_change_for(measure, settings.RELIABLE_CHANGE_STANDARD)
            summary = measures.summarise(outcome, cutoff=cutoff.value if cutoff else None,
                                         rci=rc.value if rc else None)
        session = [s.total for s in alerts.scores(mine, "SRS")]
        average = (sum(session) / len(session)).quantize(Decimal("0.1")) if session else None
        lines.append(ClosureLine(
            person=person, attended=attended.get(person.pk, 0),
            first=summary.first if summary else None, last=summary.latest if summary else None,
            change=summary.change if summary else None,
            change_class=summary.change_class if summary else None,
            clinically_significant=summary.clinically_significant if summary else None,
            average_session_rating=average,
        ))
    return lines


PERSON_LABELS = {"first_name": "First name", "last_name": "Last name",
                 "date_of_birth": "Date of birth", "preferred_language": "Preferred language",
                 "needs_interpreter": "Needs an interpreter"}


def administration_labels(words) -> dict[str, str]:
    """An administration's fields by the names its correction form shows them under."""
    return {**{item.key: item.label for item in words.items}, "face": "Face chosen"}


# The sessions table's page: a family seen weekly for years has hundreds of sessions, and the
# page stays as quick as with a few (bench/record_session.py); the charts still draw them all.
SESSIONS_PER_PAGE = 20


def family_page(family: Family, acknowledge_form=None, sessions_page: int | None = None) -> dict:
    """Everything the family page shows: each person's progress and charts, the alerts by tier,
    what was acknowledged, the periods of support and one page of the sessions (the newest by
    default; a page past the end shows the last)."""
    people = queries.people_of(family)
    episode = queries.current_episode(family)
    records = queries.episode_records(episode) if episode else []
    mine = queries.by_person(records)
    today = timezone.localdate()
    curves = trajectories.latest()
    return {
        "family": family,
        "episode": episode,
        "episodes": queries.episodes_of(family),
        "progress": [person_progress(p, mine.get(p.pk, []), today, curves)
                     for p in people if p.date_of_birth <= today],
        # As the caseload has them (stored, ADR 0025). A family whose support has closed needs
        # no new conversation.
        "alerts": alerts.kept(people, today) if episode and episode.is_open else [],
        "acknowledged": queries.acknowledgements(people),
        "acknowledge_form": acknowledge_form,
        "sessions": (sessions := Paginator(queries.family_sessions(family),
                                           SESSIONS_PER_PAGE).get_page(sessions_page)),
        "session_pages": pagination(sessions, "Pages of the sessions", anchor="sessions"),
        "rc_note": thresholds_note(),
        "today": today,
        "text_pack": text_pack_status(),
        "picture": family_picture(people, mine, today),
    }


@dataclass
class SessionRating:
    name: str
    on: date
    total: Decimal | None
    face: str  # the face's key, for a young child
    face_label: str


@dataclass
class FamilyPicture:
    """Everyone's outcome ratings on one chart, what is far apart said as a question for the
    whole family, and each person's latest session rating. for_family: worded for the family to
    read (the tablet, the printed page) rather than for the practitioner."""

    chart: FamilyChart | None
    dates: list[date]
    # Per person on the chart: their name, measure and cut-off words, and total by date.
    rows: list[tuple[str, str, dict[date, Decimal]]]
    prompts: list[str]
    left_out: list[str]
    session_ratings: list[SessionRating]
    for_family: bool


def _names(members) -> str:
    names = [m.name for m in members]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _prompts(found: family_rule.Discrepancies, for_family: bool) -> list[str]:
    prompts = []
    spread = found.spread
    if spread is not None and spread.wide:
        low, high = _names(spread.low), _names(spread.high)
        ask = ("What does each of you see?" if for_family
               else "Ask each of them what they see.")
        prompts.append(f"On {spread.on.day} {spread.on:%B}, {low} rated things "
                       f"{measures.points(spread.apart)} lower than {high}. {ask}")
    elif spread is not None and spread.apart == 0:
        prompts.append(f"On {spread.on.day} {spread.on:%B}, everyone rated things the same.")
    elif spread is not None:
        prompts.append(f"On {spread.on.day} {spread.on:%B}, everyone's ratings were within "
                       f"{measures.points(spread.apart)} of each other.")
    against = found.against
    if against is not None:
        went = "up" if against.direction == "up" else "down"
        others = "down" if went == "up" else "up"
        ask = ("What has changed for each of you?" if for_family
               else "Ask the family what has changed for each of them.")
        prompts.append(f"Since last time, {against.mover.name}'s rating went {went} "
                       f"{measures.points(abs(against.change))} while "
                       f"{_names(m for m, _ in against.others)}'s went {others}. {ask}")
    return prompts


def family_picture(people: list[Person], by_person: dict[int, list[Rating]], on: date, *,
                   for_family: bool = False) -> FamilyPicture:
    """by_person: the episode's records by person (queries.by_person), oldest first, up to the
    picture's day."""
    members, cutoffs, rows = [], [], []
    latest_rating: dict[int, Rating] = {}
    for person in people:
        mine = [r for r in by_person.get(person.pk, []) if r.completed]
        for r in mine:
            if r.tool == "SRS" and (r.total is not None or r.face):
                latest_rating[person.pk] = r
        outcome = [r for r in mine if r.tool == "ORS"]
        if not outcome:
            continue
        measure = measures.get(outcome[-1].measure)
        # As on each person's own chart: the latest measure only, since CORS and ORS differ.
        outcome = [r for r in outcome if r.measure == measure.code and r.total is not None]
        members.append(family_rule.Member(
            key=person.pk, name=person.first_name, measure=measure.code,
            ratings=tuple(family_rule.Rating(r.session_date, r.total, r.session_id)
                          for r in outcome)))
        if not outcome:
            continue
        cutoff = measures.cutoff_for(measure, measures.age_on(person.date_of_birth, on))
        cutoffs.append((person.first_name, [(r.session_date, r.total) for r in outcome],
                        cutoff.value if cutoff else None))
        about = measure.code + (f", cut-off {cutoff.value.normalize():f}" if cutoff else "")
        rows.append((person.first_name, about, {r.session_date: r.total for r in outcome}))
    found = family_rule.discrepancies(members, spread=settings.FAMILY_SPREAD,
                                      standard=settings.RELIABLE_CHANGE_STANDARD)
    left_out = [f"{m.name} chose faces, which have no number to draw: "
                f"{m.name} is not on the chart." for m in found.left_out]
    ratings = []
    for person in people:
        r = latest_rating.get(person.pk)
        if r is not None:
            faces = {f.key: f.label for f in measures.get(r.measure).faces}
            ratings.append(SessionRating(person.first_name, r.session_date, r.total, r.face,
                                         faces.get(r.face, "")))
    return FamilyPicture(
        chart=build_family_chart(cutoffs) if cutoffs else None,
        dates=sorted({on for _, _, by_date in rows for on in by_date}),
        rows=rows, prompts=_prompts(found, for_family), left_out=left_out,
        session_ratings=ratings, for_family=for_family,
    )


def session_picture(session) -> FamilyPicture:
    """The family's picture as it stood at this session (its episode's ratings up to its day),
    worded for the family."""
    episode = queries.episode_of(session)
    records = [r for r in queries.episode_records(episode) if r.session_date <= session.date
               ] if episode else []
    return family_picture(queries.people_of(session.family), queries.by_person(records),
                          session.date, for_family=True)


def printed_picture(family: Family) -> FamilyPicture:
    """The family's picture now, over its current (or latest) support, worded for the family."""
    episode = queries.current_episode(family)
    records = queries.episode_records(episode) if episode else []
    return family_picture(queries.people_of(family), queries.by_person(records),
                          timezone.localdate(), for_family=True)


def record_session_page(family: Family, page, same_day, *, photos_sent: bool) -> dict:
    return {
        "family": family,
        "form": page.session,
        "per_person": page.per_person,
        "labels": {f.measure.code: f.words for f in page.per_person},
        "schedule": settings.SCHEDULE.describe(),
        "schedule_every_session": settings.SCHEDULE.kind == "every_session",
        "errors": page.errors(),
        "same_day": same_day,
        # A browser cannot be told to keep a chosen file: if the page comes back with errors,
        # say so rather than lose the photo silently.
        "photos_to_choose_again": photos_sent and page.has_errors,
    }


def caseload_alerts(families: list[Family]) -> tuple[dict, int]:
    """The alerts a caseload lists (the first two tiers), by family, and how many there are, as
    stored (ADR 0025)."""
    raised = alerts.stored(families)
    return alerts.for_caseload(raised), len(raised)


def team_rows(teams, open_families: dict[int, int]) -> list[dict]:
    """The teams list: each team's managers and people now (memberships prefetched) and how
    many families it has open."""
    rows = []
    for team in teams:
        managers = [m.user for m in team.current_memberships
                    if m.kind == Membership.Kind.MANAGER]
        rows.append({"team": team, "managers": ", ".join(str(m) for m in managers) or "None",
                     "people": len(team.current_memberships),
                     "open_families": open_families.get(team.pk, 0)})
    return rows


def rating_page(form, *, named: bool, screen_language: str, offered: list[str]) -> dict:
    """One person's rating screen: what it asks, in which words and language, and the languages
    the person can switch the screen to. Unnamed (a phone link), it names no one."""
    words = form.words
    return {
        "form": form, "words": words,
        "who": form.person.first_name if named else "",
        "start": form.measure.tool == "ORS",
        # A child's lines (CORS, CSRS) have faces at their ends; an adult's have words only.
        "child": form.measure.kind == "lines" and form.measure.max_age is not None,
        "page_language": screen_language,
        # The measure's own words may be in a language the page chrome is not (Urdu wording on
        # an English page): they carry their own lang and dir.
        "words_language": words.language,
        "languages": [{"code": code, "name": languages.own_name(code),
                       "current": code == screen_language} for code in offered],
        "errors": error_summary(form) if form.is_bound else [],
    }


def phone_links_page(session, form, errors: list[dict]) -> dict:
    """Who a link can be made for, as the page's choices, the one chosen kept."""
    chosen = form["person"].value()
    return {"session": session, "family": session.family, "form": form, "errors": errors,
            "hours": settings.FEEDBACK_LINK_HOURS,
            "choices": [{"value": p.pk, "text": p.first_name, "checked": str(p.pk) == str(chosen)}
                        for p in form.people.values()]}


def phone_link_page(session, link, token: str, url: str, form=None) -> dict:
    """The page a practitioner shows a family member: the link as a QR code to scan (inline, so
    no image request carries the token) and as text to type, and the form to send it."""
    return {"session": session, "family": session.family, "link": link, "token": token,
            "address": url,
            # segno's SVG of our own URL with our own title: nothing anyone typed.
            "qr": Markup(qr_svg(url, title="QR code that opens the link below")),  # nosec B704
            "form": form, "can_text": notify.can_send("sms"),
            "can_email": notify.can_send("email"),
            "expires": timezone.localtime(link.expires_at)}


def session_page(session: Session) -> dict:
    """A session's page; for one given in two halves and not yet ended, also who is still to
    rate, which makes it the hub the tablet comes back to."""
    missing = queries.missing_ratings(session) if session.stage == Session.Stage.STARTED else []
    return {
        "session": session, "family": session.family,
        "records": queries.session_records(session),
        "started": session.stage == Session.Stage.STARTED,
        "to_start": [person for person, tool in missing if tool == "ORS"],
        "to_end": [person for person, tool in missing if tool == "SRS"],
        # Once the start ratings are in, the family looks at their picture together.
        "picture": session_picture(session) if session.stage == Session.Stage.STARTED else None,
    }


@dataclass
class TrailRow:
    at: object
    who: str
    roles: str
    what: str
    about: str


def trail_rows(entries, subjects: dict) -> list[TrailRow]:
    """The record of access's lines: who, in which role, did what to which of the family's
    records, in plain words (accounts.presenters' wording of actions, shared with the audit
    log); `subjects` from queries.trail_subjects."""
    rows = []
    for entry in entries:
        who, roles = account_words.actor_words(entry)
        rows.append(TrailRow(at=entry.at, who=who, roles=roles,
                             what=account_words.action_words(entry.action),
                             about=_about(entry.object_type,
                                          subjects.get((entry.object_type, entry.object_id)))))
    return rows


def _about(kind: str, record) -> str:
    """Which person or session an entry is about: never more than its name and date."""
    if record is None:  # removed between reading the trail and reading its records
        return "A record since removed"
    if kind == "family":
        return "The family"
    if kind == "episode":
        return f"Support from {formats.date_long(record.opened_on)}"
    if kind == "person":
        return str(record)
    if kind == "session":
        return f"Session on {formats.date_long(record.date)}"
    if kind == "administration":
        return (f"{record.person}'s {record.measure}, session on "
                f"{formats.date_long(record.session.date)}")
    if kind == "feedbacklink":
        return f"{record.person}, session on {formats.date_long(record.session.date)}"
    return str(record.person)  # an alert's acknowledgement
