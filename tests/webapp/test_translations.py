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


def test_every_refusal_has_its_words_in_both_languages():
    """Each error class of the domain, the services and the web is worded in services/messages.py (itself
    a text of the catalogue, so the extraction test above fails when its English is missing)."""
    import importlib
    import pkgutil

    import cli
    import domain
    import services
    import webapp
    from domain.errors import DomainError
    from services import messages

    for package in (domain, services, webapp, cli):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)

    def family(kind):
        for child in kind.__subclasses__():
            yield child
            yield from family(child)

    unworded = sorted(kind.__name__ for kind in family(DomainError)
                      if not any(parent.__name__ in messages.ERRORS for parent in kind.__mro__)
                      and kind.__subclasses__() == [])
    assert unworded == []
    assert set(messages.ERRORS) >= {"InvalidPeriodError", "FutureAsOfError", "WeakPasswordError"}


def test_every_role_predikat_and_event_kind_of_the_domain_has_a_name():
    from domain.accounts import ROLES
    from domain.activity import EVENT_KINDS
    from domain.targets import PREDIKAT_BANDS
    from services.presentation import KIND_LABELS, PREDIKAT_NAMES, ROLE_LABELS, kind_label, predikat_label, role_label

    assert tuple(ROLE_LABELS) == ROLES
    assert [name for _, name in PREDIKAT_BANDS] == list(PREDIKAT_NAMES)
    assert set(EVENT_KINDS) <= set(KIND_LABELS)
    assert [predikat_label(name, "en") for name in PREDIKAT_NAMES] == ["Very good", "Good", "Fair", "Poor", "Very poor"]
    assert (role_label("auditor", "en"), kind_label("protocol_served", "en")) == ("Auditor", "served by protocol")
    assert kind_label("protocol_served", "id") == "dilayani protokol"
