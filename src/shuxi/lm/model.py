"""``LanguageModel``: a trained n-gram or GPT model with its tokenizer — evaluate, score, generate, save, load.

A model folder holds ``lm.json`` (format, architecture, its config, what it was trained on and how well
it did), ``tokenizer.json``, and the weights: ``model.safetensors`` for a GPT (the best checkpoint seen
during training; ``state.safetensors`` + ``state.json`` hold the last step, optimizer and random state
for resuming) or ``ngram.npz`` for an n-gram model; a mixture (``arch: "mix"``, see ``mixture.py``) holds
the two parts as model folders ``gpt/`` and ``ngram/``. Nothing is ever pickled.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from shuxi.errors import ConfigError, DataError

FORMAT = "shuxi-lm"
VERSION = 1


def write_json_atomic(path: Path, state: dict[str, Any]) -> None:
    """Write JSON to a temp file beside ``path``, then rename: never half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class LanguageModel:
    """A language model over a tokenizer's ids; ``arch`` is ``"ngram"``, ``"gpt"`` or ``"mix"`` (both, interpolated).

    >>> lm = shuxi.lm.load("shakespeare-lm")
    >>> lm.evaluate("To be, or not to be")["perplexity"]
    >>> print(lm.generate("ROMEO:", max_new_tokens=100, seed=1))
    """

    def __init__(self, *, arch: Literal["ngram", "gpt", "mix"], tokenizer: Any, net: Any,
                 info: dict[str, Any] | None = None) -> None:
        self.arch = arch
        self.tokenizer = tokenizer
        self.net = net  # KneserNeyLM, GPT or MixtureNet
        self.info: dict[str, Any] = dict(info or {})

    # -- text ↔ ids ------------------------------------------------------------------------------

    def encode(self, text: str, *, strict: bool = True) -> list[int]:
        """Ids of ``text``; with ``strict`` unknown characters raise a DataError that names them."""
        tok = self.tokenizer
        saved = tok.oov
        tok.oov = not strict
        try:
            return list(tok.encode(text))
        finally:
            tok.oov = saved

    def decode(self, ids: Sequence[int]) -> str:
        from shuxi.text.tokenizers import BOS_ID, EOS_ID

        return str(self.tokenizer.decode([i for i in ids if i not in (BOS_ID, EOS_ID)]))

    @property
    def row_start(self) -> list[int]:
        """What goes before a record when scoring it: ``<s>`` for models of table rows, else a newline if known."""
        from shuxi.text.tokenizers import BOS_ID

        if self.info.get("corpus_kind") == "table":
            return [BOS_ID]
        try:
            newline = self.encode("\n")
        except DataError:
            return [BOS_ID]
        return newline if len(newline) == 1 else [BOS_ID]

    @property
    def num_params(self) -> int:
        if self.arch == "gpt":
            return int(self.net.num_params())
        if self.arch == "mix":
            return self.net.gpt.num_params
        return int(sum(len(k) for k in self.net.keys_))

    # -- probabilities ---------------------------------------------------------------------------

    def sequence_nll(self, sequences: Sequence[Sequence[int]], *, batch_size: int = 32) -> list[Any]:
        """Negative log-likelihood (nats) of every token after the first, for each id sequence."""
        import numpy as np

        if self.arch == "ngram":
            return [-self.net.token_log_probs(np.asarray(s, dtype=np.int64))[1:] for s in sequences]
        if self.arch == "mix":
            from shuxi.lm.mixture import mixture_nll

            gpt = self.net.gpt.sequence_nll(sequences, batch_size=batch_size)
            ngram = self.net.ngram.sequence_nll(sequences)
            return [mixture_nll(g, n, self.net.weight) for g, n in zip(gpt, ngram)]
        return _gpt_nll(self.net, sequences, batch_size=batch_size)

    def evaluate(self, text: str) -> dict[str, Any]:
        """Loss (mean nats per token), perplexity and bits per character of ``text``, every token after the first.

        GPT models read the text in consecutive windows of ``block_size`` tokens (nanoGPT's validation loss);
        n-gram models condition on their full order throughout; a mixture mixes the two per token.
        """
        if not text:
            raise DataError("The text to evaluate is empty.", hint="Give a file with some text in it.")
        ids = self.encode(text)
        if len(ids) < 2:
            raise DataError("The text to evaluate has fewer than two tokens; there is nothing to predict.")
        (nll,) = self.sequence_nll([ids])
        total = float(nll.sum())
        chars = max(len(text) - len(self.decode(ids[:1])), 1)
        loss = total / len(nll)
        return {"loss": loss, "perplexity": math.exp(loss), "bits_per_char": total / chars / math.log(2),
                "tokens": int(len(nll)), "characters": chars, "arch": self.arch}

    # -- generation ------------------------------------------------------------------------------

    def stream(self, prompt: str = "", *, max_new_tokens: int = 200, temperature: float = 1.0,
               top_k: int | None = None, top_p: float | None = None, seed: int | None = None,
               stop: Sequence[str] = (), use_cache: bool = True) -> Iterator[str]:
        """Generate text after ``prompt`` piece by piece (for printing as it comes); stops at any ``stop`` string."""
        from shuxi.lm.sampling import SamplingOptions, gpt_tokens, mixture_tokens, ngram_tokens

        if max_new_tokens < 0:
            raise ConfigError(f"max_new_tokens must be 0 or more, not {max_new_tokens}.")
        options = SamplingOptions(temperature=temperature, top_k=top_k, top_p=top_p)
        ids = self.encode(prompt) if prompt else []
        start = self.row_start
        context = start + ids if self.info.get("corpus_kind") == "table" or not ids else ids
        if self.arch == "gpt":
            tokens = gpt_tokens(self.net, context, max_new_tokens=max_new_tokens, options=options, seed=seed,
                                use_cache=use_cache)
        elif self.arch == "mix":
            tokens = mixture_tokens(self.net.gpt.net, self.net.ngram.net, self.net.weight, context,
                                    max_new_tokens=max_new_tokens, options=options, seed=seed, use_cache=use_cache)
        else:
            tokens = ngram_tokens(self.net, context, max_new_tokens=max_new_tokens, options=options, seed=seed)
        new: list[int] = []
        shown = ""
        hold = max((len(s) for s in stop), default=1) - 1  # text kept back in case it begins a stop string
        for token in tokens:
            new.append(token)
            text = self.decode(new)
            cut = min((i for i in (text.find(s) for s in stop if s) if i >= 0), default=-1)
            if cut >= 0:
                if cut > len(shown):
                    yield text[len(shown):cut]
                return
            ready = len(text) - hold
            if ready > len(shown):
                yield text[len(shown):ready]
                shown = text[:ready]
        if len(self.decode(new)) > len(shown):
            yield self.decode(new)[len(shown):]

    def generate(self, prompt: str = "", **options: Any) -> str:
        """The text :meth:`stream` produces, as one string (the prompt not included)."""
        return "".join(self.stream(prompt, **options))

    # -- saving ----------------------------------------------------------------------------------

    def save(self, folder: str | Path) -> Path:
        """Write the model folder (weights, tokenizer, ``lm.json``); files appear complete or not at all."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        if self.arch == "gpt":
            save_gpt_weights(self.net, out / "model.safetensors")
            config = self.net.config.to_dict()
        elif self.arch == "mix":
            self.net.gpt.save(out / "gpt")
            self.net.ngram.save(out / "ngram")
            config = self.net.to_config()
        else:
            self.net.save(out)
            config = self.net.to_config()
        write_json_atomic(out / "tokenizer.json", self.tokenizer.to_dict())
        write_json_atomic(out / "lm.json", {"format": FORMAT, "version": VERSION, "arch": self.arch,
                                            "config": config, **{k: v for k, v in self.info.items()}})
        return out

    def __repr__(self) -> str:
        if self.arch == "mix":
            return (f"<shuxi.lm.LanguageModel mix, {self.net.weight:.3f}·{self.net.gpt!r} + "
                    f"{1 - self.net.weight:.3f}·{self.net.ngram!r}>")
        return f"<shuxi.lm.LanguageModel {self.arch}, {self.num_params:,} {'parameters' if self.arch == 'gpt' else 'n-grams'}>"


def save_gpt_weights(net: Any, path: Path) -> None:
    """safetensors of the model's state (the tied head stored once), written atomically."""
    from safetensors.torch import save_file

    state = {k: v.detach().contiguous() for k, v in net.state_dict().items() if k != "lm_head.weight"}
    tmp = path.with_name(f".{path.name}.tmp")
    save_file(state, str(tmp))
    os.replace(tmp, path)


