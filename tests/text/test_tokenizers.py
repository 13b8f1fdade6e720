"""Tokenizers: vocabulary, OOV handling, exact round trips, JSON save/load, padding."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from shuxi.errors import ConfigError, DataError
from shuxi.text.tokenizers import (
    BOS_ID,
    EOS_ID,
    PAD_ID,
    UNK_ID,
    BPETokenizer,
    CharTokenizer,
    JiebaTokenizer,
    WordTokenizer,
    load_tokenizer,
    make_tokenizer,
    pad_sequences,
)

ZH = ["今天天气很好，我们去公园。", "房间很干净，服务很好！", "味道一般，送餐太慢了", "hello 世界  two  spaces\n换行"]
EN = ["This movie was great!<br /><br />I don't regret it.", "A terrible, boring film.", "great acting; GREAT story"]


def test_special_ids_are_fixed() -> None:
    assert (PAD_ID, UNK_ID, BOS_ID, EOS_ID) == (0, 1, 2, 3)
    tok = CharTokenizer().fit(["ab"])
    assert [tok.id_to_token(i) for i in range(4)] == ["<pad>", "<unk>", "<s>", "</s>"]


def test_char_vocabulary_is_by_frequency_and_round_trips_exactly() -> None:
    tok = CharTokenizer().fit(["aab", "ac", "a"])
    # a ×4, then b and c once each (ties by the character itself)
    assert tok.vocab_[4:] == ["a", "b", "c"] and tok.vocab_size == 7
    assert tok.encode("cab") == [6, 4, 5]
    tok = CharTokenizer().fit(ZH)
    for text in ZH:
        assert tok.decode(tok.encode(text)) == text
    assert tok.encode_batch(ZH[:2]) == [tok.encode(ZH[0]), tok.encode(ZH[1])]


def test_num_words_keeps_the_most_frequent() -> None:
    tok = CharTokenizer(num_words=6).fit(["aaab", "bbc", "d"])  # a 3, b 3, c 1, d 1
    assert tok.vocab_size == 6 and tok.vocab_[4:] == ["a", "b"]
    assert tok.encode("abcd") == [4, 5, UNK_ID, UNK_ID]
    with pytest.raises(ConfigError, match="num_words"):
        CharTokenizer(num_words=3)


def test_oov_false_names_the_unknown_characters() -> None:
    tok = CharTokenizer(oov=False).fit(["你好世界"])
    assert tok.encode("你好") == tok.encode("你") + tok.encode("好")
    with pytest.raises(DataError) as info:
        tok.encode("你们好吗")
    assert "'们'" in str(info.value) and "'吗'" in str(info.value) and "oov=True" in str(info.value)


def test_oov_true_maps_unknown_to_one() -> None:
    tok = CharTokenizer().fit(["你好"])
    ids = tok.encode("你们")
    assert ids[1] == UNK_ID and ids[0] >= 4
    assert tok.decode(ids) == "你<unk>"


def test_non_string_input_is_a_data_error() -> None:
    tok = CharTokenizer().fit(["abc"])
    with pytest.raises(DataError, match="strings"):
        tok.encode(12)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="strings"):
        CharTokenizer().fit(["ok", None])  # type: ignore[list-item]


def test_jieba_segments_words() -> None:
    tok = JiebaTokenizer().fit(["我喜欢这家酒店", "我不喜欢这家酒店", "WiFi 很好"])
    assert "喜欢" in tok.tokenize("我喜欢")
    assert "wifi" in tok.tokenize("WiFi 很好")
    assert " " not in tok.tokenize("a b 酒店")
    assert tok.decode(tok.encode("我喜欢这家酒店")) == "我喜欢这家酒店"
    with pytest.raises(DataError, match="tokens"):
        JiebaTokenizer(oov=False).fit(["我喜欢"]).encode("他讨厌")


def test_word_tokenizer_normalises_english() -> None:
    tok = WordTokenizer().fit(EN)
    assert tok.tokenize(EN[0]) == ["this", "movie", "was", "great", "!", "i", "don't", "regret", "it", "."]
    assert tok.tokenize("ＧＲＥＡＴ") == ["great"]  # NFKC folds full-width letters
    assert tok.vocab_[4] == "great"  # most frequent
    assert tok.decode(tok.encode("great story")) == "great story"


def test_bpe_trains_locally_and_round_trips_exactly() -> None:
    corpus = ZH * 30 + EN * 30
    tok = BPETokenizer(vocab_size=120).fit(corpus)
    assert tok.vocab_size <= 120 and tok.vocab_size > 40
    for text in ZH + ["  leading and trailing  ", "房间 很好"]:
        assert tok.decode(tok.encode(text)) == text
    assert max(len(tok.encode(t)) for t in ZH) < max(len(t) for t in ZH)  # merges shorten sequences
    assert tok.encode_batch(ZH) == [tok.encode(t) for t in ZH]
    assert UNK_ID in tok.encode("龘")
    with pytest.raises(DataError, match="'龘'"):
        BPETokenizer(vocab_size=120, oov=False).fit(corpus).encode("房间龘")


@pytest.mark.parametrize("kind", ["char", "jieba", "word", "bpe"])
def test_save_and_load_restore_the_same_tokenizer(kind: str, tmp_path: Path) -> None:
    options = {"vocab_size": 80} if kind == "bpe" else {"num_words": 40}
    corpus = ZH * 5 + EN * 5
    tok = make_tokenizer(kind, oov=True, **options).fit(corpus)  # type: ignore[arg-type]
    path = tok.save(tmp_path / "tok.json")
    state = json.loads(path.read_text(encoding="utf-8"))
    assert state["kind"] == kind
    for restored in (load_tokenizer(path), load_tokenizer(state)):
        assert type(restored) is type(tok) and restored.vocab_size == tok.vocab_size and restored.oov is True
        assert restored.encode_batch(corpus) == tok.encode_batch(corpus)
        assert restored.decode(tok.encode(ZH[1])) == tok.decode(tok.encode(ZH[1]))
    strict = make_tokenizer(kind, oov=False, **options).fit(corpus)  # type: ignore[arg-type]
    assert load_tokenizer(strict.to_dict()).oov is False


def test_load_tokenizer_refuses_bad_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="No tokenizer file"):
        load_tokenizer(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="not a tokenizer"):
        load_tokenizer(bad)
    with pytest.raises(DataError, match="Not a shuxi tokenizer"):
        load_tokenizer({"kind": "sentencepiece"})
    with pytest.raises(ConfigError, match="Unknown tokenizer"):
        make_tokenizer("spaces")  # type: ignore[arg-type]


def test_pad_sequences_pads_and_truncates_at_either_end() -> None:
    seqs = [[5, 6, 7], [8], []]
    post = pad_sequences(seqs, 2)
    assert post.dtype == np.int64 and post.tolist() == [[5, 6], [8, 0], [0, 0]]
    assert pad_sequences(seqs, 4, padding="pre").tolist() == [[0, 5, 6, 7], [0, 0, 0, 8], [0, 0, 0, 0]]
    assert pad_sequences(seqs, 2, truncating="pre").tolist() == [[6, 7], [8, 0], [0, 0]]
    assert pad_sequences(seqs, 2, padding="pre", truncating="pre", value=9).tolist() == [[6, 7], [9, 8], [9, 9]]
    assert pad_sequences(seqs).shape == (3, 3)
    assert pad_sequences([], 3).shape == (0, 3)
    with pytest.raises(ConfigError, match="padding"):
        pad_sequences(seqs, 2, padding="middle")  # type: ignore[arg-type]
