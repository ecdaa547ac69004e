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
    # Counts by date (issue 19): stamped like ``signed``, once per new project, in the month of its date.
    LEADS = "leads", _("leads received")
    CONTACTED = "contacted", _("projects in talks (contacted)")
    INTENTS = "intents", _("intent agreements signed")


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
