import re

import pytest
import torch

from minigpt import GPT, CharTokenizer, GPTConfig

TEXT = "the cat sleeps. the dog sleeps. a child sleeps. the stone lies.\n" * 20


@pytest.fixture
def tiny_cfg():
    return GPTConfig(vocab_size=32, context_length=16, n_layer=2, n_head=4, d_model=32)


@pytest.fixture
def tiny_model(tiny_cfg):
    torch.manual_seed(0)
    return GPT(tiny_cfg).eval()


@pytest.fixture
def char_tok():
    return CharTokenizer.train(TEXT)


@pytest.fixture
def char_model(char_tok):
    torch.manual_seed(0)
    return GPT(GPTConfig(vocab_size=char_tok.vocab_size, context_length=24, n_layer=2, n_head=2, d_model=32)).eval()


@pytest.fixture
def widget_repr():
    """A check for an explorer: its repr is the cell's text/plain, which nbval compares with the stored one, so
    it must not hold anything that changes between runs (memory addresses). Returns the repr."""
    def check(box):
        text = repr(box)
        assert re.match(r"[A-Z]Box\(children=\(", text), text[:200]
        assert not re.search(r"0x[0-9a-fA-F]{6,}|object at ", text), text[:200]
        return text
    return check
