"""What a consumer sees of a code is cached (``scans``): any save of a record shown on the public
page raises the cache generation once the transaction commits, so the next scan reads it afresh."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from muxiang.trace import scans


def _changed(sender, instance, **kwargs):
    if sender.__name__ == "Evidence":
        from django.contrib.contenttypes.models import ContentType

        from muxiang.trace.models import Batch

        if instance.content_type_id != ContentType.objects.get_for_model(Batch).pk:
            return
    transaction.on_commit(scans.bump_generation)


def connect() -> None:
    from muxiang.core.models import Evidence
    from muxiang.organisations.models import Organisation
    from muxiang.supply.models import Product
    from muxiang.trace.models import Batch, Certificate, Enterprise, ProductionBase, TraceEvent

    for model in (
        Batch,
        Certificate,
        Enterprise,
        ProductionBase,
        TraceEvent,
        Product,
        Organisation,
        Evidence,
    ):
        post_save.connect(_changed, sender=model, dispatch_uid=f"trace-public-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"trace-public-del-{model.__name__}")
