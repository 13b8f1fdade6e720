"""The GPT + n-gram mixture: the weight's fit, the mixed probabilities, saving, generation, the CLI, and errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import shuxi.lm
from shuxi.cli import app
from shuxi.errors import ConfigError, DataError
from shuxi.lm.mixture import fit_weight, mixture_nll

runner = CliRunner()


def test_fit_weight_finds_the_maximum_likelihood_weight() -> None:
    # The GPT is certain and right on two tokens of three, the n-gram on the third: the best λ is 2/3.
    with np.errstate(divide="ignore"):
        gpt = -np.log(np.array([1.0, 1.0, 0.0]))
        ngram = -np.log(np.array([0.0, 0.0, 1.0]))
    assert fit_weight(gpt, ngram) == pytest.approx(2 / 3, abs=1e-5)
    # Random probabilities: EM lands on the grid search's maximum of Σ log(λa + (1-λ)b).
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.01, 1, 500), rng.uniform(0.01, 1, 500) ** 2
    grid = np.linspace(0, 1, 100_001)
    best = grid[np.argmax([np.log(w * a + (1 - w) * b).sum() for w in grid])]
    assert fit_weight(-np.log(a), -np.log(b)) == pytest.approx(best, abs=1e-4)
    # A model that is better everywhere takes all the weight.
    assert fit_weight(-np.log(a), -np.log(a / 2)) > 0.999


def test_mixture_nll_is_the_negative_log_of_the_mixed_probability() -> None:
    gpt, ngram = np.array([0.1, 2.0, 30.0]), np.array([1.5, 0.2, 800.0])
    expected = -np.log(0.3 * np.exp(-gpt) + 0.7 * np.exp(-ngram))
    assert np.allclose(mixture_nll(gpt, ngram, 0.3), expected)
    assert np.allclose(mixture_nll(gpt, ngram, 1.0), gpt) and np.allclose(mixture_nll(gpt, ngram, 0.0), ngram)
    assert np.isfinite(mixture_nll(np.array([5000.0]), np.array([6000.0]), 0.5)).all()  # no underflow to inf


@pytest.fixture()
def mixture_dir(tmp_path: Path, corpus_file: Path, tiny: dict[str, object]) -> Path:
    shuxi.lm.train(corpus_file, out=tmp_path / "mix", arch="gpt", mix_ngram=4, max_iters=100, eval_interval=50, lr=1e-2,
                   **tiny)
    return tmp_path / "mix"


def test_train_with_mix_ngram_saves_both_parts_and_a_fitted_weight(mixture_dir: Path, corpus_file: Path) -> None:
    info = json.loads((mixture_dir / "lm.json").read_text())
    assert info["arch"] == "mix" and 0.0 <= info["config"]["weight"] <= 1.0
    assert json.loads((mixture_dir / "gpt" / "lm.json").read_text())["arch"] == "gpt"
    assert json.loads((mixture_dir / "ngram" / "lm.json").read_text())["config"]["order"] == 4
    m = info["mixture"]
    # The weight was fitted on held-out training text (5% of the training split), not on the validation split.
    text = corpus_file.read_text()
    train_tokens = int(len(text) * 0.9)
    assert m["held_out_tokens"] == int(train_tokens * 0.05) - 1
    assert info["train_tokens"] == train_tokens - int(train_tokens * 0.05)  # the GPT's
    # Once the weight is fitted the n-gram is refitted on the whole training split.
    assert json.loads((mixture_dir / "ngram" / "lm.json").read_text())["train_tokens"] == train_tokens
    assert m["held_out_loss_mix"] <= min(m["held_out_loss_gpt"], m["held_out_loss_ngram"]) + 1e-6
    lm = shuxi.lm.load(mixture_dir)
    assert lm.arch == "mix" and lm.net.weight == info["config"]["weight"]
    # Evaluating the mixture = mixing the two parts' per-token probabilities with the saved weight.
    gpt, ngram = shuxi.lm.load(mixture_dir / "gpt"), shuxi.lm.load(mixture_dir / "ngram")
    ids = lm.encode(text[-3000:])
    (g,), (n,) = gpt.sequence_nll([ids]), ngram.sequence_nll([ids])
    w = lm.net.weight
    expected = float(np.mean(-np.log(w * np.exp(-g) + (1 - w) * np.exp(-n))))
    assert lm.evaluate(text[-3000:])["loss"] == pytest.approx(expected, rel=1e-9)
    assert info["val_loss"] <= max(info["gpt_val_loss"], info["ngram_val_loss"])


def test_mixture_generation_is_seeded_and_the_cache_changes_nothing(mixture_dir: Path) -> None:
    lm = shuxi.lm.load(mixture_dir)
    a = lm.generate("the ", max_new_tokens=60, seed=5)
    assert a == lm.generate("the ", max_new_tokens=60, seed=5)
    assert a == lm.generate("the ", max_new_tokens=60, seed=5, use_cache=False)
    assert len(a) == 60
    greedy = lm.generate("the cat sat on the", max_new_tokens=1, temperature=0)
    probs = _mixed_distribution(lm, lm.encode("the cat sat on the"))
    assert probs.sum() == pytest.approx(1.0, abs=1e-6)
    assert greedy == lm.decode([int(np.argmax(probs))])


def _mixed_distribution(lm: shuxi.lm.model.LanguageModel, ids: list[int]) -> np.ndarray:
    import torch

    with torch.no_grad():
        logits, _ = lm.net.gpt.net(torch.tensor([ids[-lm.net.gpt.net.config.block_size :]]))
    p_gpt = torch.softmax(logits[0, -1].double(), dim=-1).numpy()
    return lm.net.weight * p_gpt + (1 - lm.net.weight) * lm.net.ngram.net.distribution(ids)


def test_mix_command_fits_on_held_out_text_and_eval_score_work(tmp_path: Path, corpus_file: Path,
                                                              make_text: object, tiny: dict[str, object]) -> None:
    shuxi.lm.train(corpus_file, out=tmp_path / "g", arch="gpt", max_iters=30, eval_interval=15, **tiny)
    shuxi.lm.train(corpus_file, out=tmp_path / "n", arch="ngram", order=3)
    held = tmp_path / "held.txt"
    held.write_text(make_text(80, seed=9), encoding="utf-8")  # type: ignore[operator]
    result = runner.invoke(app, ["lm", "mix", str(tmp_path / "g"), str(tmp_path / "n"), "--fit", str(held),
                                 "--out", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert "mixture" in result.output and "weight" in result.output
    info = json.loads((tmp_path / "m" / "lm.json").read_text())
    assert info["mixture"]["fitted_on"] == str(held)
    report = json.loads(runner.invoke(app, ["lm", "eval", str(tmp_path / "m"), str(held), "--format", "json"]).output)
    assert report["arch"] == "mix" and report["loss"] == pytest.approx(info["mixture"]["held_out_loss_mix"], rel=1e-6)
    parts = [json.loads(runner.invoke(app, ["lm", "eval", str(tmp_path / p), str(held), "--format", "json"]).output)
             for p in ("g", "n")]
    assert report["loss"] <= min(p["loss"] for p in parts) + 1e-6  # fitted on this very text: never worse than a part
    table = tmp_path / "rows.csv"
    table.write_text("id,review\n1,the cat sat on the mat.\n2,zzzz qqqq xxxx\n", encoding="utf-8")
    scored = runner.invoke(app, ["lm", "score", str(tmp_path / "m"), str(table), "--text", "review",
                                 "--out", str(tmp_path / "s.parquet"), "--quiet"])
    assert scored.exit_code == 0, scored.output
    import pyarrow.parquet as pq

    ppl = pq.read_table(tmp_path / "s.parquet").column("perplexity").to_pylist()
    assert ppl[1] > ppl[0] and all(math.isfinite(p) for p in ppl)
    fixed = shuxi.lm.mix(tmp_path / "g", tmp_path / "n", weight=0.25, out=tmp_path / "w")
    assert shuxi.lm.load(tmp_path / "w").net.weight == 0.25 and fixed.info["mixture"]["fitted_on"] is None


def test_mixing_errors_are_clear_and_leave_nothing_behind(tmp_path: Path, corpus_file: Path, make_text: object,
                                                          tiny: dict[str, object]) -> None:
    shuxi.lm.train(corpus_file, out=tmp_path / "g", arch="gpt", max_iters=10, eval_interval=10, **tiny)
    shuxi.lm.train(corpus_file, out=tmp_path / "n", arch="ngram", order=3)
    other = tmp_path / "other.txt"
    other.write_text("完全不同的文字，另一个词表。" * 50, encoding="utf-8")
    shuxi.lm.train(other, out=tmp_path / "zh", arch="ngram", order=2)
    with pytest.raises(ConfigError, match="different vocabularies"):
        shuxi.lm.mix(tmp_path / "g", tmp_path / "zh", weight=0.5, out=tmp_path / "x")
    with pytest.raises(ConfigError, match="must be a GPT"):
        shuxi.lm.mix(tmp_path / "n", tmp_path / "n", weight=0.5, out=tmp_path / "x")
    with pytest.raises(ConfigError, match="exactly one"):
        shuxi.lm.mix(tmp_path / "g", tmp_path / "n", out=tmp_path / "x")
    assert not (tmp_path / "x").exists()
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(DataError, match="not a model folder"):
        shuxi.lm.mix(tmp_path / "g", tmp_path / "n", weight=0.5, out=keep, overwrite=True)
    assert (keep / "mine.txt").read_text() == "keep me" and len(list(keep.iterdir())) == 1
    with pytest.raises(ConfigError, match="GPT models"):
        shuxi.lm.train(corpus_file, out=tmp_path / "y", arch="ngram", mix_ngram=3)
    with pytest.raises(ConfigError, match="cannot be resumed"):
        shuxi.lm.train(corpus_file, out=tmp_path / "g", arch="gpt", mix_ngram=3, resume=True)
    cli = runner.invoke(app, ["lm", "mix", str(tmp_path / "g"), str(tmp_path / "zh"), "--weight", "0.5",
                              "--out", str(tmp_path / "x")])
    assert cli.exit_code == 2 and "Traceback" not in cli.output
    # A mixture cannot be fine-tuned or be a teacher as a whole: the message points at its GPT part.
    shuxi.lm.mix(tmp_path / "g", tmp_path / "n", weight=0.5, out=tmp_path / "m")
    with pytest.raises(ConfigError, match="DIR/gpt"):
        shuxi.lm.train(corpus_file, out=tmp_path / "f", arch="gpt", init_from=tmp_path / "m", max_iters=2, **tiny)


def test_bf16_training_learns(tmp_path: Path, corpus_file: Path, tiny: dict[str, object]) -> None:
    lm = shuxi.lm.train(corpus_file, out=tmp_path / "b", arch="gpt", precision="bf16", max_iters=120,
                        eval_interval=60, lr=1e-2, **tiny)
    history = lm.info["history"]
    assert history[-1]["val_loss"] < history[0]["val_loss"] - 0.5
    with pytest.raises(ConfigError, match="precision"):
        shuxi.lm.train(corpus_file, out=tmp_path / "c", arch="gpt", precision="fp8", max_iters=2, **tiny)  # type: ignore[arg-type]
