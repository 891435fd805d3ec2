import re
import string
from collections import defaultdict

import pytest

from minigpt.world import LANGUAGES, RELATIONS, Corpus, Fact, Prompt, build_corpus, describe
from minigpt.world.core import render
from minigpt.world.corpus import make_prompt
from minigpt.world.facts import TWO_HOP_HELDOUT

# The corrupted terms of the Chinese source (shared/glossary.md): they must never reach the corpus.
CORRUPTED_ZH = ("东谈主工智能", "提防力", "老到", "预老到", "镶嵌", "反镶嵌", "筹算", "模子", "高下文", "神经收集",
                "散播", "言语模子", "鸿沟")


@pytest.fixture(scope="module")
def ru() -> Corpus:
    return build_corpus("ru", seed=0)


@pytest.fixture(scope="module")
def zh() -> Corpus:
    return build_corpus("zh", seed=0)


@pytest.fixture(scope="module", params=LANGUAGES)
def corpus(request) -> Corpus:
    return request.getfixturevalue(request.param)  # the same default-size corpora as ru / zh


def _lemma_of(corpus, key):
    return corpus.lexicon[key].lemma


def test_public_api():
    assert LANGUAGES == ("ru", "zh")
    assert {"capital", "language", "food", "city_state", "state_capital", "two_hop", "female"} <= set(RELATIONS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_deterministic_for_a_seed(lang):
    a, b = build_corpus(lang, seed=0, n_documents=800), build_corpus(lang, seed=0, n_documents=800)
    assert a.text == b.text and a.valid_text == b.valid_text
    c = build_corpus(lang, seed=1, n_documents=800)
    assert c.text != a.text
    assert a.valid_text not in a.text


def test_documents_and_size(corpus):
    docs = corpus.text.split("\n\n")
    assert len(docs) == corpus.n_documents
    assert all(d.strip() == d and d for d in docs)
    dialogues = sum(d.startswith(("Система:", "系统：")) for d in docs)
    assert 0.12 < dialogues / len(docs) < 0.25
    if corpus.lang == "ru":
        assert 1_200_000 < len(corpus.text) < 3_000_000
    assert len(corpus.valid_text) > 0.03 * len(corpus.text)


def test_heldout_combos_never_written(corpus):
    prompts = corpus.prompts("heldout_combo")
    assert prompts
    trained_templates = {tid for tid, _ in corpus.usage}
    for p in prompts:
        assert p.text + p.answer not in corpus.text, p
        assert p.text + p.answer not in corpus.valid_text, p
        assert (p.template_id, p.subject) not in corpus.usage
        assert p.template_id in trained_templates  # the phrasing is learned, with other subjects


def test_heldout_words_are_tied_to_the_fact_elsewhere(corpus):
    """A held-out pair asks for the subject and the answer only in words that training text already uses
    for the same fact (else it would test the vocabulary, not whether the fact generalises)."""
    templates = {t.id: t for ts in corpus.templates.values() for t in ts}
    written = defaultdict(set)  # (relation, subject lemma) -> {(role, word)}
    for (tid, subject), n in corpus.usage.items():
        relation = tid.split(".")[1]
        written[relation, subject] |= _words(corpus, templates[tid], relation, subject)
    for p in corpus.prompts("heldout_combo"):
        if p.relation == "two_hop" and p.subject in {_lemma_of(corpus, k) for k in TWO_HOP_HELDOUT}:
            continue  # these cities never have a two-hop sentence at all (the chapter tests composition)
        assert _words(corpus, templates[p.template_id], p.relation, p.subject) <= written[p.relation, p.subject], p


def _words(corpus, template, relation, subject):
    answer = next(f.answer for f in corpus.facts if f.relation == relation and f.subject == subject)
    lemmas = {"s": subject, "a": answer}
    return {(role, corpus.lexicon.forms(lemmas[role])[form].split()[-1]) for role, form in template.slots()}


def test_heldout_fraction_per_relation(corpus):
    heldout = defaultdict(int)
    for tid, subject in corpus.heldout:
        relation = tid.split(".")[1]
        if not (relation == "two_hop" and subject in {_lemma_of(corpus, k) for k in TWO_HOP_HELDOUT}):
            heldout[relation] += 1
    for relation in RELATIONS:
        promptable = [t for t in corpus.templates[relation] if t.promptable and not t.novel]
        n_subjects = len({f.subject for f in corpus.facts if f.relation == relation})
        if relation == "two_hop":
            n_subjects -= len(TWO_HOP_HELDOUT)
        assert 0.10 <= heldout[relation] / (len(promptable) * n_subjects) <= 0.20, relation


def test_novel_frames_never_written(corpus):
    prompts = corpus.prompts("novel_frame")
    for relation in RELATIONS:
        assert 2 <= len({p.template_id for p in prompts if p.relation == relation}) <= 3
    used = {tid for tid, _ in corpus.usage}
    for p in prompts:
        assert p.template_id not in used
        assert p.text + p.answer not in corpus.text, p
        assert p.text + p.answer not in corpus.valid_text, p


def test_train_prompts_occur_in_text(corpus):
    prompts = corpus.prompts("train")
    assert len(prompts) > 500
    for p in prompts[::7]:
        assert p.text + p.answer in corpus.text


def test_two_hop_heldout_cities_have_both_hops_but_not_the_composition(corpus):
    held = {_lemma_of(corpus, k) for k in TWO_HOP_HELDOUT}
    per_fact = defaultdict(set)
    for tid, subject in corpus.usage:
        per_fact[(tid.split(".")[1], subject)].add(tid)
    for city in held:
        assert not per_fact[("two_hop", city)]
        assert len(per_fact[("city_state", city)]) >= 3
    heldout_two_hop = {p.subject for p in corpus.prompts("heldout_combo") if p.relation == "two_hop"}
    assert held <= heldout_two_hop


def test_every_fact_in_at_least_three_phrasings(corpus):
    held = {_lemma_of(corpus, k) for k in TWO_HOP_HELDOUT}
    phrasings = defaultdict(set)
    for tid, subject in corpus.usage:
        phrasings[(tid.split(".")[1], subject)].add(tid)
    for fact in corpus.facts:
        if fact.relation == "two_hop" and fact.subject in held:
            continue
        assert len(phrasings[(fact.relation, fact.subject)]) >= 3, fact


def test_templates_per_relation(corpus):
    for relation in RELATIONS:
        ts = corpus.templates[relation]
        assert sum(not t.novel for t in ts) >= 8, relation
        assert len({t.id for t in ts}) == len(ts)


def _ambiguous_prompts(corpus) -> list[tuple[str, str, str, str]]:
    """(prompt template id, sentence template id, prompt, sentence) wherever a prompt of one template is the
    start of another training sentence about the same subject (any relation) that goes on with a word other
    than the prompt's answer: the model could not know which continuation is right."""
    language = corpus._language
    lex = language.lexicon
    sentences = {}  # subject key -> [(template id, rendered training sentence)]
    for relation in RELATIONS:
        for s, a in language.answers[relation].items():
            sentences.setdefault(s, []).extend(
                (t.id, render(t, {"s": lex[s], "a": lex[a]})[0])
                for t in corpus.templates[relation] if not t.novel)
    out = []
    for relation in RELATIONS:
        for t in corpus.templates[relation]:
            if not t.promptable:
                continue
            for s in language.answers[relation]:
                p = make_prompt(language, t, s)
                for tid, text in sentences[s]:
                    if tid != t.id and text.startswith(p.text) and not text[len(p.text):].startswith(p.answer):
                        out.append((t.id, tid, p.text, text))
    return out


# Ambiguities among the templates written before this test existed, to be reworded (then removed from here):
# «达拉斯是» (s01) goes on «一座位于…» in s06, «达拉斯位于» (s02) goes on «一个州» in two_hop h03.
def test_prompts_are_unambiguous(corpus):
    found = _ambiguous_prompts(corpus)
    assert not found, found[:10]


def test_facts_ru(ru):
    facts = set(ru.facts)
    for fact in [Fact("capital", "Франция", "Париж", "ru"), Fact("state_capital", "Техас", "Остин", "ru"),
                 Fact("city_state", "Даллас", "Техас", "ru"), Fact("food", "Япония", "суши", "ru"),
                 Fact("two_hop", "Даллас", "Остин", "ru"), Fact("female", "король", "королева", "ru"),
                 Fact("language", "Германия", "немецкий", "ru")]:
        assert fact in facts
    assert "Столица Франции — Париж." in ru.text
    assert "Даллас — город в Техасе." in ru.text or ("ru.city_state.s01", "Даллас") in ru.heldout


def test_facts_zh(zh):
    facts = set(zh.facts)
    for fact in [Fact("capital", "法国", "巴黎", "zh"), Fact("state_capital", "得克萨斯州", "奥斯汀", "zh"),
                 Fact("city_state", "达拉斯", "得克萨斯州", "zh"), Fact("food", "日本", "寿司", "zh")]:
        assert fact in facts


def test_prompt_format(corpus):
    for split in ("train", "heldout_combo", "novel_frame"):
        for p in corpus.prompts(split):
            assert isinstance(p, Prompt)
            if corpus.lang == "ru":
                assert not p.text.endswith(" ") and p.answer.startswith(" ") and " " not in p.answer[1:]
            else:
                assert " " not in p.text + p.answer
    capital = [p for p in corpus.prompts("train") if p.relation == "capital" and p.subject in ("Франция", "法国")]
    assert capital and all(p.answer.strip() in ("Париж", "Париже", "巴黎") for p in capital)


def test_russian_prepositional_answers(ru):
    p = next(p for p in ru.prompts("train") + ru.prompts("heldout_combo")
             if p.template_id == "ru.city_state.s02" and p.subject == "Майами")
    assert (p.text, p.answer) == ("Майами находится во", " Флориде")


def test_answer_as_keeps_the_form_of_the_frame(ru, zh):
    prompts = ru.prompts("train") + ru.prompts("heldout_combo") + ru.prompts("novel_frame")
    france = {p.template_id: p for p in prompts if p.relation == "capital" and p.subject == "Франция"}
    assert ru.answer_as(france["ru.capital.c01"], "Рим") == " Рим"  # «Столица Франции —»
    assert ru.answer_as(france["ru.capital.c06"], "Рим") == " Риме"  # «… находится в»
    assert ru.answer_as(france["ru.capital.c09"], "Москва") == " Москву"  # «… прилетают в»
    assert all(ru.answer_as(p, "Париж") == p.answer for p in france.values())  # the true answer: itself
    p = next(p for p in zh.prompts("train") if p.relation == "capital" and p.subject == "法国")
    assert zh.answer_as(p, "罗马") == "罗马" and zh.answer_as(p, "巴黎") == p.answer


def test_russian_agreement(ru):
    low = ru.text.lower()
    assert "кошки спят" in low and "кошки спит" not in low and "кошка спят" not in low
    assert re.search(r"\bкороль (крепко )?спал\b", low) and re.search(r"\bкоролева (не |крепко )?спала\b", low)
    assert not re.search(r"\bкоролева (не |крепко )?спал\b", low) and not re.search(r"\bкороль (не )?спала\b", low)
    assert "во франции" in low and "в франции" not in low and "в германии" in low
    assert "во флориде" in low and "в флориде" not in low
    for wrong in ("две кошек", "пять кошки", "один кошка", "одна кот", "два кошки", "столы спят"):
        assert wrong not in low, wrong


def test_only_living_things_sleep_eat_run(ru, zh):
    """The category decides what may follow: no «стол спит», no 桌子在睡觉."""
    from minigpt.world.lexicon_ru import VERBS
    low = ru.text.lower()
    # every "subject verb" pair at the start of a sentence or after «а» («А камень не спит»)
    starts = set(re.findall(r"(?:^|[.:?] |\bа )([\w-]+ [\w-]+)", low, flags=re.M))
    for key in ru.lexicon.keys("inanimate"):
        forms = ru.lexicon[key].forms
        for verb in ("sleep", "eat", "run", "play", "breathe", "fly"):
            sg, pl = [f.strip() for f in VERBS[verb].split(",")][:2]
            assert f"{forms['nom']} {sg}" not in starts and f"{forms['pl_nom']} {pl}" not in starts, (key, verb)
        word = zh.lexicon[key].lemma
        for verb in ("在睡觉", "在吃东西", "在跑", "在玩"):
            assert f"。{word}{verb}" not in zh.text and f"\n{word}{verb}" not in zh.text, (key, verb)
    assert "кошка спит" in starts and "камень не" in starts


def test_charset_ru(ru):
    allowed = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя" "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ" " \n.,:?!—-")
    assert set(ru.text + ru.valid_text) <= allowed, set(ru.text) - allowed


def test_chinese_text_is_clean(zh):
    text = zh.text + zh.valid_text
    for term in CORRUPTED_ZH:
        assert term not in text, term
    ascii_junk = set(string.punctuation) | set(string.ascii_letters) | set(string.digits) | {" ", "\t"}
    assert not set(text) & ascii_junk, set(text) & ascii_junk
    non_cjk = {c for c in set(text) if not re.match(r"[\u4e00-\u9fff]", c)}
    assert non_cjk <= set("，。？：、！\n"), non_cjk


def test_lexicon_views(ru, zh):
    assert ("король", "королева") in ru.lexicon.pairs("gender")
    assert ("国王", "王后") in zh.lexicon.pairs("gender")
    assert ("кошка", "кошки") in ru.lexicon.pairs("plural")
    assert "кошка" in ru.lexicon.category("animal") and "стол" in ru.lexicon.category("object")
    assert "猫" in zh.lexicon.category("animal")
    assert ru.lexicon.generic("animal") == "животное" and zh.lexicon.generic("animal") == "动物"
    assert ("Франция", "Париж") in ru.lexicon.pairs("capital")
    assert ru.lexicon.forms("Франция")["loc"] == "во Франции"


def test_ambiguous_words(ru, zh):
    assert "Я открыл замок ключом." in ru.text
    assert "скрипичный ключ" in ru.text and "Ключ бил из-под земли." in ru.text
    assert "一束花" in zh.text and "花了很多钱" in zh.text


def test_describe():
    text = describe("zh", n_documents=500)
    assert "capital" in text and "novel frames" in text


def test_corpus_without_associative_sentences():
    full = build_corpus("ru", n_documents=2000)
    bare = build_corpus("ru", n_documents=2000, associative=False)
    assert "Париж и Франция" in full.text or "Франция и Париж" in full.text
    assert "Париж и Франция" not in bare.text and "Франция и Париж" not in bare.text
    assert bare.prompts("heldout_combo") == full.prompts("heldout_combo")  # the same split plan
    assert full.associative and not bare.associative
    assert len(bare.text) > 0.8 * len(full.text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tokenizer_words_cover_entities_and_answers(lang):
    c = build_corpus(lang, n_documents=2000)
    words = set(c.tokenizer_words())
    prefix = " " if lang == "ru" else ""
    in_text = set(re.findall(r"(?<= )[^\W\d_][\w-]*", c.text)) if lang == "ru" else None
    used = (lambda w: w[1:] in in_text) if lang == "ru" else (lambda w: w in c.text)
    answers = {p.answer for split in ("train", "heldout_combo") for p in c.prompts(split)}
    assert {a for a in answers if used(a)} <= words
    assert len({a for a in answers if used(a)}) > 0.9 * len(answers)
    names = {prefix + e.lemma for e in c.lexicon.entities.values() if " " not in e.lemma}
    assert {w for w in names if used(w)} <= words
    if lang == "ru":  # a form never used as a whole word gets no token: its vector would never be trained
        assert all(w[1:] in in_text for w in words if w.startswith(" "))
