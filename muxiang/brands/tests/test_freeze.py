"""A brand record of an accepted phase is frozen, but what happened after its date is still
recorded: a member that joined in phase 1 leaves in phase 2, a brand founded in phase 1 has its
trademark registered later. A leaving date inside the accepted phase stays refused, and so does
any other change."""

import pytest
from django.core.exceptions import ValidationError

from muxiang.brands import services
from muxiang.brands.ledgers import BrandMemberLedger
from muxiang.brands.models import BrandMember
from muxiang.brands.tests.conftest import IN_PHASE_1, IN_PHASE_2, LAST_DAY_OF_PHASE_1, make_member
from muxiang.core.tests.test_ledger_import import ledger_xlsx, problems


@pytest.fixture
def member(regional, organisation):
    return make_member(regional, organisation)


def test_a_member_joined_in_an_accepted_phase_leaves_in_the_next(member, staff, phase_1_accepted):
    services.leave_brand(member, IN_PHASE_2, by=staff)
    assert BrandMember.objects.get(pk=member.pk).left_on == IN_PHASE_2


def test_it_cannot_leave_inside_the_accepted_phase_nor_change_its_authorisation(
    member, staff, phase_1_accepted
):
    with pytest.raises(ValidationError) as refused:
        services.leave_brand(member, LAST_DAY_OF_PHASE_1, by=staff)
    assert "2026-06-30 属于已验收的" in str(refused.value)
    member.refresh_from_db()
    member.authorisation_number = "WLT-SQ-099"
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert "已验收" in str(refused.value)


def test_a_trademark_registered_after_the_accepted_phase_is_recorded(regional, phase_1_accepted):
    regional.trademark_number = "第 60123456 号"
    regional.trademark_status = "registered"
    regional.full_clean()
    regional.name = "乌拉特草原（更名）"
    with pytest.raises(ValidationError):
        regional.full_clean()


def test_an_import_records_the_leaving_date_of_a_frozen_member(
    member, regional, organisation, staff, phase_1_accepted
):
    row = {
        "区域公共品牌": regional.name,
        "成员企业": organisation.name,
        "授权编号": "WLT-SQ-001",
        "加入日期": IN_PHASE_1,
        "退出日期": IN_PHASE_2,
    }
    report = BrandMemberLedger(staff).import_file(ledger_xlsx(BrandMemberLedger, [row]), "成员.xlsx")
    assert report.ok and report.updated == 1, problems(report)
    assert BrandMember.objects.get(pk=member.pk).left_on == IN_PHASE_2
    inside = {**row, "退出日期": LAST_DAY_OF_PHASE_1}
    report = BrandMemberLedger(staff).import_file(ledger_xlsx(BrandMemberLedger, [inside]), "成员.xlsx")
    assert not report.ok and "已验收" in report.problems[0].message
