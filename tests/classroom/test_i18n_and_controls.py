"""Every classroom string the templates and modules use exists in both catalogues; the browser's list of
lockable controls is the server's."""
import json
import re
from pathlib import Path

from playground.classroom.controls import CONTROLS
from playground.classroom.models import QuotaFields, Role
from playground.runs.models import RunStatus

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js" / "classroom"
TEMPLATES = ROOT / "templates" / "classroom"
PY = ROOT / "playground" / "classroom"


def catalogue(lang):
    return json.loads((ROOT / "static" / "i18n" / "classroom" / f"{lang}.json").read_text(encoding="utf-8"))


def used_keys():
    keys = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        keys |= set(re.findall(r'data-i18n(?:-[a-z-]+)?="(classroom\.[a-z0-9_]+)"', text))
        if "field_" in text:  # form fields' labels: the register and the password-change forms
            keys |= {f"classroom.field_{name}" for name in ("username", "password", "password2", "code",
                                                            "old_password", "new_password1", "new_password2")}
    for module in JS.glob("*.js"):
        keys |= set(re.findall(r"\bt\('(classroom\.[a-z0-9_]+)'", module.read_text(encoding="utf-8")))
    for module in PY.glob("*.py"):
        keys |= set(re.findall(r'"title_key": "(classroom\.[a-z0-9_]+)"', module.read_text(encoding="utf-8")))
    # keys built from a prefix and a value the page knows
    keys |= {f"classroom.status_{s}" for s in [*RunStatus.values, "setup", "none", "refused"]}
    keys |= {f"classroom.control_{c}" for c in CONTROLS}
    keys |= {f"classroom.limit_{q}" for q in QuotaFields.QUOTA_NAMES}
    keys |= {f"classroom.role_{r}" for r in Role.values}
    keys |= {f"classroom.metric_{m}" for m in ("test_accuracy", "train_accuracy", "test_loss", "train_loss", "test_rms", "train_rms")}
    return keys


def test_every_key_the_classroom_pages_use_exists_in_both_languages():
    keys = used_keys()
    assert len(keys) > 100
    for lang in ("en", "zh-hans"):
        missing = sorted(k for k in keys if k not in catalogue(lang))
        assert not missing, (lang, missing)


def test_prefix_built_keys_are_all_known_prefixes():
    for module in JS.glob("*.js"):
        for prefix in re.findall(r"`(classroom\.[a-z_]+_)\$\{", module.read_text(encoding="utf-8")):
            assert prefix in {"classroom.status_", "classroom.control_", "classroom.limit_", "classroom.role_", "classroom.metric_"}, prefix


def test_the_browser_offers_exactly_the_controls_the_server_checks():
    source = (JS / "controls.js").read_text(encoding="utf-8")
    names = re.search(r"CONTROL_NAMES = \[([^\]]+)\]", source).group(1)
    assert re.findall(r"'([a-z_]+)'", names) == list(CONTROLS)
