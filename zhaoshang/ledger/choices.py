"""What the ledger counts (統計口徑, DESIGN.md section 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Measure(models.TextChoices):
    WAN_CNY = "wan_cny", _("10,000 CNY")
    WAN_USD = "wan_usd", _("10,000 USD")
    COUNT = "count", pgettext_lazy("measure of a count of projects", "projects")
    SQUARE_METRES = "m2", _("m²")
    PERSON_TIMES = "person_times", _("person-times")
    TIMES = "times", _("times")
    PERSONS = "persons", _("persons")
    ARTICLES = "articles", _("articles")


class Kind(models.TextChoices):
    """The kinds of countable event; each indicator sums the events of one kind."""

    FUNDS_DOMESTIC = "funds_domestic", _("funds arrived from outside the county, inside China")
    FUNDS_FOREIGN = "funds_foreign", _("foreign funds arrived (incl. Hong Kong, Macau, Taiwan)")
    CONTRACTED_CNY = "contracted_cny", _("contracted amount, domestic projects")
    CONTRACTED_USD = "contracted_usd", _("contracted amount, foreign projects")
    SIGNED = "signed", _("projects signed")
    STARTED = "started", _("projects started")
    OPERATING = "operating", _("projects in production")
    INVESTMENT = "investment", _("fixed-asset investment completed")
    FACTORY_AREA = "factory_area", _("standard factory area built")
    VISITORS = "visitors", _("investors received")
    TRIPS = "trips", _("outbound trips")
    # Levels of domestic funds (issue 19, decisions "origin levels"): recorded beside funds_domestic,
    # which keeps meaning all domestic funds from outside the county (a line whose origin is unknown
    # counts there only).
    FUNDS_INTERCOUNTY = "funds_intercounty", _("funds from another county of the same city (市内县际)")
    FUNDS_OUTCITY = "funds_outcity", _("funds from another city of the same province (市外省内)")
    FUNDS_OUTPROVINCE = "funds_outprovince", _("funds from another province (国内省外)")
    # Counts by date (issue 19): stamped like ``signed``, once per new project, in the month of its date.
    LEADS = "leads", _("leads received")
    CONTACTED = "contacted", _("projects in talks (contacted)")
    INTENTS = "intents", _("intent agreements signed")
    # Key landed enterprises' quarterly returns (issue 23): stamped in the quarter's last month once
    # verified. Output, sales and tax are flows (万元); jobs are a stock, recorded as the change from
    # the enterprise's previous counted headcount of the year (``counting.return_figures``).
    ENTERPRISE_OUTPUT = "ent_output", _("output value of key landed enterprises")
    ENTERPRISE_SALES = "ent_sales", _("sales of key landed enterprises")
    ENTERPRISE_TAX = "ent_tax", _("tax paid by key landed enterprises")
    ENTERPRISE_JOBS = "ent_jobs", _("jobs in key landed enterprises")


class FundsSource(models.TextChoices):
    """Where arrived money comes from; only money from outside the county counts (local does not)."""

    DOMESTIC = "domestic", _("outside the county, inside China")
    FOREIGN = "foreign", _("foreign, incl. Hong Kong, Macau and Taiwan")
    LOCAL = "local", _("local (not counted)")


class FundsStatus(models.TextChoices):
    REPORTED = "reported", _("reported")
    VERIFIED = "verified", _("verified")
    RETURNED = "returned", _("returned")


class Evidence(models.TextChoices):
    """The documents a verification of funds may need (forms.md section 4.2: 银行进账单, 验资报告,
    投资协议书, 营业执照, 地税登记). The bank slip is the funds record's own voucher; the others are
    files of the project (``projects.models.Attachment`` of the same kind)."""

    BANK_SLIP = "bank_slip", _("bank slip (the voucher of the funds record)")
    CAPITAL = "capital", _("capital verification report")
    CONTRACT = "contract", _("contract")
    LICENCE = "licence", _("business licence")
    TAX = "tax", _("local tax registration")
    # A manual figure's own file (勞務輸出's roster, 信息報送's published articles): the one document
    # a manual indicator may ask for (ledger.manual).
    VOUCHER = "voucher", _("supporting document (the manual figure's own file)")


# Manual indicators (issue 19): figures from no project (勞務輸出, 信息報送, 招商人員), entered per
# unit and month. Each counts the events of a kind of its own, "m_" and a slug, beside the built-in
# kinds and the "x_" kinds of figures kept apart (ledger.counting.apart).
MANUAL = "m_"
KIND_LENGTH = 20  # Indicator.kind, Event.kind, Total.kind


# A county's indicator from a rule (统计口径, ledger.rules) counts a kind of its own, "c_" and the
# indicator's id: events of its base kinds recorded again for the projects its filters let through.
RULE = "c_"


def is_manual(kind: str) -> bool:
    return kind.startswith(MANUAL)


def rule_kind(indicator_id: int) -> str:
    """The kind a county's rule indicator counts."""
    return f"{RULE}{indicator_id}"


def validate_kind(value: str) -> None:
    """An indicator counts a built-in kind, a manual kind ("m_" and a lower-case slug) or a county
    rule's kind ("c_" and its id)."""
    import re

    from django.core.exceptions import ValidationError

    if value in Kind.values:
        return
    if re.fullmatch(r"c_[0-9]+", value) and len(value) <= KIND_LENGTH:
        return
    if not (is_manual(value) and len(value) <= KIND_LENGTH and re.fullmatch(r"m_[a-z0-9_]+", value)):
        raise ValidationError(_("Unknown kind of figure %(kind)s.") % {"kind": value}, code="invalid")
