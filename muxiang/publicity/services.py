"""Publicity rules that are more than one field: numbering billboards and brochure distributions,
and updating an article's reads after publication."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.core.numbering import next_series_number
from muxiang.core.services import acting_as
from muxiang.publicity.models import Article

# The series numbers (``core.numbering``), by the name this app's forms and services call.
next_number = next_series_number


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
