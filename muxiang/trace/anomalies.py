"""The anomaly rules: after each scan, the few checks that could put a code — or a client guessing
codes — in the review queue (``ScanAlert``). A rule never voids a code: counterfeiters copy real
labels, and a genuine label may be scanned by a family in two cities; an operator decides.

Each rule costs at most one indexed query, and only the scans that can trigger it pay for it.
"""

import datetime
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.trace.choices import AlertState, AnomalyRule, ScanOutcome
from muxiang.trace.models import Scan, ScanAlert


@dataclass(frozen=True)
class Limits:
    """Thresholds of the rules (a class so that tests and a county's settings can change them)."""

    too_many_scans: int = 20  # a package is scanned a few times, not dozens
    far_apart_window: datetime.timedelta = datetime.timedelta(hours=2)
    far_apart_km: float = 100.0  # farther than this within the window (where both have positions)
    guessing_unknown: int = 10  # unknown codes from one client …
    guessing_window: datetime.timedelta = datetime.timedelta(hours=1)  # … within this time


LIMITS = Limits()


EARTH_RADIUS_KM = 6371.0088


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle (haversine) distance between two (latitude, longitude) points in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _where(place: str, latitude, longitude) -> str:
    if place:
        return place
    return f"({latitude:.2f}, {longitude:.2f})"


def far_apart_scan(scan: Scan, code, limits: Limits = LIMITS) -> str:
    """Where the code was scanned, within the window before ``scan``, far from ``scan``: with both
    positions known, farther than ``far_apart_km`` (two phones in one city, or a city's two names
    in the proxy's database, are not far apart); otherwise under another place name. "" if nowhere."""
    recent = (
        Scan.objects.filter(
            code=code,
            scanned_at__gte=scan.scanned_at - limits.far_apart_window,
            scanned_at__lte=scan.scanned_at,
        )
        .exclude(pk=scan.pk)
        .order_by("-scanned_at")
        .values_list("place", "latitude", "longitude")[:50]
    )
    here = (
        (scan.latitude, scan.longitude) if scan.latitude is not None and scan.longitude is not None else None
    )
    for place, latitude, longitude in recent:
        if here is not None and latitude is not None and longitude is not None:
            km = distance_km(here, (latitude, longitude))
            if km > limits.far_apart_km:
                return _("%(where)s（相距约 %(km)s 公里）") % {
                    "where": _where(place, latitude, longitude),
                    "km": f"{km:,.0f}",
                }
        elif scan.place and place and place != scan.place:
            return place
    return ""


def raise_alert(rule: str, detail: str, *, code=None, client: str = "", now=None) -> ScanAlert:
    """Open an alert, or count one more hit on the open alert of the same rule and code/client."""
    now = now or timezone.now()
    client = "" if code is not None else client
    open_alerts = ScanAlert.objects.filter(rule=rule, code=code, client=client, state=AlertState.OPEN)
    if open_alerts.update(hits=F("hits") + 1, last_seen_at=now, detail=detail[:300]):
        return open_alerts.first()
    try:
        with transaction.atomic():
            return ScanAlert.objects.create(
                rule=rule, code=code, client=client, detail=detail[:300], first_seen_at=now, last_seen_at=now
            )
    except IntegrityError:  # a concurrent scan opened it a moment ago
        open_alerts.update(hits=F("hits") + 1, last_seen_at=now)
        return open_alerts.first()


def check_scan(scan: Scan, code, scan_count: int, limits: Limits = LIMITS) -> list[ScanAlert]:
    """Apply the rules to ``scan`` (already saved) of ``code`` (None when unknown), whose counter
    now reads ``scan_count``."""
    alerts = []
    now = scan.scanned_at
    if scan.outcome == ScanOutcome.UNKNOWN:
        since = now - limits.guessing_window
        unknown = Scan.objects.filter(
            client=scan.client, outcome=ScanOutcome.UNKNOWN, scanned_at__gte=since, scanned_at__lte=now
        ).count()
        if unknown >= limits.guessing_unknown:
            alerts.append(
                raise_alert(
                    AnomalyRule.GUESSING,
                    _("同一来源 %(m)s 分钟内扫了 %(n)s 个不存在的码，疑似猜码")
                    % {"m": int(limits.guessing_window.total_seconds() // 60), "n": unknown},
                    client=scan.client,
                    now=now,
                )
            )
        return alerts
    if scan.outcome == ScanOutcome.UNBOUND:
        alerts.append(
            raise_alert(AnomalyRule.BEFORE_BINDING, _("尚未绑定批次的码被扫描"), code=code, now=now)
        )
    elif scan.outcome == ScanOutcome.VOIDED:
        alerts.append(raise_alert(AnomalyRule.AFTER_VOIDING, _("已作废的码被扫描"), code=code, now=now))
    if scan_count > limits.too_many_scans:
        alerts.append(
            raise_alert(
                AnomalyRule.TOO_MANY_SCANS,
                _("已被扫描 %(n)s 次（超过 %(limit)s 次）")
                % {"n": scan_count, "limit": limits.too_many_scans},
                code=code,
                now=now,
            )
        )
    if scan.place or scan.latitude is not None:
        elsewhere = far_apart_scan(scan, code, limits)
        if elsewhere:
            alerts.append(
                raise_alert(
                    AnomalyRule.FAR_APART,
                    _("%(h)s 小时内先后在 %(a)s 和 %(b)s 被扫描")
                    % {
                        "h": int(limits.far_apart_window.total_seconds() // 3600),
                        "a": elsewhere,
                        "b": _where(scan.place, scan.latitude, scan.longitude),
                    },
                    code=code,
                    now=now,
                )
            )
    return alerts


def review_alert(alert: ScanAlert, state: str, by, note: str = "") -> ScanAlert:
    """An operator's decision on an alert: dismissed (nothing wrong) or confirmed. Voiding, if the
    code is a copy, is a separate, deliberate step (``services.void_codes``)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from muxiang.core import permissions

    if not permissions.can_change(by, alert):
        raise PermissionDenied
    if state not in (AlertState.DISMISSED, AlertState.CONFIRMED):
        raise ValidationError(_("处理结果只能是“已排除”或“已确认异常”"))
    if alert.state != AlertState.OPEN:
        raise ValidationError(_("该异常已处理"))
    alert.state = state
    alert.reviewed_by = by
    alert.reviewed_at = timezone.now()
    alert.review_note = note[:300]
    alert.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    return alert
