"""Build one portfolio of N projects in a temporary SQLite database, render its PDF (in parts, as
the report job does), and print the measurements as JSON. Run in a fresh process per size so
peak memory is its own: `pdf_figures(N)` does that and returns them."""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from playbook.edition import PHASES
from playbook.readiness import STATUSES


def seed(size: int, edition) -> None:
    from projects.auth.models import User
    from projects.checklists.models import ItemResponse, QuestionAnswer
    from projects.db import db, utcnow
    from projects.projects.models import Project

    rng = random.Random(size)
    now = utcnow()
    with db.atomic():
        leads = [
            User.create(
                email=f"lead{n}@example.gov", name=f"Lead {n}", role="lead", password_hash="x"
            )
            for n in range(max(size // 10, 1))
        ]
        User.create(
            email="leadership@example.gov", name="Leadership", role="leadership", password_hash="x"
        )
        for n in range(size):
            project = Project.create(
                slug=f"project-{n}",
                name=f"Project {n:03d}: online service {n}",
                agency=f"Department {n % 12}",
                office="Digital services",
                phase=PHASES[n % 4],
                summary="A service residents use every week.",
                lead=leads[n % len(leads)],
            )
            rows = []
            for item in (i for play in edition.plays for i in play.checklist):
                status = rng.choices(STATUSES, weights=(3, 3, 5, 1))[0]
                rows.append(
                    {
                        "project": project.id,
                        "item_id": item.id,
                        "status": status,
                        "justification": "Out of scope for this service"
                        if status == "not_applicable"
                        else "",
                        "evidence_url": "https://example.gov/evidence"
                        if rng.random() < 0.6
                        else "",
                        "owner": leads[rng.randrange(len(leads))].id,
                        "due_date": (now + timedelta(days=rng.randint(-60, 120))).date(),
                        "updated_at": now - timedelta(days=rng.randint(0, 200)),
                    }
                )
            ItemResponse.insert_many(rows).execute()
            QuestionAnswer.insert_many(
                [
                    {
                        "project": project.id,
                        "question_id": q.id,
                        "answer": "We *did* this.",
                        "updated_at": now,
                    }
                    for play in edition.plays
                    for q in play.key_questions[:2]
                ]
            ).execute()


def measure(size: int) -> dict:
    from playbook.edition import default_edition
    from projects import create_app
    from projects.auth.models import User
    from projects.db import db, upgrade, utcnow
    from projects.reports import tasks
    from projects.reports.fingerprint import portfolio_version
    from projects.reports.models import ReportCache
    from projects.reports.portfolio_report import build_portfolio_report
    from projects.reports.records import as_data
    from projects.reports.render import portfolio_pdf

    folder = Path(tempfile.mkdtemp(prefix="playbook-bench-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "bench",
            "JOBS_IMMEDIATE": True,
            "PDF_STRICT": True,
        }
    )
    app.instance_path = str(folder)
    with app.app_context():
        upgrade()
        db.connect(reuse_if_open=True)
        edition = default_edition()
        seed(size, edition)
        user = User.get(User.email == "leadership@example.gov")

        start, cpu = time.perf_counter(), time.process_time()
        key = portfolio_version(user, edition, utcnow().date())
        report = build_portfolio_report(user, edition)
        outside = time.process_time() - cpu
        rendered = portfolio_pdf(report)  # the parts' HTML, their layout, joining them
        pdf = rendered.pdf
        weasy = time.process_time() - cpu - outside
        ReportCache.create(
            key=key, data=as_data(report), scores=report.scores(), pdf=pdf, pages=rendered.pages
        )
        first, first_cpu = time.perf_counter() - start, time.process_time() - cpu

        start, cpu = time.perf_counter(), time.process_time()
        job = tasks.request_portfolio(user)
        cached_pdf = tasks.cached_report(job.cache_key).pdf_bytes
        cached, cached_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert job.status == "done" and cached_pdf == pdf, "the cache was not used"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    # CPU seconds drive the goals: wall time on a shared machine measures the neighbors too.
    return {
        "projects": size,
        "pages": rendered.pages,
        "wall": first,
        "seconds": first_cpu,
        "outside": outside,
        "weasyprint": weasy,
        "peak_mb": peak,
        "cached_wall": cached,
        "cached_seconds": cached_cpu,
        "bytes": len(pdf),
    }


def pdf_figures(size: int) -> dict:
    """The portfolio PDF of `size` generated projects, measured in a fresh process: "pages",
    "seconds" (CPU), "wall", "peak_mb" (the process's peak resident memory) and the rest of
    `measure`'s figures."""
    done = subprocess.run(  # noqa: S603 - our own module, no user input
        [sys.executable, "-m", "tests.benchmarks.portfolio", str(size)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"The PDF benchmark for {size} projects failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]))))
