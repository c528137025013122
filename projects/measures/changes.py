"""Writing measures and their values. Every value write goes through `record_value` (people,
imports, the API) or `count_answer` / `count_answers` (the public feedback form); each keeps
the measure's stored latest figures (`refresh_latest`) in the same transaction."""

from __future__ import annotations

from peewee import EXCLUDED, IntegrityError, fn

from playbook import measures as catalog
from projects import audit
from projects.db import db, for_update, utcnow
from projects.measures.models import ANSWERS, Measure, MeasureValue
from projects.projects.models import Project
from projects.saves import SAVED, UNCHANGED, Edit, Fresh, Outcome, fingerprint, plain, save


class WrongPeriod(ValueError):
    """A period that is not a month or quarter, or not of the measure's kind."""


# Measures -----------------------------------------------------------------------------------


def from_catalog(kind: catalog.Kind, **fields) -> dict:
    """A new measure's fields from its catalog entry (A-11 drivers are counted by quarter,
    other measures by month unless `fields` say otherwise)."""
    return {
        "key": kind.key,
        "name": kind.name,
        "description": kind.description,
        "unit": kind.unit,
        "direction": kind.direction,
        "driver": kind.key if kind.driver else "",
        "period_kind": catalog.QUARTER if kind.driver else catalog.MONTH,
    } | fields


def ensure_driver_measures(project: Project) -> dict[str, Measure]:
    """The project's seven A-11 driver measures by driver key, creating any that are missing
    (insert-or-ignore, so two requests doing it at once both succeed)."""
    existing = {
        m.driver: m
        for m in Measure.select().where(
            (Measure.project == project) & (Measure.driver.in_(list(catalog.DRIVERS)))
        )
    }
    missing = [k for k in catalog.DRIVERS if k not in existing]
    if missing:
        for position, key in enumerate(catalog.DRIVERS):
            if key in missing:
                fields = from_catalog(catalog.DRIVERS[key], project=project, position=position)
                Measure.insert(**fields).on_conflict_ignore().execute()
        existing = {
            m.driver: m
            for m in Measure.select().where(
                (Measure.project == project) & (Measure.driver.in_(list(catalog.DRIVERS)))
            )
        }
    return existing


def add_driver_measures(project: Project, *, by=None) -> list[Measure]:
    """A person adds the A-11 driver measures the project lacks (audited); the ones added."""
    with db.atomic():
        before = set(
            Measure.select(Measure.key).where(Measure.project == project).tuples().iterator()
        )
        ensure_driver_measures(project)
        added = list(
            Measure.select()
            .where((Measure.project == project) & Measure.key.not_in([k for (k,) in before]))
            .order_by(Measure.position)
        )
        for measure in added:
            audit.record(
                "created", measure, project=project, user=by, after=plain(settings_of(measure))
            )
    return added


def create_measure(
    project: Project,
    *,
    key: str,
    name: str,
    unit: str,
    direction: str,
    target: float | None = None,
    period_kind: str = catalog.MONTH,
    description: str = "",
    by=None,
) -> Measure:
    """Add a measure to the project (a catalog one or a custom one); call inside
    `db.atomic()`. Raises peewee.IntegrityError when the project already has the key."""
    kind = catalog.CATALOG.get(key)
    last = Measure.select(Measure.position).where(Measure.project == project)
    last = last.order_by(Measure.position.desc()).scalar()
    measure = Measure.create(
        project=project,
        key=key,
        name=name,
        description=description,
        unit=unit,
        direction=direction,
        target=target,
        driver=key if kind and kind.driver else "",
        period_kind=period_kind,
        position=(last if last is not None else -1) + 1,
    )
    audit.record(
        "created",
        measure,
        project=project,
        user=by,
        after=plain(settings_of(measure)),
    )
    return measure


SETTINGS = ("name", "description", "unit", "direction", "target", "period_kind")


def settings_of(measure: Measure) -> dict:
    return {c: getattr(measure, c) for c in ("key", *SETTINGS)}


def edit_measure(
    project: Project, measure_id: int, values: dict, *, version, original, user
) -> Outcome:
    """Save a person's edit of a measure's name, description and target (versioned)."""
    editable = ("name", "description", "target")
    return save(
        Edit(
            Measure.select().where((Measure.id == measure_id) & (Measure.project == project)),
            {k: v for k, v in values.items() if k in editable},
            version,
            original,
            values=lambda m: {c: getattr(m, c) for c in editable},
        ),
        user=user,
        project=project,
    )


# Values -------------------------------------------------------------------------------------


def values_of(row: MeasureValue | None) -> dict:
    """A value row's editable values as forms hold them (None: not saved yet)."""
    if row is None:
        return {"value": None, "responses": 0, "answers": None, "offered": None, "customers": None}
    answers = row.answers if any(row.answers) else None
    return {
        "value": row.value,
        "responses": row.responses,
        "answers": list(answers) if answers else None,
        "offered": row.offered,
        "customers": row.customers,
    }


