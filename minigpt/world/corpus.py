"""Assembling the corpus: lexicon + templates -> split plan -> documents -> Corpus."""

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from . import facts as world
from . import lexicon_ru, lexicon_zh, templates_ru, templates_zh
from .core import Fact, Lexicon, Prompt, Template, render

LANGUAGES = ("ru", "zh")
RELATIONS = world.RELATIONS
DEFAULT_DOCUMENTS = 15000  # about 1.6 million characters (3 MB of UTF-8) of Russian
HELDOUT_FRACTION = 0.15  # of (template, subject) pairs per relation, withheld from training text
MIN_TRAIN_PHRASINGS = 5  # a subject never loses so many pairs that fewer phrasings remain
VALID_FRACTION = 0.05

_MODULES = {"ru": (lexicon_ru, templates_ru), "zh": (lexicon_zh, templates_zh)}

# How often each kind of document is written (weights, roughly percent).
DOCUMENT_MIX = {
    "country": 20, "state": 10, "two_hop": 4, "female": 4, "associative": 6, "dialogue": 17,
    "category": 17, "plural": 7, "people": 8, "door": 4, "ambiguous": 3,
}
DIALOGUE_RELATIONS = {"capital": 5, "language": 3, "food": 3, "city_state": 3, "state_capital": 3, "two_hop": 2}


# ----------------------------------------------------------------------------------------------
# The language: its lexicon and compiled templates (built once per process)


@dataclass
class Language:
    code: str
    lexicon: Lexicon
    templates: dict  # relation -> [Template], training templates first, then novel frames
    answers: dict  # relation -> {subject key: answer key}
    patterns: object  # the templates_xx module: questions, associative patterns, prose generators
    questions: dict = field(default_factory=dict)
    short_answers: dict = field(default_factory=dict)
    assoc: dict = field(default_factory=dict)


def _category_of() -> dict:
    cat = {}
    for capital, _, _ in world.COUNTRIES.values():
        cat[capital] = "capital"
    for state, (capital, cities) in world.STATES.items():
        cat[capital] = "state_capital"
        cat.update({c: "city" for c in cities})
    cat.update({k: "animal" for k in world.ANIMALS})
    cat.update({k: "person" for k in world.PEOPLE})
    cat.update({k: "person" for pair in world.GENDER_PAIRS for k in pair})
    cat.update({k: "object" for k in world.OBJECTS})
    cat.update({k: "place" for k in world.PLACES})
    cat.update({k: "generic" for k in world.GENERIC.values()})
    return cat


def _compile(lang: str, relation: str, patterns) -> list[Template]:
    return [Template(f"{lang}.{relation}.{i}", relation, p) for i, p in enumerate(patterns)]


@lru_cache(maxsize=None)
def get_language(lang: str) -> Language:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGUAGES}")
    lex_mod, text_mod = _MODULES[lang]
    entities = lex_mod.build_entities(_category_of())
    pair_keys = world.relation_pairs()
    pairs = {rel: [(entities[s].lemma, entities[a].lemma) for s, a in ps] for rel, ps in pair_keys.items()}
    pairs["gender"] = pairs["female"]
    if lang == "ru":
        pairs["plural"] = [(e.lemma, e.forms["pl_nom"]) for e in entities.values() if "pl_nom" in e.forms]
    else:
        pairs["plural"] = [(e.lemma, e.forms["pl"]) for e in entities.values() if "pl" in e.forms]
    lexicon = Lexicon(lang, entities, pairs, dict(world.GENERIC))

    templates = {}
    for relation in RELATIONS:
        ts = [Template(f"{lang}.{relation}.{short}", relation, pattern, novel=short.startswith("n"))
              for short, pattern in text_mod.RELATION_TEMPLATES[relation]]
        for t in ts:
            if t.novel and not t.promptable:
                raise ValueError(f"{t.id}: a novel frame must be usable as a prompt (subject before answer)")
        templates[relation] = sorted(ts, key=lambda t: t.novel)
    answers = {rel: dict(ps) for rel, ps in pair_keys.items()}
    language = Language(lang, lexicon, templates, answers, text_mod)
    language.questions = {r: _compile(lang, "q_" + r, ps) for r, ps in text_mod.QUESTIONS.items()}
    language.short_answers = {r: _compile(lang, "short_" + r, ps) for r, ps in text_mod.SHORT_ANSWERS.items()}
    language.assoc = {name: _compile(lang, name, getattr(text_mod, name.upper()))
                      for name in ("assoc_country", "assoc_two_countries", "assoc_state")}
    return language


