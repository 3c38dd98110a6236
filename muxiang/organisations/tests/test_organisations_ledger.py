"""The organisations register as a spreadsheet: matched on the unified social credit code."""

import pytest

from muxiang.core.tests.test_ledger_import import LedgerImportContract, ledger_xlsx, problems
from muxiang.core.validators import make_credit_code
from muxiang.organisations.ledgers import OrganisationLedger
from muxiang.organisations.models import Organisation

CO_OP = make_credit_code("93150824MA0N00101")
FARM = make_credit_code("92150824MA0N00102")
POST = make_credit_code("12150824MB0N00103")


@pytest.mark.django_db
class TestOrganisationLedger(LedgerImportContract):
    ledger_class = OrganisationLedger
    list_url = "/organisations/"
    changed_header, changed_value, changed_field = "联系人", "王五", "contact_name"
    bad_header, bad_value, bad_fragment = "统一社会信用代码", POST[:17] + "I", "不允许的字符"

    @pytest.fixture
    def rows(self, town, village, station):
        return [
            {
                "名称": "海流图牧歌二社",
                "类型": "合作社",
                "统一社会信用代码": CO_OP,
                "所在区域": town.path,
                "对接站点编号": station.code,
                "联系人": "巴图",
                "联系电话": "13600000001",
                "主营产品": "羊肉、奶食",
            },
            {
                "名称": "巴音家庭牧场二号",
                "类型": "家庭农牧场",
                "统一社会信用代码": FARM,
                "所在区域": village.path,
            },
            {"名称": "乌拉特中旗邮政", "类型": "post_office", "统一社会信用代码": POST},
        ]


def import_organisations(user, rows):
    return OrganisationLedger(user).import_file(ledger_xlsx(OrganisationLedger, rows), "组织.xlsx")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (CO_OP[:17] + ("0" if CO_OP[17] != "0" else "1"), "校验位错误（GB 32100）"),
        ("93150824MA0N0010O" + "1", "不允许的字符"),
        ("93150824MA0N001S1" + "1", "不允许的字符"),
        (CO_OP[:-1], "应为 18 位，实际为 17 位"),
        (CO_OP + "1", "应为 18 位，实际为 19 位"),
        ("", "必填，不能为空"),
    ],
)
def test_a_malformed_credit_code_is_reported_and_nothing_is_written(staff, code, message):
    report = import_organisations(
        staff,
        [
            {"名称": "甲", "类型": "企业", "统一社会信用代码": FARM},
            {"名称": "乙", "类型": "企业", "统一社会信用代码": code},
        ],
    )
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "统一社会信用代码")
    assert message in problem.message
    assert not Organisation.objects.exists()


def test_a_lowercase_credit_code_is_stored_uppercase_and_matches_the_same_organisation(staff, organisation):
    report = import_organisations(
        staff,
        [
            {
                "名称": "海流图牧歌合作社（更名）",
                "类型": "合作社",
                "统一社会信用代码": organisation.credit_code.lower(),
            }
        ],
    )
    assert (report.created, report.updated) == (0, 1), problems(report)
    organisation.refresh_from_db()
    assert organisation.name == "海流图牧歌合作社（更名）"


def test_an_unknown_kind_lists_the_kinds_there_are(staff):
    [problem] = import_organisations(
        staff, [{"名称": "甲", "类型": "公司", "统一社会信用代码": FARM}]
    ).problems
    assert problem.column == "类型"
    assert "可选：企业、合作社" in problem.message


def test_a_malformed_contact_phone_is_reported(staff):
    [problem] = import_organisations(
        staff, [{"名称": "甲", "类型": "企业", "统一社会信用代码": FARM, "联系电话": "12345"}]
    ).problems
    assert problem.column == "联系电话"
    assert "手机号应为 1 开头的 11 位数字：12345" in problem.message
