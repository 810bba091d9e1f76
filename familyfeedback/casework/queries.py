"""Reads the practitioner's pages need, each over families the caller already reached through
casework.access: views never touch a model's manager themselves."""

from django.db.models import Max, QuerySet

from familyfeedback.casework.models import Administration, Family


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
    return list(
        Administration.objects.filter(session__family=family)
        .select_related("session")
        .order_by("session__date", "session_id")
    )
