"""The trade standard's rules: one current version (a second is refused with a message, the switch
goes through ``make_current``), an enterprise applies a standard once, nothing written half-way."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from muxiang.core import services as core_services
from muxiang.standards import services
from muxiang.standards.models import StandardAdoption, StandardVersion
from muxiang.standards.tests.conftest import make_version

pytestmark = pytest.mark.django_db


def test_a_second_current_version_is_refused(standard, staff):
    make_version(standard)
    with pytest.raises(ValidationError) as caught:
        services.issue_version(
            standard, "T/WLTZQ 001—2027", "V2.0", datetime.date(2026, 9, 1), by=staff, is_current=True
        )
    assert "已有现行版本「T/WLTZQ 001—2026（V1.0）」" in caught.value.message_dict["is_current"][0]
    assert StandardVersion.objects.count() == 1


def test_making_a_version_current_retires_the_old_one(standard, staff):
    old = make_version(standard)
    new = services.issue_version(
        standard, "T/WLTZQ 001—2027", "V2.0", datetime.date(2026, 9, 1), by=staff, current=True
    )
    old.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert standard.current_version == new


def test_a_version_number_is_unique_and_names_the_holder(standard, staff):
    make_version(standard)
    with pytest.raises(ValidationError) as caught:
        services.issue_version(standard, "T/WLTZQ 001—2026", "V1.1", datetime.date(2026, 9, 1), by=staff)
    assert "已登记" in caught.value.message_dict["number"][0]


def test_an_enterprise_applies_a_standard_once(standard, organisation, staff):
    services.adopt_standard(standard, organisation, datetime.date(2026, 4, 1), by=staff)
    with pytest.raises(ValidationError) as caught:
        services.adopt_standard(standard, organisation, datetime.date(2026, 5, 1), by=staff)
    assert caught.value.message_dict["organisation"] == [
        "「海流图牧歌合作社」已在执行此标准（自 2026-04-01 起）"
    ]
    assert StandardAdoption.objects.count() == 1


def test_adoption_cannot_start_in_the_future(standard, organisation, staff):
    with pytest.raises(ValidationError) as caught:
        services.adopt_standard(standard, organisation, datetime.date(2027, 1, 1), by=staff)
    assert "日期不能晚于今天" in caught.value.message_dict["since"][0]


def test_restoring_a_second_current_version_is_refused(standard, staff):
    old = make_version(standard)
    core_services.soft_delete_record(old, staff)
    make_version(standard, "T/WLTZQ 001—2027", "V2.0")
    with pytest.raises(ValidationError):
        core_services.restore_record(old, staff)
