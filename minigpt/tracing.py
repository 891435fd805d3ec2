"""Causal tracing: where in the model does a fact live?

The recipe of Meng et al. (2022, "Locating and Editing Factual Associations in GPT"):

1. clean run: the model reads "The capital of France is" and gives " Paris" some probability;
2. corrupted run: noise is added to the subject's token embeddings, so the model no longer knows
   which country it reads about, and the probability of " Paris" drops;
3. restored runs: the corrupted run again, but one activation (one layer, one position) is copied
   back from the clean run. If that alone brings " Paris" back, the fact passes through it.

Everything goes through the model's hook points (see minigpt/model.py), so nothing here changes the
model: a hook adds the noise to "embed", another copies a clean activation into "blocks.{i}.<point>".

    positions = subject_positions(tokenizer, prompt.text, corpus.lexicon, prompt.subject)
    result = trace(model, tokenizer.encode(prompt.text), positions, answer_id)
    result.restored          # [n_layer, T]: probability of the answer with that state restored
"""

from dataclasses import dataclass

import torch

from .world.core import PREPOSITIONS


# ----------------------------------------------------------------------------------------------
# Finding the subject's tokens


def token_offsets(tokenizer, ids) -> list[tuple[int, int]]:
    """(start, end) of each token in the UTF-8 bytes of the decoded text."""
    offsets, pos = [], 0
    for i in ids:
        piece = tokenizer.vocab[i] if hasattr(tokenizer, "vocab") else tokenizer.token_str(i).encode("utf-8")
        offsets.append((pos, pos + len(piece)))
        pos += len(piece)
    return offsets


def token_span(tokenizer, text: str, part: str) -> list[int]:
    """Positions of the tokens of `text` that overlap the first occurrence of `part` in it."""
    start = text.find(part)
    if start < 0:
        raise ValueError(f"{part!r} does not occur in {text!r}")
    lo = len(text[:start].encode("utf-8"))
    hi = lo + len(part.encode("utf-8"))
    offsets = token_offsets(tokenizer, tokenizer.encode(text))
    return [t for t, (a, b) in enumerate(offsets) if a < hi and b > lo]


def subject_positions(tokenizer, text: str, lexicon, subject: str) -> list[int]:
    """Token positions of the subject in a prompt, whatever case form it takes there.

    A Russian subject appears as «Франции», «Францию», «во Франции» ...: the longest form found in
    the text wins, without a leading preposition (it belongs to the phrase, not to the name).
    """
    found = []
    for form in set(lexicon.forms(subject).values()):
        first, _, rest = form.partition(" ")
        if rest and first in PREPOSITIONS:
            form = rest
        for variant in (form, form[:1].upper() + form[1:]):
            if variant in text:
                found.append(variant)
    if not found:
        raise ValueError(f"no form of {subject!r} occurs in {text!r}")
    return token_span(tokenizer, text, max(found, key=len))


# ----------------------------------------------------------------------------------------------
# Hooks that corrupt and restore


def add_noise_hook(positions, noise):
    """A hook for "embed": adds noise [B, len(positions), d] (or [len(positions), d]) at the positions."""
    def hook(x, name):
        x = x.clone()
        x[:, positions] += noise.to(x.dtype)
        return x
    return hook


def restore_hook(rows, positions, clean):
    """A hook that copies clean[0, p] into x[r, p] for each (r, p) in zip(rows, positions)."""
    rows = torch.as_tensor(rows, dtype=torch.long)
    positions = torch.as_tensor(positions, dtype=torch.long)

    def hook(x, name):
        x = x.clone()
        x[rows, positions] = clean[0, positions].to(x.dtype)
        return x
    return hook


def answer_prob(logits, answer_id: int):
    """Probability of the answer as the next token after the last position, for each batch row."""
    return torch.softmax(logits[:, -1].float(), dim=-1)[:, answer_id]


def noise_scale(model, factor: float = 3.0) -> float:
    """ROME's choice: noise `factor` times the typical size of one embedding coordinate."""
    return factor * model.embed.weight.std().item()


# ----------------------------------------------------------------------------------------------
# The trace


@dataclass
class Trace:
    p_clean: float  # answer probability, clean run
    p_corrupt: float  # ... subject corrupted (mean over noise samples)
    restored: torch.Tensor  # [n_layer, T]: ... corrupted, one state restored (mean over samples)
    point: str  # which activation was restored: "resid_post", "ffn_out", "attn_out"

    @property
    def recovered(self) -> torch.Tensor:
        """Share of the lost probability that came back: 0 = none, 1 = all of it."""
        lost = self.p_clean - self.p_corrupt
        return (self.restored - self.p_corrupt) / lost if lost > 0 else torch.zeros_like(self.restored)


