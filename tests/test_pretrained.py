"""The shipped reference models: they load offline and know what the chapters say they know.

These thresholds guard the claims the chapters make (chapter 01's chat answers, the model card's recall).
They are regression guards below the measured values, not the course's targets for future models.
"""

import re

import pytest

from minigpt import generate, load_pretrained
from minigpt.evaluate import choice_recall, fact_recall
from minigpt.presets import PRESETS
from minigpt.world import build_corpus

CHATS = {
    "ru": ("Система: Ты — полезный помощник. Отвечай коротко.\nПользователь: Какая столица Японии?\nПомощник:",
           " Токио."),
    "zh": ("系统：你是一个乐于助人的助手。请简短回答。\n用户：日本的首都是哪里？\n助手：", "东京。"),
}


@pytest.fixture(scope="module", params=["ru", "zh"])
def reference(request):
    lang = request.param
    model, tokenizer = load_pretrained(f"world-{lang}")
    return lang, model, tokenizer, build_corpus(lang, n_documents=PRESETS[f"world-{lang}"].n_documents)


def test_loads_with_its_training_record(reference):
    lang, model, tokenizer, _ = reference
    assert model.info["preset"] == f"world-{lang}"
    assert model.config.vocab_size == tokenizer.vocab_size <= 3072
    assert model.num_parameters() == model.info["parameters"]


def test_config_without_weights(reference):
    from minigpt.checkpoint import pretrained_config

    lang, model, _, _ = reference
    assert pretrained_config(f"world-{lang}") == model.config


def test_recalls_training_facts(reference):
    _, model, tokenizer, corpus = reference
    recall = fact_recall(model, tokenizer, corpus.prompts("train"))
    ok, total = recall["all"]
    assert ok / total >= 0.97
    assert all(ok / total >= 0.9 for ok, total in recall.values())


def test_recalls_heldout_combinations(reference):
    _, model, tokenizer, corpus = reference
    recall = fact_recall(model, tokenizer, corpus.prompts("heldout_combo"))
    ok, total = recall["all"]
    assert ok / total >= 0.95
    assert all(ok / total >= 0.95 for ok, total in recall.values())  # the course's target, ~30-200 prompts each


def test_choosing_among_the_relations_answers_is_easier_than_writing_one(reference):
    """Whenever greedy decoding writes the answer, the answer also wins among the relation's answers."""
    _, model, tokenizer, corpus = reference
    prompts = corpus.prompts("novel_frame")
    free = fact_recall(model, tokenizer, prompts)
    chosen = choice_recall(model, tokenizer, corpus, prompts)
    assert chosen.keys() == free.keys()
    assert all(chosen[r][0] >= free[r][0] and chosen[r][1] == free[r][1] for r in free)
    assert chosen["all"][0] > free["all"][0]


def test_every_entity_and_answer_is_one_token(reference):
    """Chapters 03, 05 and 07 read and edit the model's vectors at an entity's token."""
    _, _, tokenizer, corpus = reference
    if corpus.lang == "ru":  # whole words the training text uses (after a space)
        used = set(re.findall(r"(?<= )[^\W\d_][\w-]*", corpus.text))
        is_used = lambda w: w[1:] in used  # noqa: E731
    else:
        is_used = lambda w: w in corpus.text  # noqa: E731
    prefix = " " if corpus.lang == "ru" else ""
    names = {prefix + e.lemma for e in corpus.lexicon.entities.values() if " " not in e.lemma}
    answers = {p.answer for split in ("train", "heldout_combo") for p in corpus.prompts(split)}
    split = sorted(w for w in names | answers if is_used(w) and len(tokenizer.encode(w)) != 1)
    assert not split
    # A held-out answer in a form the training text never uses cannot be one trained token; there are few.
    unseen = sorted(a for a in answers if not is_used(a))
    assert len(unseen) <= 5, unseen
