"""Every interface text has its English, and the compiled catalogue is current."""

from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import Translations

from services.catalogue import DIRECTORY, translate
from services.catalogue.english import ENGLISH, IN_CONTEXT, extract

ROOT = Path(__file__).resolve().parents[2]


def test_every_text_of_the_web_the_command_line_and_the_services_has_english(tmp_path):
    pot = tmp_path / "messages.pot"
    extract(pot)
    with pot.open("rb") as handle:
        messages = [message for message in read_po(handle) if message.id]
    ids = {message.id for message in messages if not message.context}
    in_context = {(message.context, message.id) for message in messages if message.context}
    assert ids and in_context, "extraction found the texts"
    assert sorted(ids - set(ENGLISH)) == []
    assert sorted(in_context - set(IN_CONTEXT)) == []


def test_compiled_catalogue_matches_the_table():
    translations = Translations.load(DIRECTORY, ["en"])
    stale = {text: english for text, english in ENGLISH.items() if translations.gettext(text) != english}
    stale |= {text: english for (where, text), english in IN_CONTEXT.items()
              if translations.pgettext(where, text) != english}
    assert stale == {}, "run: python -m services.catalogue.english"


def test_the_command_line_reads_the_same_catalogue_as_the_web():
    text = "Tidak diizinkan"
    assert translate("en", text) == ENGLISH[text] == "Not allowed"
    assert translate("id", text) == text
    assert translate("en", "Halaman ini hanya untuk peran: %(roles)s.", roles="admin") == (
        "This page is only for the role(s): admin.")
