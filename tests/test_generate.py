import warnings

import pytest
import torch

from minigpt import UnknownCharacterError, generate, generate_ids, next_token_probs
from minigpt.model import GPT, KVCache
from minigpt.config import GPTConfig


@pytest.mark.parametrize("kw", [dict(), dict(positions="rope", n_kv_head=1, ffn="swiglu", norm="rmsnorm")])
def test_kv_cache_equals_no_cache(kw):
    torch.manual_seed(1)
    model = GPT(GPTConfig(vocab_size=30, context_length=20, n_layer=2, n_head=4, d_model=32, **kw)).eval()
    prompt = [1, 5, 7, 2]
    # long enough to run past the context window, where the cache must be given up
    for temperature, seed in [(0, None), (1.0, 7)]:
        a = generate_ids(model, prompt, 40, temperature=temperature, seed=seed, use_cache=True)
        b = generate_ids(model, prompt, 40, temperature=temperature, seed=seed, use_cache=False)
        assert a == b
    # and the logits themselves agree step by step
    cache = KVCache(model.config, 1, "cpu")
    full, _ = model(torch.tensor([prompt + [3, 4]]))
    model(torch.tensor([prompt]), kv_cache=cache, start_pos=0)
    step, _ = model(torch.tensor([[3, 4]]), kv_cache=cache, start_pos=4)
    torch.testing.assert_close(step[0], full[0, 4:], atol=1e-5, rtol=1e-5)


def test_seed_determinism(char_model, char_tok):
    a = generate(char_model, char_tok, "the cat", 30, temperature=1.0, seed=123)
    b = generate(char_model, char_tok, "the cat", 30, temperature=1.0, seed=123)
    c = generate(char_model, char_tok, "the cat", 30, temperature=1.0, seed=124)
    assert a == b and a != c


def test_greedy_is_temperature_zero(char_model, char_tok):
    ids = char_tok.encode("the dog")
    logits, _ = char_model(torch.tensor([ids]))
    expected = int(logits[0, -1].argmax())
    assert generate_ids(char_model, ids, 1, temperature=0)[0] == expected


def test_stop_strings(char_model, char_tok):
    free = generate(char_model, char_tok, "the ", 40, temperature=1.0, seed=5)
    stop = free[3:5]
    cut = generate(char_model, char_tok, "the ", 40, temperature=1.0, seed=5, stop=stop)
    assert cut == free[:free.index(stop)]


def test_sampling_filters():
    logits = torch.tensor([2.0, 1.0, 0.5, -1.0])
    p = next_token_probs(logits, 1.0)
    assert torch.isclose(p.sum(), torch.tensor(1.0))
    assert next_token_probs(logits, 0).tolist() == [1.0, 0.0, 0.0, 0.0]
    assert (next_token_probs(logits, 1.0, top_k=2) > 0).tolist() == [True, True, False, False]
    # top_p: the smallest set whose mass reaches p
    assert (next_token_probs(logits, 1.0, top_p=0.5) > 0).tolist() == [True, False, False, False]
    assert (next_token_probs(logits, 1.0, top_p=0.8) > 0).tolist() == [True, True, False, False]
    hot, cold = next_token_probs(logits, 2.0), next_token_probs(logits, 0.5)
    assert hot.max() < p.max() < cold.max()


@pytest.mark.parametrize("kwargs, message", [
    (dict(temperature=-0.1), "temperature=-0.1 is negative"),
    (dict(top_k=0), "top_k=0"),
    (dict(top_p=0.0), "top_p=0.0"),
    (dict(top_p=1.5), "top_p=1.5"),
])
def test_bad_sampling_arguments(char_model, char_tok, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate(char_model, char_tok, "the", 5, **kwargs)


def test_empty_prompt_and_unknown_character(char_model, char_tok):
    with pytest.raises(ValueError, match="prompt is empty"):
        generate(char_model, char_tok, "", 5)
    with pytest.raises(UnknownCharacterError, match="'Ж'"):
        generate(char_model, char_tok, "the Жcat", 5)


def test_long_prompt_is_cropped_with_warning(char_model, char_tok):
    long_prompt = "the cat sleeps. " * 4  # 64 characters, context is 24
    with pytest.warns(UserWarning, match="first 40 tokens are dropped"):
        out = generate(char_model, char_tok, long_prompt, 5, temperature=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert generate(char_model, char_tok, long_prompt[-24:], 5, temperature=0) == out
