"""Two-step sign-in's own rules, with no Flask and no database: time-based one-time codes
(RFC 6238, as authenticator apps make them), the QR code that sets an app up, and recovery
codes for a lost phone."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from markupsafe import Markup

ISSUER = "Playbook Tracker"  # the name authenticator apps show beside the code
STEP_SECONDS = 30
DIGITS = 6
# A code from the step before or after the server's counts too: phones' clocks drift.
TOLERANCE_STEPS = 1
RECOVERY_CODES = 10
# No 0, 1, i, l or o, which people mistake for one another: 31 symbols, ~80 bits per code.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_LENGTH = 16
_APP_CODE = re.compile(rf"^\d{{{DIGITS}}}$")
_SPACING = re.compile(r"[\s\-]+")


def new_key() -> str:
    """A fresh shared key (160 random bits in base32, as the apps expect)."""
    return pyotp.random_base32()


def key_in_groups(key: str) -> str:
    """The key as people type it into an app: groups of four."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def account_label(email: str) -> str:
    """The account as an authenticator app lists it."""
    return f"{ISSUER} ({email})"


def setup_address(key: str, email: str) -> str:
    """The otpauth:// address a QR code hands to the app."""
    return pyotp.TOTP(key, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=ISSUER
    )


def qr_svg(address: str) -> Markup:
    """The QR code of `address` as inline SVG. segno draws it as one path: the address is in
    the path's shape only, never in text, and the title is ours, so nothing people type
    reaches the markup; presentation attributes, no inline style, so the CSP allows it."""
    qr = segno.make(address, error="m")
    svg = qr.svg_inline(
        scale=5,
        dark="#000",
        light="#fff",
        title="QR code to scan with your authenticator app",
        svgclass="pt-qr-code",
        lineclass=None,
        omitsize=False,
    )
    # An image to assistive technology, named by its <title>.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - see above


def step_at(moment: datetime) -> int:
    """The time step (30 seconds long) of a naive UTC time."""
    return int(moment.replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def is_app_code(text: str) -> bool:
    return bool(_APP_CODE.match(tidy(text)))


def tidy(text: str) -> str:
    """What a person typed, without spaces or dashes and in lower case."""
    return _SPACING.sub("", text or "").lower()


def matching_step(key: str, code: str, now: datetime, after: int | None = None) -> int | None:
    """The time step `code` belongs to, within one step either side of `now`; None when it
    matches none. Steps up to `after` (the last one used) do not count, so a code works once."""
    code = tidy(code)
    if not _APP_CODE.match(code):
        return None
    totp = pyotp.TOTP(key, digits=DIGITS, interval=STEP_SECONDS)
    current = step_at(now)
    for step in range(current - TOLERANCE_STEPS, current + TOLERANCE_STEPS + 1):
        fresh = after is None or step > after
        if fresh and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes, each good for one sign-in, written in groups of four."""
    return [
        "-".join(
            "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4))
            for _ in range(RECOVERY_LENGTH // 4)
        )
        for _ in range(RECOVERY_CODES)
    ]


def recovery_hash(code: str) -> str:
    """How a recovery code is stored. Each has ~80 random bits, so a fast hash keeps it as
    safe as a slow one would keep a password."""
    return hashlib.sha256(tidy(code).encode()).hexdigest()
