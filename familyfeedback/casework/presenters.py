"""What the practitioner's pages show about a person's scores, worked out once here so that
templates only lay it out."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from familyfeedback import measures
from familyfeedback.accounts.models import Membership
from familyfeedback.casework import alerts, queries, trajectories
from familyfeedback.casework.charts import Chart, build_chart
from familyfeedback.casework.models import Administration, Family, Person, Session
from familyfeedback.casework.trajectories import Curves, expected_range
from familyfeedback.casework.wording import text_pack_status

DIRECTION_TEXT = {"up": "Up", "down": "Down", "same": "No change"}


@dataclass
class ToolProgress:
    tool: str
    records: list[Administration]
    measure: measures.Measure | None = None
    chart: Chart | None = None
    cutoff: measures.Cutoff | None = None
    change_text: str = ""
    expected_note: str = ""
    # record id -> "low to high": the expected range at that rating, for the chart's table.
    expected_at: dict[int, str] = field(default_factory=dict)

    @property
    def completed(self) -> list[Administration]:
        return [r for r in self.records if r.completed and r.total is not None]

    @property
    def faces(self) -> list[Administration]:
        """A young child's completed ratings: a face chosen, no total to draw."""
        return [r for r in self.records if r.completed and r.face]

    @property
    def not_administered(self) -> int:
        return sum(not r.completed for r in self.records)

    @property
    def latest(self) -> Administration | None:
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


def person_progress(person: Person, records: list[Administration], today: date,
                    curves: Curves) -> PersonProgress:
    age = measures.age_on(person.date_of_birth, today)
    by_tool = {tool: [r for r in records if r.tool == tool] for tool in ("ORS", "SRS")}
    ors = _progress("ORS", by_tool["ORS"], age, curves)
    srs = _progress("SRS", by_tool["SRS"], age, curves)
    return PersonProgress(person=person, age=age, ors=ors, srs=srs)


def _progress(tool: str, records: list[Administration], age: int,
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


def latest_ors_totals(records: list[Administration]) -> dict[int, tuple[Decimal, str]]:
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


def closure_lines(people: list[Person], records: list[Administration],
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


def family_page(family: Family, acknowledge_form=None) -> dict:
    """Everything the family page shows: each person's progress and charts, the alerts by tier,
    what was acknowledged, the periods of support and the sessions."""
    people = queries.people_of(family)
    episode = queries.current_episode(family)
    records = queries.episode_records(episode) if episode else []
    today = timezone.localdate()
    curves = trajectories.latest()
    return {
        "family": family,
        "episode": episode,
        "episodes": queries.episodes_of(family),
        "progress": [
            person_progress(p, [r for r in records if r.person_id == p.pk], today, curves)
            for p in people
            if p.date_of_birth <= today
        ],
        # A family whose support has closed needs no new conversation.
        "alerts": alerts.outstanding(people, records, today, curves)
        if episode and episode.is_open else [],
        "acknowledged": queries.acknowledgements(people),
        "acknowledge_form": acknowledge_form,
        "sessions": queries.family_sessions(family),
        "rc_note": thresholds_note(),
        "today": today,
        "text_pack": text_pack_status(),
    }


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


def caseload_alerts(families: list[Family], records: list[Administration]) -> tuple[dict, int]:
    """The alerts a caseload lists (the first two tiers), by family, and how many there are;
    `records` are the families' open-episode records."""
    raised = alerts.listed(alerts.outstanding(queries.people_in(families), records,
                                              timezone.localdate(), trajectories.latest()))
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
    }
