"""Demo outlets of the trade network (see ``muxiang.demo.activity``): a post or supply-and-marketing
outlet in every town and in about three villages of five, opened during phase 1, most with the
photo and document the coverage targets ask for — so the dashboard shows town coverage at 100%
and village coverage above 50%."""

from muxiang.network.choices import OutletKind, OutletStatus
from muxiang.network.models import Outlet
from muxiang.regions.models import Region

RETAIL_NAMES = ("便民超市", "农家店", "日杂百货店", "综合商店")


def seed(demo) -> dict[str, int]:
    by_kind = {}
    for organisation in demo.organisations:
        by_kind.setdefault(organisation.kind, []).append(organisation)
    posts = by_kind.get("post_office") or demo.organisations
    co_ops = by_kind.get("supply_marketing") or demo.organisations
    retailers = by_kind.get("enterprise") or demo.organisations
    if not demo.organisations:
        return {"network_outlets": 0}
    stations = {station.region_id: station for station in demo.stations}
    towns = list(Region.objects.towns().order_by("path"))
    villages = list(Region.objects.villages().order_by("path"))
    outlets = []
    for index, town in enumerate(towns, start=1):
        kind, operator = (
            (OutletKind.POST, demo.rng.choice(posts))
            if index % 2
            else (OutletKind.SUPPLY_MARKETING, demo.rng.choice(co_ops))
        )
        label = "邮政便民服务站" if kind == OutletKind.POST else "供销社农资超市"
        outlets.append(
            _outlet(demo, f"WD-T{index:02d}", f"{town.name}{label}", kind, operator, town, stations)
        )
    for index, village in enumerate(villages, start=1):
        if demo.rng.random() > 0.62:
            continue
        kind = demo.rng.choice([OutletKind.POST, OutletKind.SUPPLY_MARKETING, OutletKind.RETAIL])
        operator = demo.rng.choice(
            {OutletKind.POST: posts, OutletKind.SUPPLY_MARKETING: co_ops}.get(kind, retailers)
        )
        name = f"{village.name}{demo.rng.choice(RETAIL_NAMES) if kind == OutletKind.RETAIL else '便民服务点'}"
        outlets.append(_outlet(demo, f"WD-V{index:03d}", name, kind, operator, village, stations))
    for outlet in outlets:
        outlet.save()  # one audit entry each, as an outlet registered on the page
    # Every outlet shows its premises; all but a few village outlets also carry the operating agreement.
    demo.attach_kind(outlets, "photo", "网点门头照片.png")
    demo.attach_kind(
        [o for i, o in enumerate(outlets) if not (o.code.startswith("WD-V") and i % 11 == 7)],
        "document",
        "网点合作协议.pdf",
    )
    return {"network_outlets": len(outlets)}


def _outlet(demo, code, name, kind, operator, region, stations) -> Outlet:
    return Outlet(
        code=code,
        name=name,
        kind=kind,
        operator=operator,
        region=region,
        station=stations.get(region.pk),
        address=f"{region.name}主街",
        opened_on=demo.day_in_phase(1),
        status=OutletStatus.ACTIVE,
        digital=demo.rng.random() < 0.7,
    )
