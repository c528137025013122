"""What each client process does: sign in, then save N times through a rendered form, writing
one JSON line per attempt (what it sent and what the server answered) for the test to check."""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from urllib.parse import urljoin

from tests.integrity.browser import (
    CONNECTION_ERRORS,
    Browser,
    PageBroken,
    SignInFailed,
    post_form,
    replace,
)
from tests.pages import forms

CONFLICT = "Someone else saved"  # the conflict panel's heading, on every edit page
STATUSES = ("in_progress", "done", "not_started")
# The play form's shared targets: a few items and an answer every writer changes.
SHARED = [
    (1, "p01.c1", "note"),
    (1, "p01.c2", "note"),
    (1, "p01.q1", "answer"),
    (1, "p01.c1", "status"),
]


def run(spec: dict) -> None:
    """The body of one client process (spawned, so it takes only plain data)."""
    with Path(spec["log"]).open("a") as log:
        _run(spec, log)


def _run(spec: dict, log) -> None:
    browser = Browser(spec["base_url"])
    record = {"who": spec["who"], "k": "sign-in"}
    try:
        browser.sign_in(spec["email"], spec["password"])
    except (SignInFailed, *CONNECTION_ERRORS) as error:
        status = getattr(error, "status", None)
        outcome = "down" if status is None else "other"
        log.write(
            json.dumps(
                record
                | {
                    "outcome": outcome,
                    "status": status,
                    "error": repr(error),
                    "page": getattr(error, "page", "")[:3000],
                }
            )
            + "\n"
        )
        return
    save = SCENARIOS[spec["scenario"]]
    for k in range(spec["saves"]):
        record = {"who": spec["who"], "k": k}
        try:
            save(browser, spec, k, record)
        except CONNECTION_ERRORS as error:
            # Sent but never answered: the save may or may not be stored.
            record["outcome"] = "unknown" if record.get("sent") else "down"
            record["error"] = repr(error)
        except PageBroken as error:  # the edit page itself failed: nothing was sent
            record.update(outcome="other", get_status=error.status, page=error.page[:3000])
        except Exception:  # a page not as expected: recorded, so the test shows it
            record.update(outcome="broken", error=traceback.format_exc(limit=3))
        log.write(json.dumps(record) + "\n")
        log.flush()
        if record["outcome"] in ("unknown", "down") and spec.get("stop_when_down"):
            break


def _send(browser: Browser, url: str, pairs: list, record: dict, done_url: str, flash: str):
    record["sent"] = True
    answer = browser.post(url, pairs)
    record["status"] = answer.status
    if answer.status == 302 and answer.location.split("#")[0] == done_url:
        record["outcome"] = "saved"
        # The flash is on the page the redirect leads to: the person sees their save confirmed.
        record["flash"] = flash in browser.get(answer.location).text
    elif answer.status == 409 and CONFLICT in answer.text and "Nothing was saved" in answer.text:
        record["outcome"] = "conflict"
    else:
        record["outcome"] = "other"
        record["location"] = answer.location
        record["page"] = answer.text[:3000]