def _submitted(
    measure: Measure, *, value, responses, answers, offered, customers
) -> dict[str, object]:
    """What a writer gives, with a driver's value and response count following from its
    distribution of answers when it gives one."""
    given: dict[str, object] = {"value": value, "offered": offered, "customers": customers}
    if answers is not None and len(answers) == 0:  # the share typed: no distribution
        given["answers"] = None
        if responses is not None:
            given["responses"] = int(responses)
    elif answers is not None:
        answers = [int(a) for a in answers]
        if len(answers) != 5 or min(answers) < 0:
            raise ValueError("answers are five counts, for scores 1 to 5")
        given["answers"] = answers
        given["responses"] = sum(answers)
        given["value"] = catalog.share_agreeing(answers)
    elif responses is not None:
        given["responses"] = int(responses)
    return given


def _write(row: MeasureValue, changes: dict, user, source: str) -> MeasureValue:
    for key, val in changes.items():
        if key == "answers":
            counts = val or [0, 0, 0, 0, 0]
            for score, count in zip(catalog.SCALE, counts, strict=True):
                setattr(row, f"answers_{score}", count)
        elif key == "responses":
            row.responses = val or 0
        else:
            setattr(row, key, val)
    row.source = source
    row.version = (row.version or 0) + 1 if row.id else 1
    row.updated_at = utcnow()
    row.updated_by = user
    row.save()
    return row


def record_value(
    measure: Measure,
    period: str,
    *,
    value: float | None = None,
    by=None,
    source: str = "form",
    responses: int | None = None,
    answers: list[int] | tuple | None = None,
    offered: int | None = None,
    customers: int | None = None,
    version: int | None = None,
    original: str | None = None,
    note: dict | None = None,
) -> Outcome:
    """Record a measure's figure for a period: the one way values are written.

    `answers` (five counts, for scores 1 to 5) sets a driver's distribution, response count
    and value (the share agreeing); `answers=[]` clears the distribution (a share typed).
    With `version` (a form: the version the page was loaded at, and `original`, its
    fingerprint) the save merges with anything saved since and refuses fields both changed
    (Outcome CONFLICTS, nothing written); without (imports, the API) the figures given
    replace what is stored. Audited; the measure's latest figures follow in the
    same transaction. Raises WrongPeriod for a period not of the measure's kind."""
    stored = catalog.normal_period(period, measure.period_kind)
    if stored is None:
        raise WrongPeriod(period)
    given = _submitted(
        measure,
        value=value,
        responses=responses,
        answers=answers,
        offered=offered,
        customers=customers,
    )
    query = MeasureValue.select().where(
        (MeasureValue.measure == measure) & (MeasureValue.period == stored)
    )
    audit_as = ("MeasureValue", f"{measure.key} {stored}")
    project = Project(id=measure.project_id)
    if version is not None:
        return save(
            Edit(
                query,
                given,
                version,
                original,
                values=values_of,
                new=lambda: MeasureValue(measure=measure, period=stored),
                write=lambda row, changes, user: _write(row, changes, user, source),
                audit_as=audit_as,
                note=note or {},
            ),
            user=by,
            project=project,
            then=lambda: refresh_latest(measure),
        )
    for attempt in range(3):
        try:
            return _replace(measure, stored, query, given, by, source, audit_as, project, note)
        except IntegrityError:
            # Two first writes of one period raced on its unique index (PostgreSQL): the
            # loser's savepoint is rolled back; now the row exists, so it is updated.
            if attempt == 2:
                raise
    raise AssertionError("not reached")


def _replace(measure, stored, query, given, by, source, audit_as, project, note) -> Outcome:
    with db.atomic():
        row = for_update(query).get_or_none()
        current = values_of(row)
        changes = {k: v for k, v in given.items() if current.get(k) != v}
        if row is not None and not changes:
            outcome = Outcome(UNCHANGED, rows=[row])
        else:
            is_new = row is None
            row = _write(row or MeasureValue(measure=measure, period=stored), changes, by, source)
            audit.record(
                "created" if is_new else "updated",
                audit_as,
                project=project,
                user=by,
                before=None if is_new else plain({k: current[k] for k in changes}),
                after=plain(changes) | {"source": source} | (note or {}),
            )
            refresh_latest(measure)
            outcome = Outcome(SAVED, rows=[row], written=True)
        outcome.fresh[""] = Fresh(row.version, fingerprint(values_of(row)), {})
        return outcome


def delete_value(measure: Measure, period: str, *, by=None) -> bool:
    """Remove a period's figure (audited); False when there was none."""
    with db.atomic():
        row = for_update(
            MeasureValue.select().where(
                (MeasureValue.measure == measure) & (MeasureValue.period == period)
            )
        ).get_or_none()
        if row is None:
            return False
        before = plain(values_of(row))
        row.delete_instance()
        audit.record(
            "deleted",
            ("MeasureValue", f"{measure.key} {period}"),
            project=Project(id=measure.project_id),
            user=by,
            before=before,
        )
        refresh_latest(measure)
        return True


