"""A small Transformer encoder classifier, in one file.

tokens → token + learned position embeddings → N pre-norm encoder blocks (multi-head self-attention that ignores
padding, GELU MLP) → layer norm → masked mean pooling → dropout → dense::

    x = E[idx] + P[0:T]                      (B, T, C)
    x = x + Attn(LN(x), key_padding_mask)    (B, T, C)   × n_layer
    x = x + MLP(LN(x))
    c = Σₜ mₜ xₜ / Σₜ mₜ                      (B, C)      m = 1 on real tokens
    logits = dense(dropout(c))               (B, K)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class TransformerConfig:
    vocab_size: int = 8000
    n_classes: int = 2
    n_layer: int = 2
    n_head: int = 4
    n_embd: int = 128
    dropout: float = 0.1
    max_length: int = 256

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Block(nn.Module):
    """Pre-norm encoder block: self-attention then MLP, each with a residual connection."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = nn.MultiheadAttention(config.n_embd, config.n_head, dropout=config.dropout, batch_first=True)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = nn.Sequential(nn.Linear(config.n_embd, 4 * config.n_embd), nn.GELU(),
                                 nn.Linear(4 * config.n_embd, config.n_embd), nn.Dropout(config.dropout))

    def forward(self, x: torch.Tensor, padding: torch.Tensor) -> torch.Tensor:
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, key_padding_mask=padding, need_weights=False)[0]   # (B, T, C)
        return x + self.mlp(self.ln_2(x))


class TransformerClassifier(nn.Module):
    """Encoder-only Transformer with mean pooling over real tokens."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd, padding_idx=0)
        self.wpe = nn.Embedding(config.max_length, config.n_embd)
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(config.n_embd)
        self.head = nn.Linear(config.n_embd, config.n_classes)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None,
                class_weights: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Logits (B, K) and, given targets (B,), the (class-weighted) cross-entropy loss."""
        idx = idx[:, : self.config.max_length]
        real = idx != 0                                                   # (B, T)
        padding = ~real
        padding[:, 0] = False  # an empty text attends to one padding vector instead of producing NaN
        pos = torch.arange(idx.size(1), device=idx.device)
        x = self.drop(self.wte(idx) + self.wpe(pos))                      # (B, T, C)
        for block in self.blocks:
            x = block(x, padding)
        x = self.ln_f(x)
        keep = (~padding).unsqueeze(-1).to(x.dtype)                       # (B, T, 1)
        pooled = (x * keep).sum(dim=1) / keep.sum(dim=1)                  # (B, C)
        logits = self.head(self.drop(pooled))                            # (B, K)
        loss = None if targets is None else F.cross_entropy(logits, targets, weight=class_weights)
        return logits, loss
