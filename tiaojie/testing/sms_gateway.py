"""A real SMS gateway for tests: an HTTP server on loopback that keeps what it receives.

It honours the message key as a real gateway would: a message whose key it has seen is
answered 200 and dropped. ``delay`` slows each answer, so a test can stop a sender mid-batch.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    """One POST as the gateway read it."""

    key: str  # from the header, else from the body's key field
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Gateway:
    """What a running test gateway received; ``delivered`` has one entry per key."""

    url: str
    received: list[Received] = field(default_factory=list)
    delivered: dict[str, Received] = field(default_factory=dict)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def repeats(self) -> list[Received]:
        """Posts whose key had been delivered before (dropped, not delivered again)."""
        seen: set[str] = set()
        out = []
        for r in self.received:
            if r.key in seen:
                out.append(r)
            seen.add(r.key)
        return out


def start(*, delay: float = 0.0, key_header: str = "Idempotency-Key", key_field: str = "msgId"):
    """Start a gateway on a free loopback port; returns (gateway, stop)."""
    gateway = Gateway(url="", delay=delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            key = self.headers.get(key_header) or str(body.get(key_field, ""))
            if gateway.delay:
                time.sleep(gateway.delay)
            with gateway.lock:
                got = Received(key, body, dict(self.headers))
                gateway.received.append(got)
                gateway.delivered.setdefault(key, got)  # a repeat is dropped
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"code": 0}')

        def log_message(self, *args: Any) -> None:
            pass  # quiet tests

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return gateway, stop