def save_play(browser: Browser, spec: dict, k: int, record: dict) -> None:
    """Even saves change the writer's own item's note; odd ones a shared item or answer."""
    if k % 2 == 0:
        play, target, field = spec["own_play"], spec["own_item"], "note"
    else:
        play, target, field = SHARED[(k // 2 + spec["index"]) % len(SHARED)]
    url = f"{spec['base_url']}/projects/{spec['slug']}/plays/{play}"
    form = post_form(browser.edit_page(url).text, "items-0-item_id")
    pairs = form["pairs"]
    key = next(
        name[: -len("item_id")] if name.endswith("item_id") else name[: -len("question_id")]
        for name, value in pairs
        if value == target and name.endswith(("-item_id", "-question_id"))
    )
    name = key + field
    if field == "status":
        current = dict(pairs)[name]
        value = STATUSES[(STATUSES.index(current) + 1) % len(STATUSES)]
    else:
        value = f"{spec['who']} save {k}"
    record.update(
        kind="ItemResponse" if field != "answer" else "QuestionAnswer",
        target=target,
        field=field,
        value=value,
    )
    _send(browser, url, replace(pairs, {name: value}), record, url, f"Play {play} saved.")


def save_finding(browser: Browser, spec: dict, k: int, record: dict) -> None:
    """Even saves change the shared insight; odd ones this writer's own field (or links)."""
    detail = f"{spec['base_url']}/projects/{spec['slug']}/user-research/{spec['finding_id']}"
    form = post_form(browser.edit_page(f"{detail}/edit").text, "original")
    field = "insight" if k % 2 == 0 else ("recommendation", "items")[spec["index"] % 2]
    if field == "items":
        # A different pair of checklist items each time: the links must follow the save.
        value = sorted({f"p{1 + (k % 13):02d}.c1", f"p{1 + ((k + 5) % 13):02d}.c2"})
    else:
        value = f"{field} by {spec['who']} save {k}"
    record.update(kind="Finding", target=spec["finding_id"], field=field, value=value)
    _send(
        browser,
        f"{detail}/edit",
        replace(form["pairs"], {field: value}),
        record,
        detail,
        "Finding saved.",
    )


def save_clause(browser: Browser, spec: dict, k: int, record: dict) -> None:
    """Every writer edits the same clause's text."""
    base = f"{spec['base_url']}/projects/{spec['slug']}/contract-packages/{spec['package_id']}"
    url = f"{base}/clauses/{spec['entry_id']}/edit"
    form = post_form(browser.edit_page(url).text, "text")
    text = dict(form["pairs"])["text"].split("\n\nEdited by ")[0].strip()
    value = f"{text}\n\nEdited by {spec['who']} save {k}."
    record.update(kind="PackageClause", target=spec["entry_id"], field="text", value=value)
    _send(browser, url, replace(form["pairs"], {"text": value}), record, base, "Clause saved.")


def save_answers(browser: Browser, spec: dict, k: int, record: dict) -> None:
    """Each writer changes an answer of its own on the same package."""
    base = f"{spec['base_url']}/projects/{spec['slug']}/contract-packages/{spec['package_id']}"
    url = f"{base}/answers"
    form = post_form(browser.edit_page(url).text, "title")
    field = ("program_name", "repository_host", "agency_name")[spec["index"] % 3]
    value = f"{field} by {spec['who']} save {k}"
    record.update(kind="ContractPackage", target=spec["package_id"], field=field, value=value)
    _send(browser, url, replace(form["pairs"], {field: value}), record, base, "Answers saved.")


def export_package(browser: Browser, spec: dict, k: int, record: dict) -> None:
    """Export the package: a revision and its three files, written together or not at all."""
    base = f"{spec['base_url']}/projects/{spec['slug']}/contract-packages/{spec['package_id']}"
    page = browser.edit_page(base)
    form = next(f for f in forms(page.text) if f["action"].endswith("/revisions"))
    record.update(kind="Revision", target=spec["package_id"])
    _send(
        browser,
        urljoin(base, form["action"]),
        form["pairs"],
        record,
        base,
        "exported as Word, PDF and Markdown",
    )


def _press(browser: Browser, page_url: str, action: str, record: dict, told: dict) -> None:
    """Press a button whose form posts to `action`, with the token of the page at `page_url`,
    whether or not that page still offers the button (it may have been loaded before someone
    else pressed theirs). `told` maps each message the person may be shown to what it means."""
    page = browser.edit_page(page_url)
    token = dict(post_form(page.text, "csrf_token")["pairs"])["csrf_token"]
    record["sent"] = True
    answer = browser.post(action, [("csrf_token", token)])
    record["status"] = answer.status
    if answer.status != 302:
        record.update(outcome="other", location=answer.location, page=answer.text[:3000])
        return
    shown = browser.get(answer.location).text
    record["told"] = next((meaning for message, meaning in told.items() if message in shown), None)
    record.update(outcome="saved", flash=record["told"] is not None)


def add_or_move_clause(browser: Browser, spec: dict, k: int, record: dict) -> None:
    """Even turns add the next clause of a list every writer works through in the same order
    (so two writers often add the same one at once); odd turns move a clause up or down."""
    base = f"{spec['base_url']}/projects/{spec['slug']}/contract-packages/{spec['package_id']}"
    if k % 2 == 0:
        clause = spec["clauses"][(k // 2) % len(spec["clauses"])]
        page = browser.edit_page(base)
        # Sent even when the page no longer offers it (as from a page loaded earlier); once
        # every clause is in, the page has no add form: its token is sent to the same address.
        token = dict(post_form(page.text, "csrf_token")["pairs"])["csrf_token"]
        record.update(kind="add", clause=clause, sent=True)
        answer = browser.post(f"{base}/clauses", [("csrf_token", token), ("clause_id", clause)])
        record["status"] = answer.status
        if answer.status != 302:
            record.update(outcome="other", page=answer.text[:3000])
            return
        shown = browser.get(answer.location).text
        told = {"Added “": "added", "is already in the package": "already"}
        record["told"] = next((v for m, v in told.items() if m in shown), None)
        record.update(outcome="saved", flash=record["told"] is not None)
        return
    page = browser.edit_page(base)
    moves = [f for f in forms(page.text) if "/move/" in f["action"]]
    form = moves[(k * 7 + spec["index"] * 3) % len(moves)]
    record.update(kind="move", action=form["action"], sent=True)
    answer = browser.post(urljoin(base, form["action"]), form["pairs"])
    record["status"] = answer.status
    if answer.status != 302:
        record.update(outcome="other", page=answer.text[:3000])
        return
    browser.get(answer.location)
    record.update(outcome="saved", flash=True)  # a move says nothing unless it cannot move


def archive_or_restore(browser: Browser, spec: dict, k: int, record: dict) -> None:
    """Even turns archive the project, odd turns restore it; every owner's last turn archives."""
    project = f"{spec['base_url']}/projects/{spec['slug']}"
    if k % 2 == 0 or k == spec["saves"] - 1:
        record["kind"] = "archive"
        told = {
            "Project archived.": "changed",
            "This project was already archived": "already",
        }
        _press(browser, f"{project}/archive", f"{project}/archive", record, told)
    else:
        record["kind"] = "restore"
        told = {"Project restored.": "changed", "This project is not archived": "already"}
        _press(browser, project, f"{project}/restore", record, told)


SCENARIOS = {
    "play": save_play,
    "finding": save_finding,
    "clause": save_clause,
    "answers": save_answers,
    "export": export_package,
    "clauses": add_or_move_clause,
    "archive": archive_or_restore,
}
