from muxiang.core.audit import change_context


class RequestContextMiddleware:
    """Opens the audit context for each request: the user, the request id and the client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addr = forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")
        source = "api" if request.path.startswith("/api/") else "web"
        with change_context(user=request.user, source=source, remote_addr=addr) as ctx:
            request.request_id = ctx.request_id
            response = self.get_response(request)
            response["X-Request-ID"] = str(ctx.request_id)
            return response
