import pytest

from muxiang.core.validators import mask_id_number


@pytest.mark.django_db
def test_station_manager_edit_form_does_not_reveal_the_full_id_number(login, manager, person):
    page = login(manager).get(f"/people/{person.pk}/edit/").content.decode()
    assert person.id_number not in page
    assert mask_id_number(person.id_number) in page


@pytest.mark.django_db
def test_station_manager_saving_with_the_id_left_empty_keeps_the_registered_number(login, manager, person):
    registered = person.id_number
    response = login(manager).post(
        f"/people/{person.pk}/edit/",
        {
            "name": "乌云其木格",
            "id_number": "",
            "mobile": person.mobile,
            "kinds": ["trainee"],
            "poor_household": "on",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "乌云其木格" and person.id_number == registered


@pytest.mark.django_db
def test_operator_staff_edit_form_shows_the_full_id_number(login, staff, person):
    assert person.id_number in login(staff).get(f"/people/{person.pk}/edit/").content.decode()


@pytest.mark.django_db
def test_masked_roles_see_only_the_birth_year_on_the_page_and_nothing_in_the_api(
    login, client_supervisor, person, api_token, client
):
    page = login(client_supervisor).get(f"/people/{person.pk}/").content.decode()
    assert person.birth_date.isoformat() not in page
    assert f"{person.birth_date.year}-**-**" in page
    body = client.get(f"/api/people/{person.pk}", **api_token(client_supervisor)).json()
    assert body["birth_date"] is None
