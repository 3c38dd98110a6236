from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from muxiang.core.audit import change_context
from muxiang.trace.models import Enterprise
from muxiang.trace.services import issue_trace_codes


def pick_enterprise(producer: str) -> Enterprise:
    """An enrolled producer by its credit code, its name or its enrolment number."""
    query = Q(organisation__credit_code=producer.upper()) | Q(organisation__name=producer)
    if producer.isdigit():
        query |= Q(pk=int(producer))
    found = list(Enterprise.objects.filter(query).select_related("organisation")[:2])
    if not found:
        raise CommandError(f"没有入驻溯源体系的企业「{producer}」 (no enrolled producer {producer!r})")
    if len(found) > 1:
        raise CommandError(
            f"「{producer}」对应多家企业，请用统一社会信用代码 (ambiguous: use the credit code)"
        )
    return found[0]


class Command(BaseCommand):
    help = "Trace codes: issue --producer P --count N [--product CODE]; flush-scans"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue N new trace codes to an enrolled producer")
        issue.add_argument("--producer", required=True, help="credit code, name or enrolment number")
        issue.add_argument("--count", required=True, type=int)
        issue.add_argument("--product", help="product code (SP-0001) printed on the labels")
        sub.add_parser(
            "flush-scans",
            help="write the scans queued on this machine to the database (the worker does it every "
            "few seconds; for a web machine without a worker, run it from a timer)",
        )

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action.replace('-', '_')}")(**options)

    def handle_flush_scans(self, **options):
        from muxiang.trace.scans import flush_scans

        self.stdout.write(f"已写入扫码记录 {flush_scans():,} 条")

    def handle_issue(self, producer, count, product=None, **options):
        from muxiang.supply.models import Product

        enterprise = pick_enterprise(producer)
        item = None
        if product:
            item = Product.objects.filter(code=product).first()
            if item is None:
                raise CommandError(f"没有商品编号为「{product}」的商品 (no product {product!r})")
        try:
            with change_context(source="system"):
                run = issue_trace_codes(enterprise, count, None, product=item)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已为 {enterprise} 发码 {run.count:,} 个（发码记录 #{run.pk}）")
