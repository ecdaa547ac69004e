from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.dispatch"
    label = "dispatch"
    verbose_name = _("dispatch")

    def ready(self) -> None:
        # The ledger does not import dispatch (dispatch imports the ledger): dispatch tells it how to
        # read a project's filed progress reports (docs/decisions.md section 30).
        from zhaoshang.dispatch.services import filed_reports
        from zhaoshang.ledger import counting

        counting.read_reports_with("dispatch", filed_reports)
        # Requests raised by a report name it as "dispatch-report:<id>"; coordination shows it so.
        from zhaoshang.coordination import sources
        from zhaoshang.dispatch.services import describe_report

        sources.describe_with("dispatch-report", _("progress report"), describe_report)
