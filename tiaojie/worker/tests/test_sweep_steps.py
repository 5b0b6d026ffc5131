"""The periodic sweep is a registry of steps: each app adds its own, the worker runs them in
order, and one broken step stops neither the others nor the worker."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tiaojie.worker import registry
from tiaojie.worker.runner import sweep
from tiaojie.worker.services import prune_finished

from .test_failed_work import always_fails

TIAOJIE = Path(__file__).resolve().parents[2]


def test_each_app_registers_its_steps_and_the_sweep_runs_them_in_order() -> None:
    names = [s.name for s in registry.steps()]
    assert names == [
        "deadlines",
        "whistle_absences",
        "intake",
        "sms",
        "dormant_accounts",
        "prune_tasks",
    ]


@pytest.mark.django_db
def test_tiaojie_sweep_runs_every_step_once(capsys) -> None:
    call_command("sweep")
    out = capsys.readouterr().out
    for said in ("escalated 0", "whistle check-ins missed 0", "intake requests registered 0"):
        assert said in out
    assert "text messages sent 0" in out and "dormant accounts disabled 0" in out


@pytest.mark.django_db
def test_a_broken_step_stops_no_other(monkeypatch) -> None:
    def broken() -> str:
        raise RuntimeError("broken")

    monkeypatch.setitem(registry.STEPS, "broken", registry.Step("broken", broken, order=1))
    reports = sweep()
    assert reports[0] == "broken failed" and len(reports) == 7


def _imports(package: Path) -> set[str]:
    found = set()
    for path in package.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
    return found


def test_the_worker_sits_beside_core_and_cases_does_not_import_whistles() -> None:
    ours = {m for m in _imports(TIAOJIE / "worker") if m.startswith("tiaojie.")}
    assert all(m.startswith(("tiaojie.worker", "tiaojie.core")) for m in ours), ours
    assert not [m for m in _imports(TIAOJIE / "cases") if m.startswith("tiaojie.whistles")]


@pytest.mark.django_db
def test_work_done_a_week_ago_is_pruned_and_failed_work_is_kept() -> None:
    for status in ("SUCCESSFUL", "FAILED"):
        always_fails.enqueue(1)
        DBTaskResult.objects.filter(status="READY").update(
            status=status, finished_at=timezone.now() - dt.timedelta(days=8)
        )
    assert prune_finished() == 1
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]


@pytest.mark.django_db
def test_a_broken_step_is_logged_by_its_class_and_place_never_its_message(
    monkeypatch, caplog
) -> None:
    def broken() -> str:
        raise ValueError("row 7: 13912345678")  # as a DETAIL line may quote a value

    monkeypatch.setitem(registry.STEPS, "broken", registry.Step("broken", broken, order=1))
    sweep()
    assert "ValueError" in caplog.text and "test_sweep_steps.py" in caplog.text
    assert "13912345678" not in caplog.text
