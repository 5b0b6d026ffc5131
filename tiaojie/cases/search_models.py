"""Storage of the case search index: one row per case, the same model on both engines.

``CaseSearch`` is an ordinary managed table, so ``flush``, cascades and ``makemigrations``
treat it like any other. Each row holds

- ``body``: the case's searchable text, folded (width and case, see ``search.fold``), one
  field per line. Index candidates for terms of three or more characters are confirmed
  against it (so results are exactly the substring matches), and common queries test it
  row by row instead of using the index (see ``search.search_cases``).
- ``document``: the pre-segmented tokens (``search.index_text``). On PostgreSQL the column
  is a ``tsvector`` built with ``array_to_tsvector`` (tokens taken verbatim, no parser, no
  positions) under a GIN index. On SQLite it is the space-separated token string, and an
  external-content FTS5 table ``cases_casesearch_fts`` indexes it; triggers on this table
  keep the FTS5 index in step with every insert, update and delete (a flush included).

The GIN index, the FTS5 table and its triggers are vendor-specific, so migration 0004 creates
them with raw SQL instead of declaring them here (a ``GinIndex`` in ``Meta`` would break
``migrate`` on SQLite). Rows are written by ``search.reindex_case`` / ``reindex_cases`` only.

A later migration that makes Django rebuild this table on SQLite (it copies the table to
alter it) drops the triggers with the old table: such a migration must recreate them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext_lazy as _

from .models import Case


class SearchDocumentField(models.TextField):
    """A token string in Python; ``tsvector`` on PostgreSQL, text for FTS5 on SQLite.

    The tokens never contain a space, so ``string_to_array(…, ' ')`` hands them to
    ``array_to_tsvector`` unchanged: PostgreSQL's text-search parser, which would split
    punctuation and mixed scripts differently from our tokenizer, is never involved.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        if connection.vendor == "postgresql":
            return "tsvector"
        return super().db_type(connection) or "text"

    def get_placeholder(self, value: Any, compiler: Any, connection: BaseDatabaseWrapper) -> str:
        if connection.vendor == "postgresql":
            return "array_to_tsvector(string_to_array(%s, ' '))"
        return "%s"


class CaseSearch(models.Model):
    """The search index entry of one case (rebuilt whenever its text changes)."""

    case = models.OneToOneField(
        Case,
        verbose_name=_("case"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    # Internal columns, never shown or edited in the UI (hence no translated labels).
    body = models.TextField(blank=True, editable=False)
    document = SearchDocumentField(blank=True, editable=False)

    def __str__(self) -> str:
        return f"search entry of case {self.case_id}"
