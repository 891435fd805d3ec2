"""Looking inside attention: who looks at whom, and what happens when a head is switched off.

    tokens, patterns = attention_patterns(model, tokenizer, "Столица Франции —")  # patterns: [L, H, T, T]
    k = subject_index(prompt, corpus.lexicon, tokenizer)   # the subject's last token in a fact prompt
    prompts, seqs, keys, answers = fact_batch(corpus.prompts("train"), corpus.lexicon, tokenizer)
    w = attention_from_last(model, seqs, keys)             # [N, L, H]: last token of seqs[n] -> keys[n]
    p = answer_probs(model, seqs, answers)                 # [N]: probability of each answer token
    p = answer_probs(model, seqs, answers, hooks=zero_head(layer, head))          # with a head silenced
    drop = head_importance(model, seqs, answers)     # [L, H]: what silencing each head costs
    p = answer_probs(model, seqs, answers, hooks=cut_attention(layer, head, keys))  # one arrow removed
    p = answer_probs(model, seqs, answers, hooks=cut_attention_heads([(0, 1), (2, 3)], keys))  # in two heads
    name, vecs = token_vectors(model, tokenizer, text, "ключ")  # one token's vector, layer by layer
    probs = window_probs(model, ids)       # what the model sees of a long text: its last context_length tokens

A batch of prompts of different lengths is padded on the right. The model is causal, so the padding
never reaches a real token; every function reads the last *real* position of each row.
"""

import torch


def attention_shapes(d_model, n_head, n_kv_head=None):
    """Shapes (out, in) of W_Q, W_K, W_V, W_O in one layer, as nn.Linear stores them.

    Multi-head attention (n_kv_head = n_head): all four are d_model x d_model, cut into n_head slices of
    head_dim = d_model / n_head. Grouped-query (1 < n_kv_head < n_head) and multi-query (n_kv_head = 1)
    attention keep fewer key/value heads, so W_K and W_V shrink to n_kv_head * head_dim outputs.
    """
    n_kv_head = n_head if n_kv_head is None else n_kv_head
    dh = d_model // n_head
    return {"W_Q": (n_head * dh, d_model), "W_K": (n_kv_head * dh, d_model),
            "W_V": (n_kv_head * dh, d_model), "W_O": (d_model, n_head * dh)}


def attention_patterns(model, tokenizer, text):
    """The tokens of `text` and the attention weights of every layer and head: [L, H, T, T]
    (row = the position that looks, column = the position it looks at)."""
    ids = tokenizer.encode(text)
    names = [f"blocks.{i}.attn.pattern" for i in range(model.config.n_layer)]
    with torch.no_grad():
        _, cache = model.run_with_cache(torch.tensor([ids], device=model.device), names=names)
    patterns = torch.stack([cache[n][0] for n in names]).cpu()
    return [tokenizer.token_str(i) for i in ids], patterns


def token_index(tokenizer, text, part, ids=None):
    """Index of the token that ends `part` (its first occurrence in `text`): the last token whose final byte
    lies inside `part`. That token's vector is the first to have read the whole of it.

    Tokens need not follow word boundaries: « Франции» starts with a space, 在葡萄牙 is one token, and in
    得克萨斯州的首府是 the 州 is glued to the next token, so the match is done on bytes. If `part` sits
    inside a single token, that token is returned.
    """
    ids = tokenizer.encode(text) if ids is None else ids
    start = text.find(part)
    if start < 0:
        raise ValueError(f"{part!r} does not occur in {text!r}")
    first = len(text[:start].encode("utf-8"))
    last = len(text[:start + len(part)].encode("utf-8"))  # byte range [first, last) holds `part`
    ends, end = [], 0
    for i in ids:
        end += len(tokenizer.vocab[i])
        ends.append(end)
    if end < last:
        raise ValueError(f"the tokens of {text!r} do not cover {part!r}: are `ids` the encoding of `text`?")
    inside = [k for k, e in enumerate(ends) if first < e <= last]
    return inside[-1] if inside else next(k for k, e in enumerate(ends) if e >= last)


def subject_index(prompt, lexicon, tokenizer):
    """The last token of the subject in a fact prompt (corpus.prompts()): the subject is written in one of
    its forms («Франции» for Франция), so look for the longest form that occurs in the text."""
    forms = set()
    for form in lexicon.forms(prompt.subject).values():
        word = form.split(" ", 1)[-1] if form.split(" ", 1)[0] in ("в", "во", "на") else form  # «во Франции»
        forms |= {word, word[:1].upper() + word[1:]}
    found = [f for f in forms if f in prompt.text]
    if not found:
        raise ValueError(f"no form of {prompt.subject!r} in {prompt.text!r}")
    return token_index(tokenizer, prompt.text, max(found, key=len))


def fact_batch(prompts, lexicon, tokenizer):
    """Fact prompts (corpus.prompts()) ready for the functions below: (prompts, token lists, subject
    positions, first tokens of the answers). Prompts whose subject ends at the very last token are left
    out: there "the last token looks at the subject" would mean a token looking at itself."""
    kept, seqs, subjects, answers = [], [], [], []
    for p in prompts:
        ids = tokenizer.encode(p.text)
        k = subject_index(p, lexicon, tokenizer)
        if k < len(ids) - 1:
            kept.append(p)
            seqs.append(ids)
            subjects.append(k)
            answers.append(tokenizer.encode(p.answer)[0])
    return kept, seqs, subjects, answers


