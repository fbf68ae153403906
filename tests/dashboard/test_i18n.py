"""Every string the dashboard shows is in both of its catalogues (static/i18n/dashboard/), or in the
shared one for the few keys it borrows (status.*, dataset.*, app.*)."""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "static" / "i18n"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def sources():
    yield from (ROOT / "static" / "js" / "dashboard").rglob("*.js")
    yield from (ROOT / "templates" / "dashboard").glob("*.html")


def test_the_dashboard_catalogues_match():
    en, zh = load(I18N / "dashboard" / "en.json"), load(I18N / "dashboard" / "zh-hans.json")
    assert set(en) == set(zh)
    assert all(k.startswith("dashboard.") for k in en), "keys of this part are prefixed dashboard."
    for key in en:
        assert zh[key].strip() and zh[key] != en[key], key  # a translation, not a copy
        assert set(re.findall(r"\{(\w+)\}", en[key])) == set(re.findall(r"\{(\w+)\}", zh[key])), key


def test_every_key_the_dashboard_uses_exists():
    keys = set(load(I18N / "en.json")) | set(load(I18N / "dashboard" / "en.json"))
    used, prefixes = set(), set()
    for path in sources():
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(['"]([a-z_]+(?:\.[a-z0-9_]+)+)['"]""", text))
        used |= set(re.findall(r"""key: ['"]([a-z_]+(?:\.[a-z0-9_]+)+)['"]""", text))
        used |= set(re.findall(r"""(?:title|help): ['"](dashboard\.[a-z0-9_.]+)['"]""", text))
        used |= set(re.findall(r"""\b(?:control|select|heading|chart)\(['"](dashboard\.[a-z0-9_.]+)['"]""", text))
        used |= set(re.findall(r"""data-i18n(?:-[a-z-]+)?=["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""", text))
        used |= set(re.findall(r"""dataset\.i18n(?:AriaLabel)? = ['"]([a-z_]+(?:\.[a-z0-9_]+)+)['"]""", text))
        used |= set(re.findall(r"""\{% block \w+_key %\}([a-z_.]+)\{% endblock %\}""", text))
        prefixes |= set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)*[._])\$\{", text))
    assert len(used) > 80, len(used)  # the patterns above still find the dashboard's keys
    missing = sorted(k for k in used if k not in keys)
    assert not missing, missing
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in keys), prefix


def test_every_gate_and_status_has_a_name():
    keys = set(load(I18N / "en.json")) | set(load(I18N / "dashboard" / "en.json"))
    for gate in ("input", "forget", "output", "reset", "update"):
        assert f"dashboard.recurrent.gate_{gate}" in keys
    for status in ("loading", "queued", "running", "paused", "succeeded", "failed", "cancelled"):
        assert f"status.{status}" in keys
