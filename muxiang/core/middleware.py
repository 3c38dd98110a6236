import ipaddress

from django.conf import settings

from muxiang.core.audit import change_context


def client_address(request) -> str | None:
    """The client's IP address for the audit trail. ``X-Forwarded-For`` is believed only when a
    proxy we run sits in front (``TRUST_X_FORWARDED_FOR``); anything that is not an address is dropped."""
    candidates = []
    if settings.TRUST_X_FORWARDED_FOR:
        candidates.append(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip())
    candidates.append(request.META.get("REMOTE_ADDR"))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except (ValueError, TypeError):
            continue
    return None


class RequestContextMiddleware:
    """Opens the audit context for each request: the user, the request id and the client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        with change_context(user=request.user, source=source, remote_addr=client_address(request)) as ctx:
            request.request_id = ctx.request_id
            response = self.get_response(request)
            response["X-Request-ID"] = str(ctx.request_id)
            return response
