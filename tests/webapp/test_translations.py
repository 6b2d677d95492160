"""Every interface text has its English, and the compiled catalogue is current."""

from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from babel.support import Translations

from webapp.translations.english import ENGLISH

ROOT = Path(__file__).resolve().parents[2]


def test_every_text_in_the_templates_and_views_has_english(tmp_path):
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_", "-k", "gettext",
                                "--omit-header", "--no-location", "-o", str(pot), str(ROOT)])
    with pot.open("rb") as handle:
        ids = {message.id for message in read_po(handle) if message.id}
    assert ids, "extraction found the texts"
    assert sorted(ids - set(ENGLISH)) == []


def test_compiled_catalogue_matches_the_table():
    translations = Translations.load(ROOT / "webapp" / "translations", ["en"])
    stale = {text: english for text, english in ENGLISH.items() if translations.gettext(text) != english}
    assert stale == {}, "run: python -m webapp.translations.english"
