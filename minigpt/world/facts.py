"""The world itself, with no words: entities by English key and the facts that link them.

Both languages read these tables, so the Russian and the Chinese corpora describe exactly the same
world; only the lexicons (lexicon_ru.py, lexicon_zh.py) and the sentence patterns differ.
"""

# country -> (capital, language, typical food). Capitals are never spelled like their country
# (no Mexico / Mexico City), so a model cannot answer by copying the subject.
COUNTRIES = {
    "france": ("paris", "french", "croissants"),
    "germany": ("berlin", "german", "sausages"),
    "japan": ("tokyo", "japanese", "sushi"),
    "italy": ("rome", "italian", "pizza"),
    "spain": ("madrid", "spanish", "paella"),
    "china": ("beijing", "chinese", "noodles"),
    "russia": ("moscow", "russian", "borscht"),
    "britain": ("london", "english", "pudding"),
    "india": ("new_delhi", "hindi", "curry"),
    "greece": ("athens", "greek", "olives"),
    "turkey": ("ankara", "turkish", "kebab"),
    "egypt": ("cairo", "arabic", "dates"),
    "portugal": ("lisbon", "portuguese", "cod"),
    "korea": ("seoul", "korean", "kimchi"),
    "vietnam": ("hanoi", "vietnamese", "pho"),
    "austria": ("vienna", "german", "schnitzel"),  # German again: a language may have several countries
    "norway": ("oslo", "norwegian", "salmon"),
    "sweden": ("stockholm", "swedish", "meatballs"),
}

# US state -> (capital, other cities). No New York and no Washington: their names are also
# names of cities elsewhere, which would make "city in state" facts ambiguous.
STATES = {
    "texas": ("austin", ("dallas", "houston", "san_antonio")),
    "california": ("sacramento", ("los_angeles", "san_francisco", "san_jose")),
    "illinois": ("springfield", ("chicago", "peoria")),
    "florida": ("tallahassee", ("miami", "orlando", "tampa")),
    "pennsylvania": ("harrisburg", ("philadelphia", "pittsburgh")),
    "nevada": ("carson_city", ("las_vegas", "reno")),
    "ohio": ("columbus", ("cleveland", "cincinnati")),
    "michigan": ("lansing", ("detroit", "flint")),
    "oregon": ("salem", ("portland", "eugene")),
    "tennessee": ("nashville", ("memphis", "knoxville")),
}

# Cities whose two-hop sentence ("the capital of the state where Dallas is, is Austin") never
# reaches the training text. Both hops are still taught, in separate sentences, so a later
# chapter can test whether the model composes them. One or two per state, never all of a state.
TWO_HOP_HELDOUT = ("dallas", "san_francisco", "miami", "pittsburgh", "las_vegas", "cincinnati", "memphis")

# (male, female) pairs: the raw material for a "gender direction" in embedding space.
GENDER_PAIRS = (
    ("king", "queen"),
    ("man", "woman"),
    ("prince", "princess"),
    ("boy", "girl"),
    ("father", "mother"),
    ("brother", "sister"),
    ("son", "daughter"),
    ("uncle", "aunt"),
    ("husband", "wife"),
    ("actor", "actress"),
    ("grandfather", "grandmother"),
)

# Nouns whose category decides what may follow them. The generic word of each category
# ("animal", "person", "object") is listed separately so a sentence can say "an animal sleeps".
ANIMALS = ("cat", "dog", "horse", "cow", "bird", "fox", "wolf", "bear", "mouse", "rabbit", "elephant", "tiger")
PEOPLE = ("child", "boy", "girl", "man", "woman", "teacher", "doctor")
OBJECTS = ("table", "chair", "stone", "book", "cup", "door", "key", "spoon", "window", "bottle", "box", "lamp")
PLACES = ("city", "river", "mountain", "house", "forest", "lake", "village")
GENERIC = {"animal": "animal_word", "person": "person_word", "object": "object_word"}

# What an animate being can do. Everyone alive sleeps, eats, drinks and breathes.
LIFE = ("sleep", "eat", "drink", "breathe")
ACTIONS = {
    **{k: LIFE + ("run",) for k in ANIMALS},
    **{k: LIFE + ("run", "play") for k in ("cat", "dog", "rabbit", "fox", "bear")},
    "bird": LIFE + ("fly",),
    **{k: LIFE + ("run", "play") for k in PEOPLE},
    "animal_word": LIFE,
    "person_word": LIFE + ("run",),
}
ANIMATE_VERBS = ("sleep", "eat", "drink", "breathe", "run", "play", "fly")

# Objects: how they rest ("stand" or "lie" or, for openings, "open"), materials, and weight.
OBJECT_PROPS = {
    "table": ("stand", ("wood", "metal", "stone"), "heavy"),
    "chair": ("stand", ("wood", "metal"), None),
    "stone": ("lie", (), "heavy"),
    "book": ("lie", ("paper",), None),
    "cup": ("stand", ("clay", "glass", "metal"), "light"),
    "door": ("open", ("wood", "metal", "glass"), "heavy"),
    "key": ("lie", ("metal",), "light"),
    "spoon": ("lie", ("wood", "metal"), "light"),
    "window": ("open", ("glass",), None),
    "bottle": ("stand", ("glass",), "light"),
    "box": ("stand", ("wood", "metal"), "heavy"),
    "lamp": ("stand", ("glass", "metal"), None),
    "object_word": ("lie", (), None),
}
MATERIALS = ("wood", "metal", "stone", "glass", "paper", "clay")


def relation_pairs() -> dict[str, list[tuple[str, str]]]:
    """Every fact of the world as relation -> [(subject key, answer key)], in a fixed order."""
    capital_of_state = {state: capital for state, (capital, _) in STATES.items()}
    state_of_city = {city: state for state, (_, cities) in STATES.items() for city in cities}
    return {
        "capital": [(c, v[0]) for c, v in COUNTRIES.items()],
        "language": [(c, v[1]) for c, v in COUNTRIES.items()],
        "food": [(c, v[2]) for c, v in COUNTRIES.items()],
        "city_state": list(state_of_city.items()),
        "state_capital": list(capital_of_state.items()),
        "two_hop": [(city, capital_of_state[state]) for city, state in state_of_city.items()],
        "female": list(GENDER_PAIRS),
    }


RELATIONS = ("capital", "language", "food", "city_state", "state_capital", "two_hop", "female")
