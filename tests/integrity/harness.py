"""Running client processes against the server and reading back what each was told."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable
from pathlib import Path

from tests.integrity import writers

SAVES = int(os.environ.get("INTEGRITY_SAVES", "0"))  # 0: each test's own default
CLIENTS = int(os.environ.get("INTEGRITY_CLIENTS", "8"))
# A bound on the run, never an assertion about speed: only a hung run ever reaches it.
HUNG_AFTER_SECONDS = 30 * 60


def saves(default: int) -> int:
    return SAVES or default


def read_records(paths: list[Path]) -> list[dict]:
    records = []
    for path in paths:
        if path.exists():
            records.extend(json.loads(line) for line in path.read_text().splitlines() if line)
    return records


def run_clients(
    specs: list[dict],
    tmp: Path,
    while_running: Callable[[list[dict]], None] | None = None,
) -> list[dict]:
    """Start one process per spec, wait for all of them, return every record they wrote.

    `while_running` is called with the records so far, again and again, until they finish.
    """
    context = multiprocessing.get_context("spawn")  # no fork of a process holding connections
    processes, paths = [], []
    for i, spec in enumerate(specs):
        path = tmp / f"client-{i}.jsonl"
        path.unlink(missing_ok=True)
        paths.append(path)
        process = context.Process(target=writers.run, args=({**spec, "log": str(path)},))
        process.start()
        processes.append(process)
    deadline = time.monotonic() + HUNG_AFTER_SECONDS
    try:
        while any(p.is_alive() for p in processes):
            if time.monotonic() > deadline:
                raise RuntimeError("the clients hung")
            if while_running:
                while_running(read_records(paths))
            processes[0].join(0.2) if processes[0].is_alive() else time.sleep(0.2)
    finally:
        for p in processes:
            if p.is_alive():
                p.kill()
            p.join()
    return read_records(paths)
