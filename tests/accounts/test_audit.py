import pytest

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import AuditEntry


def test_an_audit_entry_cannot_be_changed_or_deleted(world):
    audit.record(world.practitioner, "family.view", world.family)
    entry = AuditEntry.objects.get()
    entry.action = "something else"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    with pytest.raises(RuntimeError):
        AuditEntry.objects.filter(action="family.view").update(action="changed")
    with pytest.raises(RuntimeError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "family.view"


def test_diff_lists_only_what_changed_as_text():
    assert audit.diff({"a": 1, "b": 2, "c": None}, {"a": 1, "b": 3, "c": "x"}) == {
        "b": ["2", "3"], "c": [None, "x"]}


def test_the_audit_page_lists_entries_for_the_administrator(world, signed_in):
    audit.record(world.practitioner, "family.view", world.family)
    page = signed_in(world.administrator).get("/audit/").content.decode()
    assert "family.view" in page and "pat@example.test" in page
