"""The case search index (see tiaojie/cases/search.py for the scheme).

CaseSearch is an ordinary table on both engines. What indexes it differs:

PostgreSQL: a GIN index on the tsvector column ``document``.
SQLite: an external-content FTS5 table over ``document`` (detail=none, columnsize=0: no
positions or token counts, as only unranked AND and prefix queries are asked) whose
tokenizer treats every character except separators (Unicode Z*) as part of a token, so the
pre-computed tokens are indexed as they are. Triggers keep it in step with the table, so a
flush or a cascade cannot leave stale entries behind.

Existing cases are indexed by `tiaojie reindex` after migrating.
"""

import django.db.models.deletion
from django.db import migrations, models

import tiaojie.cases.search_models

SQLITE_UP = [
    """CREATE VIRTUAL TABLE cases_casesearch_fts USING fts5(
         document, content='cases_casesearch', content_rowid='case_id',
         detail=none, columnsize=0,
         tokenize="unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'")""",
    """CREATE TRIGGER cases_casesearch_fts_insert AFTER INSERT ON cases_casesearch BEGIN
         INSERT INTO cases_casesearch_fts (rowid, document) VALUES (new.case_id, new.document);
       END""",
    """CREATE TRIGGER cases_casesearch_fts_delete AFTER DELETE ON cases_casesearch BEGIN
         INSERT INTO cases_casesearch_fts (cases_casesearch_fts, rowid, document)
           VALUES ('delete', old.case_id, old.document);
       END""",
    """CREATE TRIGGER cases_casesearch_fts_update AFTER UPDATE ON cases_casesearch BEGIN
         INSERT INTO cases_casesearch_fts (cases_casesearch_fts, rowid, document)
           VALUES ('delete', old.case_id, old.document);
         INSERT INTO cases_casesearch_fts (rowid, document) VALUES (new.case_id, new.document);
       END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_casesearch_fts_update",
    "DROP TRIGGER IF EXISTS cases_casesearch_fts_delete",
    "DROP TRIGGER IF EXISTS cases_casesearch_fts_insert",
    "DROP TABLE IF EXISTS cases_casesearch_fts",
]
POSTGRES_UP = [
    "CREATE INDEX cases_casesearch_document ON cases_casesearch USING gin (document)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS cases_casesearch_document",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_history_guard")]

    operations = [
        migrations.CreateModel(
            name="CaseSearch",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="cases.case",
                        verbose_name="case",
                    ),
                ),
                ("body", models.TextField(blank=True, editable=False)),
                (
                    "document",
                    tiaojie.cases.search_models.SearchDocumentField(blank=True, editable=False),
                ),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
