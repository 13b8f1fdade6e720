"""Toy labelled texts for the text-classification tests: the label is decided by one word, the rest is noise."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

EN_POS, EN_NEG = ["great", "wonderful", "excellent"], ["awful", "boring", "terrible"]
EN_FILL = "the a movie film was is this that story actor plot scene really quite long and".split()
ZH_POS, ZH_NEG = ["很好", "干净", "满意"], ["很差", "太吵", "失望"]
ZH_FILL = list("房间服务早餐位置前台酒店环境价格设施交通")


def toy_texts(language: str, n: int = 300, *, seed: int = 0, classes: int = 2) -> tuple[list[str], list[str]]:
    """``n`` texts whose label is set by one cue word hidden among filler words (balanced classes)."""
    rng = random.Random(seed)
    if classes == 2:
        cues = {"pos": EN_POS, "neg": EN_NEG} if language == "en" else {"pos": ZH_POS, "neg": ZH_NEG}
    else:
        cues = {"sport": ["football", "tennis"], "food": ["noodles", "pizza"], "tech": ["laptop", "software"]}
    names = list(cues)
    texts, labels = [], []
    for i in range(n):
        label = names[i % len(names)]
        if language == "en" or classes != 2:
            words = rng.choices(EN_FILL, k=rng.randint(4, 9))
            words.insert(rng.randint(0, len(words)), rng.choice(cues[label]))
            texts.append(" ".join(words))
        else:
            chars = "".join(rng.choices(ZH_FILL, k=rng.randint(4, 9)))
            cut = rng.randint(0, len(chars))
            texts.append(chars[:cut] + rng.choice(cues[label]) + chars[cut:] + "。")
        labels.append(label)
    return texts, labels


def write_csv(path: Path, texts: list[str], labels: list[object] | None, **extra: list[object]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        columns = ["review", *(["label"] if labels is not None else []), *extra]
        writer = csv.writer(fh)
        writer.writerow(columns)
        for i, t in enumerate(texts):
            writer.writerow([t, *([labels[i]] if labels is not None else []), *(v[i] for v in extra.values())])
    return path


@pytest.fixture(scope="session")
def en_toy() -> tuple[list[str], list[str]]:
    return toy_texts("en", 300)


@pytest.fixture(scope="session")
def zh_toy() -> tuple[list[str], list[str]]:
    return toy_texts("zh", 300, seed=1)


#: Neural settings small enough for a test: a few seconds on a busy core.
TINY = {"embed_dim": 16, "hidden": 16, "n_embd": 32, "n_head": 2, "n_layer": 1, "max_length": 24,
        "epochs": 12, "batch_size": 32, "lr": 1e-2, "patience": 12, "dropout": 0.0}


@pytest.fixture(scope="session")
def tiny() -> dict[str, object]:
    return dict(TINY)
