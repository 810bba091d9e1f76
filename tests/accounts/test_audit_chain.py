"""The audit log's hash chain (accounts.audit.seal, verify; manage.py verify_audit) and, on
PostgreSQL, the trigger that keeps it append-only in the database itself."""

from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import AuditEntry, AuditSeal

TABLE = AuditEntry._meta.db_table


@contextmanager
def tampering():
    """What someone with the database owner's rights could do: on PostgreSQL switch the
    append-only trigger off for the length of the change (this test's transaction only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The actor's foreign key is checked at commit; ALTER TABLE waits for no such check.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        try:
            yield models.QuerySet(AuditEntry)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")


@pytest.fixture
def chain(world):
    """The world's entries and three more, sealed as their commits would seal them (the test's
    own transaction never commits: the tests marked transaction=True show the commits do)."""
    audit.record(world.practitioner, "family.view", world.family)
    audit.record(world.practitioner, "person.update", world.family.people.first(),
                 {"needs_interpreter": ["False", "True"]})
    audit.record(world.practitioner, "family.view", world.other_family)
    audit.seal()
    return list(AuditEntry.objects.order_by("position"))


def verify_audit() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as refused:
        verify_audit()
    return str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_entries_join_the_chain_in_order_when_their_transaction_commits(world):
    with transaction.atomic():
        audit.record(world.practitioner, "family.view", world.family)
        audit.record_many(world.practitioner, [("person.view", person, None)
                                               for person in world.family.people.all()])
        assert not AuditEntry.objects.filter(position__isnull=False).exists()
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.position for e in entries] == list(range(1, 6))
    assert all(len(e.entry_hash) == 64 and len(e.changes_digest) == 64 for e in entries)
    seal = AuditSeal.objects.get()
    assert (seal.position, seal.entry_hash) == (5, entries[-1].entry_hash)


@pytest.mark.django_db(transaction=True)
def test_an_entry_written_in_a_transaction_that_rolled_back_leaves_no_seal_waiting(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(world.practitioner, "family.view", world.family)
        raise RuntimeError("the page failed after writing its entry")
    audit.record(world.practitioner, "family.view", world.other_family)
    assert AuditEntry.objects.get().position == 1


@pytest.mark.django_db(transaction=True)
def test_entries_whose_seal_never_ran_join_the_chain_at_the_next_seal(world):
    orphan = AuditEntry.objects.create(actor=world.practitioner, action="family.view",
                                       object_type="family", object_id=world.family.pk)
    audit.record(world.practitioner, "family.view", world.other_family)
    orphan.refresh_from_db()
    assert orphan.position is not None and orphan.position < AuditEntry.objects.latest(
        "id").position


@pytest.mark.django_db(transaction=True)
def test_one_transaction_waits_for_one_seal_however_many_entries_it_writes(world):
    with transaction.atomic():
        for person in world.family.people.all():
            audit.record(world.practitioner, "person.view", person)
        waiting = [callback for _, callback, _ in connection.run_on_commit]
        assert waiting == [audit.seal]


def test_verify_audit_says_the_chain_is_whole(chain):
    assert verify_audit() == (
        f"Checked {len(chain)} entries: the chain is whole. Last entry {len(chain)}, hash "
        f"{chain[-1].entry_hash[:12]}…\n")


def test_verify_audit_seals_what_is_waiting_first_and_says_so(chain, world):
    audit.record(world.practitioner, "family.view", world.family)
    out = verify_audit()
    assert out.startswith("Sealed 1 entry that was waiting to join the chain.\n"
                          f"Checked {len(chain) + 1} entries")


def test_verify_audit_on_an_empty_log_says_there_is_nothing_to_check(db):
    assert verify_audit() == "The audit log has no entries yet: nothing to check.\n"


def test_altered_changes_are_found(chain):
    with tampering() as entries:
        entries.filter(pk=chain[-2].pk).update(changes={"needs_interpreter": ["False", "False"]})
    altered = chain[-2]
    assert broken() == (f"Entry at position {altered.position} (id {altered.pk}) was changed "
                        "after it was sealed: its changes are not the ones sealed. The audit log "
                        "cannot be trusted from there on.")


def test_an_altered_action_is_found(chain):
    with tampering() as entries:
        entries.filter(pk=chain[0].pk).update(action="session.view")
    assert broken().startswith(f"Entry at position 1 (id {chain[0].pk}) was changed, moved or put"
                               " in after it was sealed.")


def test_an_altered_entry_rehashed_without_the_chain_key_is_found(chain, settings):
    """Someone holding the database could recompute the digest and the hashes: without the key
    their hashes are not the chain's."""
    settings.AUDIT_CHAIN_KEY = "a guess at the key"
    with tampering() as entries:
        entries.filter(pk=chain[-2].pk).update(changes={})
        previous = ""
        for entry in AuditEntry.objects.order_by("position"):
            digest = audit.changes_digest(entry.changes)
            previous = audit.entry_hash(previous, entry, digest)
            entries.filter(pk=entry.pk).update(changes_digest=digest, entry_hash=previous)
        AuditSeal.objects.update(entry_hash=previous)
    settings.AUDIT_CHAIN_KEY = ""
    assert broken().startswith(f"Entry at position 1 (id {chain[0].pk}) was changed")


