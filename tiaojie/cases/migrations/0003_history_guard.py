"""The database refuses UPDATE and DELETE on case events.

SQLite: BEFORE UPDATE/DELETE triggers. DELETE passes only while the one-row guard table
tiaojie_history_guard says so (test flushes, a future retention purge); the guard is not a
Django model, so `flush` leaves it alone. PostgreSQL: a trigger function raising an error;
TRUNCATE (which only the table owner may run) is left to the owner.
"""

from django.db import migrations

from tiaojie.core.chain import per_vendor

SQLITE_UP = [
    "CREATE TABLE IF NOT EXISTS tiaojie_history_guard (purge_allowed INTEGER NOT NULL)",
    "INSERT INTO tiaojie_history_guard (purge_allowed) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM tiaojie_history_guard)",
    """CREATE TRIGGER cases_caseevent_no_update BEFORE UPDATE ON cases_caseevent
       BEGIN SELECT RAISE(ABORT, 'case events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER cases_caseevent_no_delete BEFORE DELETE ON cases_caseevent
       WHEN (SELECT MAX(purge_allowed) FROM tiaojie_history_guard) IS NOT 1
       BEGIN SELECT RAISE(ABORT, 'case events are append-only: DELETE refused'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_caseevent_no_update",
    "DROP TRIGGER IF EXISTS cases_caseevent_no_delete",
    "DROP TABLE IF EXISTS tiaojie_history_guard",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION tiaojie_refuse_history_change() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'case events are append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_caseevent_append_only BEFORE UPDATE OR DELETE ON cases_caseevent
       FOR EACH ROW EXECUTE FUNCTION tiaojie_refuse_history_change()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS cases_caseevent_append_only ON cases_caseevent",
    "DROP FUNCTION IF EXISTS tiaojie_refuse_history_change()",
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_lifecycle")]
    operations = [
        migrations.RunPython(
            per_vendor({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            per_vendor({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
