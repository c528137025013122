"""`make bench`: one table for this machine. For 10, 1,000 and 10,000 projects: queries per
request and requests per second of the home, project, play and portfolio pages, the API list
and the public feedback form's submissions, each as a share of a bare Flask endpoint served by
the same gunicorn in the same run (and beside the submissions, the least a form post can be
in Flask: CSRF, a form, one INSERT, a redirect); the portfolio CSV's time; the portfolio PDF
at 200 and 1,000 projects. Then the goals, met or not.

Each size runs in a fresh process (`tests.benchmarks.pages`, `tests.benchmarks.portfolio`).
BENCH_SIZES and BENCH_PDF_SIZES (comma-separated) choose other sizes for a quick look."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import date

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,1000,10000").split(",")]
PDF_SIZES = [int(n) for n in os.environ.get("BENCH_PDF_SIZES", "200,1000").split(",") if n]
PAGES = ["home", "project", "play", "portfolio", "API list"]


def run(module: str, size: int) -> dict:
    print(f"  {module} at {size:,} projects ...", file=sys.stderr, flush=True)
    done = subprocess.run(  # noqa: S603 - our own module, no user input
        [sys.executable, "-m", f"tests.benchmarks.{module}", str(size)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"The {module} benchmark at {size} projects failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def main() -> int:
    print("Measuring (each size in a fresh process):", file=sys.stderr)
    results = [run("pages", size) for size in SIZES]
    pdfs = [run("portfolio", size) for size in PDF_SIZES]
    sizes = [f"{r['projects']:,}" for r in results]
    print(f"\nPlaybook Tracker benchmark, {date.today():%Y-%m-%d}: {machine()}")
    print("SQLite; gunicorn with 2 sync workers; 4 client threads; requests/s as % of /bare\n")
    width = 20 * len(sizes)
    print(f"{'':<12}{'queries per request':^{8 * len(sizes)}} {'requests/s (% of bare)':^{width}}")
    print(
        f"{'page':<12}"
        + "".join(f"{s:>8}" for s in sizes)
        + " "
        + "".join(f"{s:>20}" for s in sizes)
    )
    print("-" * (13 + 8 * len(sizes) + width))
    bare = [r["rates"]["bare"] for r in results]
    print(
        f"{'bare':<12}"
        + "".join(f"{'':>8}" for _ in sizes)
        + " "
        + "".join(f"{b:>20,.0f}" for b in bare)
    )
    for page in PAGES:
        counts = "".join(f"{r['queries'][page]:>8}" for r in results)
        rates = "".join(
            f"{r['rates'][page]:>12,.0f} ({r['rates'][page] / r['rates']['bare']:>5.1%})"
            for r in results
        )
        print(f"{page:<12}{counts} {rates}")
    for name, label in (("feedback form", "feedback"), ("bare form", "bare form")):
        rates = "".join(f"{r['rates'][name]:>12,.0f} ({_share(r, name):>5.1%})" for r in results)
        print(f"{label:<12}{'(POST)':>{8 * len(sizes)}} {rates}")
    print(f"\n{'projects':>8}{'CSV rows':>10}{'CSV s':>8}{'µs/row':>8}{'seed-demo s':>13}")
    for r in results:
        per_row = r["csv_seconds"] / max(r["csv_rows"], 1) * 1e6
        print(
            f"{r['projects']:>8,}{r['csv_rows']:>10,}{r['csv_seconds']:>8.2f}{per_row:>8.0f}"
            f"{r['seed_seconds']:>13.1f}"
        )
    if pdfs:
        print(f"\n{'portfolio PDF':<16}{'pages':>8}{'CPU s':>9}{'pages/s':>9}{'peak MB':>9}")
        for p in pdfs:
            print(
                f"{p['projects']:>7,} projects{p['pages']:>8}{p['seconds']:>9.1f}"
                f"{p['pages'] / p['seconds']:>9.1f}{p['peak_mb']:>9.0f}"
            )
    goals = _goals(results, pdfs)
    print()
    for text, ok, value in goals:
        print(f"{'met   ' if ok else 'MISSED'}  {text}: {value}")
    for text in _like_for_like(results):
        print(f"note    {text}")
    return 0 if all(ok for _, ok, _ in goals) else 1


def _share(result: dict, page: str) -> float:
    return result["rates"][page] / result["rates"]["bare"]


def _like_for_like(results: list[dict]) -> list[str]:
    """The list pages between the two largest sizes, where both show full pages (10 projects
    show 10 rows; 1,000 and 10,000 show 25 or 100): what growth alone costs."""
    full = [r for r in results if r["projects"] >= 1000]
    if len(full) < 2:
        return []
    small, large = full[0], full[-1]
    ratios = ", ".join(
        f"{page} {_share(small, page) / _share(large, page):.2f}x"
        for page in ("portfolio", "API list")
    )
    return [
        f"full pages at {large['projects']:,} projects, as a multiple of their cost at "
        f"{small['projects']:,}: {ratios}"
    ]


def _goals(results: list[dict], pdfs: list[dict]) -> list[tuple[str, bool, str]]:
    small, large = results[0], results[-1]
    goals = []
    for page in ("portfolio", "API list"):
        # Cost is the inverse of the share of bare: "within 2x" means at least half the share.
        ratio = _share(small, page) / _share(large, page)
        goals.append(
            (
                f"{page} at {large['projects']:,} projects costs at most 2x what it does at "
                f"{small['projects']:,}",
                ratio <= 2,
                f"{ratio:.2f}x",
            )
        )
    per_row = [r["csv_seconds"] / r["csv_rows"] for r in results if r["csv_rows"] >= 1000]
    if len(per_row) >= 2:
        growth = per_row[-1] / per_row[0]
        goals.append(
            (
                "CSV time linear in rows (time per row grows at most 1.5x)",
                growth <= 1.5,
                f"{growth:.2f}x",
            )
        )
    project = [_share(r, "project") for r in results]
    goals.append(
        (
            "project page at 30 % or more of bare",
            min(project) >= 0.3,
            ", ".join(f"{s:.1%}" for s in project),
        )
    )
    feedback = [_share(r, "feedback form") for r in results]
    ceiling = max(_share(r, "bare form") for r in results)
    goals.append(
        (
            "public feedback form submissions at 50 % or more of bare "
            f"(the bare form itself reaches {ceiling:.0%})",
            min(feedback) >= 0.5,
            ", ".join(f"{s:.1%}" for s in feedback),
        )
    )
    same = all(r["queries"] == small["queries"] for r in results)
    goals.append(
        ("the same number of queries per page at every size", same, "same" if same else "differs")
    )
    for p in pdfs:
        if p["projects"] == 1000:
            goals.append(
                (
                    "portfolio PDF at 1,000 projects under 600 MB peak",
                    p["peak_mb"] < 600,
                    f"{p['peak_mb']:.0f} MB",
                )
            )
    return goals


if __name__ == "__main__":
    sys.exit(main())