# ----------------------------------------------------------------------------------------------
# The split plan: which (template, subject) pairs may be written into training text


@dataclass
class SplitPlan:
    allowed: dict  # relation -> {subject key: [Template]} usable in training text
    heldout: set  # {(template id, subject key)} withheld from training text
    novel: dict  # relation -> [Template] never used in training text


def make_plan(language: Language) -> SplitPlan:
    """Deterministic for the language alone, not for the corpus seed: every seed trains on the
    same pairs and is evaluated on the same held-out ones."""
    allowed, heldout, novel = {}, set(), {}
    for relation in RELATIONS:
        subjects = list(language.answers[relation])
        train_templates = [t for t in language.templates[relation] if not t.novel]
        novel[relation] = [t for t in language.templates[relation] if t.novel]
        held_subjects = world.TWO_HOP_HELDOUT if relation == "two_hop" else ()
        withheld = {(t.id, s) for t in train_templates for s in held_subjects}
        candidates = [(t.id, s) for t in train_templates if t.promptable for s in subjects if s not in held_subjects]
        rng = random.Random(f"minigpt.world.heldout:{language.code}:{relation}")
        rng.shuffle(candidates)
        left_per_subject = Counter(s for s in subjects for _ in train_templates)
        left_per_template = Counter(t.id for t in train_templates for s in subjects if s not in held_subjects)
        target = round(HELDOUT_FRACTION * len(candidates))
        chosen = set()
        by_id = {t.id: t for t in train_templates}
        for tid, s in candidates:
            if len(chosen) == target:
                break
            if left_per_subject[s] <= MIN_TRAIN_PHRASINGS or left_per_template[tid] <= 2:
                continue
            others = [t for t in train_templates if t.id != tid and (t.id, s) not in chosen]
            if not _forms_seen(language, relation, s, by_id[tid], others):
                continue
            chosen.add((tid, s))
            left_per_subject[s] -= 1
            left_per_template[tid] -= 1
        withheld |= chosen
        heldout |= withheld
        allowed[relation] = {s: [t for t in train_templates if (t.id, s) not in withheld] for s in subjects}
    return SplitPlan(allowed, heldout, novel)


def _word_forms(language: Language, relation: str, subject: str, template: Template) -> set:
    """The words a template writes for the subject and the answer (without a preposition that belongs to
    the form): {("s", "Техасом"), ("a", "Остина")}."""
    keys = {"s": subject, "a": language.answers[relation][subject]}
    return {(role, language.lexicon[keys[role]].form(form).split()[-1]) for role, form in template.slots()}


def _forms_seen(language: Language, relation: str, subject: str, template: Template, others: list) -> bool:
    """Hold out (template, subject) only if training text still states the same fact with the subject and
    the answer in the very words this template uses. Otherwise the test would ask for a word the model
    never saw tied to the fact ("Техасом", "женщиной"): a gap in the vocabulary, not in generalisation."""
    seen = set().union(*(_word_forms(language, relation, subject, t) for t in others))
    return _word_forms(language, relation, subject, template) <= seen


# ----------------------------------------------------------------------------------------------
# The writer: draws entities and templates from shuffled decks so that coverage is even


