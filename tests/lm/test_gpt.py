"""The GPT model: loss falls, KV cache = no cache, saved = loaded, seeded sampling repeats."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from shuxi.errors import ConfigError
from shuxi.lm.gpt import GPT, GPTConfig
from shuxi.lm.sampling import SamplingOptions, filter_logits, gpt_tokens


def tiny(position: str = "learned", block_size: int = 16) -> GPT:
    torch.manual_seed(0)
    return GPT(GPTConfig(vocab_size=11, block_size=block_size, n_layer=2, n_head=2, n_embd=16, position=position))  # type: ignore[arg-type]


def test_loss_falls_on_a_repeating_sequence() -> None:
    model = tiny()
    data = torch.tensor([4, 5, 6, 7, 8, 9, 10] * 20)
    x = torch.stack([data[i : i + 16] for i in range(0, 64, 4)])
    y = torch.stack([data[i + 1 : i + 17] for i in range(0, 64, 4)])
    optimizer = model.configure_optimizer(weight_decay=0.0, learning_rate=1e-2, betas=(0.9, 0.99))
    first = model(x, y)[1].item()
    assert first == pytest.approx(torch.log(torch.tensor(11.0)).item(), abs=0.3)  # about uniform at start
    for _ in range(60):
        _, loss = model(x, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    assert model(x, y)[1].item() < first / 4


@pytest.mark.parametrize("position", ["learned", "sinusoidal"])
def test_kv_cache_gives_the_same_logits_as_a_full_pass(position: str) -> None:
    model = tiny(position).eval()
    idx = torch.randint(1, 11, (2, 12), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        full, _ = model(idx, all_logits=True)
        # Prefill 5 tokens, then one at a time, then a chunk of 3 through the masked path.
        logits, _, past = model(idx[:, :5], use_cache=True, all_logits=True)
        pieces = [logits]
        for t in range(5, 9):
            logits, _, past = model(idx[:, t : t + 1], past=past, use_cache=True)
            pieces.append(logits)
        logits, _, past = model(idx[:, 9:12], past=past, use_cache=True, all_logits=True)
        pieces.append(logits)
    torch.testing.assert_close(torch.cat(pieces, dim=1), full, rtol=1e-5, atol=1e-5)


def test_greedy_generation_is_the_same_with_and_without_cache() -> None:
    model = tiny(block_size=16)
    options = SamplingOptions(temperature=0)
    # 30 new tokens after 3: the context passes the block size, where both paths must still agree while
    # the cache is within one block (the first 13 tokens) — and both stay valid token ids after.
    cached = list(gpt_tokens(model, [4, 5, 6], max_new_tokens=30, options=options, seed=None, use_cache=True))
    plain = list(gpt_tokens(model, [4, 5, 6], max_new_tokens=30, options=options, seed=None, use_cache=False))
    assert cached[:13] == plain[:13]
    assert len(cached) == 30 and all(0 <= t < 11 for t in cached)


def test_sampling_with_a_seed_repeats_and_other_seeds_differ() -> None:
    model = tiny()
    options = SamplingOptions(temperature=1.5)
    a = list(gpt_tokens(model, [4], max_new_tokens=40, options=options, seed=7))
    b = list(gpt_tokens(model, [4], max_new_tokens=40, options=options, seed=7))
    c = list(gpt_tokens(model, [4], max_new_tokens=40, options=options, seed=8))
    assert a == b and a != c


def test_top_k_and_top_p_keep_the_likeliest_tokens() -> None:
    logits = torch.log(torch.tensor([0.05, 0.5, 0.3, 0.1, 0.05]))
    kept_k = filter_logits(logits, SamplingOptions(top_k=2)).isfinite()
    assert kept_k.tolist() == [False, True, True, False, False]
    kept_p = filter_logits(logits, SamplingOptions(top_p=0.75)).isfinite()
    assert kept_p.tolist() == [False, True, True, False, False]  # 0.5 < 0.75 ≤ 0.5 + 0.3
    assert filter_logits(logits, SamplingOptions(top_p=0.4)).isfinite().tolist() == [False, True, False, False, False]
    with pytest.raises(ConfigError):
        SamplingOptions(top_p=0.0)
    with pytest.raises(ConfigError):
        SamplingOptions(temperature=-1)


def test_weight_tying_and_save_load_identical_logits(tmp_path: Path) -> None:
    from shuxi.lm.model import load_gpt_weights, save_gpt_weights

    model = tiny().eval()
    assert model.lm_head.weight is model.transformer.wte.weight
    save_gpt_weights(model, tmp_path / "model.safetensors")
    again = GPT(model.config).eval()
    load_gpt_weights(again, tmp_path / "model.safetensors")
    idx = torch.randint(1, 11, (3, 16))
    with torch.no_grad():
        torch.testing.assert_close(again(idx, all_logits=True)[0], model(idx, all_logits=True)[0], rtol=0, atol=0)
    assert GPTConfig.from_dict(model.config.to_dict()) == model.config


def test_config_errors_name_the_fix() -> None:
    with pytest.raises(ConfigError, match="multiple of n_head"):
        GPTConfig(vocab_size=10, n_embd=10, n_head=3)
    with pytest.raises(ConfigError, match="block size"):
        tiny(block_size=4)(torch.zeros(1, 5, dtype=torch.long))
