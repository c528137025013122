"""Report pages: project preview and PDF, the portfolio PDF as a background job, CSV, and
frozen snapshots."""

from __future__ import annotations

from collections.abc import Iterator

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from peewee import JOIN, fn

from projects.access import (
    ADMINISTER,
    FREEZE_REPORTS,
    SEE_EVERYTHING,
    may,
    project_or_404,
    requires,
    visible_projects,
)
from projects.db import utcnow
from projects.editions import active_edition
from projects.fields import ConfirmForm
from projects.projects.models import Project
from projects.reports import bp, tasks
from projects.reports.a11_csv import a11_lines
from projects.reports.changes import freeze, quarter_label
from projects.reports.forms import FreezeForm
from projects.reports.models import (
    DONE,
    FAILED,
    KINDS,
    PORTFOLIO,
    PROJECT,
    ReportCache,
    ReportJob,
    Snapshot,
)
from projects.reports.portfolio_csv import portfolio_csv_lines
from projects.reports.project_report import build_project_report
from projects.reports.records import as_data
from projects.reports.render import project_pdf


def _download(data: bytes | Iterator[bytes], mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _pdf(data: bytes, filename: str) -> Response:
    return _download(data, "application/pdf", filename)


def _freeze_form(kind_label: str) -> FreezeForm:
    form = FreezeForm()
    if not form.is_submitted():
        form.label.data = quarter_label(utcnow().date(), kind_label)
    return form


@bp.route("/projects/<slug>/report")
def project_preview(slug: str):
    project = project_or_404(slug)
    report = build_project_report(project, active_edition())
    return render_template(
        "reports/project_preview.html",
        project=project,
        report=report,
        freeze_form=_freeze_form(project.name)
        if may(current_user, FREEZE_REPORTS, project)
        else None,
    )


@bp.route("/projects/<slug>/report.pdf")
def project_download(slug: str):
    project = project_or_404(slug)
    report = build_project_report(project, active_edition())
    rendered = project_pdf(report)
    return _pdf(rendered.pdf, f"{project.slug}-readiness-{report.generated_at:%Y-%m-%d}.pdf")


@bp.route("/projects/<slug>/report/snapshots", methods=["POST"])
def freeze_project(slug: str):
    project = project_or_404(slug, FREEZE_REPORTS)
    form = FreezeForm()
    if not form.validate_on_submit():
        report = build_project_report(project, active_edition())
        return render_template(
            "reports/project_preview.html",
            project=project,
            report=report,
            freeze_form=form,
        ), 400
    report = build_project_report(project, active_edition())
    rendered = project_pdf(report)
    snapshot = freeze(
        kind=PROJECT,
        label=form.label.data.strip(),
        data=as_data(report),
        scores=report.scores(),
        pdf=rendered.pdf,
        user=current_user._get_current_object(),
        project=project,
    )
    flash(f"Snapshot “{snapshot.label}” frozen. Its PDF and data are stored unchanged.", "success")
    return redirect(url_for("reports.snapshots"))


@bp.route("/portfolio/report")
def portfolio():
    jobs = (
        ReportJob.select()
        .where(ReportJob.requested_by == current_user.id)
        .order_by(ReportJob.created_at.desc(), ReportJob.id.desc())
        .limit(5)
    )
    return render_template("reports/portfolio_page.html", jobs=list(jobs), confirm=ConfirmForm())


@bp.route("/portfolio/report.csv")
def portfolio_download_csv():
    """Streamed: the first rows leave while later ones are still being read."""
    now = utcnow()
    lines = portfolio_csv_lines(current_user._get_current_object(), active_edition(), now)
    encoded = (line.encode("utf-8") for line in lines)
    return _download(stream_with_context(encoded), "text/csv", f"portfolio-{now:%Y-%m-%d}.csv")


@bp.route("/portfolio/a11-quarterly.csv")
@requires(SEE_EVERYTHING)
def a11_quarterly():
    """The A-11 quarterly customer-experience figures of every active project, streamed."""
    now = utcnow()
    lines = a11_lines(current_user._get_current_object())
    encoded = (line.encode("utf-8") for line in lines)
    filename = f"a11-quarterly-{now:%Y-%m-%d}.csv"
    return _download(stream_with_context(encoded), "text/csv", filename)


@bp.route("/portfolio/report/jobs", methods=["POST"])
def request_portfolio():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = tasks.request_portfolio(current_user._get_current_object())
    return redirect(url_for("reports.job", job_id=job.id))


def _my_job(job_id: int) -> ReportJob:
    job = ReportJob.get_or_none(
        (ReportJob.id == job_id) & (ReportJob.requested_by == current_user.id)
    )
    if job is None:
        abort(404)
    return job


def _finished_report(job: ReportJob) -> ReportCache | None:
    """The stored report a finished job made, if it is still stored."""
    return tasks.cached_report(job.cache_key) if job.status == DONE else None


def _settled_job(job_id: int) -> ReportJob:
    """The person's job, failed first if its worker died or it waited too long."""
    job = _my_job(job_id)
    return _my_job(job_id) if tasks.settle(job) else job


@bp.route("/reports/jobs/<int:job_id>")
def job(job_id: int):
    # No Refresh header: a reload throws away focus and makes a screen reader start again.
    # The page's script polls job_status instead; without script, the page asks the browser
    # to reload it every 30 seconds and offers "Check now".
    return _job_page(_settled_job(job_id))


@bp.route("/reports/jobs/<int:job_id>/status")
def job_status(job_id: int):
    """The job's state as JSON, for the status page's script to poll: it updates the progress
    and the live status line, and shows the finished page once `state` is done or failed."""
    job = _settled_job(job_id)
    return {
        "state": _state(job),
        "status_label": job.status_label,
        "progress": job.progress,
        "stage": job.stage,
    }


def _state(job: ReportJob) -> str:
    """What the status page shows: done, failed, no-worker (waiting for one) or working."""
    if job.status in (DONE, FAILED):
        return job.status
    return "no-worker" if tasks.waiting_for_a_worker(job) else "working"


def _job_page(job: ReportJob, freeze_form: FreezeForm | None = None) -> str:
    """The job's status page; `freeze_form` when redrawing a refused freeze with its errors."""
    cache = (
        ReportCache.select(ReportCache.pages, fn.LENGTH(ReportCache.pdf).alias("size"))
        .where(ReportCache.key == job.cache_key)
        .first()
        if job.status == DONE
        else None
    )
    if freeze_form is None and cache and may(current_user, FREEZE_REPORTS):
        freeze_form = _freeze_form("Portfolio")
    state = _state(job)
    return render_template(
        "reports/job.html",
        job=job,
        cache=cache,
        confirm=ConfirmForm(),
        freeze_form=freeze_form if cache else None,
        state=state,
        no_worker=state == "no-worker",
        # Only an admin can start the worker, so only an admin is shown the command.
        show_command=may(current_user, ADMINISTER),
    )


@bp.route("/reports/jobs/<int:job_id>/report.pdf")
def job_download(job_id: int):
    job = _my_job(job_id)
    cache = _finished_report(job)
    if cache is None:
        flash("That report is not ready yet, or is no longer stored. Create it again.", "info")
        return redirect(url_for("reports.job", job_id=job.id))
    return _pdf(cache.pdf_bytes, f"portfolio-readiness-{cache.created_at:%Y-%m-%d}.pdf")


@bp.route("/reports/jobs/<int:job_id>/retry", methods=["POST"])
def retry_job(job_id: int):
    job = _my_job(job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if job.status == FAILED:
        job = tasks.retry(job)
    return redirect(url_for("reports.job", job_id=job.id))


@bp.route("/reports/jobs/<int:job_id>/snapshots", methods=["POST"])
@requires(FREEZE_REPORTS)
def freeze_portfolio(job_id: int):
    job = _my_job(job_id)
    cache = _finished_report(job)
    if cache is None:
        abort(404)
    form = FreezeForm()
    if not form.validate_on_submit():
        return _job_page(job, form), 400
    snapshot = freeze(
        kind=PORTFOLIO,
        label=form.label.data.strip(),
        data=cache.data,
        scores=cache.scores,
        pdf=cache.pdf_bytes,
        user=current_user._get_current_object(),
    )
    flash(f"Snapshot “{snapshot.label}” frozen. Later reports compare against it.", "success")
    return redirect(url_for("reports.snapshots"))


def _visible_snapshots():
    query = (
        Snapshot.select(
            Snapshot.id,
            Snapshot.kind,
            Snapshot.label,
            Snapshot.sha256,
            Snapshot.created_at,
            Snapshot.created_by_name,
            Project.name.alias("project_name"),
            fn.LENGTH(Snapshot.pdf).alias("size"),
        )
        .join(Project, JOIN.LEFT_OUTER, on=Snapshot.project == Project.id)
        .order_by(Snapshot.created_at.desc(), Snapshot.id.desc())
    )
    if may(current_user, SEE_EVERYTHING):
        return query
    visible = visible_projects(current_user).select(Project.id)
    return query.where((Snapshot.kind == PROJECT) & Snapshot.project.in_(visible))


@bp.route("/reports/snapshots")
def snapshots():
    return render_template(
        "reports/snapshots.html", snapshots=list(_visible_snapshots().objects()), kinds=KINDS
    )


@bp.route("/reports/snapshots/<int:snapshot_id>/report.pdf")
def snapshot_download(snapshot_id: int):
    snapshot = Snapshot.get_or_none(Snapshot.id == snapshot_id)
    if snapshot is None:
        abort(404)
    if snapshot.kind == PORTFOLIO:
        if not may(current_user, SEE_EVERYTHING):
            abort(404)
    else:
        project_or_404(Project.get_by_id(snapshot.project_id).slug)
    problems = snapshot.problems()
    if problems:
        return render_template("reports/tampered.html", snapshot=snapshot, problems=problems), 409
    return _pdf(snapshot.pdf_bytes, f"snapshot-{snapshot.id}-{snapshot.created_at:%Y-%m-%d}.pdf")
