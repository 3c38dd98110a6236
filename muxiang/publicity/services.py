"""Publicity rules that are more than one field: numbering billboards and brochure distributions,
and updating an article's reads after publication."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.core.services import acting_as
from muxiang.publicity.models import Article, Billboard, BrochureDistribution


def next_number(model: type[Billboard] | type[BrochureDistribution]) -> str:
    """The next free number of ``model`` in its series (GGP-001, CY-001 …): one above the highest
    number of the series ever given, deleted records included, so that a number never comes back.
    Numbers typed in another form (GGP-北门) are left out of the series."""
    prefix = model.number_prefix
    # Zero-padded numbers sort as text only up to 999; the longer number is the larger one.
    highest = (
        model.all_objects.filter(number__regex=rf"^{prefix}[0-9]+$")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    following = int(highest[len(prefix) :]) + 1 if highest else 1
    return f"{prefix}{following:03d}"


@transaction.atomic
def update_article_reads(article: Article, reads: int, by) -> Article:
    """Record the reads an article has reached (read off the channel's back end). The model's rules
    apply as on any edit (never negative; an article of an accepted phase is frozen), and the save
    leaves an audit entry with the old and new figure."""
    if not permissions.can_change(by, article):
        raise PermissionDenied(_("您没有修改此记录的权限"))
    previous, article.reads = article.reads, reads
    try:
        article.full_clean()
    except ValidationError:
        article.reads = previous
        raise
    with acting_as(by):
        article.save(update_fields=["reads", "updated_at"])
    return article
