from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from muxiang.accounts.forms import ApiTokenForm, UserAccountForm
from muxiang.accounts.models import ApiToken, User
from muxiang.accounts.services import (
    create_user_account,
    issue_api_token,
    reset_user_password,
    revoke_api_token,
    update_user_account,
)
from muxiang.core import permissions


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


def _require_user_admin(request):
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied


@login_required
def user_list(request):
    _require_user_admin(request)
    users = User.objects.select_related("station").order_by("role", "username")
    return render(request, "accounts/user_list.html", {"users": users})


@login_required
def user_add(request):
    _require_user_admin(request)
    form = UserAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, password = create_user_account(
            username=data["username"],
            full_name=data["full_name"],
            phone=data["phone"],
            role=data["role"],
            station=data["station"],
            by=request.user,
        )
        return render(request, "accounts/user_password.html", {"account": user, "password": password})
    return render(request, "accounts/user_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def user_edit(request, pk):
    _require_user_admin(request)
    account = get_object_or_404(User, pk=pk)
    form = UserAccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        update_user_account(account, {k: v for k, v in form.cleaned_data.items()}, by=request.user)
        messages.success(request, _("已保存：%(u)s") % {"u": account})
        return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "account": account},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def user_reset_password(request, pk):
    _require_user_admin(request)
    account = get_object_or_404(User, pk=pk)
    password = reset_user_password(account, by=request.user)
    return render(request, "accounts/user_password.html", {"account": account, "password": password})
