"""A worker killed in the middle of its work (SIGKILL: no goodbye, no clean-up): a second
worker takes the work over once the first one's lease has run out, and finishes it. The
ledger import is complete and not imported twice; every text message reaches the gateway,
and a message sent twice carries the same key, so the gateway dropped the repeat."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tiaojie.accounts.models import SmsMessage, SmsStatus
from tiaojie.accounts.roles import Role
from tiaojie.cases.models import Case
from tiaojie.ledger import services
from tiaojie.ledger.models import ImportStatus, LedgerRow
from tiaojie.ledger.tests.samples import csv_bytes, ledger_rows
from tiaojie.testing import sms_gateway
from tiaojie.worker.models import Lease
from tiaojie.worker.runner import run_queued

from .processes import SharedDatabase

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = 2
# Short leases, and no pause before a second attempt, so the test waits seconds, not minutes.
FAST = {"TIAOJIE_WORKER_LEASE_SECONDS": str(LEASE_SECONDS), "TIAOJIE_WORKER_RETRY_SECONDS": "0"}
# Enough rows for the reading to take a few seconds, so the kill lands while it runs.
ROWS = 12_000


def test_a_second_worker_finishes_the_import_of_a_killed_one(world, tmp_path) -> None:
    user = world.user("disp", world.center_a, Role.DISPATCHER)
    data = csv_bytes(ledger_rows(ROWS, [("下邽镇", "东庆村")]))
    ledger = services.upload(user=user, file=SimpleUploadedFile("大台账.csv", data))
    services.set_mapping(ledger, user=user, mapping=ledger.mapping, defaults=ledger.defaults)
    run_queued()  # the dry run, in this process
    services.start_import(ledger, user=user)

    shared = SharedDatabase(tmp_path, **FAST)

    def state() -> tuple[str, int]:
        sql = "SELECT status || ' ' || done_rows FROM ledger_ledgerimport WHERE id = %s"
        status, done = shared.value(sql, (ledger.pk,)).split()
        assert status != ImportStatus.DONE, "the first worker finished before it was killed"
        return status, int(done)

    try:
        first = shared.worker("--sweep-every", "0", "--idle", "0.1")
        shared.wait_for(lambda: state()[0] == ImportStatus.IMPORTING)
        # Reading shows its progress once a second; then the import writes for several
        # seconds in one transaction. Either way the kill lands in the middle of it.
        end = time.monotonic() + 1.5
        while state()[1] == 0 and time.monotonic() < end:
            time.sleep(0.05)
        first.kill()  # SIGKILL, in the middle of the import
        first.wait()
        assert state()[0] == ImportStatus.IMPORTING  # left as it was: nobody finished it
        assert shared.value("SELECT COUNT(*) FROM cases_case") == 0  # all or nothing
        time.sleep(LEASE_SECONDS + 0.5)  # the killed worker's lease runs out
        second = shared.worker("--burst", "--sweep-every", "0", "--idle", "0.1")
        output, _ = second.communicate(timeout=600)
        assert second.returncode == 0, output
    finally:
        shared.stop_all()
    shared.bring_back()

    ledger.refresh_from_db()
    assert (ledger.status, ledger.created_cases) == (ImportStatus.DONE, ROWS)
    assert Case.objects.count() == ROWS  # complete, and not twice
    assert LedgerRow.objects.filter(ledger_import=ledger).count() == ROWS
    # The import's task ran twice: the attempt that was killed, and the one that finished.
    assert max(Lease.objects.values_list("attempts", flat=True)) == 2


MESSAGES = 20


def test_every_text_message_reaches_the_gateway_though_the_sender_was_killed(
    world, tmp_path
) -> None:
    gateway, stop = sms_gateway.start(delay=0.2)  # slow, so the kill lands mid-batch
    for n in range(MESSAGES):
        SmsMessage.objects.create(
            phone=f"139{n:08d}", body=f"案件{n}已交办，请及时处理。", dedupe_key=f"test:{n}"
        )
    keys = {m.message_key for m in SmsMessage.objects.all()}
    shared = SharedDatabase(
        tmp_path, **FAST, TIAOJIE_SMS_BACKEND="http", TIAOJIE_SMS_URL=gateway.url
    )
    try:
        first = shared.worker("--sweep-every", "1", "--idle", "0.1")
        shared.wait_for(lambda: len(gateway.received) >= 5)
        first.kill()  # SIGKILL, while it sends
        first.wait()
        assert len(gateway.received) < MESSAGES
        time.sleep(LEASE_SECONDS + 0.5)  # the dead sender's lease runs out
        second = shared.worker("--burst", "--idle", "0.1")
        output, _ = second.communicate(timeout=300)
        assert second.returncode == 0, output
    finally:
        shared.stop_all()
        stop()
    shared.bring_back()

    assert set(gateway.delivered) == keys  # every message, each once
    assert {r.key for r in gateway.repeats} <= keys  # a repeat is a message sent before
    for repeat in gateway.repeats:
        first_copy = gateway.delivered[repeat.key]
        assert repeat.body == first_copy.body  # the same message under the same key
    # No message went out under a second key: one key per text, however often it was posted.
    assert len({(r.body["content"], r.key) for r in gateway.received}) == MESSAGES
    assert set(SmsMessage.objects.values_list("status", flat=True)) == {SmsStatus.SENT}
    sent: Any = gateway.delivered[next(iter(keys))]
    assert sent.headers["Idempotency-Key"] == sent.body["msgId"]
