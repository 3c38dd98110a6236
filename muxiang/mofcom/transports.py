"""How a delivery reaches the ministry platform: pluggable transports with one method,
``send(message) -> TransportResult``. A transport never raises for a failed delivery: it says so
in its result, and the caller logs it and retries.

- ``FileTransport`` writes the delivery as an .xlsx (or CSV) file for manual upload to the platform;
- ``HttpTransport`` posts it as JSON to the platform's endpoint with an ``Idempotency-Key`` header:
  the same key on every retry of the same delivery, so that a retry of a request the platform did
  receive (the answer was lost) is recognised as the same data, not new data.
"""

import csv
import dataclasses
import datetime
import hashlib
import io
import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import xlsxwriter

from muxiang.mofcom import conf
from muxiang.mofcom.choices import TransportKind
from muxiang.mofcom.fields import PlatformField


@dataclasses.dataclass
class Message:
    """One delivery's data, in the platform's fields."""

    kind: str
    reference: str
    period: datetime.date
    idempotency_key: str
    fields: list[PlatformField]
    records: list[dict]

    def body(self) -> bytes:
        """The JSON body of the HTTP push (its SHA-256 is kept with the delivery)."""
        envelope = {
            "type": self.kind,
            "reference": self.reference,
            "period": self.period.isoformat(),
            "count": len(self.records),
            "records": self.records,
        }
        return json.dumps(envelope, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def sha256(self) -> str:
        return hashlib.sha256(self.body()).hexdigest()


@dataclasses.dataclass
class TransportResult:
    ok: bool
    status_code: int | None = None
    detail: str = ""
    location: str = ""  # where a file export was written


def workbook_bytes(message: Message) -> bytes:
    """The delivery as an .xlsx: the labels as headers, one row per record."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("数据")
    bold = workbook.add_format({"bold": True})
    for col, field in enumerate(message.fields):
        sheet.write_string(0, col, field.label, bold)
        sheet.set_column(col, col, max(10, len(field.label) * 2 + 2))
    for row, record in enumerate(message.records, start=1):
        for col, field in enumerate(message.fields):
            value = record.get(field.platform_name)
            if value is None:
                continue
            if field.kind == "integer":
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, str(value))
    workbook.close()
    return buffer.getvalue()


def csv_bytes(message: Message) -> bytes:
    """The delivery as CSV, UTF-8 with a BOM (Excel on Windows reads it as Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([field.label for field in message.fields])
    for record in message.records:
        writer.writerow(
            ["" if record.get(f.platform_name) is None else record[f.platform_name] for f in message.fields]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def file_bytes(message: Message, fmt: str) -> tuple[bytes, str]:
    if fmt == "csv":
        return csv_bytes(message), ".csv"
    return workbook_bytes(message), ".xlsx"


class FileTransport:
    """Writes the delivery to ``directory/<reference>.xlsx`` (or .csv) for manual upload; the file
    is also kept as the delivery's evidence."""

    name = TransportKind.FILE

    def __init__(self, directory: Path | None = None, fmt: str | None = None):
        self.directory = Path(directory) if directory else conf.export_dir()
        self.fmt = fmt or conf.setting("format")

    def send(self, message: Message) -> TransportResult:
        data, suffix = file_bytes(message, self.fmt)
        target = self.directory / f"{message.reference}{suffix}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            # Written beside and renamed: an upload never picks up half a file.
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            os.replace(partial, target)
        except OSError as exc:
            return TransportResult(False, detail=f"无法写入文件 {target}：{exc}")
        return TransportResult(
            True, detail=f"已导出 {target.name}（{len(message.records)} 行）", location=str(target)
        )


class HttpTransport:
    """Posts the delivery as JSON to the platform. A 2xx answer is a delivery; 409 Conflict is the
    platform saying it already holds this idempotency key, which is a delivery too. Anything else —
    another status, a timeout, a refused connection — is a failed attempt."""

    name = TransportKind.HTTP

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = url if url is not None else conf.setting("url")
        self.token = token if token is not None else conf.setting("token")
        self.timeout = timeout if timeout is not None else conf.number("timeout")

    def send(self, message: Message) -> TransportResult:
        if not self.url:
            return TransportResult(False, detail="未配置平台接口地址（MUXIANG_MOFCOM_URL）")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message.idempotency_key,
            "User-Agent": "muxiang-mofcom/1",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=message.body(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout or None) as response:
                answer = response.read(2000).decode("utf-8", "replace")
                return TransportResult(True, response.status, answer[:500])
        except urllib.error.HTTPError as exc:
            answer = exc.read(2000).decode("utf-8", "replace") if exc.fp else ""
            if exc.code == 409:
                return TransportResult(True, 409, ("平台已收到该数据（幂等键重复）：" + answer)[:500])
            return TransportResult(False, exc.code, f"HTTP {exc.code}：{answer or exc.reason}"[:500])
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return TransportResult(False, detail=f"无法连接平台：{reason}"[:500])


def transport_for(kind: str):
    return HttpTransport() if kind == TransportKind.HTTP else FileTransport()


def backoff_seconds(attempt: int, base: float, cap: float | None = None) -> float:
    """Exponential backoff: ``base`` before the second attempt, doubled for each one after."""
    delay = base * (2 ** max(attempt - 1, 0))
    return min(delay, cap) if cap is not None else delay


def timed_send(transport, message: Message) -> tuple[TransportResult, int]:
    started = time.perf_counter()
    try:
        result = transport.send(message)
    except Exception as exc:  # a transport bug must not lose the delivery: it is a failed attempt
        result = TransportResult(False, detail=f"{type(exc).__name__}: {exc}"[:500])
    return result, int((time.perf_counter() - started) * 1000)
