"""The BiLSTM-attention text classifier (the seed design), in one file.

tokens → embedding → bidirectional LSTM → attention pooling → dropout → dense → softmax::

    hₜ = [→LSTM(x)ₜ ; ←LSTM(x)ₜ]            (B, T, 2H)
    aₜ = softmax_t(vᵀ hₜ / √d), d = 2H       (B, T)   padding positions masked out
    c  = Σₜ aₜ hₜ                             (B, 2H)
    logits = dense(dropout(c))               (B, K)

The attention weights aₜ are returned by :meth:`BiLSTMAttention.attention` and drive ``shuxi text explain``.
Binary tasks use the same two-logit softmax as multi-class ones (one code path; identical to a sigmoid).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class BiLSTMConfig:
    vocab_size: int = 8000
    n_classes: int = 2
    embed_dim: int = 128
    hidden: int = 128          # per direction
    layers: int = 1
    dropout: float = 0.3
    max_length: int = 256      # tokens per text (longer texts are truncated, keeping the start)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class BiLSTMAttention(nn.Module):
    """Embedding → BiLSTM → attention pooling (learned query v) → dropout → dense."""

    def __init__(self, config: BiLSTMConfig) -> None:
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(config.embed_dim, config.hidden, num_layers=config.layers, batch_first=True,
                            bidirectional=True, dropout=config.dropout if config.layers > 1 else 0.0)
        self.v = nn.Linear(2 * config.hidden, 1, bias=False)
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(2 * config.hidden, config.n_classes)

    def attention(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Pooled vectors (B, 2H) and attention weights (B, T) for padded ids ``idx`` (B, T)."""
        mask = idx != 0                                            # (B, T)
        lengths = mask.sum(dim=1).clamp(min=1)
        x = self.drop(self.embed(idx))                             # (B, T, E)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=idx.size(1))  # (B, T, 2H)
        scores = self.v(h).squeeze(-1) / math.sqrt(h.size(-1))  # (B, T)
        # An empty text has no real position: let it attend to position 0 (a padding vector) rather than NaN.
        mask = mask.clone()
        mask[:, 0] = True
        weights = F.softmax(scores.masked_fill(~mask, float("-inf")), dim=1)               # (B, T)
        pooled = torch.bmm(weights.unsqueeze(1), h).squeeze(1)                              # (B, 2H)
        return pooled, weights

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None,
                class_weights: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Logits (B, K) and, given targets (B,), the (class-weighted) cross-entropy loss."""
        pooled, _ = self.attention(idx)
        logits = self.head(self.drop(pooled))                                               # (B, K)
        loss = None if targets is None else F.cross_entropy(logits, targets, weight=class_weights)
        return logits, loss
