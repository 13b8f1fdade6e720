"""Choosing the next token: greedy, temperature, top-k and top-p (nucleus) sampling, and the generation loops.

Both model kinds hand the loop a probability or logit vector for the next token; the same filters then
apply. ``temperature=0`` means greedy. Sampling uses a seeded ``torch.Generator`` (GPT) or
``numpy.random.Generator`` (n-gram), so a seed gives the same text every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shuxi.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np
    import torch

    from shuxi.lm.gpt import GPT
    from shuxi.lm.ngram import KneserNeyLM


@dataclass(frozen=True)
class SamplingOptions:
    """How the next token is chosen."""

    temperature: float = 1.0  # 0 = greedy (always the most likely token)
    top_k: int | None = None  # keep only the k most likely tokens
    top_p: float | None = None  # keep the smallest set of tokens whose probability reaches p

    def __post_init__(self) -> None:
        if self.temperature < 0:
            raise ConfigError(f"temperature must be 0 or more, not {self.temperature}.", hint="0 means greedy.")
        if self.top_k is not None and self.top_k < 1:
            raise ConfigError(f"top_k must be at least 1, not {self.top_k}.")
        if self.top_p is not None and not 0.0 < self.top_p <= 1.0:
            raise ConfigError(f"top_p must be in (0, 1], not {self.top_p}.")


def filter_logits(logits: torch.Tensor, options: SamplingOptions) -> torch.Tensor:
    """Logits (…, V) after temperature, top-k and top-p; removed tokens get -inf."""
    import torch

    logits = logits / max(options.temperature, 1e-8)
    if options.top_k is not None and options.top_k < logits.size(-1):
        kth = torch.topk(logits, options.top_k, dim=-1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if options.top_p is not None and options.top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True, dim=-1)
        cumulative = torch.softmax(sorted_logits, dim=-1).cumsum(dim=-1)
        # Drop a token when the tokens before it already reach p (the first one always stays).
        drop = (cumulative - torch.softmax(sorted_logits, dim=-1)) >= options.top_p
        logits = logits.masked_fill(drop.scatter(-1, order, drop), float("-inf"))
    return logits


class GPTSteps:
    """Next-token logits of a GPT for a growing id list, reusing keys and values between calls.

    With ``use_cache`` each call feeds only the newest token. When the context reaches the block size the
    cache is rebuilt from the last half block (so a step then costs one half-block forward pass); without
    the cache every call re-reads the last ``block_size`` tokens, as in nanoGPT.
    """

    def __init__(self, model: GPT, *, use_cache: bool = True) -> None:
        self.model = model
        self.use_cache = use_cache
        self.past: Any = None
        model.eval()

    def logits(self, ids: list[int]) -> torch.Tensor:
        """Logits (V,) of the token after ``ids`` (which must not be empty)."""
        import torch

        block = self.model.config.block_size
        with torch.no_grad():
            if not self.use_cache:
                logits, _ = self.model(torch.tensor([ids[-block:]]))
            elif self.past is None or self.past[0][0].size(2) >= block:
                context = ids[-(block // 2 or 1):] if self.past is not None else ids[-block:]
                logits, _, self.past = self.model(torch.tensor([context]), use_cache=True)
            else:
                logits, _, self.past = self.model(torch.tensor([ids[-1:]]), past=self.past, use_cache=True)
        return logits[0, -1]


def gpt_tokens(model: GPT, prompt: list[int], *, max_new_tokens: int, options: SamplingOptions,
               seed: int | None, use_cache: bool = True) -> Iterator[int]:
    """Yield ``max_new_tokens`` new ids after ``prompt`` (which must not be empty); see :class:`GPTSteps`."""
    import torch

    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    ids = list(prompt)
    steps = GPTSteps(model, use_cache=use_cache)
    for _ in range(max_new_tokens):
        next_id = _choose(steps.logits(ids), options, generator)
        ids.append(next_id)
        yield next_id


def mixture_tokens(gpt: GPT, ngram: KneserNeyLM, weight: float, prompt: list[int], *, max_new_tokens: int,
                   options: SamplingOptions, seed: int | None, use_cache: bool = True) -> Iterator[int]:
    """Yield new ids from ``weight·P_gpt + (1-weight)·P_ngram``; the mixed distribution goes through the same filters."""
    import numpy as np
    import torch

    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    ids = list(prompt)
    steps = GPTSteps(gpt, use_cache=use_cache)
    for _ in range(max_new_tokens):
        p_gpt = torch.softmax(steps.logits(ids).double(), dim=-1).numpy()
        probs = weight * p_gpt + (1.0 - weight) * model_distribution(ngram, ids, len(p_gpt))
        with np.errstate(divide="ignore"):
            logits = torch.from_numpy(np.log(probs))
        next_id = _choose(logits, options, generator)
        ids.append(next_id)
        yield next_id


def model_distribution(ngram: KneserNeyLM, ids: list[int], size: int) -> np.ndarray:
    """The n-gram's next-token distribution, padded with zeros to ``size`` ids."""
    import numpy as np

    p = ngram.distribution(ids)
    return p if len(p) == size else np.pad(p, (0, max(size - len(p), 0)))[:size]


def _choose(logits: torch.Tensor, options: SamplingOptions, generator: torch.Generator | None) -> int:
    import torch

    if options.temperature == 0:
        return int(torch.argmax(logits))
    probs = torch.softmax(filter_logits(logits.float(), options), dim=-1)
    return int(torch.multinomial(probs, 1, generator=generator))


def ngram_tokens(model: KneserNeyLM, prompt: list[int], *, max_new_tokens: int, options: SamplingOptions,
                 seed: int | None) -> Iterator[int]:
    """Yield new ids from an n-gram model; its next-token distribution goes through the same filters."""
    import numpy as np
    import torch

    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    ids = list(prompt)
    for _ in range(max_new_tokens):
        probs: np.ndarray = model.distribution(ids)
        with np.errstate(divide="ignore"):
            logits = torch.from_numpy(np.log(probs))
        next_id = _choose(logits, options, generator)
        ids.append(next_id)
        yield next_id
