from django.db import migrations, models


def infer_kinds(apps, schema_editor):
    """Files uploaded before kinds existed: photos and videos by their type, the rest documents."""
    Evidence = apps.get_model("core", "Evidence")
    Evidence.objects.filter(mime_type__startswith="image/").update(kind="photo")
    Evidence.objects.filter(mime_type__startswith="video/").update(kind="video")
    Evidence.objects.exclude(mime_type__startswith="image/").exclude(mime_type__startswith="video/").update(
        kind="document"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_objectchange_ordered_by_id")]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="kind",
            field=models.CharField(
                choices=[
                    ("photo", "照片"),
                    ("sign_in_sheet", "签到表"),
                    ("notice", "通知"),
                    ("document", "文件资料"),
                    ("screenshot", "截图"),
                    ("work_order", "服务工单"),
                    ("ledger", "台账"),
                    ("invoice", "发票"),
                    ("sales_proof", "销售证明"),
                    ("video", "视频"),
                    ("other", "其他"),
                ],
                default="other",
                max_length=20,
                verbose_name="材料类型",
            ),
        ),
        migrations.RunPython(infer_kinds, migrations.RunPython.noop),
    ]
