"""The audit log is append-only in the database too, on PostgreSQL: a trigger refuses every
DELETE, and every UPDATE but the two the application makes (sealing an entry into the hash chain,
and redacting its values). SQLite has no trigger: the test runner empties its tables with DELETE,
and a SQLite file is protected by who may write to it. TRUNCATE is not a row trigger's to refuse:
the application's role should not hold it (docs/decisions/0023-the-audit-chain.md), and verify_audit notices a
truncated log, since the seal remembers how long it was."""

from django.db import migrations, models

APPEND_ONLY = """
CREATE FUNCTION accounts_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Audit entries are never deleted';
    END IF;
    -- Sealing: an unsealed entry takes its place in the chain and nothing else changes.
    IF OLD.entry_hash = '' AND OLD.position IS NULL
       AND NEW.position IS NOT NULL AND NEW.entry_hash <> '' AND NEW.changes_digest <> ''
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.object_type, NEW.object_id,
            NEW.changes, NEW.redacted_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.object_type, OLD.object_id,
            OLD.changes, OLD.redacted_at) THEN
        RETURN NEW;
    END IF;
    -- Redaction: the values emptied, once; who, what, when and the chain stay as they were.
    IF OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.changes = '{}'::jsonb
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.object_type, NEW.object_id,
            NEW.position, NEW.changes_digest, NEW.entry_hash)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.object_type, OLD.object_id,
            OLD.position, OLD.changes_digest, OLD.entry_hash) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Audit entries are never changed';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditentry_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditentry
    FOR EACH ROW EXECUTE FUNCTION accounts_auditentry_append_only();
"""

REMOVE = """
DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;
DROP FUNCTION IF EXISTS accounts_auditentry_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_audit_chain'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['actor', 'at'], name='audit_actor_at'),
        ),
        migrations.RunPython(on_postgresql(APPEND_ONLY), on_postgresql(REMOVE)),
    ]
