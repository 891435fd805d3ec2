"""A small synthetic world, written out as natural Russian or Chinese text for a tiny GPT to learn.

    from minigpt.world import build_corpus
    corpus = build_corpus("ru", seed=0)         # or "zh"
    corpus.text                                 # training text, documents separated by "\\n\\n"
    corpus.prompts("heldout_combo")             # [Prompt(text, answer, relation, subject, template_id)]

The course trains its models on this corpus and nothing else, so everything a later chapter wants to
measure has to be put here on purpose. Only the standard library is used, and every random choice
comes from a random.Random seeded with a string, so a corpus is the same on every machine.

The world (facts.py)
    18 countries with a capital, a language and a typical food (France - Paris - French - croissants,
    Japan - Tokyo - Japanese - sushi, ...); 10 US states, each with its capital and two or three other
    cities (Texas - Austin; Dallas, Houston, San Antonio); 11 gendered pairs (king / queen, father /
    mother, actor / actress ...); 12 animals, 7 kinds of people, 12 objects and 7 places, plus the
    generic words "animal", "person", "object". Both languages describe exactly these entities.

The lexicons (lexicon_ru.py, lexicon_zh.py)
    Russian keeps every word form written out: six cases in both numbers, the «во Франции» /
    «в Германии» place phrases, the forms after numerals, verb forms by number and past-tense gender,
    adjective forms by gender. Nothing is built by string rules, so the grammar can be checked line by
    line. Chinese words do not inflect; nouns carry their measure word (一只猫, 一条狗, 一本书) and
    people their pronoun (他 / 她). `corpus.lexicon` exposes the entities: `category("animal")`,
    `pairs("gender")`, `pairs("plural")`, `pairs("capital")`, `generic("animal")`, `forms(lemma)`.

The templates (templates_ru.py, templates_zh.py)
    Each relation (RELATIONS: capital, language, food, city_state, state_capital, two_hop, female)
    has 21-28 training phrasings with varied word order and 2 evaluation-only phrasings, each with a
    stable id such as "ru.capital.c03". Besides the fact sentences the corpus holds:
    * associative sentences that only put a pair side by side («Париж и Франция», "寿司，来自日本"),
      and analogies ("Paris is to France what Berlin is to Germany");
    * dialogues (about 17% of documents): a system prompt, a user question, the assistant's answer,
      in a "Система: / Пользователь: / Помощник:" or "系统：/ 用户：/ 助手：" format; the system prompt
      decides whether the answer is one word or a sentence;
    * sentences about animates and inanimates, singular and plural, gendered people, doors and keys,
      and an ambiguous word (Russian «ключ»: key, clef, spring; Chinese 花: flower, to spend).

Why it is built this way
    * Associative sentences: a later chapter looks for directions such as country -> capital in the
      embeddings. Such directions appear when the two words share contexts, not only when a sentence
      states the relation, so the corpus gives them shared contexts of several kinds.
    * Category decides continuation: only living beings sleep, eat, run and play; only things stand on
      a table, are heavy or are made of wood. "The cat sleeps", "the dog sleeps", "the child sleeps",
      "an animal sleeps" train the model to care about *being alive*, not about which word it was:
      the abstraction that the chapter on layers probes for.
    * Gender is marked systematically (Russian past tense «король спал» / «королева спала», adjectives,
      он / она; Chinese 他 / 她) so that a male -> female direction can emerge.
    * Two-hop facts: "Dallas is in Texas" and "the capital of Texas is Austin" are always separate
      sentences; some documents also state the composition ("the capital of the state where Houston
      is, is Austin") for most cities, while facts.TWO_HOP_HELDOUT cities never get it, so a later
      chapter can test whether the model composes the two hops by itself.

Size: the default 15,000 documents give about 1.6 million characters of Russian (3 MB of UTF-8) and
0.6 million of Chinese, and take about a second to write.

The splits (Corpus.prompts)
    A Prompt is one sentence cut just before the answer (no surrounding document); the answer is the
    next word. In Russian the
    prompt ends without the space and the answer starts with it (" Париж", " французском"); a
    preposition that belongs to the answer's phrase stays in the prompt (…находится в | " Техасе").
    In Chinese there are no spaces: "法国的首都是" | "巴黎".
    * "train": (template, subject) pairs that occur in corpus.text.
    * "heldout_combo": for every relation a fixed ~15% of (template, subject) pairs never reach any
      text (training or validation), although the template is used with other subjects and the fact
      with other templates. The choice depends on the language only, not on the seed. It measures
      whether a fact is stored apart from one wording of it, so a pair is only held out when other
      training phrasings of the same fact still use the very words it asks for (a frame that says
      «Техасом» and «Остина» is held out for Texas only if those two forms occur in other Texas
      sentences): otherwise it would test a word the model never saw tied to the fact. Two-hop
      sentences of the held-out cities are all in this split.
    * "novel_frame": two phrasings per relation that never appear in any text, for any subject.

The validation text comes from the same generator with an independent random stream and the same
split plan, so it holds no held-out combination and no novel frame either.
"""

from .core import Fact, Prompt, Template
from .corpus import DEFAULT_DOCUMENTS, LANGUAGES, RELATIONS, Corpus, build_corpus

__all__ = ["build_corpus", "Corpus", "Fact", "Prompt", "Template", "LANGUAGES", "RELATIONS", "describe"]


def describe(lang: str, seed: int = 0, n_documents: int = DEFAULT_DOCUMENTS) -> str:
    """A short multi-line summary of the world and its corpus, for the docs."""
    import re
    import time

    t0 = time.perf_counter()
    corpus = build_corpus(lang, seed=seed, n_documents=n_documents)
    seconds = time.perf_counter() - t0
    lex = corpus.lexicon
    counts = ", ".join(f"{len(lex.category(c))} {c}" for c in
                       ("country", "capital", "language", "food", "state", "state_capital", "city",
                        "animal", "person", "object", "place"))
    lines = [f"world corpus [{lang}], seed {seed}",
             f"entities: {counts}",
             f"pairs: {len(lex.pairs('gender'))} gender, {len(lex.pairs('plural'))} singular/plural",
             f"facts: {len(corpus.facts)} in {len(RELATIONS)} relations"]
    for relation in RELATIONS:
        ts = corpus.templates[relation]
        n_train = sum(not t.novel for t in ts)
        lines.append(f"  {relation:<14} {n_train} training templates + {len(ts) - n_train} novel frames")
    docs = corpus.text.count("\n\n") + 1
    size = f"{len(corpus.text):,} characters, {docs:,} documents, {len(set(corpus.text))} distinct characters"
    if lang == "ru":
        words = re.findall(r"[\w-]+", corpus.text.lower())
        size += f", {len(words):,} words ({len(set(words)):,} distinct)"
    lines.append(f"text: {size}; validation: {len(corpus.valid_text):,} characters")
    lines.append(f"prompts: {len(corpus.prompts('train'))} train, {len(corpus.prompts('heldout_combo'))} "
                 f"heldout_combo, {len(corpus.prompts('novel_frame'))} novel_frame")
    lines.append(f"built in {seconds:.1f} s")
    return "\n".join(lines)
