"""The database refuses to change or remove audit entries, and to move the chain head back.

SQLite: triggers; DELETE of entries passes only while the guard table of cases 0003 says so
(test flushes, the retention purge). PostgreSQL: trigger functions; DELETE of entries passes
only in a transaction that set tiaojie.audit_purge (the purge command does, and writes an
anchor entry in the same transaction). TRUNCATE is left to the table owner, as for case events.
"""

from django.db import migrations

from tiaojie.core.chain import GENESIS, per_vendor

HEAD_ROW = (
    "INSERT INTO audit_auditchainhead (id, seq, last_hash, first_seq, anchor_hash) "
    f"SELECT 1, 0, '{GENESIS}', 1, '{GENESIS}' "
    "WHERE NOT EXISTS (SELECT 1 FROM audit_auditchainhead)"
)
SQLITE_UP = [
    HEAD_ROW,
    """CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN (SELECT MAX(purge_allowed) FROM tiaojie_history_guard) IS NOT 1
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_auditchainhead
       WHEN NEW.seq < OLD.seq OR NEW.first_seq < OLD.first_seq
       BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
       WHEN (SELECT MAX(purge_allowed) FROM tiaojie_history_guard) IS NOT 1
       BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
]
POSTGRES_UP = [
    HEAD_ROW,
    """CREATE OR REPLACE FUNCTION tiaojie_audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND current_setting('tiaojie.audit_purge', true) = 'on' THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION tiaojie_audit_append_only()""",
    """CREATE OR REPLACE FUNCTION tiaojie_audit_head_forward() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR NEW.first_seq < OLD.first_seq THEN
           RAISE EXCEPTION 'the audit chain head only moves forward: % refused', TG_OP
             USING ERRCODE = 'insufficient_privilege';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
       FOR EACH ROW EXECUTE FUNCTION tiaojie_audit_head_forward()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_auditchainhead",
    "DROP FUNCTION IF EXISTS tiaojie_audit_append_only()",
    "DROP FUNCTION IF EXISTS tiaojie_audit_head_forward()",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("cases", "0003_history_guard")]
    operations = [
        migrations.RunPython(
            per_vendor({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            per_vendor({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
