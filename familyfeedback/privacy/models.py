"""What the data protection duties keep of their own: what was removed, when and why.

The app sits above every other (it reads and removes their records); nothing imports it but the
URL table, its commands and its tests.
"""

from django.db import models

from familyfeedback.accounts.models import User


class Tombstone(models.Model):
    """What a purge or an erasure removed: when, under which rule, how many rows of which kind.
    It holds no personal data: the ids are of rows that no longer exist, and the reason is the
    administrator's note of why (a request's reference, never the person's name)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A retention rule's key (privacy.retention), or "erasure" for one done from the page.
    rule = models.CharField(max_length=40)
    # "casework.Family", "casework.Administration.picture", "accounts.AuditEntry.changes"...
    record_type = models.CharField(max_length=80)
    count = models.PositiveIntegerField()
    removed_ids = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
