"""The jobs pages: a list of one's background work, a job's page with its progress (refreshed by
htmx while it runs) and the download of what it produced."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render

from muxiang.jobs.services import visible_jobs


def _job_or_404(request, pk):
    job = visible_jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def job_list(request):
    page = Paginator(visible_jobs(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page, "jobs": page.object_list})


@login_required
def job_detail(request, pk: int):
    job = _job_or_404(request, pk)
    template = "jobs/_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_status(request, pk: int):
    """The job's progress as JSON, for scripts and for the API's clients."""
    job = _job_or_404(request, pk)
    return JsonResponse(
        {
            "id": job.pk,
            "kind": job.kind,
            "state": job.state,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "attempts": job.attempts,
            "download": job.result_name and request.build_absolute_uri(f"/jobs/{job.pk}/download/"),
        }
    )


@login_required
def job_download(request, pk: int):
    job = _job_or_404(request, pk)
    if not job.result:
        raise Http404
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
