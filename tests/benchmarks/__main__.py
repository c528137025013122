"""`make bench`: render the portfolio PDF for 50 and 200 projects, each in its own process,
and check the goals: linear growth, < 600 MB at 200, < 10 % outside WeasyPrint, cached
re-download at least 50 times faster."""

from __future__ import annotations

import json
import subprocess
import sys

SIZES = (50, 200)


def run(size: int) -> dict:
    done = subprocess.run(  # noqa: S603 - our own module, no user input
        [sys.executable, "-m", "tests.benchmarks.portfolio", str(size)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"The benchmark for {size} projects failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    print(
        f"Portfolio PDF benchmark ({', '.join(map(str, SIZES))} projects; "
        "each in a fresh process)\n"
    )
    results = [run(size) for size in SIZES]
    header = (
        f"{'projects':>8} {'pages':>6} {'wall s':>7} {'CPU s':>7} {'pages/s':>8} "
        f"{'peak MB':>8} {'outside WP':>10} {'cached s':>9} {'speed-up':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['projects']:>8} {r['pages']:>6} {r['wall']:>7.2f} {r['seconds']:>7.2f} "
            f"{r['pages'] / r['seconds']:>8.1f} {r['peak_mb']:>8.0f} "
            f"{r['outside'] / r['seconds']:>9.1%} {r['cached_seconds']:>9.4f} "
            f"{r['seconds'] / r['cached_seconds']:>8.0f}x"
        )
    small, large = results[0], results[-1]
    growth = (large["seconds"] / small["seconds"]) / (large["projects"] / small["projects"])
    goals = [
        (
            "cost grows no faster than linearly (time per project at 200 / at 50 <= 1.1)",
            growth <= 1.1,
            f"{growth:.2f}",
        ),
        (
            "peak memory at 200 projects < 600 MB",
            large["peak_mb"] < 600,
            f"{large['peak_mb']:.0f} MB",
        ),
        (
            "time outside WeasyPrint < 10 %",
            all(r["outside"] / r["seconds"] < 0.10 for r in results),
            ", ".join(f"{r['outside'] / r['seconds']:.1%}" for r in results),
        ),
        (
            "cached re-download >= 50x faster",
            all(r["seconds"] / r["cached_seconds"] >= 50 for r in results),
            ", ".join(f"{r['seconds'] / r['cached_seconds']:.0f}x" for r in results),
        ),
    ]
    print("\nCPU seconds (the process's own work) drive the goals; wall time also counts other")
    print("load on the machine. Pages per second and speed-up use CPU seconds.\n")
    for text, ok, value in goals:
        print(f"{'met ' if ok else 'MISSED'}  {text}: {value}")
    return 0 if all(ok for _, ok, _ in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
