"""Editing a fact: a rank-one change of one FFN's down-projection, in the spirit of ROME.

The FFN's down-projection is a table of keys and values: the hidden vector h (which neurons fire)
is the key, and down(h) = W h + b is what gets written into the residual stream. To make the model
say a new answer, take the key k that the fact's prompts produce in one layer, and change W so that
W k moves by a chosen vector delta while any other key h moves as little as possible:

    W' = W + delta u^T,    u = C^-1 k / (k^T C^-1 k),    C = E[h h^T] over ordinary text

u^T k = 1, so the fact's key gets the whole delta; C^-1 turns u away from the directions that
ordinary text uses a lot, so other keys get little of it (Meng et al. 2022, "Locating and Editing
Factual Associations in GPT"). delta is found by gradient descent: a small vector that makes the
edited model say the new answer after the fact's prompts.

    C = key_covariance(model, corpus_ids, layer)
    edit = edit_fact(model, prompt_ids, new_answer_id, layer, C)   # changes the model in place
    ...
    edit.undo(model)                                               # exactly the old weights back

An edit of layer i cannot change anything that is computed before layer i's FFN, so the helpers
here cache the residual stream at that point and run only the layers from there on (`run_from`):
the same numbers as a whole forward pass, several times faster for an edit of a top layer.
"""

from dataclasses import dataclass, field

import torch

from .model import NO_HOOKS


# ----------------------------------------------------------------------------------------------
# Keys and the covariance of keys


@torch.no_grad()
def key_covariance(model, ids, layer: int, batch_size: int = 16, ridge: float = 1e-2):
    """E[h h^T] of the FFN hidden vectors of `layer` over every position of ids [N, T], plus `ridge`
    times their mean square on the diagonal (so that the inverse exists and stays tame)."""
    name = f"blocks.{layer}.ffn.hidden"
    total, count = 0.0, 0
    for start in range(0, len(ids), batch_size):
        _, cache = model.run_with_cache(ids[start:start + batch_size].to(model.device), names=[name])
        h = cache[name].flatten(0, 1).double()
        total = total + h.T @ h
        count += h.shape[0]
    C = total / count
    return (C + ridge * C.diagonal().mean() * torch.eye(C.shape[0], dtype=C.dtype, device=C.device)).float()


def _padded(prompts, device):
    """Prompts of different lengths in one batch, padded at the end (causal attention never sees the
    padding); returns ids [B, T] and each prompt's last position."""
    width = max(len(p) for p in prompts)
    ids = torch.zeros(len(prompts), width, dtype=torch.long)
    for row, p in enumerate(prompts):
        ids[row, :len(p)] = torch.tensor(p)
    return ids.to(device), torch.tensor([len(p) - 1 for p in prompts], device=device)


@torch.no_grad()
def ffn_keys(model, prompts, layer: int, positions=None):
    """The FFN hidden vector of `layer` in each prompt (a token id list) at its position in
    `positions` (default: each prompt's last token)."""
    name = f"blocks.{layer}.ffn.hidden"
    ids, last = _padded(prompts, model.device)
    _, cache = model.run_with_cache(ids, names=[name])
    where = last if positions is None else torch.as_tensor(positions, device=model.device)
    return cache[name][torch.arange(len(prompts), device=model.device), where]


def edit_direction(key, C):
    """u = C^-1 k / (k^T C^-1 k): the row direction of the rank-one change (u^T k = 1)."""
    Cinv_k = torch.linalg.solve(C.double(), key.double())
    return (Cinv_k / (key.double() @ Cinv_k)).to(key.dtype)


# ----------------------------------------------------------------------------------------------
# The edit


@dataclass
class FactEdit:
    """A rank-one change W += strength * outer(delta, u) of blocks[layer].ffn.down.weight."""

    layer: int
    delta: torch.Tensor  # [d_model]: what the fact's key now adds to the residual stream
    u: torch.Tensor  # [d_ff]
    strength: float = 1.0
    applied: bool = False
    _saved: torch.Tensor | None = field(default=None, repr=False)

    def update(self):
        return self.strength * torch.outer(self.delta, self.u)

    @torch.no_grad()
    def apply(self, model):
        if self.applied:
            raise RuntimeError("this edit is already applied")
        W = model.blocks[self.layer].ffn.down.weight
        self._saved = W.detach().clone()  # undo() puts back these exact numbers, with no rounding error
        W += self.update().to(W.dtype)
        self.applied = True
        return self

    @torch.no_grad()
    def undo(self, model):
        if not self.applied:
            raise RuntimeError("this edit is not applied")
        model.blocks[self.layer].ffn.down.weight.copy_(self._saved)
        self.applied = False
        return self


