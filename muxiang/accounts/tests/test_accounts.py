import pytest
from django.core.management import call_command

from muxiang.accounts.models import ApiToken, User
from muxiang.core.models import ObjectChange
from muxiang.core.permissions import Role


@pytest.mark.django_db
def test_ensureadmin_creates_one_operator_admin_and_prints_its_password_once(capsys):
    call_command("ensureadmin")
    first = capsys.readouterr().out
    call_command("ensureadmin")
    second = capsys.readouterr().out
    admin = User.objects.get(username="admin")
    assert admin.role == Role.OPERATOR_ADMIN
    password = first.split("密码 password:")[1].split()[0]
    assert admin.check_password(password)
    assert password not in second
    assert User.objects.filter(role=Role.OPERATOR_ADMIN).count() == 1


@pytest.mark.django_db
def test_createsuperuser_makes_an_operator_admin():
    user = User.objects.create_superuser("boss", password="x" * 12)
    assert user.role == Role.OPERATOR_ADMIN


@pytest.mark.django_db
def test_operator_admin_creates_a_station_manager_login_and_sees_the_password_once(
    login, operator_admin, station
):
    client = login(operator_admin)
    response = client.post(
        "/accounts/users/add/",
        {
            "username": "manager2",
            "full_name": "图雅",
            "phone": "13900001111",
            "role": "station_manager",
            "station": station.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    created = User.objects.get(username="manager2")
    assert created.station == station and created.check_password(password)
    assert ObjectChange.objects.filter(object_repr="图雅", action="create").exists()


@pytest.mark.django_db
def test_a_station_manager_login_needs_a_station(login, operator_admin):
    response = login(operator_admin).post(
        "/accounts/users/add/", {"username": "nostation", "role": "station_manager", "is_active": "on"}
    )
    assert response.status_code == 400
    assert "站点负责人必须指定所属站点" in response.content.decode()
    assert not User.objects.filter(username="nostation").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff", "manager", "client_supervisor", "auditor"])
def test_only_the_operator_admin_manages_logins(request, login, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get("/accounts/users/").status_code == 403
    assert client.post("/accounts/users/add/", {"username": "x", "role": "operator_admin"}).status_code == 403
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_api_token_is_shown_once_stored_hashed_and_can_be_revoked(login, client, staff):
    response = login(staff).post("/accounts/tokens/", {"name": "同步脚本"})
    raw = response.context["new_key"]
    token = ApiToken.objects.get(user=staff)
    assert raw not in token.key_hash and token.prefix == raw[3:9]
    assert client.get("/api/stations/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert client.get("/api/stations/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.django_db
def test_a_user_cannot_revoke_someone_elses_token(login, staff, client_supervisor):
    from muxiang.accounts.services import issue_api_token

    token, _raw = issue_api_token(staff, "x")
    assert login(client_supervisor).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_login_page_signs_in_with_the_right_password_only(client, staff):
    assert client.post("/accounts/login/", {"username": "liqiang", "password": "wrong"}).status_code == 200
    assert client.get("/").status_code == 302
    response = client.post("/accounts/login/", {"username": "liqiang", "password": "pw-liqiang"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
