"""Choices of the project catalogue (項目庫): an offer's status and its rule table, the forms of
cooperation, the preparatory work done."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    REVIEW = "review", _("In review")  # 審核中
    PUBLISHED = "published", _("Published")  # 已發布
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 已撤回
    TAKEN = "taken", _("Taken up")  # 已落地 (became a project of the ledger)


# Which status may follow which, and the action of the matrix each move needs: the unit submits its
# draft (edit), the bureau sends it back, publishes and withdraws it (verify); a withdrawn offer may
# be drafted again; a published offer is taken up by an investor (verify), never by a stranger.
TRANSITIONS: dict[tuple[str, str], str] = {
    (OfferStatus.DRAFT, OfferStatus.REVIEW): "edit",
    (OfferStatus.REVIEW, OfferStatus.DRAFT): "verify",
    (OfferStatus.REVIEW, OfferStatus.PUBLISHED): "verify",
    (OfferStatus.PUBLISHED, OfferStatus.WITHDRAWN): "verify",
    (OfferStatus.WITHDRAWN, OfferStatus.DRAFT): "edit",
    (OfferStatus.PUBLISHED, OfferStatus.TAKEN): "verify",
}

# The statuses in which the unit may still change its offer; the bureau may also correct (and
# translate) an offer in review or published.
UNIT_EDITABLE = {OfferStatus.DRAFT, OfferStatus.WITHDRAWN}
BUREAU_EDITABLE = {OfferStatus.DRAFT, OfferStatus.WITHDRAWN, OfferStatus.REVIEW, OfferStatus.PUBLISHED}


class Cooperation(models.TextChoices):
    SOLE = "sole", _("Sole proprietorship")  # 獨資
    JOINT = "joint", _("Joint venture")  # 合資
    COOPERATION = "cooperation", _("Cooperation")  # 合作
    BOT = "bot", _("BOT")
    PPP = "ppp", _("PPP")
    LEASE = "lease", _("Lease")  # 租賃
    OTHER = "other", _("Other")


class Prep(models.TextChoices):
    """前期工作: what is done already."""

    FILING = "filing", _("Project approval or filing")  # 立項
    LAND = "land", _("Land use")  # 用地
    PLANNING = "planning", _("Planning")  # 規劃
    ENVIRONMENT = "environment", _("Environmental assessment")  # 環評


class InvestmentSize(models.TextChoices):
    """The public site's size filter, on total investment in 10,000 of the offer's currency."""

    SMALL = "small", _("Under 50 million")
    MEDIUM = "medium", _("50 to 500 million")
    LARGE = "large", _("500 million and more")


SIZE_BOUNDS: dict[str, tuple[int | None, int | None]] = {
    InvestmentSize.SMALL: (None, 5000),
    InvestmentSize.MEDIUM: (5000, 50000),
    InvestmentSize.LARGE: (50000, None),
}


class FileKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    FILE = "file", _("Document")
