"""The brand system's rules, through the service functions every way in shares: a clear Chinese
message naming the field, and nothing written."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from muxiang.brands import services
from muxiang.brands.models import Brand, BrandMember, BrandService, PackagingRun, SeriesProduct
from muxiang.brands.tests.conftest import (
    IN_PHASE_1,
    IN_PHASE_2,
    make_brand,
    make_member,
    make_product,
    make_series,
)
from muxiang.core import services as core_services

pytestmark = pytest.mark.django_db


def refused(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return {field: " ".join(messages) for field, messages in caught.value.message_dict.items()}


def test_a_contract_has_one_regional_public_brand(contract, regional, staff):
    problems = refused(
        lambda: services.establish_brand(contract, "河套草原", "regional", IN_PHASE_1, by=staff)
    )
    assert "已有区域公共品牌「乌拉特草原」" in problems["tier"]
    assert Brand.objects.count() == 1


def test_an_enterprise_brand_names_its_owner_and_a_registered_trademark_its_number(contract, staff):
    problems = refused(
        lambda: services.establish_brand(
            contract, "牧歌", "enterprise", IN_PHASE_1, by=staff, trademark_status="registered"
        )
    )
    assert problems["owner"] == "企业品牌须填写权属企业"
    assert problems["trademark_number"] == "商标已注册，请填写商标注册号"
    assert not Brand.objects.exists()


def test_an_enterprise_brand_with_its_owner_is_established(contract, organisation, staff):
    brand = services.establish_brand(contract, "牧歌", "enterprise", IN_PHASE_1, by=staff, owner=organisation)
    assert brand.pk and brand.owner == organisation


def test_a_future_establishment_date_is_refused(contract, staff):
    problems = refused(
        lambda: services.establish_brand(contract, "羊", "industry", datetime.date(2030, 1, 1), by=staff)
    )
    assert "日期不能晚于今天：2030-01-01" in problems["established_on"]


def test_an_enterprise_cannot_join_the_regional_brand_twice(regional, organisation, staff):
    services.join_brand(regional, organisation, "WLT-SQ-001", IN_PHASE_1, by=staff)
    problems = refused(
        lambda: services.join_brand(regional, organisation, "WLT-SQ-002", IN_PHASE_2, by=staff)
    )
    assert (
        problems["organisation"]
        == "「海流图牧歌合作社」已是该品牌成员（授权编号 WLT-SQ-001，2026-03-15 加入），不能重复加入"
    )
    assert BrandMember.objects.count() == 1


def test_an_enterprise_that_left_may_join_again_later(regional, organisation, staff):
    member = services.join_brand(regional, organisation, "WLT-SQ-001", datetime.date(2026, 1, 10), by=staff)
    services.leave_brand(member, datetime.date(2026, 2, 1), by=staff)
    services.join_brand(regional, organisation, "WLT-SQ-002", IN_PHASE_1, by=staff)
    assert BrandMember.objects.filter(organisation=organisation).count() == 2


def test_leaving_before_joining_is_refused_and_nothing_changes(regional, organisation, staff):
    member = services.join_brand(regional, organisation, "WLT-SQ-001", IN_PHASE_1, by=staff)
    problems = refused(lambda: services.leave_brand(member, datetime.date(2026, 3, 1), by=staff))
    assert problems["left_on"] == "退出日期 2026-03-01 不能早于加入日期 2026-03-15"
    member.refresh_from_db()
    assert member.left_on is None


def test_only_the_regional_brand_takes_member_enterprises(contract, organisation, staff):
    industry = make_brand(contract, "乌拉特羊", "industry")
    problems = refused(
        lambda: services.join_brand(industry, organisation, "WLT-SQ-001", IN_PHASE_1, by=staff)
    )
    assert problems["brand"] == "只有区域公共品牌吸收成员企业：「乌拉特羊」是产业品牌"


def test_an_authorisation_number_of_a_deleted_member_says_to_restore_it(
    regional, organisation, other_organisation, staff
):
    member = make_member(regional, organisation)
    core_services.soft_delete_record(member, staff)
    problems = refused(
        lambda: services.join_brand(regional, other_organisation, "WLT-SQ-001", IN_PHASE_1, by=staff)
    )
    assert "已删除的记录" in problems["authorisation_number"]


def test_a_brand_service_is_given_while_the_enterprise_is_a_member(regional, organisation, staff):
    member = make_member(regional, organisation, left_on=datetime.date(2026, 5, 1))
    problems = refused(
        lambda: services.record_brand_service(member, "design", IN_PHASE_2, "设计礼盒", by=staff)
    )
    assert problems["provided_on"] == "服务日期 2026-08-01 不在该企业的成员期内（2026-03-15 – 2026-05-01）"
    service = services.record_brand_service(member, "design", datetime.date(2026, 4, 1), "设计礼盒", by=staff)
    assert service.number == "PF-001" and service.contract_id == regional.contract_id


def test_a_product_is_in_a_series_once(series, staff):
    product = make_product()
    services.add_to_series(series, product, IN_PHASE_1, by=staff)
    problems = refused(lambda: services.add_to_series(series, product, IN_PHASE_2, by=staff))
    assert problems["product"] == "「巴美羊肉礼盒1（2.5kg）」已在系列「草原羊肉系列」中"
    assert SeriesProduct.objects.count() == 1


def test_a_product_may_be_in_two_series(regional, series, staff):
    product = make_product()
    services.add_to_series(series, product, IN_PHASE_1, by=staff)
    services.add_to_series(make_series(regional, "XL-02", "奶香系列"), product, IN_PHASE_1, by=staff)
    assert SeriesProduct.objects.count() == 2


@pytest.mark.parametrize("units", [0, -5])
def test_packaging_of_no_units_is_refused(series, staff, units):
    problems = refused(
        lambda: services.record_packaging_run(series, units, IN_PHASE_1, "礼盒", "印务公司", by=staff)
    )
    assert "生产数量应大于 0" in problems["units"]
    assert not PackagingRun.objects.exists()


def test_packaging_of_one_product_packs_a_product_of_the_series(series, staff):
    stranger = make_product(2, name="奶豆腐")
    problems = refused(
        lambda: services.record_packaging_run(
            series, 500, IN_PHASE_1, "礼盒", "印务公司", by=staff, product=stranger
        )
    )
    assert problems["product"] == "「奶豆腐（2.5kg）」不是系列「草原羊肉系列」的产品，请先把它加入该系列"


def test_packaging_runs_are_numbered_in_series_and_take_the_series_contract(series, staff):
    first = services.record_packaging_run(series, 2000, IN_PHASE_1, "礼盒", "印务公司", by=staff)
    second = services.record_packaging_run(series, 2000, IN_PHASE_1, "手提袋", "印务公司", by=staff)
    assert (first.number, second.number) == ("BZ-001", "BZ-002")
    assert second.contract_id == series.contract_id


def test_records_of_an_accepted_phase_are_frozen(series, staff, phase_1_accepted):
    problems = refused(
        lambda: services.record_packaging_run(series, 100, IN_PHASE_1, "礼盒", "印务公司", by=staff)
    )
    assert "已验收" in problems["produced_on"]
    assert services.record_packaging_run(series, 100, IN_PHASE_2, "礼盒", "印务公司", by=staff).pk


def test_restoring_a_second_regional_brand_is_refused(contract, regional, staff):
    core_services.soft_delete_record(regional, staff)
    make_brand(contract, "河套草原")
    with pytest.raises(ValidationError) as caught:
        core_services.restore_record(regional, staff)
    assert "已有区域公共品牌「河套草原」" in caught.value.messages[0]


def test_a_station_manager_may_not_write_brand_records(regional, organisation, manager):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.join_brand(regional, organisation, "WLT-SQ-001", IN_PHASE_1, by=manager)
    assert not BrandService.objects.exists()
