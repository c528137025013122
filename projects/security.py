"""Request safety for every page: CSRF tokens on every POST, addresses and query values the
databases can store, and the response headers that keep pages in their own lane (CSP,
framing, sniffing, referrers) and downloads out of caches."""

from __future__ import annotations

from flask import Flask, Request, Response, abort, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from projects.fields import UNTYPABLE

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


LARGEST_INTEGER = 2**63 - 1  # the largest BIGINT both databases store


def _database_int(text: str) -> int:
    """int() for a query value, held to what a database column can store: a page past the
    end stays past the end (the last page), an id past them all matches nothing."""
    return max(-LARGEST_INTEGER, min(int(text), LARGEST_INTEGER))


class QueryValues(ImmutableMultiDict):
    """`request.args`: `get(..., type=int)` holds numbers to 64 bits, so
    `?page=99999999999999999999` never reaches SQL as an overflow."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, _database_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, _database_int if type is int else type)


class SafeRequest(Request):
    parameter_storage_class = QueryValues


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` in URLs, up to the largest integer the databases store: a longer number is
    a page that does not exist (404), not an overflow in the database driver (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_INTEGER)
        super().__init__(map, *args, **kwargs)


def is_download(response: Response) -> bool:
    """A file people take away (PDF, Word, CSV, Markdown) or an API answer: data that must not
    be kept by a browser's or a proxy's cache after the person who asked for it has gone."""
    disposition = response.headers.get("Content-Disposition", "")
    return disposition.startswith("attachment") or request.blueprint == "api"


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.request_class = SafeRequest
    # Before the blueprints are registered: rules pick their converters when they are added.
    app.url_map.converters["int"] = DatabaseIntegerConverter

    @app.before_request
    def refuse_untypable_addresses():
        """A NUL or other control character in an address is never a real page: PostgreSQL
        cannot even compare it with a slug. (Form values are cleaned by `projects.fields.Form`.)"""
        if UNTYPABLE.search(request.path) or any(
            UNTYPABLE.search(key) or UNTYPABLE.search(value)
            for key, value in request.args.items(multi=True)
        ):
            abort(400)

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
