"""Reading the residual stream layer by layer, and the logit lens.

The residual stream is the model's running state: the embedding starts it, and every block adds
what its attention and its FFN computed (resid_post = resid_pre + attn_out + ffn_out). The logit
lens decodes that state after each layer as if it were the last one: through the final norm and
the unembedding, the same path the real output takes.

    states = residual_states(model, ids)              # [L+1, T, d]: the embedding, then each block
    logits = logit_lens(model, ids)                   # [L+1, T, V]
    probs = answer_probs_by_layer(model, tok, prompts)  # [N, L+1]: the answer's probability per layer
    maps = fit_translators(model, seqs)               # a linear map per layer onto the last layer

Layer 0 here is the embedding (before any block), layer i is the output of block i - 1 ("after
layer i"), so the last row is what the model really outputs.
"""

import torch


def layer_names(model) -> list[str]:
    """Hook names of the residual stream: the embedding, then the output of every block."""
    return ["embed"] + [f"blocks.{i}.resid_post" for i in range(model.config.n_layer)]


def _batch(seqs, device):
    """Right-padded [B, T] ids; the model is causal, so padding after a sequence never changes it."""
    width = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), width, dtype=torch.long)
    for row, s in enumerate(seqs):
        ids[row, :len(s)] = torch.as_tensor(s)
    return ids.to(device)


@torch.no_grad()
def residual_states(model, ids) -> torch.Tensor:
    """The residual stream of one sequence (a list of token ids) at every layer: [L+1, T, d]."""
    names = layer_names(model)
    _, cache = model.run_with_cache(_batch([list(ids)], model.device), names=names)
    return torch.stack([cache[n][0] for n in names])


@torch.no_grad()
def states_at(model, seqs, positions=None, batch_size: int = 256) -> torch.Tensor:
    """Residual vectors of many sequences at one position each: [N, L+1, d].

    seqs: lists of token ids; positions: one index per sequence (default: its last token).
    Sequences are batched with right padding, so this is one forward pass per batch.
    """
    seqs = [list(s) for s in seqs]
    if positions is None:
        positions = [len(s) - 1 for s in seqs]
    names = layer_names(model)
    out = []
    for start in range(0, len(seqs), batch_size):
        chunk, pos = seqs[start:start + batch_size], torch.as_tensor(positions[start:start + batch_size])
        _, cache = model.run_with_cache(_batch(chunk, model.device), names=names)
        rows = torch.arange(len(chunk))
        out.append(torch.stack([cache[n][rows, pos.to(cache[n].device)].cpu() for n in names], dim=1))
    return torch.cat(out)


@torch.no_grad()
def decode(model, states) -> torch.Tensor:
    """Residual vectors [..., d] -> logits [..., V] through the final norm and the unembedding."""
    states = states.to(model.device)
    return model.unembed(model.norm_final(states))


def logit_lens(model, ids) -> torch.Tensor:
    """Logits that each layer's residual stream would give if the model stopped there: [L+1, T, V]."""
    return decode(model, residual_states(model, ids))


@torch.no_grad()
def contribution_norms(model, seqs) -> dict:
    """How much each block writes into the residual stream, averaged over all positions of `seqs`.

    Returns {"embed": float, "attn": [L], "ffn": [L], "resid": [L+1]}: the mean L2 norm of the
    embedding, of what attention and the FFN of each block add, and of the stream after each layer.
    """
    L = model.config.n_layer
    names = ["embed"] + [f"blocks.{i}.{p}" for i in range(L) for p in ("attn_out", "ffn_out", "resid_post")]
    seqs = [list(s) for s in seqs]
    _, cache = model.run_with_cache(_batch(seqs, model.device), names=names)
    lengths = torch.tensor([len(s) for s in seqs])
    real = torch.arange(int(lengths.max()))[None, :] < lengths[:, None]  # not the padding
    mean = {n: cache[n].norm(dim=-1).cpu()[real].mean().item() for n in names}
    return {
        "embed": mean["embed"],
        "attn": [mean[f"blocks.{i}.attn_out"] for i in range(L)],
        "ffn": [mean[f"blocks.{i}.ffn_out"] for i in range(L)],
        "resid": [mean["embed"]] + [mean[f"blocks.{i}.resid_post"] for i in range(L)],
    }


