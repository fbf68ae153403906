"""
The one table of datasets: every dataset the playground offers, in the editor's order, with its
family (which module checks and makes it), problem, params, help and generator. check_dataset,
make_dataset, catalogue (GET /api/datasets) and gives (what the spec's network checks are fed) read
it; adding a dataset is one DatasetInfo row here (plus its generator in its family's module).

Families: "plane" (2-D points, plane.py), "curve" (1-D regression, curves.py), "image", "sequence" and
"text" (tensors from data_images.py, data_sequences.py, data_corpus.py; checked and made in kinds.py).
"""

from dataclasses import dataclass
from typing import Callable, Optional

from .. import data_corpus, data_images, data_sequences
from ..blocks.base import text
from ..errors import SpecError, SpecInvalid, show
from ..limits import Limits
from . import curves, kinds, plane


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    family: str  # "plane" | "curve" | "image" | "sequence" | "text"
    problem: str  # "classification" | "regression"
    params: tuple  # its spec's Params (bounds, en/zh help), in the editor's order
    help: dict  # {"en": ..., "zh-hans": ...}
    generator: Callable  # the family's kind of generator: see plane.py, curves.py, kinds.py
    classes: Optional[int] = None  # a 2-D set's classes (blobs: its param's default); else read off the data

    @property
    def dims(self):
        """2: points (x1, x2, label); 1: points (x, t); 0: tensors, not points."""
        return {"plane": 2, "curve": 1}.get(self.family, 0)


FAMILIES = {"plane": plane, "curve": curves, "image": kinds, "sequence": kinds, "text": kinds}

_C, _R = "classification", "regression"
_IMAGES, _SEQUENCES, _CORPUS = data_images.PARAMS, data_sequences.PARAMS, data_corpus.PARAMS

DATASETS = {d.name: d for d in (
    DatasetInfo("circle", "plane", _C, plane.PARAMS, text("A disc inside a ring.", "圆环包围着一个圆盘。"),
                plane.circle, classes=2),
    DatasetInfo("xor", "plane", _C, plane.PARAMS, text("Four quadrants: the label is the sign of x1·x2.",
                                                       "四个象限：标签是 x1·x2 的符号。"), plane.xor, classes=2),
    DatasetInfo("gauss", "plane", _C, plane.PARAMS, text("Two Gaussian clouds.", "两团高斯分布的点。"),
                plane.gauss, classes=2),
    DatasetInfo("spiral", "plane", _C, plane.PARAMS, text("Two interleaved spirals: the hard one.",
                                                          "两条交错的螺旋线：最难的一个。"), plane.spiral, classes=2),
    DatasetInfo("moons", "plane", _C, plane.PARAMS, text("Two interlocking half-moons.", "两个相扣的半月形。"),
                plane.moons, classes=2),
    DatasetInfo("blobs", "plane", _C, plane.PARAMS + (plane.CLASSES,),
                text("3 to 5 Gaussian clouds, one class each.", "3 到 5 团高斯分布的点，每团一个类别。"),
                plane.blobs, classes=plane.CLASSES.default),
    DatasetInfo("plane", "plane", _R, plane.PARAMS, text("A tilted plane: the value grows with x1 + x2.",
                                                         "倾斜的平面：数值随 x1 + x2 增大。"), plane.tilted_plane),
    DatasetInfo("multi_gauss", "plane", _R, plane.PARAMS, text("Six bumps, up and down.", "六个起伏的高斯峰。"),
                plane.multi_gauss),
    DatasetInfo("curve_fit", "curve", _R, curves.params(samples=10, noise=0.3, degree=3),
                text("Bishop's curve fitting: sin(2πx) plus noise, fitted by a polynomial of degree M.",
                     "Bishop 的曲线拟合：sin(2πx) 加噪声，用 M 次多项式拟合。"), curves.sine),
    DatasetInfo("house_prices", "curve", _R, curves.params(samples=30, noise=0.1, degree=1),
                text("House prices against distance from the centre: a straight line plus noise.",
                     "房价与到市中心距离的关系：一条直线加噪声。"), curves.houses),
    DatasetInfo("digits8", "image", _C, kinds.params(_IMAGES["digits8"]),
                text("scikit-learn's 8×8 handwritten digits (1,797 images, 10 classes).",
                     "scikit-learn 自带的 8×8 手写数字（1797 张图，10 类）。"), data_images.make_digits8),
    DatasetInfo("digits16", "image", _C, kinds.params(_IMAGES["digits16"]),
                text("16×16 digits drawn from a font, shifted, rotated and noisy: 256 inputs, 10 outputs.",
                     "用字体绘制的 16×16 数字，带平移、旋转和噪声：256 个输入，10 个输出。"), data_images.make_digits16),
    DatasetInfo("delayed_recall", "sequence", _C, kinds.params(_SEQUENCES["delayed_recall"]),
                text("Repeat the symbol seen `lag` steps ago: a memory test.", "复述 lag 步之前看到的符号：记忆测试。"),
                data_sequences.make_delayed_recall),
    DatasetInfo("parity", "sequence", _C, kinds.params(_SEQUENCES["parity"]),
                text("Is the number of ones in the bit string odd?", "比特串中 1 的个数是奇数吗？"),
                data_sequences.make_parity),
    DatasetInfo("adding", "sequence", _R, kinds.params(_SEQUENCES["adding"]),
                text("Add the two marked numbers of a long sequence (Hochreiter & Schmidhuber).",
                     "把长序列中两个被标记的数相加（Hochreiter 与 Schmidhuber）。"), data_sequences.make_adding),
    DatasetInfo("reverse", "sequence", _C, kinds.params(_SEQUENCES["reverse"]),
                text("Write the token string backwards.", "把词元串倒过来写。"), data_sequences.make_reverse),
    DatasetInfo("sort", "sequence", _C, kinds.params(_SEQUENCES["sort"]),
                text("Write the token string sorted.", "把词元串排序后写出。"), data_sequences.make_sort),
    DatasetInfo("toy_corpus", "text", _C, kinds.params(_CORPUS["toy_corpus"]),
                text("Sentences from a small grammar, in English or Chinese: predict the next token.",
                     "由小语法生成的英文或中文句子：预测下一个词元。"), data_corpus.make_toy_corpus),
)}
PLANE = tuple(name for name, d in DATASETS.items() if d.family == "plane")  # what the quick playground draws,
CURVES = tuple(name for name, d in DATASETS.items() if d.family == "curve")  # with the 1-D sets


