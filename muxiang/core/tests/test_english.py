"""The English catalogue: every UI string has a translation, the language selector switches to it,
and Simplified Chinese stays the default for anyone who has not chosen English.

The .mo is not committed (``make install`` compiles it), so the session fixture compiles the .po
here too; compilemessages leaves an up-to-date .mo alone, and a file lock keeps xdist workers from
writing it at the same time."""

import contextlib
import fcntl
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdifr]")
NAV_LABELS_ZH = ["首页", "服务体系", "站点", "覆盖率", "行政区划", "主体", "组织", "人员", "监管", "变更记录"]
NAV_LABELS_EN = ["Home", "Stations", "Coverage", "Administrative divisions", "Organisations", "People"]


@pytest.fixture(scope="session", autouse=True)
def english_catalogue():
    lock_path = Path(tempfile.gettempdir()) / "muxiang-compilemessages.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # From inside the locale directory compilemessages finds only LOCALE_PATHS, not .venv.
        with contextlib.chdir(LOCALE_DIR):
            call_command("compilemessages", locale=["en"], verbosity=0)
    # Forget any catalogue loaded before the .mo existed, as runserver's reloader does.
    translation_file_changed(sender=None, file_path=MO_FILE)
    return MO_FILE


def switch_language(client, language, next_url="/stations/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url}, follow=True)


def main_nav(html):
    match = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert match, "the main navigation is missing"
    return match.group(0)


# --- switching languages on the pages ------------------------------------------------------------


def test_switching_to_english_translates_the_stations_page(login, staff):
    client = login(staff)

    response = switch_language(client, "en")

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/stations/"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert re.search(r"<h1>\s*Stations", html)
    nav = main_nav(html)
    for label in NAV_LABELS_EN:
        assert f">{label}<" in nav
    assert not CJK.findall(nav), f"untranslated navigation labels: {CJK.findall(nav)}"
    # With no records on the page, the only Chinese left is the user's name and the language's own
    # name in the selector (each language is offered in its own script).
    assert set(CJK.findall(html)) <= {staff.full_name, "简体中文"}


def test_the_choice_stays_for_later_pages_and_python_strings_follow(login, staff, station):
    client = login(staff)
    switch_language(client, "en")

    html = client.get(reverse("stations:detail", args=[station.pk])).content.decode()

    # Choice labels and verbose names come from gettext_lazy in Python, not from the templates.
    for english in ("Town station", "Active", "Proxy buying", "Parcel pick-up and drop-off", "Station code"):
        assert english in html
    assert "镇级站点" not in html and "运营中" not in html
    assert not CJK.findall(main_nav(client.get("/").content.decode()))


def test_chinese_is_the_default_for_a_new_session(login, staff):
    english_client = login(staff)
    switch_language(english_client, "en")

    # A new browser session of the same user has made no choice, so it gets the source language.
    fresh = Client()
    fresh.force_login(staff)
    html = fresh.get("/stations/").content.decode()

    assert '<html lang="zh-hans">' in html
    assert re.search(r"<h1>\s*站点", html)
    nav = main_nav(html)
    for label in ("首页", "站点", "覆盖率", "行政区划", "组织", "人员"):
        assert f">{label}<" in nav
    assert "Stations" not in html


def test_switching_back_to_chinese(login, staff):
    client = login(staff)
    switch_language(client, "en")

    html = switch_language(client, "zh-hans").content.decode()

    assert '<html lang="zh-hans">' in html
    assert ">站点<" in main_nav(html)
    assert "Stations" not in html


def test_the_compiled_catalogue_is_the_one_django_uses():
    with translation.override("en"):
        assert translation.gettext("站点") == "Stations"
        assert translation.gettext("变更记录") == "Audit trail"
        assert (
            translation.ngettext("共 %(counter)s 条", "共 %(counter)s 条", 1) % {"counter": 1} == "1 record"
        )
        assert (
            translation.ngettext("共 %(counter)s 条", "共 %(counter)s 条", 3) % {"counter": 3} == "3 records"
        )
    with translation.override("zh-hans"):
        assert translation.gettext("站点") == "站点"


# --- the catalogue itself ------------------------------------------------------------------------


def _unquote(line):
    text = line.strip()
    assert text.startswith('"') and text.endswith('"'), line
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path):
    """The .po's entries as dicts: ``flags``, ``msgid``, ``msgid_plural``, ``msgstr`` or ``msgstr[n]``.

    Obsolete (``#~``) entries are left out; the header is the entry whose msgid is empty."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None and "msgid" in entry and not entry.get("obsolete"):
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry, key = {"flags": set()}, None
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#") or entry.get("obsolete"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _, rest = line.partition(" ")
            entry[key] = _unquote(rest)
    return entries


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(PO_FILE)
    header = [e for e in entries if e["msgid"] == ""]
    messages = [e for e in entries if e["msgid"] != ""]

    assert len(header) == 1 and "fuzzy" not in header[0]["flags"]
    assert "Language: en\n" in header[0]["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header[0]["msgstr"]
    assert len(messages) > 300
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    untranslated = [
        e["msgid"]
        for e in messages
        if not all(e[k].strip() for k in e if k == "msgstr" or k.startswith("msgstr["))
        or ("msgid_plural" in e and not {"msgstr[0]", "msgstr[1]"} <= e.keys())
    ]
    assert not untranslated, f"untranslated entries: {untranslated}"


def test_translations_keep_every_placeholder():
    for entry in read_po(PO_FILE):
        if not entry["msgid"]:
            continue
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for key in [k for k in entry if k == "msgstr" or k.startswith("msgstr[")]:
            assert sorted(PLACEHOLDER.findall(entry[key])) == wanted, (entry["msgid"], entry[key])


def test_english_strings_are_english():
    # Language names are offered in their own script; everything else must not keep Chinese.
    leftovers = [
        (e["msgid"], e[k])
        for e in read_po(PO_FILE)
        if e["msgid"] and e["msgid"] != "简体中文"
        for k in e
        if (k == "msgstr" or k.startswith("msgstr[")) and CJK.search(e[k])
    ]
    assert not leftovers, leftovers
