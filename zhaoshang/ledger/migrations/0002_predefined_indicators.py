"""The indicators every county starts with (DESIGN.md section 4 and the targets issue)."""

from django.db import migrations

INDICATORS = [
    ("funds_domestic", "境内市外到位资金", "Funds arrived from outside the county (domestic)", "wan_cny", "funds_domestic"),
    ("funds_foreign", "境外到位资金", "Foreign funds arrived", "wan_usd", "funds_foreign"),
    ("contracted_cny", "协议引资（内资）", "Contracted investment (domestic)", "wan_cny", "contracted_cny"),
    ("contracted_usd", "协议利用外资", "Contracted foreign investment", "wan_usd", "contracted_usd"),
    ("projects_signed", "新引进（签约）项目", "Projects introduced (signed)", "count", "signed"),
    ("projects_started", "新开工项目", "Projects started", "count", "started"),
    ("projects_operating", "投产项目", "Projects in production", "count", "operating"),
    ("investment_completed", "完成固定资产投资", "Fixed-asset investment completed", "wan_cny", "investment"),
    ("factory_area", "标准厂房建设", "Standard factory area built", "m2", "factory_area"),
    ("investors_received", "接待客商", "Investors received", "person_times", "visitors"),
    ("outbound_trips", "外出招商", "Outbound promotion trips", "times", "trips"),
]


def create(apps, schema_editor):
    Indicator = apps.get_model("ledger", "Indicator")
    for order, (code, zh, en, measure, kind) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "measure": measure, "kind": kind, "sort_order": order * 10}
        )


def remove(apps, schema_editor):
    apps.get_model("ledger", "Indicator").objects.filter(code__in=[i[0] for i in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