def answer_token(tokenizer, prompt) -> int:
    """The first token of a prompt's answer, tokenized on its own as the evaluation does."""
    return tokenizer.encode(prompt.answer)[0]


@torch.no_grad()
def answer_probs_by_layer(model, tokenizer, prompts) -> torch.Tensor:
    """Logit-lens probability of each prompt's answer (its first token) at every layer: [N, L+1]."""
    seqs = [tokenizer.encode(p.text) for p in prompts]
    targets = torch.tensor([answer_token(tokenizer, p) for p in prompts])
    probs = torch.softmax(decode(model, states_at(model, seqs)).float(), dim=-1).cpu()  # [N, L+1, V]
    return probs[torch.arange(len(prompts)), :, targets]


def first_layer_on_top(probs_or_logits, target: int) -> int | None:
    """The first layer whose top token is `target` and stays on top in every later layer, or None.

    probs_or_logits: [L+1, V] for one position."""
    top = probs_or_logits.argmax(-1).tolist()
    first = None
    for layer, t in enumerate(top):
        if t == target and first is None:
            first = layer
        elif t != target:
            first = None
    return first


def top_tokens(model, tokenizer, text: str):
    """The logit lens of one text, for a table: (tokens, top [L+1][T] token strings, probs [L+1, T])."""
    ids = tokenizer.encode(text)
    probs = torch.softmax(logit_lens(model, ids).float(), dim=-1).cpu()
    best = probs.max(dim=-1)
    top = [[tokenizer.token_str(int(i)) for i in row] for row in best.indices]
    return [tokenizer.token_str(i) for i in ids], top, best.values


@torch.no_grad()
def text_states(model, seqs) -> torch.Tensor:
    """Residual vectors of every position of many sequences of equal length: [N * T, L+1, d]."""
    names = layer_names(model)
    _, cache = model.run_with_cache(_batch([list(s) for s in seqs], model.device), names=names)
    return torch.stack([cache[n].flatten(0, 1).cpu() for n in names], dim=1)


def fit_translators(model, seqs) -> list[torch.Tensor]:
    """For every layer, the affine map that best turns its residual vectors into the last layer's
    (least squares over all positions of `seqs`): a [d+1, d] matrix, the last row being the bias.

    The plain logit lens assumes that a middle layer already writes in the basis the unembedding
    reads. These maps drop that assumption: decoding translate(h) shows what a *linear* read-out of
    the layer knows (a simple form of the "tuned lens", fitted by least squares instead of training)."""
    H = text_states(model, seqs).double()  # [N, L+1, d]
    target = H[:, -1]
    ones = torch.ones(len(H), 1, dtype=H.dtype)
    return [torch.linalg.lstsq(torch.cat([H[:, layer], ones], 1), target).solution.float()
            for layer in range(H.shape[1])]


def translate(states, translators) -> torch.Tensor:
    """Apply the per-layer maps of fit_translators to states [..., L+1, d]."""
    out = [torch.cat([states[..., layer, :], torch.ones_like(states[..., layer, :1])], -1) @ W
           for layer, W in enumerate(translators)]
    return torch.stack(out, dim=-2)


def lens_table(model, tokenizer, text: str) -> str:
    """The logit lens of a text as aligned text: a row per layer (0 = the embedding), a column per
    position, each cell the top token and its probability."""
    from .plot import readable_token
    from .report import format_table

    tokens, top, probs = top_tokens(model, tokenizer, text)
    header = [""] + [readable_token(t) for t in tokens]
    rows = [[str(layer)] + [f"{readable_token(t)} {p:.2f}" for t, p in zip(top[layer], probs[layer].tolist())]
            for layer in range(len(top))]
    return format_table(rows, header, align="l" * len(header))
