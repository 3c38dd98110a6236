from django.utils.translation import gettext as _

from muxiang.core.ledgers import (
    CellError,
    Column,
    ForeignColumn,
    Ledger,
    boolean,
    checked,
    multi_choice,
    text,
)
from muxiang.core.validators import (
    birth_date_from_digits,
    id_number_accepter,
    id_number_problem,
    mask_id_number,
    mobile_accepter,
    mobile_problem,
    normalise_id_number,
)
from muxiang.organisations.models import Organisation
from muxiang.people.choices import PersonKind
from muxiang.people.models import Person
from muxiang.regions.models import Region
from muxiang.stations.models import Station

_GENDER = {digit: "male" if int(digit) % 2 else "female" for digit in "0123456789"}


def _export_id(person, ledger):
    return person.id_number if ledger.sees_full_id else mask_id_number(person.id_number)


class PersonLedger(Ledger):
    """People, matched on the resident ID number (people without one are entered by form)."""

    model = Person
    sheet_name = "人员"
    key_field = "id_number"
    select_related = ("region", "station", "organisation")
    columns = [
        Column("name", "姓名", text(50), required=True, example="张三"),
        Column(
            "id_number",
            "身份证号",
            checked(id_number_problem, normalise_id_number, id_number_accepter),
            required=True,
            note="18 位，按 GB 11643 校验；请将单元格设为文本格式",
            example="150824199001011234",
            export=_export_id,
        ),
        Column("mobile", "手机号", checked(mobile_problem, accepter=mobile_accepter), example="13800000000"),
        Column(
            "kinds",
            "人员类别",
            multi_choice(PersonKind),
            note="可多选，用顿号分隔：学员、站点负责人、联系人、运营团队",
            export=lambda p, ledger: p.get_kinds_display(),
        ),
        Column("poor_household", "贫困户/脱贫户", boolean(), options=["是", "否"]),
        ForeignColumn(
            "region",
            "户籍/居住地",
            Region,
            keys=("code", "path", "name"),
            export=lambda p, ledger: p.region.path if p.region_id else "",
        ),
        ForeignColumn("station", "所属站点编号", Station, keys=("code",)),
        ForeignColumn("organisation", "所在单位信用代码", Organisation, keys=("credit_code",)),
        Column("notes", "备注", text(300)),
    ]

    def clean_row(self, values):
        # As Person.clean: a person lives in a town or village, never in the county as a whole.
        region = values.get("region")
        if region is not None and region.level == "county":
            raise CellError("户籍/居住地", _("请选择到镇/苏木或村/嘎查"))

    def complete_rows(self, new_values):
        # The ID number is authoritative for birth date and gender, as Person.save() has it.
        rows = super().complete_rows(new_values)
        for row in rows:
            number = row["id_number"]  # already checked and normalised by the column's parser
            row["birth_date"] = birth_date_from_digits(number[6:14])
            digit = number[16]
            row["gender"] = _GENDER.get(digit) or ("male" if int(digit) % 2 else "female")
        return rows
