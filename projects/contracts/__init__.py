"""Contract language for contracting officers: packages built from the clause library."""

from flask import Blueprint

bp = Blueprint("contracts", __name__)

from projects.contracts import agency, api, views  # noqa: E402, F401  (routes register on import)
