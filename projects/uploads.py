"""Uploaded files waiting for their preview to be confirmed (findings and measures CSVs):
kept in the database, not in a worker's memory, so the confirming request may reach any
worker; for their uploader only, for UPLOAD_LIFETIME, and imported at most once."""

from __future__ import annotations

import secrets
from datetime import timedelta

from projects.db import db, utcnow

UPLOAD_LIFETIME = timedelta(hours=2)


def keep(model, project, user_id: int, filename: str, text: str) -> str:
    """Keep a checked file for its preview (forgetting everyone's expired ones); its token."""
    token = secrets.token_urlsafe(32)
    with db.atomic():
        model.delete().where(model.created_at < utcnow() - UPLOAD_LIFETIME).execute()
        model.create(token=token, project=project, user=user_id, filename=filename[:255], text=text)
    return token


def pending(model, project, user_id: int, token: str):
    """The person's unexpired upload with this token on this project, or None."""
    return model.get_or_none(
        (model.token == token[:64])
        & (model.project == project)
        & (model.user == user_id)
        & (model.created_at >= utcnow() - UPLOAD_LIFETIME)
    )


def claim(upload) -> bool:
    """Take the upload for importing, in the import's transaction; False when another click
    (or another worker) took it first, which then imports nothing."""
    model = type(upload)
    return model.delete().where(model.id == upload.id).execute() == 1
