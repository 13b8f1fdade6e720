"""The BiLSTM-attention model's unpacked recurrence gives what PyTorch's packed-sequence LSTM gives."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from shuxi.text.bilstm import BiLSTMAttention, BiLSTMConfig


def _packed_outputs(module: BiLSTMAttention, idx: torch.Tensor) -> torch.Tensor:
    """The reference: the module's own nn.LSTM over a packed sequence, padded back to (B, T, 2H)."""
    lengths = (idx != 0).sum(dim=1).clamp(min=1)
    packed = nn.utils.rnn.pack_padded_sequence(module.embed(idx), lengths, batch_first=True, enforce_sorted=False)
    out, _ = module.lstm(packed)
    return nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=idx.size(1))[0]


@pytest.mark.parametrize("layers", [1, 2])
def test_unpacked_recurrence_matches_the_packed_lstm(layers: int) -> None:
    torch.manual_seed(3)
    module = BiLSTMAttention(BiLSTMConfig(vocab_size=60, embed_dim=12, hidden=10, layers=layers)).eval()
    idx = torch.randint(1, 60, (6, 15))
    for row, length in enumerate([15, 9, 1, 4, 12, 0]):  # ragged, one single token, one empty text
        idx[row, length:] = 0
    with torch.no_grad():
        ours = module.encode(module.embed(idx), (idx != 0).sum(dim=1).clamp(min=1))
        reference = _packed_outputs(module, idx)
    real = (idx != 0).unsqueeze(-1)
    assert ours.shape == reference.shape == (6, 15, 20)
    assert torch.allclose(ours * real, reference * real, atol=1e-6)
    # The backward direction at a text's first token has read the whole text: it differs from a forward-only pass.
    assert not torch.allclose(ours[1, 0, 10:], ours[1, 8, 10:])


def test_gradients_flow_through_both_directions() -> None:
    torch.manual_seed(4)
    module = BiLSTMAttention(BiLSTMConfig(vocab_size=30, embed_dim=8, hidden=6)).train()
    idx = torch.randint(1, 30, (4, 7))
    idx[2, 3:] = 0
    _, loss = module(idx, torch.tensor([0, 1, 1, 0]))
    loss.backward()
    for name in ("weight_hh_l0", "weight_hh_l0_reverse"):
        assert getattr(module.lstm, name).grad.abs().sum() > 0
