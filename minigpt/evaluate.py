"""Measuring what a model knows: fact recall on prompts whose next word is a known answer."""

from collections import defaultdict

import torch

from .generate import generate


def answers_correctly(model, tokenizer, prompts) -> list[bool]:
    """For each prompt: does greedy decoding continue it with the answer?

    Fast path: feed prompt + answer in one batch (teacher forcing) and check that at each answer position the
    most likely token is the answer's next token; then greedy decoding would write exactly the answer.
    A prompt that fails it gets a second chance by real generation, because the answer can also come out
    in other tokens (Chinese has no space before the answer, so BPE may split it differently after a cut).
    """
    seqs = [(tokenizer.encode(p.text), tokenizer.encode(p.answer)) for p in prompts]
    results = _teacher_forced(seqs, model)
    for i, p in enumerate(prompts):
        if not results[i]:
            n = len(seqs[i][1]) + 2
            results[i] = generate(model, tokenizer, p.text, max_new_tokens=n, temperature=0).startswith(p.answer)
    return results


@torch.no_grad()
def _teacher_forced(seqs, model, batch_size: int = 128) -> list[bool]:
    """One forward pass per batch: feed prompt + answer and check that at every answer position the
    most likely token is the answer's own next token (exactly what greedy decoding would pick)."""
    results = []
    for start in range(0, len(seqs), batch_size):
        batch = seqs[start:start + batch_size]
        width = max(len(a) + len(b) for a, b in batch)
        ids = torch.zeros(len(batch), width, dtype=torch.long)
        for row, (a, b) in enumerate(batch):
            ids[row, :len(a) + len(b)] = torch.tensor(a + b)  # padding goes after: causal, so it is never seen
        logits, _ = model(ids.to(model.device))
        best = logits.argmax(-1).cpu()
        for row, (a, b) in enumerate(batch):
            predicted = best[row, len(a) - 1:len(a) + len(b) - 1].tolist()
            results.append(predicted == b)
    return results


def fact_recall(model, tokenizer, prompts) -> dict:
    """Top-1 recall per relation: {relation: (correct, total)}, plus "all" at the end."""
    return _per_relation(prompts, answers_correctly(model, tokenizer, prompts))


def _per_relation(prompts, oks) -> dict:
    """{relation: (correct, total)} over prompts and their results, plus "all" at the end."""
    counts = defaultdict(lambda: [0, 0])
    for p, ok in zip(prompts, oks):
        counts[p.relation][0] += ok
        counts[p.relation][1] += 1
    counts["all"] = [sum(v[0] for v in counts.values()), sum(v[1] for v in counts.values())]
    return {k: tuple(v) for k, v in counts.items()}


def recall_table(results: dict) -> str:
    """The recall of fact_recall() as aligned text lines: relation, accuracy, correct/total."""
    return "\n".join(f"{relation:14s} {ok / total:6.1%}  ({ok}/{total})" for relation, (ok, total) in results.items())


@torch.no_grad()
def choice_recall(model, tokenizer, corpus, prompts) -> dict:
    """Top-1 recall when the model may only choose among the relation's own answers, each said in the form
    the prompt's frame asks for (corpus.answer_as): {relation: (correct, total)}, plus "all".

    It separates two ways to fail on an unfamiliar phrasing: not knowing that a capital comes next (the
    model writes something else; fact_recall counts it wrong, this does not) and not knowing which one."""
    answers = defaultdict(set)
    for fact in corpus.facts:
        answers[fact.relation].add(fact.answer)
    oks = []
    for p in prompts:
        options = sorted({corpus.answer_as(p, a) for a in answers[p.relation]})
        ids = [tokenizer.encode(o) for o in options]
        if any(len(i) != 1 for i in ids):
            raise ValueError(f"choice_recall needs every answer to be one token; {options} are not all one token: "
                             "use the course's tokenizer (BPETokenizer.train(words=corpus.tokenizer_words()))")
        prompt_ids = tokenizer.encode(p.text)[-model.config.context_length:]
        logits, _ = model(torch.tensor([prompt_ids], device=model.device), last_only=True)
        oks.append(options[int(logits[0, -1, [i[0] for i in ids]].argmax())] == p.answer)
    return _per_relation(prompts, oks)
