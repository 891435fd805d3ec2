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
