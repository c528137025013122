"""A person at a browser, in a process of their own: a cookie jar, the real /login form, pages
read and forms sent back as rendered (urllib only; redirects are looked at, not followed)."""

from __future__ import annotations

import http.client
import http.cookiejar
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin

from tests.pages import forms

CONFLICT_PANEL = "Someone else saved changes while you were editing"
# A failed connection: the server is down or was killed while answering.
CONNECTION_ERRORS = (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError)


class PageBroken(Exception):
    """A page that should have shown a form answered something else."""

    def __init__(self, page: Page):
        super().__init__(f"{page.url} answered {page.status}")
        self.status, self.page = page.status, page.text


class SignInFailed(PageBroken):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Page:
    status: int
    url: str
    text: str
    location: str = ""


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def _open(self, url: str, data: bytes | None = None) -> Page:
        url = urljoin(self.base_url, url)
        request = urllib.request.Request(url, data=data)  # noqa: S310 - http to our own server
        try:
            response = self.opener.open(request, timeout=120)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            response = error
        with response:
            text = response.read().decode("utf-8", errors="replace")
            location = response.headers.get("Location", "")
            return Page(response.status, url, text, urljoin(url, location) if location else "")

    def get(self, url: str) -> Page:
        return self._open(url)

    def edit_page(self, url: str) -> Page:
        page = self.get(url)
        if page.status != 200:
            raise PageBroken(page)
        return page

    def post(self, url: str, pairs: list) -> Page:
        return self._open(url, urlencode([tuple(pair) for pair in pairs]).encode())

    def sign_in(self, email: str, password: str) -> None:
        page = self.get("/login")
        form = post_form(page.text, "csrf_token")
        fields = dict(form["pairs"]) | {"email": email, "password": password}
        answer = self.post("/login", list(fields.items()))
        if answer.status != 302:
            raise SignInFailed(answer)


def post_form(html: str, containing: str) -> dict:
    """The page's first POST form with a field named `containing`, with its (name, value) pairs."""
    for form in forms(html):
        if form["method"] == "post" and containing in form["fields"]:
            return form
    raise AssertionError(f"no POST form with a field {containing!r} on the page")


def replace(pairs: list, changes: dict) -> list:
    """The pairs with some fields given new values; a list value sets every value of the name
    (checkboxes); a name not in the form is added."""
    out, done = [], set()
    for name, value in pairs:
        if name in changes:
            if name not in done:
                new = changes[name]
                out.extend((name, v) for v in (new if isinstance(new, list) else [new]))
                done.add(name)
        else:
            out.append((name, value))
    for name, new in changes.items():
        if name not in done:
            out.extend((name, v) for v in (new if isinstance(new, list) else [new]))
    return out
