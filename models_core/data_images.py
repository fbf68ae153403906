"""
Small digit images, made on the spot: nothing is downloaded.

- digits8: scikit-learn's bundled 8×8 handwritten digits (1,797 images, 10 classes; the file ships
  inside the scikit-learn wheel).
- digits16: 16×16 digits rendered from Pillow's built-in font, each glyph drawn once, then shifted,
  rotated, scaled, sheared and blurred by noise in one batched grid_sample. "A 16×16 image of a 2
  becomes 256 inputs and 10 outputs."

Images are float32 in [0, 1] (ink is 1), shaped (N, 1, H, W); labels are int64 class ids. Everything
random comes from one numpy Generator seeded by `seed`, so the same params make the same images.
"""

import functools
import gzip
import importlib.util
import os
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

DIGITS = [str(d) for d in range(10)]

# name -> {param: (default, min, max)}; an int default means an int param
PARAMS = {
    "digits8": {
        "train_fraction": (0.8, 0.1, 0.9),
    },
    "digits16": {
        "samples": (2000, 100, 10000),
        "noise": (0.1, 0.0, 1.0),  # std of the pixel noise is 0.5·noise
        "jitter": (0.5, 0.0, 1.0),  # strength of the random shift, rotation, scale and shear
        "train_fraction": (0.8, 0.1, 0.9),
    },
}


@dataclass
class ImageDataset:
    name: str
    input_shape: tuple  # (C, H, W)
    classes: int
    class_names: list  # what each class id means: "0".."9"
    x_train: torch.Tensor  # (N, C, H, W) float32 in [0, 1]
    y_train: torch.Tensor  # (N,) int64 in [0, classes)
    x_test: torch.Tensor
    y_test: torch.Tensor
    params: dict  # the params used, defaults filled in


def fill_params(params, bounds, name):
    """params with defaults filled in, checked against bounds {name: (default, min, max)} or, for a
    choice, {name: (default, (choice, ...))}. Raises ValueError naming the param and its bounds."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(bounds))
    if unknown:
        raise ValueError(f"{name}: unknown param {unknown[0]!r} — known params: {', '.join(bounds)}")
    out = {}
    for key, spec in bounds.items():
        value = params.get(key, spec[0])
        if len(spec) == 2:  # a choice
            if value not in spec[1]:
                raise ValueError(f"{name}: {key} must be one of {', '.join(map(str, spec[1]))} (got {value!r})")
        else:
            default, lo, hi = spec
            want_int = isinstance(default, int)  # 3 and 3.0 are both fine for an int param; 3.5 is not
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or (want_int and not float(value).is_integer()):
                raise ValueError(f"{name}: {key} must be {'an integer' if want_int else 'a number'} (got {value!r})")
            if not lo <= value <= hi:
                raise ValueError(f"{name}: {key} must lie in [{lo}, {hi}] (got {value!r})")
            value = int(value) if want_int else float(value)
        out[key] = value
    return out


def stratified_split(labels, train_fraction, rng):
    """(train indices, test indices), each class split in the same proportion, both shuffled."""
    train, test = [], []
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        k = min(max(round(len(idx) * train_fraction), 1), len(idx) - 1)
        train.append(idx[:k])
        test.append(idx[k:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _dataset(name, images, labels, train_fraction, rng, params):
    tr, te = stratified_split(labels, train_fraction, rng)
    x = torch.from_numpy(np.array(images, dtype=np.float32))  # a copy: images may be the cache
    y = torch.from_numpy(labels.astype(np.int64))
    return ImageDataset(name, tuple(x.shape[1:]), 10, list(DIGITS), x[tr], y[tr], x[te], y[te], params)


# -----------------------------------------------------------------------------
# digits8

@functools.lru_cache(maxsize=1)
def _sklearn_digits():
    """(images (1797, 8, 8) float32 in [0, 1], labels (1797,) int64). Reads the gzipped CSV inside the
    scikit-learn package directly: the same data as sklearn.datasets.load_digits(), without the ~1 s
    import of sklearn and scipy."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None:
        raise RuntimeError("digits8 needs scikit-learn (pip install scikit-learn), which ships the 8×8 digits")
    path = os.path.join(spec.submodule_search_locations[0], "datasets", "data", "digits.csv.gz")
    if os.path.exists(path):
        with gzip.open(path, "rt") as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.float32)  # (1797, 65): 64 pixels 0..16, label
        pixels, labels = table[:, :64], table[:, 64].astype(np.int64)
    else:  # a scikit-learn that moved its file: ask it
        from sklearn.datasets import load_digits
        d = load_digits()
        pixels, labels = d.data.astype(np.float32), d.target.astype(np.int64)
    assert pixels.shape == (1797, 64) and pixels.max() == 16
    images = (pixels / 16.0).reshape(-1, 8, 8)
    images.flags.writeable = labels.flags.writeable = False  # cached: shared by every call
    return images, labels


