"""Per-project API tokens: created (the secret is shown once), listed, revoked. Only the
SHA-256 of a token is stored; every use is recorded in the audit log."""

from __future__ import annotations

import hashlib
import secrets

from projects import audit
from projects.db import db, utcnow
from projects.measures.models import ApiToken
from projects.projects.models import Project

PREFIX = "pt_"  # so a leaked token is recognizable in logs and secret scanners


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(project: Project, name: str, *, by=None) -> tuple[ApiToken, str]:
    """A new token for the project: (its row, the secret to show once)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    with db.atomic():
        token = ApiToken.create(
            project=project,
            name=name.strip(),
            token_hash=digest(secret),
            prefix=secret[:8],
            created_by=by,
        )
        audit.record(
            "created",
            token,
            project=project,
            user=by,
            after={"name": token.name, "prefix": token.prefix},
        )
    return token, secret


def revoke_token(project: Project, token_id: int, *, by=None) -> ApiToken | None:
    """Revoke one of the project's tokens (audited); None when it has no such active token."""
    with db.atomic():
        token = ApiToken.get_or_none(
            (ApiToken.id == token_id)
            & (ApiToken.project == project)
            & ApiToken.revoked_at.is_null()
        )
        if token is None:
            return None
        token.revoked_at = utcnow()
        token.save()
        audit.record(
            "revoked",
            token,
            project=project,
            user=by,
            after={"name": token.name, "prefix": token.prefix},
        )
    return token


def tokens_of(project: Project) -> list[ApiToken]:
    """The project's tokens, active first, newest first."""
    return list(
        ApiToken.select()
        .where(ApiToken.project == project)
        .order_by(ApiToken.revoked_at.is_null(False), ApiToken.created_at.desc(), ApiToken.id)
    )


def bearer(header: str | None) -> str | None:
    """The token in an `Authorization: Bearer <token>` header, or None."""
    scheme, _, value = (header or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > 200 or not value.isascii():
        return None
    return value


def authenticate(secret: str | None) -> ApiToken | None:
    """The active token with this secret, with its project; None for any other."""
    if not secret:
        return None
    return (
        ApiToken.select(ApiToken, Project)
        .join(Project)
        .where((ApiToken.token_hash == digest(secret)) & ApiToken.revoked_at.is_null())
        .first()
    )


def record_use(token: ApiToken, method: str, path: str, status: int) -> None:
    """Note a use of the token: when it was last used, and an audit event saying what for."""
    with db.atomic():
        now = utcnow()
        ApiToken.update(last_used_at=now).where(ApiToken.id == token.id).execute()
        token.last_used_at = now
        audit.record(
            "used",
            ("ApiToken", token.id),
            project=Project(id=token.project_id),
            user=None,
            after={"request": f"{method} {path}"[:300], "status": status, "token": token.prefix},
        )