class Writer:
    def __init__(self, language: Language, plan: SplitPlan, rng: random.Random, associative: bool = True):
        self.language = language
        self.associative = associative  # False: no sentence only puts a pair side by side
        self.lex = language.lexicon
        self.plan = plan
        self.rng = rng
        self.usage = Counter()  # (template id, subject key) -> times written
        self._decks = {}

    def pick(self, name: str, items):
        """Next item of a shuffled deck; every item comes up once before any comes up again."""
        deck = self._decks.get(name)
        if not deck:
            deck = list(items)
            self.rng.shuffle(deck)
            self._decks[name] = deck
        return deck.pop()

    def fact(self, relation: str, subject: str, only: tuple = ()) -> str:
        """One sentence stating a fact, in the next allowed phrasing for this subject
        (among the template ids in `only`, when given and possible)."""
        allowed = self.plan.allowed[relation][subject]
        chosen = [t for t in allowed if t.id.rsplit(".", 1)[1] in only]
        if chosen:
            template = self.pick(f"fact:{relation}:{subject}:answer", chosen)
        else:
            template = self.pick(f"fact:{relation}:{subject}", allowed)
        answer = self.language.answers[relation][subject]
        text, _, _ = render(template, {"s": self.lex[subject], "a": self.lex[answer]})
        self.usage[(template.id, subject)] += 1
        return text

    def fill(self, template: Template, **roles) -> str:
        return render(template, {k: self.lex[v] for k, v in roles.items()})[0]

    def subjects(self, relation: str) -> list[str]:
        """Subjects that still have phrasings allowed in training (all but held-out two-hop cities)."""
        return [s for s, ts in self.plan.allowed[relation].items() if ts]


def _join(w: Writer, sentences: list[str]) -> str:
    return w.language.patterns.SENTENCE_JOINER.join(sentences)


def country_doc(w: Writer) -> str:
    rng = w.rng
    country = w.pick("country", world.COUNTRIES)
    n = rng.choices((1, 2, 3, 4, 5, 6), weights=(2, 3, 4, 3, 2, 1))[0]
    relations = ["capital", "language", "food"]
    rng.shuffle(relations)
    out = [w.fact(r, country) for r in relations[:n]]
    while len(out) < n:
        if rng.random() < 0.5 and w.associative:
            out.append(_assoc_country(w, country))
        else:
            other = w.pick("country", world.COUNTRIES)
            out.append(w.fact(rng.choice(relations), other))
    rng.shuffle(out)
    return _join(w, out)


def _assoc_country(w: Writer, country: str) -> str:
    capital, language, food = world.COUNTRIES[country]
    template = w.rng.choice(w.language.assoc["assoc_country"])
    return w.fill(template, s=country, c=capital, l=language, f=food)


def state_doc(w: Writer) -> str:
    rng = w.rng
    state = w.pick("state", world.STATES)
    capital, cities = world.STATES[state]
    out = [w.fact("state_capital", state)]
    for city in rng.sample(cities, k=rng.randint(1, len(cities))):
        out.append(w.fact("city_state", city))
    if rng.random() < 0.3 and w.associative:
        x, y = (rng.sample(cities, k=2) if len(cities) > 1 else (cities[0], capital))
        template = rng.choice(w.language.assoc["assoc_state"])
        out.append(w.fill(template, s=state, c=capital, x=x, y=y))
    rng.shuffle(out)
    return _join(w, out[:6])


def two_hop_doc(w: Writer) -> str:
    """Only the composed form: «the capital of the state where X is» without naming the state."""
    n = w.rng.randint(1, 3)
    return _join(w, [w.fact("two_hop", w.pick("two_hop_city", w.subjects("two_hop"))) for _ in range(n)])


def female_doc(w: Writer) -> str:
    n = w.rng.randint(1, 3)
    return _join(w, [w.fact("female", w.pick("male", w.subjects("female"))) for _ in range(n)])


def associative_doc(w: Writer) -> str:
    rng = w.rng
    out = []
    for _ in range(rng.randint(2, 4)):
        kind = rng.choice(("country", "country", "two", "state"))
        if kind == "country":
            out.append(_assoc_country(w, w.pick("country", world.COUNTRIES)))
        elif kind == "two":
            s, t = rng.sample(list(world.COUNTRIES), k=2)
            template = rng.choice(w.language.assoc["assoc_two_countries"])
            out.append(w.fill(template, s=s, t=t, c=world.COUNTRIES[s][0], d=world.COUNTRIES[t][0]))
        else:
            state = w.pick("state", world.STATES)
            capital, cities = world.STATES[state]
            x, y = rng.sample(cities, k=2) if len(cities) > 1 else (cities[0], capital)
            out.append(w.fill(rng.choice(w.language.assoc["assoc_state"]), s=state, c=capital, x=x, y=y))
    return _join(w, out)