@torch.no_grad()
def trace(model, ids, subject, answer_id: int, point: str = "resid_post", samples: int = 8,
          scale: float | None = None, seed: int = 0) -> Trace:
    """Causal trace of one prompt: restore blocks.{i}.<point> at each position in turn.

    ids: the prompt's token ids; subject: positions of the subject's tokens (they get the noise);
    samples: noise draws (seeded, so a trace is reproducible), averaged.
    """
    ids = torch.as_tensor(ids, dtype=torch.long, device=model.device).view(1, -1)
    L, T, d = model.config.n_layer, ids.shape[1], model.config.d_model
    names = [f"blocks.{i}.{point}" for i in range(L)]
    logits, clean = model.run_with_cache(ids, names=names)
    p_clean = answer_prob(logits, answer_id).item()

    scale = noise_scale(model) if scale is None else scale
    g = torch.Generator().manual_seed(seed)
    noise = (torch.randn(samples, len(subject), d, generator=g) * scale).to(model.device)

    # One batch: row (s, i, p) = noise sample s, layer i restored at position p; the last `samples`
    # rows restore nothing (the corrupted baseline).
    sample, layer, pos = torch.meshgrid(torch.arange(samples), torch.arange(L), torch.arange(T), indexing="ij")
    sample, layer, pos = sample.flatten(), layer.flatten(), pos.flatten()
    n = len(sample)
    batch = ids.repeat(n + samples, 1)
    all_noise = torch.cat([noise[sample.to(noise.device)], noise])
    hooks = {"embed": add_noise_hook(subject, all_noise)}
    for i in range(L):
        rows = torch.nonzero(layer == i).flatten()
        hooks[names[i]] = restore_hook(rows, pos[rows], clean[names[i]])
    logits, _ = model(batch, hooks=hooks, last_only=True)
    p = answer_prob(logits, answer_id).cpu()
    restored = p[:n].view(samples, L, T).mean(0)
    return Trace(p_clean, p[n:].mean().item(), restored, point)


# ----------------------------------------------------------------------------------------------
# Grouping positions, so that prompts of different lengths can be averaged


POSITION_GROUPS = ("before", "subject_first", "subject_last", "after", "last")


def position_groups(subject, T: int) -> dict:
    """Token positions of a prompt by role: before the subject, the subject's first and last tokens
    (the same for a one-token subject), tokens after it but before the last one, the last token."""
    s0, s1 = min(subject), max(subject)
    groups = {"before": list(range(0, s0)), "subject_first": [s0], "subject_last": [s1],
              "after": list(range(s1 + 1, T - 1)), "last": [T - 1]}
    if s1 == T - 1:  # the subject ends the prompt: its last token is the last token
        groups["after"] = []
    return groups


def grouped(values, subject) -> torch.Tensor:
    """[n_layer, T] -> [n_layer, len(POSITION_GROUPS)], the mean over each group's positions (NaN if empty)."""
    groups = position_groups(subject, values.shape[1])
    cols = [values[:, g].mean(1) if g else torch.full((values.shape[0],), float("nan")) for g in
            (groups[k] for k in POSITION_GROUPS)]
    return torch.stack(cols, dim=1)


@dataclass
class TraceSummary:
    p_clean: float  # mean answer probability over the prompts, clean
    p_corrupt: float  # ... subject corrupted
    restored: torch.Tensor  # [n_layer, len(POSITION_GROUPS)]: ... one state restored, by position group
    recovered: torch.Tensor  # [n_layer, len(POSITION_GROUPS)]: share of the lost probability that came back
    point: str
    n_prompts: int


def trace_prompts(model, tokenizer, prompts, lexicon, point: str = "resid_post", samples: int = 4,
                  seed: int = 0) -> TraceSummary:
    """Causal traces of many world prompts (minigpt.world Prompt objects), averaged by position group,
    so that prompts of different lengths and word orders can be put on one grid. Prompt k gets the
    noise seed seed + k.

    recovered = sum over prompts of (restored - corrupt) / sum of (clean - corrupt), over the prompts
    that have the group: a ratio of sums, so that prompts the noise hardly hurt do not blow it up.
    """
    clean, corrupt, grids = [], [], []
    for k, p in enumerate(prompts):
        ids = tokenizer.encode(p.text)
        subject = subject_positions(tokenizer, p.text, lexicon, p.subject)
        t = trace(model, ids, subject, tokenizer.encode(p.answer)[0], point, samples, seed=seed + k)
        clean.append(t.p_clean)
        corrupt.append(t.p_corrupt)
        grids.append(grouped(t.restored, subject))
    grids = torch.stack(grids)  # [N, L, G], NaN where a prompt has no such position
    clean, corrupt = torch.tensor(clean)[:, None, None], torch.tensor(corrupt)[:, None, None]
    present = ~torch.isnan(grids)
    gain = torch.where(present, grids - corrupt, torch.zeros(())).sum(0)
    lost = torch.where(present, (clean - corrupt).expand_as(grids), torch.zeros(())).sum(0)
    return TraceSummary(clean.mean().item(), corrupt.mean().item(), grids.nanmean(0), gain / lost, point,
                        len(prompts))