def run_from(model, layer: int, x):
    """The rest of the forward pass from the residual stream x entering block `layer` (no hooks):
    blocks layer .. n_layer-1, then the final norm. Returns the final vectors [B, T, d]."""
    for block in model.blocks[layer:]:
        x = block(x, NO_HOOKS, model.rotary)
    return model.norm_final(x)


def find_delta(model, prompts, new_answer_id, layer: int, u, steps: int = 60, lr: float = 0.1,
               weight_decay: float = 2e-3):
    """The vector delta for which W + outer(delta, u) makes the model say new_answer_id after the prompts
    (one token id for all of them, or a list with one per prompt: a Russian answer in each frame's case).

    Gradient descent (Adam) on the mean cross-entropy of the new answer plus weight_decay * |delta|^2,
    which keeps the change small. Only delta is trained. The edit adds (u . h) delta to the FFN output
    at every position, so the layers below stay as they are and are computed once.
    """
    p = f"blocks.{layer}."
    ids, last = _padded(prompts, model.device)
    rows = torch.arange(len(prompts), device=model.device)
    targets = torch.as_tensor(new_answer_id, device=model.device).expand(len(prompts))
    with torch.no_grad():
        _, cache = model.run_with_cache(ids, names=[p + "resid_mid", p + "ffn.hidden", p + "ffn_out"])
    base = cache[p + "resid_mid"] + cache[p + "ffn_out"]  # the residual stream after the unedited block
    gain = cache[p + "ffn.hidden"] @ u  # [B, T]: how much of delta each position receives
    delta = torch.zeros(model.config.d_model, device=model.device, requires_grad=True)
    opt = torch.optim.Adam([delta], lr=lr)
    frozen = [q.requires_grad_(False) for q in model.parameters() if q.requires_grad]
    try:
        for _ in range(steps):
            x = run_from(model, layer + 1, base + gain[..., None] * delta)
            logits = model.unembed(x[rows, last])
            loss = -torch.log_softmax(logits.float(), -1)[rows, targets].mean() + weight_decay * delta.pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    finally:
        for q in frozen:
            q.requires_grad_(True)
    return delta.detach()


def edit_fact(model, prompts, new_answer_id, layer: int, C, strength: float = 1.0, key_positions=None,
              **kw) -> FactEdit:
    """Rank-one edit of blocks[layer].ffn.down so that the model answers new_answer_id after `prompts`
    (token id lists: one fact in several phrasings; new_answer_id: one id, or a list with one per prompt).
    The key is the mean hidden vector at key_positions (one per prompt; default: each prompt's last
    token). Applied in place; call .undo(model) to take it back. kw go to find_delta (steps, lr,
    weight_decay)."""
    key = ffn_keys(model, prompts, layer, key_positions).mean(0)
    u = edit_direction(key, C)
    delta = find_delta(model, prompts, new_answer_id, layer, u, **kw)
    return FactEdit(layer, delta, u, strength).apply(model)


# ----------------------------------------------------------------------------------------------
# Measuring an edit


class NextTokens:
    """The greedy next token after each of many prompts, recomputed quickly after edits of `layer`
    or above: the residual stream entering `layer` is cached once (an edit there cannot change it),
    and prompts of equal length share a batch so that only the last position is unembedded."""

    @torch.no_grad()
    def __init__(self, model, prompts, layer: int = 0):
        self.layer, self.n = layer, len(prompts)
        by_length = {}
        for i, p in enumerate(prompts):
            by_length.setdefault(len(p), []).append(i)
        name = f"blocks.{layer}.resid_pre"
        self.groups = []
        for rows in by_length.values():
            ids = torch.tensor([prompts[i] for i in rows], device=model.device)
            _, cache = model.run_with_cache(ids, names=[name])
            self.groups.append((rows, cache[name]))

    @torch.no_grad()
    def __call__(self, model):
        out = torch.zeros(self.n, dtype=torch.long)
        for rows, x in self.groups:
            logits = model.unembed(run_from(model, self.layer, x)[:, -1])
            out[rows] = logits.argmax(-1).cpu()
        return out