def dialogue_doc(w: Writer) -> str:
    """A system prompt, then one or two user questions with the assistant's answers."""
    rng, patterns = w.rng, w.language.patterns
    system, user, assistant = patterns.ROLES
    sep = patterns.ROLE_SEPARATOR
    prompt, style = rng.choice(patterns.SYSTEM_PROMPTS)
    lines = [f"{system}{sep}{prompt}"]
    for _ in range(1 if rng.random() < 0.7 else 2):
        if rng.random() < 0.12:
            question, answer = patterns.category_dialogue(w)
        else:
            relation = rng.choices(list(DIALOGUE_RELATIONS), weights=list(DIALOGUE_RELATIONS.values()))[0]
            subject = w.pick(f"dialogue:{relation}", w.subjects(relation))
            question = w.fill(rng.choice(w.language.questions[relation]), s=subject)
            if style == "short":
                answer = w.fill(rng.choice(w.language.short_answers[relation]),
                                a=w.language.answers[relation][subject])
            else:
                answer = w.fact(relation, subject, only=patterns.DIALOGUE_ANSWERS[relation])
                if style == "polite":
                    answer = patterns.SENTENCE_JOINER.join((rng.choice(patterns.POLITE_OPENINGS), answer))
        lines += [f"{user}{sep}{question}", f"{assistant}{sep}{answer}"]
    return "\n".join(lines)


def _prose(name: str):
    def doc(w: Writer) -> str:
        return _join(w, getattr(w.language.patterns, name)(w))
    return doc


DOCUMENT_KINDS = {
    "country": country_doc, "state": state_doc, "two_hop": two_hop_doc, "female": female_doc,
    "associative": associative_doc, "dialogue": dialogue_doc, "category": _prose("category_doc"),
    "plural": _prose("plural_doc"), "people": _prose("people_doc"), "door": _prose("door_doc"),
    "ambiguous": _prose("ambiguous_doc"),
}


def write_documents(language: Language, plan: SplitPlan, rng: random.Random, n: int, associative: bool = True):
    w = Writer(language, plan, rng, associative)
    mix = {k: v for k, v in DOCUMENT_MIX.items() if associative or k != "associative"}
    kinds, weights = list(mix), list(mix.values())
    docs = [DOCUMENT_KINDS[kind](w) for kind in rng.choices(kinds, weights=weights, k=n)]
    return docs, w.usage


# ----------------------------------------------------------------------------------------------
# The corpus


@dataclass
class Corpus:
    lang: str
    seed: int
    n_documents: int
    text: str  # training documents separated by "\n\n"
    valid_text: str  # validation documents, same distribution, an independent random stream
    facts: list  # [Fact]
    lexicon: Lexicon
    templates: dict  # relation -> [Template]; template.novel marks evaluation-only frames
    usage: Counter  # (template id, subject lemma) -> times written into the training text
    heldout: frozenset  # {(template id, subject lemma)} never written into any text
    _language: Language = field(repr=False)
    _plan: SplitPlan = field(repr=False)
    associative: bool = True  # False: written without the sentences that only put a pair side by side

    def prompts(self, split: str) -> list[Prompt]:
        """Prompts whose next word is the answer. split: "train", "heldout_combo" or "novel_frame"."""
        lang = self._language
        subject_keys = {rel: list(lang.answers[rel]) for rel in RELATIONS}
        used_templates = {tid for tid, _ in self.usage}
        out = []
        for relation in RELATIONS:
            for t in lang.templates[relation]:
                if not t.promptable:
                    continue
                for s in subject_keys[relation]:
                    lemma = lang.lexicon[s].lemma
                    if split == "train":
                        keep = not t.novel and self.usage.get((t.id, lemma), 0) > 0
                    elif split == "heldout_combo":
                        keep = (t.id, s) in self._plan.heldout and t.id in used_templates
                    elif split == "novel_frame":
                        keep = t.novel
                    else:
                        raise ValueError(f"unknown split {split!r}; use train, heldout_combo or novel_frame")
                    if keep:
                        out.append(make_prompt(lang, t, s))
        return out

    def answer_as(self, prompt: Prompt, lemma: str) -> str:
        """What `prompt` would need as its answer if its fact's answer were `lemma`, in the form that the
        prompt's frame asks for: the target of a fact edit. Russian: «Столица Франции —» + Рим -> " Рим",
        «Правительство Франции находится в» + Рим -> " Риме"; Chinese: the word itself."""
        lang = self._language
        template = next(t for t in lang.templates[prompt.relation] if t.id == prompt.template_id)
        key = lambda word: next(k for k, e in lang.lexicon.entities.items() if e.lemma == word)
        return make_prompt(lang, template, key(prompt.subject), answer_key=key(lemma)).answer

    def tokenizer_words(self) -> list[str]:
        """Words the course's tokenizer keeps as single tokens (BPETokenizer.train(words=...)).

        Chinese: every entity's name, the pronouns and the ambiguous 花 (with the compounds that are not
        it), so that no entity is glued to its neighbours. Russian: every one-word form of every entity
        that the text uses as a whole word, after a space (" Франции", " Франция") or at the start of a
        line ("Франция"), and the first word of every prompt's answer that the text uses, so that an
        entity in any case is one token."""
        if self.lang == "zh":
            words = [e.lemma for e in self.lexicon.entities.values()] + list(self._language.patterns.EXTRA_WORDS)
        else:
            # Only forms the text really uses, as whole words: a protected word that never occurs would get
            # a token whose vector is never trained.
            after_space = set(re.findall(r"(?<= )[^\W\d_][\w-]*", self.text))
            line_start = set(re.findall(r"(?m)^[^\W\d_][\w-]*", self.text))
            answers = {p.answer for split in ("train", "heldout_combo", "novel_frame") for p in self.prompts(split)}
            words = {a for a in answers if a[1:] in after_space}
            for e in self.lexicon.entities.values():
                for form in e.forms.values():
                    if " " in form:
                        continue
                    for w in (form, form[:1].upper() + form[1:]):
                        if w in after_space:
                            words.add(" " + w)
                        if w in line_start:
                            words.add(w)
        return sorted(set(words), key=lambda w: (-len(w), w))