def load_gpt_weights(net: Any, path: Path) -> None:
    from safetensors.torch import load_file

    state = load_file(str(path))
    state["lm_head.weight"] = state["transformer.wte.weight"]
    net.load_state_dict(state)


def read_info(folder: str | Path) -> dict[str, Any]:
    """The ``lm.json`` of a model folder, checked."""
    path = Path(folder)
    meta = path / "lm.json"
    if not path.is_dir() or not meta.is_file():
        raise DataError(f"{path} is not a shuxi language-model folder (no lm.json there).", path=str(path),
                        hint="Give the --out folder of `shuxi lm train`.")
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(f"{meta} is damaged ({error}).", path=str(meta), hint="Train the model again.") from None
    if info.get("format") != FORMAT or info.get("arch") not in ("ngram", "gpt", "mix"):
        raise DataError(f"{meta} was not written by shuxi.lm.", path=str(meta))
    if int(info.get("version", 0)) > VERSION:
        raise DataError(f"{path} was saved by a newer shuxi (format {info['version']}).", hint="Upgrade shuxi.")
    return info


def load(folder: str | Path) -> LanguageModel:
    """Load a model folder written by ``shuxi lm train`` / :meth:`LanguageModel.save`."""
    from shuxi.text.tokenizers import load_tokenizer

    path = Path(folder)
    info = read_info(path)
    tokenizer = load_tokenizer(path / "tokenizer.json")
    arch = info.pop("arch")
    config = info.pop("config")
    for key in ("format", "version"):
        info.pop(key, None)
    if arch == "gpt":
        from shuxi.lm.gpt import GPT, GPTConfig

        weights = path / "model.safetensors"
        if not weights.is_file():
            raise DataError(f"{path} has no model.safetensors.", path=str(path), hint="Train the model again.")
        net: Any = GPT(GPTConfig.from_dict(config))
        load_gpt_weights(net, weights)
        net.eval()
    elif arch == "mix":
        from shuxi.lm.mixture import MixtureNet, check_parts

        parts = config.get("parts", {})
        gpt, ngram = load(path / parts.get("gpt", "gpt")), load(path / parts.get("ngram", "ngram"))
        check_parts(gpt, ngram)
        weight = float(config["weight"])
        if not 0.0 <= weight <= 1.0:
            raise DataError(f"{path / 'lm.json'} has a mixture weight {weight} outside [0, 1].", path=str(path),
                            hint="Run `shuxi lm mix` again.")
        net = MixtureNet(gpt=gpt, ngram=ngram, weight=weight)
    else:
        from shuxi.lm.ngram import KneserNeyLM

        if not (path / "ngram.npz").is_file():
            raise DataError(f"{path} has no ngram.npz.", path=str(path), hint="Train the model again.")
        net = KneserNeyLM.load(path, config)
    return LanguageModel(arch=arch, tokenizer=tokenizer, net=net, info=info)


