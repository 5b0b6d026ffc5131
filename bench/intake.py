"""The intake endpoint against a bare Django view, side by side, on PostgreSQL.

    .ci/with-postgres .venv/bin/python bench/intake.py

Starts gunicorn (the deployment's server, docs/deploy.md) on this database with the real
settings plus a bare view returning a fixed JSON body, then alternates 20-second runs of
wrk (16 connections) against the bare view and against POST /api/v1/intake/cases with
pre-signed requests, each a new case with its own idempotency key. Reports requests per
second and p99 latency per run and the medians, then how fast one worker registers the
received requests as cases. ``--smoke`` runs it at a size of seconds (CI). Destroys the
database it is pointed at.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tiaojie.accounts.models import Unit, UnitKind  # noqa: E402
from tiaojie.cases.models import Case  # noqa: E402
from tiaojie.core.enums import Channel  # noqa: E402
from tiaojie.intake.models import IntakeRequest, IntakeSource, IntakeStatus  # noqa: E402
from tiaojie.intake.services import process  # noqa: E402
from tiaojie.intake.signing import sign  # noqa: E402
from tiaojie.regions.models import Region, RegionLevel  # noqa: E402

URL = "/api/v1/intake/cases"
SECRET = "bench-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _world() -> None:
    county = Region.objects.create(code="610502000000", name="临渭区", level=RegionLevel.COUNTY)
    town = Region.objects.create(
        code="610502103000", name="下邽镇", level=RegionLevel.TOWN, parent=county
    )
    Region.objects.create(
        code="610502103201", name="东庆村", level=RegionLevel.VILLAGE, parent=town
    )
    center = Unit.objects.create(
        name="临渭区综治中心", kind=UnitKind.DISTRICT_CENTER, region=county
    )
    IntakeSource.objects.create(
        code="hotline",
        name="12345",
        channel=Channel.HOTLINE,
        secret=SECRET,
        unit=center,
        region=county,
    )


def _lua_requests(path: Path, n: int, offset: int) -> None:
    """A wrk script cycling through n pre-signed requests (each thread its own share)."""
    stamp = str(int(time.time()))
    lines = ["local reqs = {"]
    for i in range(offset, offset + n):
        body = json.dumps(
            {
                "kind": "dispute",
                "category": "labour",
                "title": f"工地欠薪 {i}",
                "description": "某工地拖欠农民工工资三个月，涉及十余人。",
                "address": "下邽镇东庆村三组",
                "parties": [{"name": "王某", "phone": "13912345678"}],
            },
            ensure_ascii=False,
        )
        signature = sign(SECRET, stamp, "POST", URL, body.encode())
        headers = (
            f'["Content-Type"]="application/json",["X-Tiaojie-Source"]="hotline",'
            f'["X-Tiaojie-Timestamp"]="{stamp}",["X-Tiaojie-Signature"]="{signature}",'
            f'["Idempotency-Key"]="bench-{i}"'
        )
        lines.append(f"{{{headers}, body=[==[{body}]==]}},")  # a Lua long string: no escapes
    lines.append("}")
    lines.append(
        """
local i = 0
local step = 1
function setup(thread)
  thread:set("start", #threads_started + 1)
  table.insert(threads_started, thread)
end
threads_started = {}
function init(args)
  i = start or 1
  step = 2
end
local shown = false
function response(status, headers, body)
  if status >= 300 and not shown then
    io.stderr:write("first failure: " .. status .. " " .. body .. "\\n")
    shown = true
  end
end
function request()
  local r = reqs[i]
  i = i + step
  if i > #reqs then i = ((i - 1) % #reqs) + 1 end
  local body = r.body
  r.body = nil
  local req = wrk.format("POST", nil, r, body)
  r.body = body
  return req
end
"""
    )
    path.write_text("\n".join(lines), encoding="utf-8")


def _wrk(url: str, seconds: int, script: Path | None) -> tuple[float, float]:
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    run = subprocess.run([*cmd, url], capture_output=True, text=True, check=True)
    out = run.stdout + run.stderr
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if "Non-2xx" in out or "first failure" in out:
        raise SystemExit(f"errors during the run:\n{out}")
    return rps, p99


def _probe(base: str) -> None:
    """One signed request first, so a set-up mistake shows as its error, not as a figure."""
    import urllib.error
    import urllib.request

    body = json.dumps(
        {
            "kind": "dispute",
            "category": "labour",
            "title": "探测",
            "description": "探测请求",
            "parties": [{"name": "王某"}],
        },
        ensure_ascii=False,
    ).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        base + URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Tiaojie-Source": "hotline",
            "X-Tiaojie-Timestamp": stamp,
            "X-Tiaojie-Signature": sign(SECRET, stamp, "POST", URL, body),
            "Idempotency-Key": "probe",
        },
    )
    try:
        with urllib.request.urlopen(request) as response:
            assert response.status == 202, response.read()
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"probe failed: {exc.code} {exc.read()[:500]!r}") from None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds' run for CI: proves the script works, measures nothing",
    )
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.rounds, args.workers = 1, 1, 2
    assert connection.vendor == "postgresql", "run this on PostgreSQL (.ci/with-postgres)"
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", verbosity=0)
    _world()
    connection.close()

    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchsite.settings", "DJANGO_DEBUG": "false"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            f"{ROOT},{ROOT / 'bench'}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        _probe(base)
        bare, intake = [], []
        with tempfile.TemporaryDirectory() as tmp:
            body_script = Path(tmp) / "bare.lua"
            body_script.write_text(
                'wrk.method = "POST"\nwrk.body = "{}"\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
            )
            for r in range(args.rounds):
                bare.append(_wrk(f"{base}/bench/fixed-json", args.seconds, body_script))
                script = Path(tmp) / f"intake{r}.lua"
                # Enough fresh requests that none repeats within the run.
                _lua_requests(script, 1500 * args.seconds, offset=r * 1_000_000)
                intake.append(_wrk(f"{base}{URL}", args.seconds, script))
                print(
                    f"round {r + 1}: bare {bare[-1][0]:.0f} rps p99 {bare[-1][1]:.1f} ms; "
                    f"intake {intake[-1][0]:.0f} rps p99 {intake[-1][1]:.1f} ms",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait()
    bare_rps = statistics.median(b[0] for b in bare)
    intake_rps = statistics.median(i[0] for i in intake)
    print(
        f"bare view:  median {bare_rps:.0f} rps, p99 {statistics.median(b[1] for b in bare):.1f} ms"
    )
    intake_p99 = statistics.median(i[1] for i in intake)
    print(f"intake:     median {intake_rps:.0f} rps, p99 {intake_p99:.1f} ms")
    print(f"ratio intake / bare: {intake_rps / bare_rps:.1%}")
    pending = IntakeRequest.objects.filter(status=IntakeStatus.RECEIVED).count()
    started = time.perf_counter()
    done = process(limit=2000)
    seconds = time.perf_counter() - started
    print(
        f"receipts kept: {pending:,}; the worker registered {done:,} cases at "
        f"{done / seconds:.0f} cases/s (one process)"
    )
    assert Case.objects.count() == done


if __name__ == "__main__":
    main()
