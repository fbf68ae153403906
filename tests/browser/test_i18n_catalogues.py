"""The two catalogues have the same keys, every key the page uses exists, and no value is empty.
(No browser needed: this reads the template, the modules and the JSON files.)"""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "static" / "i18n"


def catalogue(lang):
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


def part_catalogues():
    """(part, en, zh) for every part catalogue under static/i18n/<part>/."""
    for folder in sorted(p for p in I18N.iterdir() if p.is_dir()):
        yield folder.name, *(json.loads((folder / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("en", "zh-hans"))


def test_both_catalogues_have_the_same_keys():
    pairs = [(catalogue("en"), catalogue("zh-hans"))] + [(en, zh) for _, en, zh in part_catalogues()]
    for en, zh in pairs:
        check_pair(en, zh)


def test_part_catalogues_do_not_redefine_keys():
    seen = set(catalogue("en"))
    for part, en, _ in part_catalogues():
        clash = seen & set(en)
        assert not clash, (part, sorted(clash)[:5])
        seen |= set(en)


def check_pair(en, zh):
    assert set(en) == set(zh)
    assert all(isinstance(v, str) and v.strip() for v in [*en.values(), *zh.values()])
    # placeholders match, so a translation cannot drop a value
    for key in en:
        assert set(re.findall(r"\{(\w+)\}", en[key])) == set(re.findall(r"\{(\w+)\}", zh[key])), key


def test_every_key_the_page_uses_exists():
    en = catalogue("en")
    used = set(re.findall(r'data-i18n(?:-[a-z-]+)?="([^"]+)"',
                          (ROOT / "templates" / "playground" / "index.html").read_text(encoding="utf-8")))
    for module in (ROOT / "static" / "js").glob("*.js"):
        source = module.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\('([a-z_]+\.[a-z0-9_]+)'", source))
        # keys built from a prefix and a value the page knows (`status.${status}`, ...)
        for prefix in re.findall(r"`([a-z_]+)\.\$\{", source):
            assert any(k.startswith(prefix + ".") for k in en), prefix
    missing = sorted(k for k in used if k not in en)
    assert not missing, missing


def test_value_keys_cover_every_choice():
    en = catalogue("en")
    for prefix, values in {
        "dataset": ["circle", "xor", "gauss", "spiral", "moons", "blobs", "plane", "multi_gauss"],
        "activation": ["linear", "step", "sigmoid", "tanh", "relu"],
        "optimizer": ["sgd", "momentum", "adam"],
        "regularization": ["none", "l1", "l2"],
        "status": ["setup", "loading", "queued", "running", "paused", "succeeded", "failed", "cancelled"],
        "feature": ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"],
        "problem": ["classification", "regression"],
    }.items():
        for value in values:
            assert f"{prefix}.{value}" in en, f"{prefix}.{value}"
