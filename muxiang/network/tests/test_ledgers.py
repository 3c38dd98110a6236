"""The outlet register keeps the spreadsheet promises, and its rules hold in imports."""

import pytest

from muxiang.core.tests.test_ledger_import import LedgerImportContract, ledger_xlsx
from muxiang.network.ledgers import OutletLedger
from muxiang.network.models import Outlet


@pytest.mark.django_db
class TestOutletLedger(LedgerImportContract):
    ledger_class = OutletLedger
    list_url = "/network/"
    changed_header, changed_value, changed_field = "地址", "团结路 8 号", "address"
    bad_header, bad_value, bad_fragment = "网点类型", "小卖部", "不是可选值"

    @pytest.fixture
    def rows(self, organisation, town, other_town, village, station):
        return [
            {
                "网点编号": "YZ-01",
                "网点名称": "海流图镇邮政便民服务站",
                "网点类型": "邮政网点",
                "运营单位": organisation.name,
                "所在镇/村": town.path,
                "融合站点编号": station.code,
                "开业日期": "2026-02-01",
                "状态": "运营中",
                "已数字化经营": "是",
            },
            {
                "网点编号": "GX-01",
                "网点名称": "乌加河镇供销超市",
                "网点类型": "供销网点",
                "运营单位": organisation.name,
                "所在镇/村": other_town.name,
                "开业日期": "2026-02-01",
                "状态": "运营中",
            },
            {
                "网点编号": "LS-01",
                "网点名称": "巴音村农家店",
                "网点类型": "商贸流通企业网点",
                "运营单位": organisation.name,
                "所在镇/村": village.name,
                "状态": "筹建中",
            },
        ]


def test_an_outlet_in_the_county_itself_is_refused_naming_the_column(staff, organisation, county):
    rows = [
        {
            "网点编号": "X-1",
            "网点名称": "旗供销社",
            "网点类型": "供销网点",
            "运营单位": organisation.name,
            "所在镇/村": county.name,
            "开业日期": "2026-02-01",
            "状态": "运营中",
        }
    ]
    report = OutletLedger(staff).import_file(ledger_xlsx(OutletLedger, rows), "网点.xlsx")
    assert [str(p) for p in report.problems] == [
        "第 2 行，「所在镇/村」列：网点应位于镇/苏木或村/嘎查，不能直接登记在旗/县"
    ]
    assert not Outlet.all_objects.exists()