def pad(seqs, value=0):
    """Token lists of different lengths -> ids [N, T] padded on the right, and the index of each last token."""
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), value, dtype=torch.long)
    for row, s in enumerate(seqs):
        ids[row, :len(s)] = torch.tensor(s)
    return ids, torch.tensor([len(s) - 1 for s in seqs])


@torch.no_grad()
def attention_from_last(model, seqs, keys):
    """How much each head attends from the last token of seqs[n] to the position keys[n]: [N, L, H]."""
    ids, last = pad(seqs)
    names = [f"blocks.{i}.attn.pattern" for i in range(model.config.n_layer)]
    _, cache = model.run_with_cache(ids.to(model.device), names=names)
    rows, keys = torch.arange(len(seqs)), torch.as_tensor(keys)
    # pattern[n, :, last[n], keys[n]] for every row n, stacked over layers
    return torch.stack([cache[n].cpu()[rows, :, last, keys] for n in names], dim=1)


@torch.no_grad()
def answer_probs(model, seqs, answers, hooks=None):
    """Probability the model gives to token answers[n] right after seqs[n]: [N].

    hooks: a dict for model(…, hooks=…), or a function fn(last) -> dict that receives the index of each
    row's last token (cut_attention needs it).
    """
    ids, last = pad(seqs)
    if callable(hooks):
        hooks = hooks(last)
    logits, _ = model(ids.to(model.device), hooks=hooks)
    probs = torch.softmax(logits[torch.arange(len(seqs)), last.to(model.device)].float(), dim=-1)
    return probs[torch.arange(len(seqs)), torch.as_tensor(answers, device=model.device)].cpu()


def zero_head(layer, head):
    """Hooks that silence one head: its attention weights become 0, so it adds nothing to any position
    (W_O's bias, shared by all heads, stays)."""
    return {f"blocks.{layer}.attn.pattern": _zero_weights(slice(None), head)}


def head_importance(model, seqs, answers):
    """[n_layer, n_head]: how much the mean probability of the answers drops when each head is silenced."""
    cfg = model.config
    base = answer_probs(model, seqs, answers).mean().item()
    return torch.tensor([[base - answer_probs(model, seqs, answers, hooks=zero_head(layer, head)).mean().item()
                          for head in range(cfg.n_head)] for layer in range(cfg.n_layer)])


def cut_attention(layer, head, keys):
    """A hooks factory for answer_probs: in one head, the last token of row n stops reading position keys[n].

    The weight is set to 0 and *not* renormalised, so exactly what the head copied from that position is
    removed and nothing else changes.
    """
    return cut_attention_heads([(layer, head)], keys)


def cut_attention_heads(heads, keys):
    """cut_attention in several heads at once; heads is a list of (layer, head) pairs."""
    keys = torch.as_tensor(keys)[:, None]
    by_layer = {}
    for layer, head in heads:
        by_layer.setdefault(layer, []).append(head)

    def make(last):
        rows, last = torch.arange(len(keys))[:, None], torch.as_tensor(last)[:, None]
        return {f"blocks.{layer}.attn.pattern": _zero_weights(rows, torch.tensor(in_layer)[None], last, keys)
                for layer, in_layer in by_layer.items()}
    return make


def _zero_weights(*index):
    """A hook that sets pattern[index] to 0, in a copy (the tensor the model computed is left alone)."""
    def fn(pattern, name):
        pattern = pattern.clone()
        pattern[index] = 0.0
        return pattern
    return fn


@torch.no_grad()
def token_vectors(model, tokenizer, text, part):
    """The residual-stream vector of the token that ends `part` in `text`: as it enters the first block
    (token embedding + position) and after every block. Returns (the token as text, [n_layer + 1, d])."""
    ids = tokenizer.encode(text)
    k = token_index(tokenizer, text, part, ids)
    names = ["embed"] + [f"blocks.{i}.resid_post" for i in range(model.config.n_layer)]
    _, cache = model.run_with_cache(torch.tensor([ids], device=model.device), names=names)
    return tokenizer.token_str(ids[k]), torch.stack([cache[n][0, k] for n in names]).cpu()


@torch.no_grad()
def window_probs(model, ids):
    """Next-token probabilities after the token list `ids`, seeing only its last context_length tokens
    (exactly what generate() gives the model): [V]."""
    ids = list(ids)[-model.config.context_length:]
    logits, _ = model(torch.tensor([ids], device=model.device), last_only=True)
    return torch.softmax(logits[0, -1].float(), dim=-1).cpu()


def top_next(model, tokenizer, text, k=3):
    """The k most likely next tokens after `text`, as (token, probability) pairs."""
    probs = window_probs(model, tokenizer.encode(text))
    top = torch.topk(probs, k)
    return [(tokenizer.token_str(int(i)), float(p)) for p, i in zip(top.values, top.indices)]