def refresh_latest(measure: Measure) -> None:
    """Store the measure's latest period and value and the value before it, from its two
    newest periods with a figure. Call in the transaction that wrote the value."""
    refresh_latest_of([measure.id])
    measure.latest_period, measure.latest_value, measure.previous_value = (
        Measure.select(Measure.latest_period, Measure.latest_value, Measure.previous_value)
        .where(Measure.id == measure.id)
        .tuples()
        .get()
    )


def refresh_latest_of(ids: list[int]) -> None:
    """refresh_latest for many measures in one UPDATE (each reads its own newest values)."""
    newest = (
        MeasureValue.select()
        .where((MeasureValue.measure == Measure.id) & MeasureValue.value.is_null(False))
        .order_by(MeasureValue.period.desc())
    )
    Measure.update(
        latest_period=fn.COALESCE(newest.select(MeasureValue.period).limit(1), ""),
        latest_value=newest.select(MeasureValue.value).limit(1),
        previous_value=newest.select(MeasureValue.value).limit(1).offset(1),
    ).where(Measure.id.in_(ids)).execute()


# Feedback answers ---------------------------------------------------------------------------


def count_answer(project: Project, driver: str, period: str, score: int) -> None:
    """Add one feedback answer (score 1 to 5) for an A-11 driver in a quarter ("2026-Q3"):
    one UPDATE adds it to the distribution and recomputes the share agreeing, so concurrent
    answers are each counted once and no response is ever read back. Opens its own
    transaction unless inside one; not audited (the response is its own record)."""
    count_answers(project, period, {driver: score})


def count_answers(project: Project, period: str, scores: dict[str, int]) -> None:
    """Add one person's answers {driver: score} for the period, in one transaction and a fixed
    number of statements however many drivers were answered: one upsert adds each answer to
    its driver's distribution and recomputes the share agreeing (so concurrent answers are each
    counted once and no response is read back), one UPDATE refreshes the latest figures. Rows
    are always written in the same order, so concurrent submissions cannot deadlock."""
    stored = catalog.normal_period(period, catalog.QUARTER)
    if stored is None:
        raise WrongPeriod(period)
    for driver, score in scores.items():
        if driver not in catalog.DRIVERS:
            raise ValueError(f"not an A-11 driver: {driver!r}")
        if score not in catalog.SCALE:
            raise ValueError(f"not a score from 1 to 5: {score!r}")
    if not scores:
        return
    with db.atomic():
        measures = _driver_measures(project)
        answered = [measures[d] for d in catalog.DRIVERS if d in scores]  # the one order
        now = utcnow()
        rows = [
            {
                "measure": m.id,
                "period": stored,
                "source": "feedback",
                "updated_at": now,
                "version": 1,
                "responses": 1,
                "value": 100.0 if scores[m.driver] in catalog.AGREEING else 0.0,
                **{f"answers_{s}": int(s == scores[m.driver]) for s in catalog.SCALE},
            }
            for m in answered
        ]
        MeasureValue.insert_many(rows).on_conflict(
            conflict_target=[MeasureValue.measure, MeasureValue.period],
            update=_added_answers(),
        ).execute()
        refresh_latest_of([m.id for m in answered])


def _added_answers() -> dict:
    """The upsert's update: the stored counts plus the new row's, and the share agreeing of
    the sum."""
    stored, new = MeasureValue.answer_columns(), [getattr(EXCLUDED, a) for a in ANSWERS]
    agreeing = sum(stored[s - 1] + new[s - 1] for s in catalog.AGREEING)
    total = sum(a + b for a, b in zip(stored, new, strict=True))
    return {
        **{column: column + n for column, n in zip(stored, new, strict=True)},
        MeasureValue.responses: MeasureValue.responses + EXCLUDED.responses,
        MeasureValue.value: 100.0 * agreeing / total,
        MeasureValue.version: MeasureValue.version + 1,
        MeasureValue.updated_at: EXCLUDED.updated_at,
    }


def _driver_measures(project: Project) -> dict[str, Measure]:
    """The ids of the project's driver measures by driver, locked (PostgreSQL) so each one's
    latest figures are refreshed by one writer at a time."""

    def locked() -> dict[str, Measure]:
        query = Measure.select(Measure.id, Measure.driver).where(
            (Measure.project == project) & (Measure.driver.in_(list(catalog.DRIVERS)))
        )
        return {m.driver: m for m in for_update(query.order_by(Measure.driver))}

    measures = locked()
    if len(measures) < len(catalog.DRIVERS):
        ensure_driver_measures(project)
        measures = locked()
    return measures
