"""Training through shuxi.lm.train: loss falls, the best checkpoint is kept, resume continues exactly, distillation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

import shuxi.lm
from shuxi.lm.training import TrainConfig, distillation_loss, learning_rate


def test_training_lowers_the_loss_and_keeps_the_best_checkpoint(corpus_file: Path, tmp_path: Path, tiny: dict) -> None:
    lm = shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="gpt", max_iters=60, eval_interval=20, lr=1e-2, **tiny)
    history = lm.info["history"]
    assert [h["step"] for h in history] == [0, 20, 40, 60]
    assert history[-1]["val_loss"] < history[0]["val_loss"] - 0.5
    assert lm.info["best_val_loss"] == min(h["val_loss"] for h in history)
    saved = json.loads((tmp_path / "m" / "lm.json").read_text())
    assert saved["arch"] == "gpt" and saved["config"]["n_layer"] == 1 and saved["best_step"] == lm.info["best_step"]
    assert lm.info["tokens_per_s"] > 0 and lm.info["val_loss"] < history[0]["val_loss"]
    # The folder holds safetensors + JSON only.
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [
        "lm.json", "model.safetensors", "state.json", "state.safetensors", "tokenizer.json"]


def test_saved_model_loads_with_identical_logits(corpus_file: Path, tmp_path: Path, tiny: dict) -> None:
    lm = shuxi.lm.train(corpus_file, out=tmp_path / "m", arch="gpt", max_iters=10, eval_interval=5, **tiny)
    again = shuxi.lm.load(tmp_path / "m")
    idx = torch.tensor([lm.encode("the cat sat on")])
    with torch.no_grad():
        torch.testing.assert_close(again.net(idx, all_logits=True)[0], lm.net(idx, all_logits=True)[0], rtol=0, atol=0)
    assert again.evaluate("the dog ran to a house.") == lm.evaluate("the dog ran to a house.")


def test_resume_continues_from_the_same_step(corpus_file: Path, tmp_path: Path, tiny: dict) -> None:
    from safetensors.torch import load_file

    common = dict(arch="gpt", eval_interval=4, lr_decay_iters=12, **tiny)  # one schedule for both runs
    shuxi.lm.train(corpus_file, out=tmp_path / "a", max_iters=12, **common)
    first = shuxi.lm.train(corpus_file, out=tmp_path / "b", max_iters=8, **common)
    assert first.info["iters"] == 8 and json.loads((tmp_path / "b" / "state.json").read_text())["step"] == 8
    resumed = shuxi.lm.train(corpus_file, out=tmp_path / "b", max_iters=12, resume=True, **common)
    assert resumed.info["iters"] == 12
    assert [h["step"] for h in resumed.info["history"]] == [0, 4, 8, 12]
    straight = load_file(str(tmp_path / "a" / "state.safetensors"))
    continued = load_file(str(tmp_path / "b" / "state.safetensors"))
    assert straight.keys() == continued.keys()
    for key in straight:  # weights, optimizer moments and random state: bit for bit
        torch.testing.assert_close(continued[key], straight[key], rtol=0, atol=0)


def test_learning_rate_warms_up_then_follows_the_cosine() -> None:
    cfg = TrainConfig(lr=1e-3, warmup_iters=10, max_iters=110)
    assert learning_rate(0, cfg) == pytest.approx(1e-3 / 11)
    assert learning_rate(10, cfg) == pytest.approx(1e-3)
    assert learning_rate(60, cfg) == pytest.approx((1e-3 + 1e-4) / 2)
    assert learning_rate(110, cfg) == pytest.approx(1e-4)


def test_distillation_loss_is_ce_plus_scaled_kl() -> None:
    torch.manual_seed(0)
    s, t = torch.randn(2, 3, 7), torch.randn(2, 3, 7)
    y = torch.randint(0, 7, (2, 3))
    ce = torch.nn.functional.cross_entropy(s.view(-1, 7), y.view(-1))
    assert distillation_loss(s, t, y, alpha=1.0, temperature=2.0) == pytest.approx(float(ce))
    p_t = torch.softmax(t.view(-1, 7) / 2, -1)
    kl = (p_t * (p_t.log() - torch.log_softmax(s.view(-1, 7) / 2, -1))).sum(-1).mean()
    assert distillation_loss(s, t, y, alpha=0.0, temperature=2.0) == pytest.approx(4 * float(kl), rel=1e-5)
    assert distillation_loss(t, t, y, alpha=0.0, temperature=3.0) == pytest.approx(0.0, abs=1e-6)


def test_distilled_student_is_smaller_and_learns(corpus_file: Path, tmp_path: Path, tiny: dict) -> None:
    teacher = shuxi.lm.train(corpus_file, out=tmp_path / "t", arch="gpt", max_iters=40, eval_interval=20, lr=1e-2,
                             **(tiny | {"n_layer": 2, "n_embd": 32}))
    student = shuxi.lm.distill(tmp_path / "t", corpus_file, out=tmp_path / "s", max_iters=40, eval_interval=20,
                               lr=1e-2, **{k: v for k, v in tiny.items() if k not in ("n_layer", "n_head", "n_embd")})
    assert student.net.config.n_layer == 1 and student.net.config.n_embd == 16
    assert student.num_params < teacher.num_params / 2
    assert student.tokenizer.to_dict() == teacher.tokenizer.to_dict()
    assert student.info["history"][-1]["val_loss"] < student.info["history"][0]["val_loss"]


def test_fine_tuning_starts_from_the_checkpoint(corpus_file: Path, tmp_path: Path, tiny: dict) -> None:
    base = shuxi.lm.train(corpus_file, out=tmp_path / "base", arch="gpt", max_iters=40, eval_interval=20, lr=1e-2, **tiny)
    other = tmp_path / "other.txt"
    other.write_text("the cat saw the dog. " * 200, encoding="utf-8")
    tuned = shuxi.lm.train(other, out=tmp_path / "tuned", arch="gpt", init_from=tmp_path / "base", max_iters=20,
                           eval_interval=10, lr=1e-2, **tiny)
    # Step 0 of fine-tuning already scores like the base model, far below a fresh model's log(vocab).
    import math

    assert tuned.info["history"][0]["val_loss"] < math.log(base.tokenizer.vocab_size) - 0.5
    assert tuned.info["init_from"] == str(tmp_path / "base")
    assert tuned.tokenizer.to_dict() == base.tokenizer.to_dict()
