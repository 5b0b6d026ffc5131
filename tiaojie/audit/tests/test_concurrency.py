"""Many writers at once never fork the audit chain (the head row is locked per append).

Real concurrent transactions need PostgreSQL (one connection per thread): run with
`.ci/with-postgres`. On SQLite the test is skipped; SQLite has one writer at a time anyway.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from tiaojie.audit import chain
from tiaojie.audit.models import AuditEntry, AuditKind
from tiaojie.audit.services import record

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 12
EACH = 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads appending at once need PostgreSQL: run with .ci/with-postgres",
)
def test_concurrent_appends_make_one_unbroken_chain() -> None:
    barrier = threading.Barrier(WRITERS, timeout=60)
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            barrier.wait()
            for n in range(EACH):
                # Half inside a longer transaction, as an admin save would be.
                if n % 2:
                    with transaction.atomic():
                        record(AuditKind.CONFIG_CHANGED, detail={"writer": i, "n": n})
                else:
                    record(AuditKind.EXPORT, detail={"writer": i, "n": n})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    assert not errors, errors[:3]
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    state, broken = chain.verify()
    assert broken is None
    assert state.entries == WRITERS * EACH
    hashes = AuditEntry.objects.values_list("prev_hash", flat=True)
    assert len(set(hashes)) == WRITERS * EACH  # no two entries claim the same predecessor
