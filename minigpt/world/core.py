"""Building blocks shared by both languages: entities, templates, rendering, lexicon, facts, prompts."""

import re
from dataclasses import dataclass, field

# Russian case forms are written in the lexicon in this order.
CASES = ("nom", "gen", "dat", "acc", "ins", "prep")
# Agreement choices "{s?m|f|n|pl}" are listed in this order.
GENDERS = ("m", "f", "n", "pl")
# A form such as "во Франции" starts with a preposition; a prompt keeps it and the answer starts after it.
PREPOSITIONS = ("в", "во", "на")


@dataclass(frozen=True)
class Fact:
    relation: str
    subject: str  # lemma in the corpus language, e.g. "Франция"
    answer: str  # lemma, e.g. "Париж"
    lang: str


@dataclass(frozen=True)
class Prompt:
    text: str  # everything before the answer; Russian: no trailing space
    answer: str  # the next word; Russian: with its leading space (" Париж"), Chinese: no spaces ("巴黎")
    relation: str
    subject: str
    template_id: str


@dataclass
class Entity:
    key: str  # English key from facts.py, the same in both languages
    category: str
    forms: dict  # form name -> text; "nom" is the lemma
    gender: str = ""  # Russian: m / f / n / pl; empty in Chinese
    mw: str = ""  # Chinese measure word (只, 条, 本 ...); empty in Russian

    @property
    def lemma(self) -> str:
        return self.forms["nom"]

    def form(self, name: str) -> str:
        try:
            return self.forms[name]
        except KeyError:
            raise KeyError(f"{self.key!r} has no form {name!r}; it has {sorted(self.forms)}") from None


def plural_view(e: Entity) -> Entity:
    """The same noun used in the plural: its plural forms under the case names, gender "pl"."""
    forms = {case: e.forms["pl_" + case] for case in CASES if "pl_" + case in e.forms}
    return Entity(e.key, e.category, {**e.forms, **forms}, "pl", e.mw)


def capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


_SLOT = re.compile(r"\{(\w+)(?::(\w+)|\?([^}]*))?\}")


@dataclass(frozen=True)
class Template:
    """A sentence pattern. {s:gen} is the subject in the genitive, {a} the answer in its default form,
    {s?расположен|расположена|расположено|расположены} picks by the subject's gender/number (m|f|n|pl).
    Other role names ({x}, {y}) are free for prose patterns."""

    id: str
    relation: str
    pattern: str
    novel: bool = False  # reserved for evaluation: never rendered into training text
    tokens: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        tokens, pos = [], 0
        for m in _SLOT.finditer(self.pattern):
            if m.start() > pos:
                tokens.append(("text", self.pattern[pos:m.start()]))
            role, form, choices = m.groups()
            if choices is not None:
                options = tuple(choices.split("|"))
                if len(options) != len(GENDERS):
                    raise ValueError(f"{self.id}: agreement needs {len(GENDERS)} options: {m.group(0)}")
                tokens.append(("agree", role, options))
            else:
                tokens.append(("slot", role, form or "nom"))
            pos = m.end()
        if pos < len(self.pattern):
            tokens.append(("text", self.pattern[pos:]))
        object.__setattr__(self, "tokens", tuple(tokens))

    def slots(self) -> list[tuple[str, str]]:
        """(role, form) of every slot in order: [("s", "gen"), ("a", "nom")]."""
        return [(t[1], t[2]) for t in self.tokens if t[0] == "slot"]

    def slot_order(self) -> list[str]:
        return [role for role, _ in self.slots()]

    @property
    def promptable(self) -> bool:
        """A prompt needs the subject said before the answer, and something before the answer at all."""
        order = self.slot_order()
        return "s" in order and "a" in order and order.index("s") < order.index("a")


def render(template: Template, roles: dict, capital_first: bool = True):
    """Fill a template. Returns (text, answer_start, answer_head) where answer_start is where the
    answer's own word begins (after a preposition that belongs to its form) or -1 without an answer."""
    parts, answer_start, answer_head, length = [], -1, "", 0
    for tok in template.tokens:
        if tok[0] == "text":
            piece = tok[1]
        elif tok[0] == "agree":
            value = roles[tok[1]]
            piece = tok[2][GENDERS.index(value.gender)]
        else:
            value = roles[tok[1]]
            piece = value if isinstance(value, str) else value.form(tok[2])
            if tok[1] == "a":
                head_offset = 0
                first, _, rest = piece.partition(" ")
                if rest and first in PREPOSITIONS:
                    head_offset = len(first) + 1
                answer_start = length + head_offset
                answer_head = piece[head_offset:]
        parts.append(piece)
        length += len(piece)
    text = "".join(parts)
    if capital_first:
        text = capitalize(text)
    return text, answer_start, answer_head


class Lexicon:
    """All entities of one language, with the views later chapters ask for."""

    def __init__(self, lang: str, entities: dict, pair_lists: dict, generic: dict):
        self.lang = lang
        self.entities = entities  # key -> Entity
        self._pairs = pair_lists  # kind -> [(lemma, lemma)]
        self._generic = generic  # category -> key of the generic word

    def __getitem__(self, key: str) -> Entity:
        return self.entities[key]

    def keys(self, category: str) -> list[str]:
        groups = {"animate": ("animal", "person"), "inanimate": ("object", "place")}
        wanted = groups.get(category, (category,))
        return [k for k, e in self.entities.items() if e.category in wanted]

    def category(self, name: str) -> list[str]:
        """Lemmas of one category: country, capital, language, food, state, state_capital, city,
        animal, person, object, place, gendered; and the unions animate, inanimate."""
        if name not in self.categories() + ["animate", "inanimate"]:
            raise KeyError(f"unknown category {name!r}; known: {self.categories() + ['animate', 'inanimate']}")
        return [self.entities[k].lemma for k in self.keys(name)]

    def categories(self) -> list[str]:
        return sorted({e.category for e in self.entities.values()})

    def generic(self, category: str) -> str:
        """The category's own word: generic("animal") -> "животное" / "动物"."""
        return self.entities[self._generic[category]].lemma

    def pair_kinds(self) -> list[str]:
        return sorted(self._pairs)

    def pairs(self, kind: str) -> list[tuple[str, str]]:
        """Lemma pairs: "gender" (male, female), "plural" (singular, plural), "capital", "language",
        "food", "city_state", "state_capital", "two_hop"."""
        if kind not in self._pairs:
            raise KeyError(f"unknown pair kind {kind!r}; known: {self.pair_kinds()}")
        return list(self._pairs[kind])

    def forms(self, lemma: str) -> dict:
        """Every stored form of a word, found by its lemma."""
        for e in self.entities.values():
            if e.lemma == lemma:
                return dict(e.forms)
        raise KeyError(lemma)