def _gpt_nll(net: Any, sequences: Sequence[Sequence[int]], *, batch_size: int) -> list[Any]:
    """Per-token NLL of each sequence under a GPT, in windows of block_size tokens, batched across sequences."""
    import numpy as np
    import torch
    from torch.nn import functional as F

    block = net.config.block_size
    windows: list[tuple[int, int, list[int], list[int]]] = []  # (sequence, offset, inputs, targets)
    out = [np.zeros(max(len(s) - 1, 0)) for s in sequences]
    for n, seq in enumerate(sequences):
        seq = list(seq)
        for start in range(0, len(seq) - 1, block):
            x = seq[start : start + block]
            y = seq[start + 1 : start + block + 1]
            windows.append((n, start, x[: len(y)], y))
    net.eval()
    with torch.no_grad():
        for b in range(0, len(windows), batch_size):
            chunk = windows[b : b + batch_size]
            width = max(len(w[2]) for w in chunk)
            x = torch.zeros(len(chunk), width, dtype=torch.long)
            y = torch.full((len(chunk), width), -1, dtype=torch.long)
            for i, (_, _, xs, ys) in enumerate(chunk):
                x[i, : len(xs)] = torch.tensor(xs)
                y[i, : len(ys)] = torch.tensor(ys)
            logits, _ = net(x, all_logits=True)
            nll = F.cross_entropy(logits.transpose(1, 2), y, ignore_index=-1, reduction="none").numpy()
            for i, (n, start, _, ys) in enumerate(chunk):
                out[n][start : start + len(ys)] = nll[i, : len(ys)]
    return out
