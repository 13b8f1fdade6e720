"""Small generated corpora for the language-model tests (the shared data sets are never used here)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

WORDS = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran", "to", "red", "big", "house", "and", "saw"]


def make_text(n_sentences: int = 400, seed: int = 0) -> str:
    """Sentences from a small grammar: structured enough that a model can learn something quickly."""
    rng = random.Random(seed)
    lines = []
    for _ in range(n_sentences):
        subject = rng.choice(["the cat", "a dog", "the big dog", "a red cat"])
        verb = rng.choice(["sat on", "ran to", "saw"])
        thing = rng.choice(["the mat", "a house", "the red house", "a big mat"])
        lines.append(f"{subject} {verb} {thing}.")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session", name="make_text")
def make_text_fixture() -> object:
    """:func:`make_text` for tests that need more than one corpus."""
    return make_text


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return make_text()


@pytest.fixture()
def corpus_file(tmp_path: Path, corpus_text: str) -> Path:
    path = tmp_path / "corpus.txt"
    path.write_text(corpus_text, encoding="utf-8")
    return path


@pytest.fixture()
def tiny() -> dict[str, object]:
    """Options for a GPT of a few thousand parameters that trains in about a second."""
    return dict(n_layer=1, n_head=2, n_embd=16, block_size=16, batch_size=8, eval_iters=2, warmup_iters=5,
                progress=False)


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    """Tiny models run fastest on one thread, and the test machine is shared."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
