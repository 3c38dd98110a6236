"""The ministry adapter's test world: the operations world (sample contract, "today" pinned to
2026-11-28, 巴特尔's and 其其格's stations) with daily reports, and a local HTTP server standing in
for the platform, which can be told to fail requests."""

import datetime
import json
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from muxiang.operations.tests.conftest import (  # noqa: F401  (fixtures and helpers shared)
    IN_PHASE_2,
    TODAY,
    _today_is_pinned,
    contract,
    report,
)

YESTERDAY = TODAY - datetime.timedelta(days=1)
OCTOBER = datetime.date(2026, 10, 1)


@dataclass
class Platform:
    """What the stand-in platform received and how it answers: ``fail`` lists the answers of the
    next requests (a status code, or "drop" to close the connection unanswered, or "lost" to store
    the data and then answer 500, as when the platform's answer is lost); then it answers 201 for a
    new idempotency key and 409 for one it already holds."""

    url: str = ""
    fail: list = field(default_factory=list)
    requests: list = field(default_factory=list)  # (idempotency key, body)
    stored: dict = field(default_factory=dict)  # idempotency key -> body

    @property
    def keys(self) -> list[str]:
        return [key for key, _body in self.requests]


def _handler(platform: Platform):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            key = self.headers.get("Idempotency-Key", "")
            platform.requests.append((key, body))
            answer = platform.fail.pop(0) if platform.fail else None
            if answer == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if answer == "lost":
                platform.stored.setdefault(key, body)
                answer = 500
            if answer is not None:
                self._reply(answer, {"error": "service unavailable"})
                return
            if key in platform.stored:
                self._reply(409, {"message": "duplicate"})
                return
            platform.stored[key] = body
            self._reply(201, {"id": len(platform.stored)})

        def _reply(self, status, payload):
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def platform():
    state = Platform()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api/station-trade"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def http_settings(settings, platform, tmp_path):
    settings.MUXIANG_MOFCOM = {
        "transport": "http",
        "url": platform.url,
        "token": "test-token",
        "timeout": "5",
        "backoff": "2",
        "export_dir": str(tmp_path / "exports"),
    }
    return settings.MUXIANG_MOFCOM


@pytest.fixture
def file_settings(settings, tmp_path):
    settings.MUXIANG_MOFCOM = {"transport": "file", "export_dir": str(tmp_path / "exports"), "format": "xlsx"}
    return settings.MUXIANG_MOFCOM


@pytest.fixture
def reported_day(station, other_station):
    """Yesterday's reports of both stations."""
    report(station, YESTERDAY, proxy_selling_amount=Decimal("888.80"), farm_product_amount=Decimal("600"))
    report(other_station, YESTERDAY)
    return YESTERDAY


@pytest.fixture
def sleeps():
    """Records the backoff the adapter asks for instead of sleeping."""
    waited = []
    return waited
