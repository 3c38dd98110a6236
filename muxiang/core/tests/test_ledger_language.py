import pytest
from django.utils import translation

from muxiang.stations.ledgers import StationLedger
from muxiang.stations.models import Station


@pytest.mark.django_db
def test_a_ledger_exported_from_the_english_ui_imports_back_unchanged(staff, station, other_station):
    # given an operator who works with the English UI
    with translation.override("en"):
        exported = StationLedger(staff).export(Station.objects.all())
        # when the same spreadsheet comes back
        report = StationLedger(staff).import_file(exported, "stations.xlsx")
    # then every row is recognised as unchanged
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