def make_digits8(params, seed):
    p = fill_params(params, PARAMS["digits8"], "digits8")
    images, labels = _sklearn_digits()
    rng = np.random.default_rng(seed)
    return _dataset("digits8", images[:, None], labels, p["train_fraction"], rng, p)


# -----------------------------------------------------------------------------
# digits16

RENDER = 128  # glyphs are drawn at this size, then box-filtered down to TEMPLATE
TEMPLATE = 32  # augmentation samples at 32×32, then averages 2×2 to 16×16 (anti-aliasing)
STROKES = (0, 4, 8)  # thin, regular, bold at RENDER size: the font's weight varies too
SIDE = 16


@functools.lru_cache(maxsize=1)
def glyph_templates():
    """(10, len(STROKES), TEMPLATE, TEMPLATE) float32: each digit's ink centred, ~72 % of the height."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=100)  # Pillow's built-in scalable font: no font file needed
    out = np.zeros((10, len(STROKES), TEMPLATE, TEMPLATE), np.float32)
    for d in range(10):
        for s, stroke in enumerate(STROKES):
            im = Image.new("L", (RENDER * 2, RENDER * 2))
            ImageDraw.Draw(im).text((RENDER, RENDER), str(d), fill=255, font=font, anchor="mm",
                                    stroke_width=stroke, stroke_fill=255)
            ink = im.crop(im.getbbox())
            h = round(RENDER * 0.72)
            w = max(1, round(ink.width * h / ink.height))
            ink = ink.resize((w, h), Image.LANCZOS)
            canvas = Image.new("L", (RENDER, RENDER))
            canvas.paste(ink, ((RENDER - w) // 2, (RENDER - h) // 2))
            out[d, s] = np.asarray(canvas.resize((TEMPLATE, TEMPLATE), Image.BOX), np.float32) / 255.0
    out.flags.writeable = False  # cached: shared by every call
    return out


def augment(templates, theta):
    """templates (N, 1, S, S), theta (N, 2, 3) -> (N, 1, SIDE, SIDE). theta maps output coordinates to
    where they are sampled in the template ([-1, 1] both), as affine_grid defines it."""
    n, _, s, _ = templates.shape
    grid = F.affine_grid(theta, (n, 1, s, s), align_corners=False)
    warped = F.grid_sample(templates, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return F.avg_pool2d(warped, s // SIDE)  # (N, 1, SIDE, SIDE)


def random_affines(rng, n, jitter):
    """(n, 2, 3) float32. At jitter 1: rotation ±20°, scale ×0.8..×1.15, shear ±0.3, shift ±2.5 px."""
    angle = np.deg2rad(20.0) * jitter * rng.uniform(-1, 1, n)
    scale = np.exp(jitter * rng.uniform(np.log(0.8), np.log(1.15), n))
    shear = 0.3 * jitter * rng.uniform(-1, 1, n)
    shift = (2.5 / (SIDE / 2)) * jitter * rng.uniform(-1, 1, (n, 2))  # in [-1, 1] units: 1 px = 2/SIDE
    cos, sin = np.cos(angle), np.sin(angle)
    # sample the template at (rotation · shear / scale) · p + shift: the digit appears scaled by `scale`
    a = np.stack([np.stack([cos, cos * shear - sin], -1), np.stack([sin, sin * shear + cos], -1)], -2)
    a = a / scale[:, None, None]  # (n, 2, 2)
    return torch.from_numpy(np.concatenate([a, shift[:, :, None]], axis=2).astype(np.float32))


def make_digits16(params, seed):
    p = fill_params(params, PARAMS["digits16"], "digits16")
    n, rng = p["samples"], np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 10)  # balanced: each digit n/10 times (±1)
    stroke = rng.integers(0, len(STROKES), n)
    theta = random_affines(rng, n, p["jitter"])
    noise = rng.normal(0.0, 0.5 * p["noise"], (n, 1, SIDE, SIDE)).astype(np.float32)

    templates = torch.tensor(glyph_templates())  # (10, strokes, S, S)
    images = torch.empty(n, 1, SIDE, SIDE)
    for i in range(0, n, 2000):  # in chunks: 2000 templates of 32×32 are 8 MB
        j = slice(i, i + 2000)
        src = templates[torch.from_numpy(labels[j]), torch.from_numpy(stroke[j])][:, None]  # (b, 1, S, S)
        images[j] = augment(src, theta[j])
    images = (images + torch.from_numpy(noise)).clamp_(0.0, 1.0)
    return _dataset("digits16", images.numpy(), labels, p["train_fraction"], rng, p)
