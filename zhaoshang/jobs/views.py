"""The jobs page: what runs, how far it is, what failed and why; retrying; downloading the output."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.views import ScopedMixin, list_page
from zhaoshang.jobs import services
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.tables import JOB_LIST

JobListView = list_page(JOB_LIST, "jobs/job_list.html")


class JobDetailView(ScopedMixin, TemplateView):
    model = Job
    request: AuthedRequest
    template_name = "jobs/job_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        job = self.get_object()
        return super().get_context_data(
            job=job,
            can_retry=job.status == "failed" and services.may_retry(self.request.user, job),
            # Only those who may retry read the traceback; the others see the message.
            show_error=services.may_retry(self.request.user, job),
            **kwargs,
        )


class JobRetryView(ScopedMixin, View):
    model = Job

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        job = self.get_object()
        try:
            services.retry(job, by=request.user)
        except PermissionDenied:
            return render(request, "403.html", status=403)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The job is queued again."))
        return redirect(job)


class JobOutputView(ScopedMixin, View):
    """The file a job made (a batch of documents, a large export), for those who may see the job."""

    model = Job

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        job = self.get_object()
        if not job.output:
            raise Http404
        return FileResponse(
            job.output.open("rb"), as_attachment=True, filename=job.output.name.rsplit("/", 1)[-1]
        )
