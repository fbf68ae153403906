"""Every string key the editor's template and modules use is in the editor's catalogues (or the app's
shared one), including the keys built at run time: a name for every block type of the registry, every
palette group, template, validity state and training field."""
import json
import re
from pathlib import Path

from models_core.blocks import REGISTRY
from models_core.datasets import catalogue

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "static" / "i18n"
JS = ROOT / "static" / "js" / "editor"


def keys():
    shared = json.loads((I18N / "en.json").read_text(encoding="utf-8"))
    en = json.loads((I18N / "editor" / "en.json").read_text(encoding="utf-8"))
    zh = json.loads((I18N / "editor" / "zh-hans.json").read_text(encoding="utf-8"))
    assert set(en) == set(zh)
    assert all(k.startswith("editor.") for k in en), "this part's keys are prefixed editor."
    return set(shared) | set(en)


def used_statically():
    html = (ROOT / "templates" / "editor" / "index.html").read_text(encoding="utf-8")
    used = set(re.findall(r'data-i18n(?:-(?!parts)[a-z-]+)?="([^"]+)"', html))
    for path in JS.glob("*.js"):
        used |= set(re.findall(r"""\bt\(\s*['"]([a-z_.]+)['"]""", path.read_text(encoding="utf-8")))
    return used


def test_every_key_the_editor_uses_exists():
    used = used_statically()
    assert len(used) > 60, len(used)  # the patterns above still find the editor's keys
    assert not used - keys(), sorted(used - keys())


def test_every_block_type_has_a_name_in_both_languages():
    assert {f"editor.block.{t}" for t in REGISTRY} <= keys()


def test_every_param_of_a_block_or_dataset_has_a_label_in_both_languages():
    names = {p.name for b in REGISTRY.values() for p in b.params} | {p["name"] for d in catalogue() for p in d["params"]}
    assert not {f"editor.param.{n}" for n in names} - keys(), sorted({f"editor.param.{n}" for n in names} - keys())


def test_every_key_built_at_run_time_exists():
    catalogue_js = (JS / "catalogue.js").read_text(encoding="utf-8")
    groups = re.search(r"GROUP_ORDER = \[([^\]]+)\]", catalogue_js).group(1)
    templates = re.findall(r"^  (\w+): \{$", (JS / "templates.js").read_text(encoding="utf-8"), re.M)
    panel = (JS / "panel.js").read_text(encoding="utf-8")
    fields = re.findall(r"\{ name: '(\w+)', kind:", panel)
    built = ({f"editor.group.{g}" for g in re.findall(r"'(\w+)'", groups)} | {f"editor.tpl.{k}" for k in templates}
             | {f"editor.validity.{s}" for s in ("valid", "invalid", "offline")} | {f"editor.training.{f}" for f in fields}
             | {f"editor.kind.{d['kind']}" for d in catalogue()} | {f"editor.problem.{d['problem']}" for d in catalogue()})
    assert len(templates) == 5 and len(fields) == 4
    assert not built - keys(), sorted(built - keys())
