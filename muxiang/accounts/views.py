from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from muxiang.accounts.forms import ApiTokenForm
from muxiang.accounts.models import ApiToken
from muxiang.accounts.services import issue_api_token, revoke_api_token


@login_required
def token_list(request):
    """Each user manages their own API tokens; a new key is shown once, right after creation."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = issue_api_token(request.user, form.cleaned_data["name"])
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request, pk):
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    revoke_api_token(token)
    messages.success(request, _("令牌已撤销"))
    return redirect("accounts:tokens")
