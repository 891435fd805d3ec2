"""FFN neurons as key -> value memories, and reading what a vector says through the unembedding.

Neuron j of layer i fires (its hidden value after the nonlinearity is large) when the FFN's input
matches row j of the up-projection: that row is the neuron's *key*. When it fires, it adds column j
of the down-projection, times its activation, to the residual stream: that column is its *value*
(Geva et al. 2021, "Transformer Feed-Forward Layers Are Key-Value Memories"). Two questions:

* which contexts make it fire?        top_contexts(model, tokenizer, ids, layer, j)
* which tokens does its value favour? value_logits(model, layer)[:, j], read through the unembedding

    direct_logits(model, vector, resid)     any vector written into the residual stream, as logits
"""

import torch


def value_logits(model, layer: int):
    """[vocab, d_ff]: each neuron's down-projection column read through the unembedding.

    The final norm's gain is included, its centring and scaling are not (they depend on the whole
    residual stream), so the numbers rank tokens but are not exact logits."""
    down = model.blocks[layer].ffn.down.weight  # [d_model, d_ff]
    gain = model.norm_final.weight if model.norm_final.weight is not None else 1.0
    return (model.unembed.weight * gain) @ down


def direct_logits(model, vector, resid):
    """What `vector` (something added to the residual stream, [..., d]) contributes to the logits,
    given the final residual stream `resid` it ends up in: the final norm is linear once its scale
    is fixed, so the logits are a sum of one such part per component."""
    norm = model.norm_final
    if isinstance(norm, torch.nn.LayerNorm):
        scale = (resid.var(-1, unbiased=False, keepdim=True) + norm.eps).sqrt()
        vector = vector - vector.mean(-1, keepdim=True)
    else:  # RMSNorm
        scale = (resid.pow(2).mean(-1, keepdim=True) + (norm.eps or 1e-6)).sqrt()
    gain = norm.weight if norm.weight is not None else 1.0
    return (vector / scale * gain) @ model.unembed.weight.T


@torch.no_grad()
def hidden_activations(model, ids, layer: int):
    """FFN hidden values of `layer` for every position of ids [N, T]: [N, T, d_ff]."""
    name = f"blocks.{layer}.ffn.hidden"
    _, cache = model.run_with_cache(ids.to(model.device), names=[name])
    return cache[name]


def top_contexts(tokenizer, ids, acts, k: int = 8, width: int = 8):
    """The k positions where acts [N, T] is largest: (activation, the `width` tokens up to and
    including the position as text, the next token as text)."""
    N, T = acts.shape
    out = []
    for value, flat in zip(*acts.flatten().topk(k)):
        row, col = divmod(int(flat), T)
        context = tokenizer.decode(ids[row, max(0, col - width + 1):col + 1].tolist())
        after = tokenizer.decode(ids[row, col + 1:col + 2].tolist()) if col + 1 < T else ""
        out.append((float(value), context, after))
    return out


@torch.no_grad()
def find_neuron(model, ids, categories: dict, k: int = 30, top: int = 10):
    """The neuron with the clearest key -> value story for one of the token categories.

    categories: {name: token ids}, e.g. the first tokens of all capitals. A neuron scores
    (share of its k strongest activations in ids [N, T] that come right before a token of the
    category) x (share of the category among the `top` tokens its value promotes most).
    Returns (score, category name, layer, neuron).
    """
    ids = ids.to(model.device)
    following = torch.cat([ids[:, 1:], torch.full_like(ids[:, :1], -1)], 1).flatten()
    names = [f"blocks.{layer}.ffn.hidden" for layer in range(model.config.n_layer)]
    _, cache = model.run_with_cache(ids, names=names)  # one pass for all layers
    best = (-1.0, None, None, None)
    for layer in range(model.config.n_layer):
        acts = cache[names[layer]].flatten(0, 1)  # [N*T, d_ff]
        strongest = acts.topk(k, dim=0).indices  # [k, d_ff]
        promoted = value_logits(model, layer).topk(top, dim=0).indices  # [top, d_ff]
        for name, tokens in categories.items():
            tokens = torch.as_tensor(tokens, device=ids.device)
            key_share = torch.isin(following[strongest], tokens).float().mean(0)
            value_share = torch.isin(promoted, tokens).float().mean(0)
            score, neuron = (key_share * value_share).max(0)
            if score.item() > best[0]:
                best = (score.item(), name, layer, int(neuron))
    return best
