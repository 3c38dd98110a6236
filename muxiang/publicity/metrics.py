"""What publicity contributes to the contract engine: 1.1 三 (articles, media coverage, billboards),
3 六 (brochure pages, training videos) and the brand promotion figures of 2.3 二.

The four ``brands.*`` figures live here, not in the brand app, because the records that prove them
are publicity records (an article, a report, a video marked 区域公共品牌宣传); the brand system of
issue 6 adds brands themselves and may move them once promotions name a brand.

Every figure is one or a few database aggregates over the records of the contract dated in the
window (soft-deleted records never count); where the target requires evidence, only records that
carry a file of every kind it names count (``contracts.engine.evidenced``).
"""

from django.db.models import Count, Sum

from muxiang.contracts.engine import evidenced, records_of, register
from muxiang.publicity.choices import VideoKind
from muxiang.publicity.models import Article, Billboard, BrochureDistribution, MediaCoverage, Video


def dated_in(model, window, params, contract):
    """The records of ``contract`` dated in ``window`` (up to the day measured)."""
    return evidenced(model.objects.filter(contract=contract, **window.date_filter(model.date_field)), params)


def chosen(records, field, values):
    """Narrow to the listed choices (``channels``, ``levels``, ``kinds``); none listed: all."""
    return records.filter(**{f"{field}__in": list(values)}) if values else records


def total(records, field) -> int:
    return records.aggregate(total=Sum(field))["total"] or 0


# --- 1.1 三 and 3 六 ---------------------------------------------------------------------------------


@records_of("publicity.articles")
def articles(window, params, contract):
    return chosen(dated_in(Article, window, params, contract), "channel", params.get("channels"))


@register("publicity.articles")
def article_count(window, params, contract):
    """Articles published in the window, on the listed channels (all channels when none listed)."""
    return articles(window, params, contract).count()


@records_of("publicity.media_coverage")
def media_coverage(window, params, contract):
    return chosen(dated_in(MediaCoverage, window, params, contract), "level", params.get("levels"))


@register("publicity.media_coverage")
def media_coverage_count(window, params, contract):
    """Reports published in the window by outlets of the listed levels (the shipped contract lists
    national, provincial and city: county outlets do not count)."""
    return media_coverage(window, params, contract).count()


@records_of("publicity.billboards")
def billboards(window, params, contract):
    # A board stays up once installed: every board installed by the window's end counts, whenever
    # its phase began.
    up = Billboard.objects.filter(contract=contract, installed_on__lte=min(window.end, window.as_of))
    return evidenced(up, params)


@register("publicity.billboards")
def billboard_count(window, params, contract):
    """Billboards installed up to the window's end."""
    return billboards(window, params, contract).count()


@records_of("publicity.brochure_pages")
def brochure_distributions(window, params, contract):
    return dated_in(BrochureDistribution, window, params, contract)


@register("publicity.brochure_pages")
def brochure_pages(window, params, contract):
    """Pages of brochures handed out in the window (the sum of 发放页数)."""
    return total(brochure_distributions(window, params, contract), "pages")


@records_of("publicity.videos")
def videos(window, params, contract):
    return chosen(dated_in(Video, window, params, contract), "kind", params.get("kinds"))


@register("publicity.videos")
def video_count(window, params, contract):
    """Publications of videos of the listed kinds in the window: a film on five platforms is five."""
    return videos(window, params, contract).count()


# --- 2.3 二: brand promotion ---------------------------------------------------------------------


def brand_promotions(model, window, params, contract):
    return dated_in(model, window, params, contract).filter(promotes_brand=True)


@register("brands.promotions")
def promotion_count(window, params, contract):
    """Online and offline promotions of the regional brand: every article, media report and video
    publication marked 区域公共品牌宣传 in the window is one promotion (three counts)."""
    return sum(
        brand_promotions(model, window, params, contract).count() for model in (Article, MediaCoverage, Video)
    )


@records_of("brands.promotions")
def promoting_articles(window, params, contract):
    """The brand-promoting articles only. The target page lists the records of one model, so the
    media reports and videos that the figure also counts are listed on their own ledgers (filter
    区域公共品牌宣传 = 是)."""
    return brand_promotions(Article, window, params, contract)


@register("brands.promotion_reads")
def promotion_reads(window, params, contract):
    """Reads of brand-promoting articles plus views of brand-promoting videos published in the
    window (the target is cumulative: its window runs from the contract's start). Reads are the
    latest figure typed in, not reads within the window."""
    return total(brand_promotions(Article, window, params, contract), "reads") + total(
        brand_promotions(Video, window, params, contract), "views"
    )


@records_of("brands.promotion_reads")
def read_articles(window, params, contract):
    """As for ``brands.promotions``: the articles; the videos' views are on the video ledger."""
    return brand_promotions(Article, window, params, contract)


@records_of("brands.promo_video_showings")
def brand_film_publications(window, params, contract):
    return dated_in(Video, window, params, contract).filter(kind=VideoKind.BRAND_PROMO)


@register("brands.promo_videos")
def brand_film_count(window, params, contract):
    """Regional brand films (区域品牌宣传片) published in the window: distinct titles, because one
    film published on five platforms is five rows of the same title."""
    publications = brand_film_publications(window, params, contract)
    return publications.aggregate(films=Count("title", distinct=True))["films"]


@records_of("brands.promo_videos")
def brand_films(window, params, contract):
    return brand_film_publications(window, params, contract)


@register("brands.promo_video_showings")
def brand_film_showings(window, params, contract):
    """Showings of the brand films in the media: one per publication (row) in the window."""
    return brand_film_publications(window, params, contract).count()