def make_prompt(language: Language, template: Template, subject: str, answer_key: str | None = None) -> Prompt:
    """The prompt of `template` about `subject` (entity keys); answer_key: another answer entity than the
    true one (Corpus.answer_as), said in the same form."""
    if answer_key is None:
        answer_key = language.answers[template.relation][subject]
    lex = language.lexicon
    text, start, head = render(template, {"s": lex[subject], "a": lex[answer_key]})
    word = head.split(" ")[0]
    if language.code == "ru":
        if text[start - 1] != " ":
            raise ValueError(f"{template.id}: the answer must follow a space")
        prompt, answer = text[:start - 1], " " + word
    else:
        prompt, answer = text[:start], head
    return Prompt(prompt, answer, template.relation, lex[subject].lemma, template.id)


def build_corpus(lang: str, seed: int = 0, n_documents: int = DEFAULT_DOCUMENTS, associative: bool = True) -> Corpus:
    """Write the world corpus for one language. Deterministic for (lang, seed, n_documents, associative).
    Corpora of different sizes are different texts (not one a prefix of the other), but they share the
    lexicon, the templates and the held-out split, so their prompts are the same. The reference models
    were trained on n_documents=60000 (minigpt.presets); chapters that count occurrences "in the training
    text" build that corpus.

    associative=False leaves out every sentence that only puts two related words side by side
    («Париж и Франция», "寿司，来自日本"): the facts are still stated, but pairs share fewer contexts
    (chapter 03 compares the directions that emerge with and without them)."""
    language = get_language(lang)
    plan = make_plan(language)
    rng = random.Random(f"minigpt.world:{lang}:{seed}:train")
    docs, usage = write_documents(language, plan, rng, n_documents, associative)
    n_valid = max(20, round(VALID_FRACTION * n_documents))
    rng = random.Random(f"minigpt.world:{lang}:{seed}:valid")
    valid_docs, _ = write_documents(language, plan, rng, n_valid, associative)
    lex = language.lexicon
    facts = [Fact(rel, lex[s].lemma, lex[a].lemma, lang) for rel in RELATIONS for s, a in language.answers[rel].items()]
    return Corpus(
        lang=lang, seed=seed, n_documents=n_documents,
        text="\n\n".join(docs), valid_text="\n\n".join(valid_docs),
        facts=facts, lexicon=lex, templates=language.templates,
        usage=Counter({(tid, lex[s].lemma): n for (tid, s), n in usage.items()}),
        heldout=frozenset((tid, lex[s].lemma) for tid, s in plan.heldout),
        _language=language, _plan=plan, associative=associative,
    )
