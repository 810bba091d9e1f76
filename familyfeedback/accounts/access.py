"""What an account may see of the service's own records: the audit log is the administrators'."""

from django.db.models import QuerySet
from django.http import Http404

from familyfeedback.accounts.models import AuditEntry, Role, User


def audit_entries_for(user: User) -> QuerySet[AuditEntry]:
    """The whole log, for administrators; anyone else is told there is no such page."""
    if user.role != Role.ADMINISTRATOR:
        raise Http404("No such page")
    return AuditEntry.objects.select_related("actor")
