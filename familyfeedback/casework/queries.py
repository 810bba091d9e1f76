"""Reads the practitioner's pages need, each over families the caller already reached through
casework.access: views never touch a model's manager themselves."""

from django.db.models import F, Max, Prefetch, QuerySet

from familyfeedback.casework.models import Administration, Family, Person, Session


def caseload(families: QuerySet[Family]) -> list[Family]:
    return list(
        families.filter(closed_on__isnull=True)
        .select_related("key_worker", "team")
        .prefetch_related("people")
        .annotate(last_session=Max("sessions__date"))
        .order_by("name", "id")
    )


def completed_ors(families: list[Family]) -> QuerySet[Administration]:
    """Completed ORS-family totals, oldest first, for the caseload's latest-score column."""
    return (
        Administration.objects.filter(
            session__family__in=[f.pk for f in families],
            tool=Administration.Tool.ORS,
            status=Administration.Status.COMPLETED,
            total__isnull=False,
        )
        .order_by("session__date", "session_id")
        .only("person_id", "total")
    )


def family_records(family: Family) -> list[Administration]:
    """Every record of the family, oldest first, each with its session's date. The date is
    annotated rather than joined in as a Session object: a family with a long history has
    hundreds of records, and building a Session for each was most of the page's time."""
    return list(
        Administration.objects.filter(session__family=family)
        .annotate(session_date=F("session__date"))
        .order_by("session__date", "session_id")
    )


def family_sessions(family: Family) -> list[Session]:
    present = Prefetch("present", queryset=Person.objects.only("id", "first_name"))
    return list(
        family.sessions.select_related("practitioner")
        .only("id", "family", "date", "kind", "practitioner__full_name", "practitioner__email")
        .prefetch_related(present)
    )
