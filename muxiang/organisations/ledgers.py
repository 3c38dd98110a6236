from muxiang.core.ledgers import Column, ForeignColumn, Ledger, checked, choice, text
from muxiang.core.validators import credit_code_problem, mobile_problem
from muxiang.organisations.choices import OrganisationKind
from muxiang.organisations.models import Organisation
from muxiang.regions.models import Region
from muxiang.stations.models import Station


class OrganisationLedger(Ledger):
    """Organisations, matched on the unified social credit code."""

    model = Organisation
    sheet_name = "组织"
    key_field = "credit_code"
    select_related = ("region", "station")
    columns = [
        Column("name", "名称", text(150), required=True, example="乌拉特中旗某某农牧业合作社"),
        Column(
            "kind",
            "类型",
            choice(OrganisationKind),
            required=True,
            options=[str(c.label) for c in OrganisationKind],
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            checked(credit_code_problem, lambda v: v.strip().upper()),
            required=True,
            note="18 位，按 GB 32100 校验",
            example="91150824MA0N0000XX",
        ),
        ForeignColumn(
            "region",
            "所在区域",
            Region,
            keys=("code", "path", "name"),
            export=lambda r, ledger: r.region.path if r.region_id else "",
        ),
        ForeignColumn("station", "对接站点编号", Station, keys=("code",)),
        Column("contact_name", "联系人", text(50)),
        Column("contact_phone", "联系电话", checked(mobile_problem)),
        Column("address", "地址", text(200)),
        Column("main_products", "主营产品", text(200)),
    ]
