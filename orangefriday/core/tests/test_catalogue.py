"""The Simplified Chinese catalogue is complete, current and compiled; templates mark their
words (README, "Languages")."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from orangefriday.core import catalogue, untranslated

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
HOW = "run `make messages`, translate the new entries of locale/zh_Hans, run it again"

# Templates written before the catalogue, whose words were marked later; a template joins
# this list never (issue 15 emptied it).
NOT_YET_MARKED: set[str] = set()


def test_every_template_marks_its_words():
    found = {}
    for template in untranslated.templates():
        name = str(template.relative_to(untranslated.PACKAGE))
        if name not in NOT_YET_MARKED and (words := untranslated.offences(template)):
            found[name] = words
    assert found == {}, f"words not marked for translation ({{% translate %}}): {found}"


def test_the_list_of_unmarked_templates_only_shrinks():
    marked = {
        name for name in NOT_YET_MARKED if not untranslated.offences(untranslated.PACKAGE / name)
    }
    assert marked == set(), f"marked now, take them off NOT_YET_MARKED: {sorted(marked)}"


def test_the_lint_finds_unmarked_words(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<h1>{% translate "Votes" %}</h1><p title="Your vote">{{ n }} votes'
        "</p>{% blocktranslate %}{{ n }} fans{% endblocktranslate %}<code>Bearer</code>"
        '<script>let a = "b";</script>{# a comment #}<span>API · 2</span>'
    )
    assert untranslated.offences(template) == ["Your vote", "votes"]


def test_every_message_is_translated():
    entries = polib.pofile(str(CATALOGUE))
    untranslated_ids = [e.msgid for e in entries if not e.translated() and not e.obsolete]
    assert untranslated_ids == [], f"no Chinese yet for these ({HOW}): {untranslated_ids}"
    assert entries.percent_translated() == 100


def test_the_compiled_catalogue_is_the_committed_one():
    for po in catalogue.catalogues():
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} is missing: run `make install`"
        assert mo.read_bytes() == catalogue.compiled(po), f"{mo} is stale: run `make install`"


def _gettext() -> bool:
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return True
    if os.environ.get("ORANGEFRIDAY_REQUIRE_GETTEXT"):
        pytest.fail("GNU gettext (xgettext, msgmerge) is required here: apt-get install gettext")
    pytest.skip("GNU gettext is not installed (apt-get install gettext); CI runs this test")


def test_the_catalogue_holds_every_marked_string_and_nothing_else(tmp_path):
    """What `make messages` would write from today's code is what is committed: no
    marked string is missing (nor one that is no longer used), in the committed order."""
    _gettext()
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT / "orangefriday",
        copy / "orangefriday",
        ignore=shutil.ignore_patterns("__pycache__", "static", "*.pyc"),
    )
    shutil.copytree(ROOT / "locale", copy / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", copy)
    environment = {**os.environ, "ORANGEFRIDAY_VAR_DIR": str(tmp_path / "var")}
    subprocess.run(
        [sys.executable, "manage.py", "messages", "--verbosity", "0"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    fresh = (copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text()
    committed = CATALOGUE.read_text()
    if fresh != committed:
        new = {e.msgid for e in polib.pofile(fresh)} - {e.msgid for e in polib.pofile(committed)}
        gone = {e.msgid for e in polib.pofile(committed)} - {e.msgid for e in polib.pofile(fresh)}
        pytest.fail(f"the catalogue is not current ({HOW}); new: {new}, no longer used: {gone}")
