import math
import re
import time

import numpy as np
import pytest
import torch

from models_core.data_corpus import PARAMS, build_vocab, make_toy_corpus

KINDS = [("en", "char"), ("en", "word"), ("zh", "char")]
CJK = re.compile(r"[\u4e00-\u9fff]")


def corpus(language="en", level="char", seed=0, **params):
    return make_toy_corpus(dict(params, language=language, level=level), seed)


@pytest.mark.parametrize("language, level", KINDS)
def test_it_cuts_the_text_into_shifted_windows(language, level):
    c = corpus(language, level, sentences=500, block_size=16)
    assert c.input_shape == (16,) and c.block_size == 16 and c.classes == len(c.vocab)
    for x, y in ((c.x_train, c.y_train), (c.x_test, c.y_test)):
        assert x.dtype == y.dtype == torch.int64 and x.shape == y.shape and x.shape[1] == 16 and len(x) >= 1
        assert 0 <= x.min() and x.max() < len(c.vocab)
        assert torch.equal(x[:, 1:], y[:, :-1])  # y is x one token on
        assert torch.equal(y[:-1, -1], x[1:, 0])  # and the windows follow each other
    ids = c.encode(c.train_text)
    assert c.x_train.flatten().tolist() == ids[:c.x_train.numel()]
    assert len(c.x_train) == (len(ids) - 1) // 16


@pytest.mark.parametrize("language, level", KINDS)
def test_ids_round_trip_to_text(language, level):
    c = corpus(language, level, sentences=300)
    for text in (c.text, c.train_text, c.test_text):
        assert c.decode(c.encode(text)) == text
    assert c.decode(c.x_train[0].tolist() + [c.y_train[0, -1].item()]) == c.decode(c.encode(c.train_text)[:c.block_size + 1])
    assert c.text == c.train_text + c.test_text == "\n".join(c.sentences) + "\n"
    assert len(c.train_text.splitlines()) == 270


def test_it_writes_english_and_chinese():
    en, zh = corpus("en", sentences=200), corpus("zh", sentences=200)
    assert en.text.isascii() and not CJK.search(en.text)
    assert len(CJK.findall(zh.text)) > 0.9 * len(zh.text.replace("\n", "").replace("。", ""))
    assert not re.search(r"[A-Za-z]", zh.text)
    assert all(s.endswith(".") and s[0].isupper() for s in en.sentences)
    assert all(s.endswith("。") for s in zh.sentences)
    assert len(en.vocab) < 60 and 60 < len(zh.vocab) < 200  # char level: letters; characters
    assert all(len(t) == 1 for t in zh.vocab)


def test_one_seed_tells_the_same_story_in_both_languages():
    en, zh = corpus("en", sentences=300, seed=4), corpus("zh", sentences=300, seed=4)
    pairs = list(zip(en.sentences, zh.sentences))
    for word, zi in (("cat", "猫"), ("book", "书"), ("garden", "花园"), ("Tom ", "小明"), ("every day", "每天")):
        assert all((word in e) == (zi in z) for e, z in pairs), word
        assert any(word in e for e, _ in pairs)


def test_the_grammar_agrees():
    en, zh = corpus("en", sentences=2000), corpus("zh", sentences=2000)
    text = en.text
    assert not re.search(r"\ba [aeiou]|\ban [^aeiou]", text)  # a cat, an apple
    assert not re.search(r"\b(two|three|four|five) (\w+ )?(cat|dog|book|apple|child|egg)\b", text, re.I)
    assert not re.search(r"There is (two|three|four|five)|There are (a|an) ", text)
    assert not re.search(r"\b(cats|dogs|children|students|teachers) \w+s\b", text.replace(" is ", " "))
    assert re.search(r"\bchildren\b", text) and re.search(r"\beats\b", text) and re.search(r"\beat\b", text)
    # every Chinese number has its measure word, and the right one
    assert not re.search(r"[一两三四五](?![只个位条块根本封辆朵顶])", zh.text)
    assert not re.search(r"[一两三四五]本[^新旧大小白红书信]", zh.text)
    assert re.search(r"两只", zh.text) and re.search(r"本书", zh.text)


def test_the_vocabulary_does_not_depend_on_the_seed():
    for language, level in KINDS:
        vocab = build_vocab(language, level)
        for seed in (0, 1):
            c = make_toy_corpus({"language": language, "level": level, "sentences": 3000}, seed)
            assert c.vocab == vocab and set(c.encode(c.text)) <= set(range(len(vocab)))
    assert "\n" in vocab and "。" in vocab


def test_it_is_deterministic_by_seed():
    a, b, c = corpus(seed=1), corpus(seed=1), corpus(seed=2)
    assert a.text == b.text and torch.equal(a.x_train, b.x_train) and a.text != c.text


def test_sizes_and_time_are_bounded():
    start = time.perf_counter()
    c = corpus("zh", sentences=20000, block_size=256)
    assert time.perf_counter() - start < 3
    assert c.x_train.numel() + c.x_test.numel() < 500_000
    with pytest.raises(ValueError, match="sentences must lie in"):
        corpus(sentences=20001)
    with pytest.raises(ValueError, match="too few for one window"):
        corpus(sentences=50, block_size=256)
    with pytest.raises(ValueError, match="char-level only"):
        corpus("zh", "word")
    with pytest.raises(ValueError, match="language must be one of"):
        corpus("fr")
    assert c.params == {"language": "zh", "level": "char", "sentences": 20000, "block_size": 256,
                        "train_fraction": 0.9}
    assert set(PARAMS["toy_corpus"]) == set(c.params)


@pytest.mark.parametrize("language, level", KINDS)
def test_a_bigram_model_predicts_the_test_text(language, level):
    """Counts from the train text (add-one smoothed) predict the test text far better than uniform."""
    c = corpus(language, level, sentences=2000)
    V = len(c.vocab)
    counts = np.ones((V, V))
    np.add.at(counts, (c.x_train.flatten().numpy(), c.y_train.flatten().numpy()), 1)
    logp = np.log(counts / counts.sum(1, keepdims=True))
    nll = -logp[c.x_test.flatten().numpy(), c.y_test.flatten().numpy()].mean()
    assert nll < 0.6 * math.log(V)
