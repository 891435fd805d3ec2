"""Autoregressive generation: predict a distribution over the next token, sample one, append it, repeat."""

import warnings

import torch

from .model import KVCache


def check_sampling(temperature: float, top_k: int | None, top_p: float | None):
    if temperature < 0:
        raise ValueError(f"temperature={temperature} is negative: use 0 for greedy decoding or a value in (0, 2]")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k={top_k}: keep at least one token (top_k >= 1), or pass None to keep all")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p={top_p} must be in (0, 1]: 1 keeps every token, 0.9 the smallest set with 90% of the mass")


def next_token_probs(logits, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None):
    """Turn one row of logits [..., V] into sampling probabilities.

    temperature 0 is the limit T -> 0 of softmax(logits / T): all the mass on the most likely token
    (dividing by 0 is undefined, so it is handled as its own case).
    """
    check_sampling(temperature, top_k, top_p)
    logits = logits.float()
    if temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(-1), logits.shape[-1]).float()
    logits = logits / temperature
    if top_k is not None and top_k < logits.shape[-1]:
        kth = torch.topk(logits, top_k, dim=-1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = torch.softmax(logits, dim=-1)
    if top_p is not None and top_p < 1:
        sorted_p, order = probs.sort(dim=-1, descending=True)
        # Keep a token if the mass before it is still below top_p (so the top token always survives).
        drop_sorted = sorted_p.cumsum(-1) - sorted_p >= top_p
        drop = drop_sorted.scatter(-1, order, drop_sorted)
        probs = probs.masked_fill(drop, 0.0)
        probs = probs / probs.sum(-1, keepdim=True)
    return probs


@torch.inference_mode()  # like no_grad, and also skips the bookkeeping autograd keeps for views and versions
def generate_ids(model, ids, max_new_tokens: int, temperature: float = 1.0, top_k=None, top_p=None,
                 seed: int | None = None, use_cache: bool = True, stop_fn=None):
    """Extend a 1-D list of token ids by up to max_new_tokens. Returns the new ids only.

    Sampling uses its own torch.Generator on the CPU, so a seed gives the same tokens on any device.
    stop_fn(new_ids) -> bool ends generation early.
    """
    check_sampling(temperature, top_k, top_p)
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens={max_new_tokens} must be >= 0")
    ctx = model.config.context_length
    ids = list(ids)
    if not ids:
        raise ValueError("the prompt is empty: give at least one token to continue")
    if len(ids) > ctx:
        warnings.warn(
            f"the prompt has {len(ids)} tokens but the context window holds {ctx}: "
            f"the first {len(ids) - ctx} tokens are dropped and the model will not see them",
            stacklevel=3,
        )
    gen = torch.Generator().manual_seed(seed) if seed is not None else None
    was_training = model.training
    model.eval()
    new, cache, cached_len = [], None, 0
    try:
        for _ in range(max_new_tokens):
            window = (ids + new)[-ctx:]
            full_window = len(ids) + len(new) > ctx  # positions shift every step: a cache no longer fits
            if use_cache and not full_window:
                if cache is None:
                    cache = KVCache(model.config, 1, model.device, model.embed.weight.dtype)
                step_input = window[cached_len:]
                logits, _ = model(torch.tensor([step_input], device=model.device),
                                  kv_cache=cache, start_pos=cached_len, last_only=True)
                cached_len = len(window)
            else:
                logits, _ = model(torch.tensor([window], device=model.device), last_only=True)
            if temperature == 0:
                token = int(logits[0, -1].argmax())  # greedy: the same token as argmax of next_token_probs, sooner
            else:
                probs = next_token_probs(logits[0, -1].cpu(), temperature, top_k, top_p)
                token = int(torch.multinomial(probs, 1, generator=gen))
            new.append(token)
            if stop_fn is not None and stop_fn(new):
                break
    finally:
        model.train(was_training)
    return new


def generate(model, tokenizer, prompt: str, max_new_tokens: int = 100, temperature: float = 1.0,
             top_k: int | None = None, top_p: float | None = None, seed: int | None = None,
             stop: str | list[str] | None = None, use_cache: bool = True) -> str:
    """Continue `prompt` and return the continuation (without the prompt).

    stop: a string or list of strings; generation ends at the first one, which is cut off.
    """
    if not isinstance(prompt, str) or prompt == "":
        raise ValueError("the prompt is empty: give the model some text to continue")
    stops = [stop] if isinstance(stop, str) else list(stop or [])
    if any(s == "" for s in stops):
        raise ValueError("a stop string is empty")

    def hit_stop(new_ids):
        return bool(stops) and any(s in tokenizer.decode(new_ids) for s in stops)

    new = generate_ids(model, tokenizer.encode(prompt), max_new_tokens, temperature, top_k, top_p,
                       seed, use_cache, stop_fn=hit_stop if stops else None)
    text = tokenizer.decode(new)
    cut = min((text.index(s) for s in stops if s in text), default=len(text))
    return text[:cut]
