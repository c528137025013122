"""Request safety for every page: CSRF tokens on every POST, and the response headers that keep
pages in their own lane (CSP, framing, sniffing, referrers) and downloads out of caches."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

csrf = CSRFProtect()
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",  # USWDS's stylesheet draws some icons as data: SVGs
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` in URLs, up to the largest integer the databases store: a longer number is
    a page that does not exist (404), not an overflow in the database driver (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def is_download(response: Response) -> bool:
    """A file people take away (PDF, Word, CSV, Markdown) or an API answer: data that must not
    be kept by a browser's or a proxy's cache after the person who asked for it has gone."""
    disposition = response.headers.get("Content-Disposition", "")
    return disposition.startswith("attachment") or request.blueprint == "api"


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    # Before the blueprints are registered: rules pick their converters when they are added.
    app.url_map.converters["int"] = DatabaseIntegerConverter

    @app.after_request
    def set_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if is_download(response):
            headers["Cache-Control"] = "no-store"  # over send_file's own "no-cache"
        elif response.mimetype == "text/html":
            # Pages show people's work in progress; shared caches must not keep them.
            headers.setdefault("Cache-Control", "no-store")
        return response
