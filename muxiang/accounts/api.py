from ninja.security import HttpBearer

from muxiang.accounts.services import authenticate_api_token
from muxiang.core import audit


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mx_…``; tokens are issued on the user's account page."""

    def authenticate(self, request, token):
        user = authenticate_api_token(token)
        if user is not None:
            request.user = user
            # The middleware opened the audit context before the API knew who was calling.
            audit.set_context_user(user)
        return user
