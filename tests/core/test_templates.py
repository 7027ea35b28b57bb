"""Every page template parses, and every message shown to a user has a Chinese translation
that keeps its placeholders (a msgstr that drops one fails when the message is formatted)."""

from __future__ import annotations

import string

import pytest

from zhucun.core.catalogs import untranslated
from zhucun.core.i18n import merged_catalog
from zhucun.core.web import ENV, template_dirs

TEMPLATES = sorted((directory, path) for directory in template_dirs() for path in directory.rglob("*.html"))


def test_templates_are_found():
    names = {str(path.relative_to(directory)) for directory, path in TEMPLATES}
    assert {"base.html", "divisions/detail.html", "audit/verify.html", "accounts/login.html"} <= names


@pytest.mark.parametrize(("directory", "path"), TEMPLATES, ids=[str(p.relative_to(d)) for d, p in TEMPLATES])
def test_every_template_parses_and_compiles(directory, path):
    name = str(path.relative_to(directory))
    ENV.parse(path.read_text(encoding="utf-8"), name, str(path))
    ENV.get_template(name)


def test_every_extracted_message_has_a_chinese_translation():
    assert untranslated("zh_CN") == []


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


def test_translations_keep_the_placeholders_of_their_message():
    wrong = []
    for message in merged_catalog("zh_CN"):
        pairs = zip(message.id, message.string) if isinstance(message.id, tuple) else [(message.id, message.string)]
        for msgid, msgstr in pairs:
            if msgid and msgstr and placeholders(msgid) != placeholders(msgstr):
                wrong.append((msgid, msgstr))
    assert wrong == []
