"""What sampling does to the next-token distribution: temperature, top-k, top-p, measured.

generate.next_token_probs turns logits into the distribution that generation samples from; this module
describes that distribution, so a chapter can show what each knob changes:

    view = sampling_distribution(logits, temperature=1.5, top_k=None, top_p=0.9)
    view.kept, view.cut_mass, view.entropy, view.choices

Entropies are in nats (natural logarithm), the unit of the cross-entropy loss that training prints.
"""

import math
from dataclasses import dataclass

import torch

from .generate import next_token_probs


def entropy(probs) -> float:
    """Entropy of one distribution, in nats: -sum p * ln p (tokens with p = 0 contribute nothing).

    0 means all the mass is on one token; ln(V) is the most it can be (all V tokens equally likely).
    """
    p = torch.as_tensor(probs, dtype=torch.float64).flatten()
    p = p[p > 0]
    return 0.0 + float(-(p * p.log()).sum())  # 0.0 + turns -0.0 (one token holds everything) into 0.0


@dataclass
class SamplingView:
    """The distribution generation samples from, after temperature and the top-k / top-p cuts."""

    probs: torch.Tensor  # [V], sums to 1
    kept: int            # tokens that can still be sampled (probability > 0)
    cut_mass: float      # probability the cuts removed, measured after temperature and before the cuts
    entropy: float       # nats

    @property
    def choices(self) -> float:
        """exp(entropy): the number of equally likely tokens that would be this uncertain."""
        return math.exp(self.entropy)


def sampling_distribution(logits, temperature: float = 1.0, top_k: int | None = None,
                          top_p: float | None = None) -> SamplingView:
    """Describe next_token_probs(logits, temperature, top_k, top_p) for one row of logits [V]."""
    logits = torch.as_tensor(logits).detach().float().cpu()
    if logits.dim() != 1:
        raise ValueError(f"expected one row of logits of shape [V], got {tuple(logits.shape)}: take logits[0, -1]")
    probs = next_token_probs(logits, temperature, top_k, top_p)
    before_cuts = next_token_probs(logits, temperature)  # the same temperature, nothing removed
    kept = probs > 0
    return SamplingView(probs=probs, kept=int(kept.sum()), cut_mass=float(before_cuts[~kept].sum()),
                        entropy=entropy(probs))


def top_tokens(probs, tokenizer, n: int = 10) -> list[tuple[str, float]]:
    """The n most likely tokens as (text, probability), most likely first."""
    values, ids = torch.topk(torch.as_tensor(probs), min(n, len(probs)))
    return [(tokenizer.token_str(int(i)), float(v)) for v, i in zip(values, ids)]


@torch.no_grad()
def last_logits(model, tokenizer, text: str) -> torch.Tensor:
    """The logits [V] the model gives for the token that comes after `text` (on the CPU)."""
    ids = tokenizer.encode(text)[-model.config.context_length:]
    logits, _ = model(torch.tensor([ids], device=model.device), last_only=True)
    return logits[0, -1].float().cpu()
