"""Pages in the visitor's language (Flask-Babel): the public feedback form speaks English and
Spanish, chosen by the visitor; every other page is in English.

Translations are the .po files under projects/translations/, read when the app starts: no
compile step, so a fresh clone, `make test` and a deployment need nothing built first, and a
.po file edited is the translation used (no stale .mo beside it).
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask, request
from flask_babel import Babel
from werkzeug.exceptions import HTTPException

from playbook.survey import LANGUAGES

TRANSLATIONS = Path(__file__).parent / "translations"
DEFAULT = "en"
babel = Babel()
# Endpoints that answer in the visitor's language; set by the features that have them.
MULTILINGUAL: set[str] = set()


def chosen_language() -> str:
    """The visitor's choice (`?lang=es` on links, `language` in a posted form), else what
    their browser asks for, on the multilingual pages; English everywhere else."""
    if request.endpoint not in MULTILINGUAL:
        return DEFAULT
    try:
        posted = request.form.get("language")
    except HTTPException:  # a body too large to read: the error page still needs a language
        posted = None
    for choice in (request.args.get("lang"), posted):
        if choice in LANGUAGES:
            return choice
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def load_catalog(po_file: Path) -> Translations:
    """A .po file as gettext translations, compiled in memory; fuzzy entries are left out."""
    with po_file.open("rb") as source:
        catalog = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=chosen_language,
        default_translation_directories=str(TRANSLATIONS),
    )
    with app.app_context():
        cache = babel.domain_instance.cache  # flask-babel fills it from .mo files otherwise
    for po_file in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        cache[po_file.parent.parent.name, "messages"] = load_catalog(po_file)