def test_a_removed_entry_in_the_middle_is_found(chain):
    with tampering() as entries:
        entries.filter(pk=chain[1].pk).delete()
    assert broken().startswith("The entry at position 2 is missing: it was removed after it "
                               "was sealed.")


def test_a_removed_last_entry_is_found_by_the_seal(chain):
    with tampering() as entries:
        entries.filter(pk=chain[-1].pk).delete()
    last = len(chain)
    assert broken().startswith(f"The entry at position {last} is missing: it was removed after "
                               f"it was sealed: the seal ends at position {last}.")


def test_a_truncated_log_is_found_by_the_seal(chain):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Past the row trigger: docs/decisions/0023-the-audit-chain.md
            cursor.execute(f"TRUNCATE {TABLE}")
        else:
            cursor.execute(f"DELETE FROM {TABLE}")
    assert broken().startswith(f"The entries at positions 1 to {len(chain)} are missing")


def test_reordered_entries_are_found(chain):
    first, second = chain[0], chain[1]
    with tampering() as entries:
        entries.filter(pk=first.pk).update(position=None)
        entries.filter(pk=second.pk).update(position=1)
        entries.filter(pk=first.pk).update(position=2)
    assert broken().startswith(f"Entry at position 1 (id {second.pk}) was changed, moved")


def test_a_redacted_entry_still_verifies(chain):
    assert audit.redact(AuditEntry.objects.filter(pk=chain[-2].pk)) == 1
    redacted = AuditEntry.objects.get(pk=chain[-2].pk)
    assert redacted.changes == {} and redacted.changes_digest == chain[-2].changes_digest
    assert verify_audit().startswith(f"Checked {len(chain)} entries: the chain is whole.")


# The database's own refusal ------------------------------------------------------------------
# On PostgreSQL a trigger (accounts migration 0009) refuses what the application never does,
# whoever asks. A SQLite file has no such trigger (see the migration): there the statements go
# through, which these tests also check, so that the trigger is known to be PostgreSQL's only.

REFUSED = {
    "a changed action": f"UPDATE {TABLE} SET action = 'session.view'",
    "changed values without redacting": f"UPDATE {TABLE} SET changes = '{{}}'",
    "sealing again": f"UPDATE {TABLE} SET entry_hash = 'x', position = position + 100",
    "redacting but changing the hash": (f"UPDATE {TABLE} SET changes = '{{}}', "
                                        "redacted_at = CURRENT_TIMESTAMP, entry_hash = 'x'"),
    "redacting but keeping values": f"UPDATE {TABLE} SET redacted_at = CURRENT_TIMESTAMP",
    "a deletion": f"DELETE FROM {TABLE}",
}


@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_the_database_refuses_changes_to_sealed_entries(chain, statement):
    before = list(AuditEntry.objects.order_by("position").values())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError, match="Audit entries are never"), \
                    transaction.atomic():
                cursor.execute(statement)
            assert list(AuditEntry.objects.order_by("position").values()) == before
        else:
            cursor.execute(statement)
            assert list(AuditEntry.objects.order_by("position").values()) != before


def test_the_database_refuses_changing_an_unsealed_entry_other_than_by_sealing_it(world):
    audit.record(world.practitioner, "family.view", world.family)
    entry = AuditEntry.objects.latest("id")
    statement = (f"UPDATE {TABLE} SET position = 1000, changes_digest = 'x', entry_hash = 'y', "
                 f"action = 'session.view' WHERE id = {entry.pk}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
                cursor.execute(statement)
        else:
            cursor.execute(statement)
    entry.refresh_from_db()
    assert entry.action == ("family.view" if connection.vendor == "postgresql"
                            else "session.view")


@pytest.mark.django_db(transaction=True)
def test_a_seal_leaves_the_connection_waiting_for_the_disc_as_before(world):
    """The seal's own commit does not wait for the disc; every other commit still does."""
    setting = ("SHOW synchronous_commit" if connection.vendor == "postgresql"
               else "PRAGMA synchronous")
    with connection.cursor() as cursor:
        cursor.execute(setting)
        before = cursor.fetchone()
        audit.record(world.practitioner, "family.view", world.family)
        assert AuditEntry.objects.get().position == 1
        cursor.execute(setting)
        assert cursor.fetchone() == before