# -----------------------------------------------------------------------------
# reading the table

def check_dataset(d, limits=Limits(), path="dataset"):
    """(normalised dataset spec, [SpecError]). Never raises. Where there are errors, the dict (None when
    `d` is not even an object) holds None for each bad field, so callers can use the sound ones."""
    if d is None:
        d = {}
    if not isinstance(d, dict):
        return None, [SpecError(path, f"dataset must be an object like {{\"name\": \"circle\"}} (got {show(d)})")]
    name = d.get("name", "circle")
    info = DATASETS.get(name) if isinstance(name, str) else None
    if info is not None and info.family != "plane":
        return FAMILIES[info.family].check(d, info, limits, path)
    # a 2-D set or an unknown name: the other fields are judged as a 2-D set's, so their mistakes show too
    errors = plane.unknown_fields(d, path)
    if info is None:
        errors.append(SpecError(f"{path}.name", f"unknown dataset {show(name)} — known datasets: {', '.join(DATASETS)}"))
    out, errs = plane.check(d, info, limits, path)
    return out, errors + errs


def make_dataset(spec, limits=Limits()):
    """A dataset spec (normalised or not) -> Dataset. Raises SpecInvalid for a bad spec."""
    d, errors = check_dataset(spec, limits)
    if errors:
        raise SpecInvalid(errors)
    info = DATASETS[d["name"]]
    return FAMILIES[info.family].make(d, info)


def input_width(d):
    """How many features a checked dataset spec gives a tabular input, or None where that part is broken
    (or the input is not tabular: see gives)."""
    info = DATASETS.get(d.get("name"))
    return FAMILIES[info.family if info else "plane"].width(d)


def gives(d, sound):
    """What a checked dataset spec gives the network: {"name", "kind", "shape", "vocab", "problem",
    "classes", "per_step", "steps"}. A tabular set is described from its sound parts even when others
    are broken (`sound` False; shape [None] where the features are, problem None for an unknown name),
    so the network is still checked; an image, sequence or text set only when sound, else None."""
    name = d.get("name")
    info = DATASETS.get(name)
    if info is None or info.dims:
        classes = d.get("classes") if info and plane.CLASSES in info.params else (info.classes if info else None)
        return {"name": name, "kind": "tabular", "shape": [input_width(d)], "vocab": 0,
                "problem": info.problem if info else None, "classes": classes, "per_step": False, "steps": None}
    if not sound:
        return None
    desc, _ = kinds.shape_of(d, info)
    return {"name": name, **desc} if desc else None


def catalogue(limits=Limits()):
    """JSON-ready description of every dataset for GET /api/datasets."""
    out = []
    for info in DATASETS.values():
        # what it gives, from its default params under the default limits: an instance's tighter limits
        # change the bounds shown below, not the kind of data
        g = gives(check_dataset({"name": info.name})[0], sound=True)
        out.append({"name": info.name, "problem": info.problem, "classes": g["classes"],
                    "params": [p.as_dict(limits) for p in info.params], "help": dict(info.help),
                    "dims": info.dims, "kind": g["kind"]})
    return out
