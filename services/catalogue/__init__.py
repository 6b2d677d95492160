"""The one catalogue of the interface's texts, for the web and the command line alike.

The texts are written in Bahasa Indonesia (the msgids); their English is in `english.py`, from which
`python -m services.catalogue.english` writes and compiles `en/LC_MESSAGES/messages.po`. Flask-Babel reads
the compiled file for the web; `translate` reads the same file for the command line and the services.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent
LANGUAGES = ("id", "en")


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (Indonesian is the texts themselves)."""
    if lang == "en":
        return gettext.translation("messages", DIRECTORY, ["en"])
    return gettext.NullTranslations()


def marked(text: str) -> str:
    """Mark `text` as a text of the catalogue where it is written (a table of texts); it is translated where it
    is shown."""
    return text


def marked_in(where: str, text: str) -> str:
    """Mark `text` as a text of the catalogue said in a context `where` (see `translate_in`)."""
    return text


def translate(lang: str, text: str, /, **params: object) -> str:
    """`text` (an Indonesian msgid) in `lang`, with `%(name)s` parameters filled in, as Flask-Babel does."""
    found = translations(lang if lang in LANGUAGES else "id").gettext(text)
    return found % params if params else found


def translate_in(lang: str, where: str, text: str, /, **params: object) -> str:
    """`text` as said in a context `where` (gettext's msgctxt), for a word another place says otherwise."""
    found = translations(lang if lang in LANGUAGES else "id").pgettext(where, text)
    return found % params if params else found


@dataclass(frozen=True)
class Said:
    """A text of the catalogue (its Indonesian msgid) with its parameters, put into a language only when it is
    shown: what a service says before it knows who reads it. A parameter that is itself a `Said` (or any
    function of the language, such as a number's format) is said in the same language."""

    text: str
    params: dict[str, object] = field(default_factory=dict)

    def __call__(self, lang: str) -> str:
        return translate(lang, self.text, **{name: value(lang) if callable(value) else value
                                             for name, value in self.params.items()})


def said(text: str, /, **params: object | Callable[[str], str]) -> Said:
    """`text` with `params`, to be said in a language later (see `Said`)."""
    return Said(text, params)