def next_tokens(model, prompts):
    """The greedy next token after each prompt (token id lists), as a tensor of ids."""
    return NextTokens(model, prompts)(model)


# ----------------------------------------------------------------------------------------------
# Facts of the world corpus (minigpt.world)


def answer_token(tokenizer, lang: str, word: str) -> int:
    """The first token of `word` said as an answer: after a space in Russian, right after the prompt
    in Chinese (the convention of minigpt.world prompts)."""
    return tokenizer.encode(" " + word if lang == "ru" else word)[0]


def answer_ids(tokenizer, corpus, prompts, new_answer: str) -> list[int]:
    """The first token of new_answer said as the answer of each prompt, in the form that prompt's frame
    needs (corpus.answer_as): in Russian every case form is its own token, so after «находится в» the
    answer Рим is " Риме", not " Рим"."""
    return [tokenizer.encode(corpus.answer_as(p, new_answer))[0] for p in prompts]


def edit_world_fact(model, tokenizer, corpus, subject: str, new_answer: str, layer: int, C,
                    relation: str = "capital", where: str = "last", **kw) -> FactEdit:
    """Edit one fact of the world corpus, keyed on its training phrasings (corpus.prompts("train")):
    at each prompt's last token (where="last") or at the subject's last token (where="subject").
    The target of each phrasing is new_answer in the form that phrasing needs (answer_ids)."""
    from .tracing import subject_positions

    prompts = [p for p in corpus.prompts("train") if p.subject == subject and p.relation == relation]
    if not prompts:
        raise ValueError(f"no training prompts for {relation} of {subject!r}")
    positions = None
    if where == "subject":
        positions = [subject_positions(tokenizer, p.text, corpus.lexicon, subject)[-1] for p in prompts]
    elif where != "last":
        raise ValueError(f"where={where!r}: use 'last' or 'subject'")
    ids = [tokenizer.encode(p.text) for p in prompts]
    return edit_fact(model, ids, answer_ids(tokenizer, corpus, prompts, new_answer), layer, C,
                     key_positions=positions, **kw)


def fact_answer_ids(tokenizer, corpus, prompts, subject: str, relation: str, new_answer: str) -> list:
    """For edit_scores: the token a successful edit of (subject, relation) -> new_answer gives after each
    of `prompts` that states this fact (answer_ids); -1 after the other prompts."""
    return [answer_ids(tokenizer, corpus, [p], new_answer)[0] if p.subject == subject and p.relation == relation
            else -1 for p in prompts]


def edit_scores(prompts, before, after, subject: str, relation: str, new_id, known) -> dict:
    """The three numbers that judge an edit of (subject, relation), over world prompts:

    success: share of the fact's phrasings the model knew before (known[i]) that now give the new answer:
             new_id, one token id for every phrasing or a list with one per prompt (fact_answer_ids);
    others:  share of all other subjects' prompts whose greedy next token did not change;
    own:     share of the same subject's other relations' prompts whose next token did not change.
    before / after: next-token ids for each prompt (NextTokens), known: bools per prompt.
    """
    before, after = list(map(int, before)), list(map(int, after))
    new_ids = [int(new_id)] * len(prompts) if isinstance(new_id, int) else list(map(int, new_id))
    fact = [i for i, p in enumerate(prompts) if p.subject == subject and p.relation == relation and known[i]]
    others = [i for i, p in enumerate(prompts) if p.subject != subject]
    own = [i for i, p in enumerate(prompts) if p.subject == subject and p.relation != relation]
    share = lambda rows, ok: sum(ok(i) for i in rows) / len(rows) if rows else float("nan")
    return {"success": share(fact, lambda i: after[i] == new_ids[i]),
            "others": share(others, lambda i: after[i] == before[i]),
            "own": share(own, lambda i: after[i] == before[i]),
            "n_fact": len(fact), "n_others": len(others), "n_own": len(own)}
