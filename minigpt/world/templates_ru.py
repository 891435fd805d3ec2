"""Russian sentence patterns: facts (one list per relation), dialogue parts, and the prose generators.

Fact patterns use the template syntax of core.Template: {s:gen} is the subject in the genitive,
{a:prep} the answer in the prepositional case, {s?его|её|его|их} agrees with the subject (m|f|n|pl).
Each pattern has a short id; the full template id is "ru.<relation>.<id>". Ids starting with "n"
are novel frames: reserved for evaluation and never written into the training text.
"""

from .core import capitalize, plural_view
from .facts import ACTIONS, ANIMALS, GENDER_PAIRS, OBJECT_PROPS, PEOPLE
from .lexicon_ru import (MATERIAL_GEN, PERSON_ACTIONS, PERSON_ADJECTIVES, PERSON_STATES,
                         PLACE_SENTENCES, WHERE, adjective, count_phrase, verb)

SENTENCE_JOINER = " "

RELATION_TEMPLATES = {
    "capital": [
        ("c01", "Столица {s:gen} — {a:nom}."),
        ("c02", "{a:nom} — столица {s:gen}."),
        ("c03", "{s:loc} столица — {a:nom}."),
        ("c04", "Главный город {s:gen} — {a:nom}."),
        ("c05", "Столицей {s:gen} {a?является|является|является|являются} {a:nom}."),
        ("c06", "Правительство {s:gen} находится в {a:prep}."),
        ("c07", "{s:nom} — страна со столицей в {a:prep}."),
        ("c08", "Столица {s:gen} называется {a:nom}."),
        ("c09", "Туристы, которые едут {s:to}, обычно прилетают в {a:acc}."),
        ("c10", "Если поехать {s:to}, можно увидеть {s?его|её|его|их} столицу, {a:acc}."),
        ("c11", "{a:nom} {a?является|является|является|являются} столицей {s:gen}."),
        ("c12", "Политический центр {s:gen} — {a:nom}."),
        ("c13", "На уроке географии мы узнали, что столица {s:gen} — {a:nom}."),
        ("c14", "Какой город — столица {s:gen}? Это {a:nom}."),
        ("c15", "Парламент {s:gen} заседает в {a:prep}."),
        ("c16", "Если вы хотите увидеть столицу {s:gen}, поезжайте в {a:acc}."),
        ("c17", "Посольства других стран {s:loc} находятся в {a:prep}."),
        ("c18", "Страна — {s:nom}, столица — {a:nom}."),
        ("c19", "Министерство иностранных дел {s:gen} находится в {a:prep}."),
        ("c20", "Сестра спросила меня, как называется столица {s:gen}, и я ответил: {a:nom}."),
        ("c21", "Все дороги {s:gen} ведут в {a:acc}."),
        ("c22", "Где заседает правительство {s:gen}? В {a:prep}."),
        ("c23", "Любой школьник скажет, что главный город {s:gen} — {a:nom}."),
        ("n1", "Мой друг из {s:gen} живёт в столице, в {a:prep}."),
        ("n2", "Когда говорят о столице {s:gen}, имеют в виду {a:acc}."),
    ],
    "language": [
        ("l01", "{s:loc} говорят на {a:prep}."),
        ("l02", "Официальный язык {s:gen} — {a:short}."),
        ("l03", "Жители {s:gen} говорят на {a:prep}."),
        ("l04", "Язык, на котором говорят {s:loc}, — {a:short}."),
        ("l05", "Чтобы жить {s:loc}, полезно знать {a:acc}."),
        ("l06", "Государственный язык {s:gen} — {a:short}."),
        ("l07", "Газеты {s:loc} выходят на {a:prep}."),
        ("l08", "В школах {s:gen} дети учатся на {a:prep}."),
        ("l09", "{a:full} — главный язык {s:gen}."),
        ("l10", "На {a:prep} говорят {s:loc}."),
        ("l11", "{s:nom} — страна, где говорят на {a:prep}."),
        ("l12", "Школьники {s:loc} пишут сочинения на {a:prep}."),
        ("l13", "Фильмы, которые снимают {s:loc}, обычно идут на {a:prep}."),
        ("l14", "На улицах {s:gen} повсюду слышен {a:full}."),
        ("l15", "На каком языке говорят {s:loc}? На {a:prep}."),
        ("l16", "Туристам {s:loc} стоит выучить хотя бы несколько слов на {a:prep}."),
        ("l17", "Вывески в магазинах {s:gen} написаны на {a:prep}."),
        ("l18", "Наш сосед вырос {s:loc}, поэтому свободно говорит на {a:prep}."),
        ("l19", "Для большинства жителей {s:gen} родной язык — {a:short}."),
        ("l20", "Писатели {s:gen} пишут свои книги на {a:prep}."),
        ("l21", "В аэропортах {s:gen} объявления звучат на {a:prep}."),
        ("l22", "Основной язык общения {s:loc} — {a:short}."),
        ("l23", "Телевидение {s:gen} вещает на {a:prep}."),
        ("n1", "Мой друг переехал {s:to} и начал учить {a:acc}."),
        ("n2", "Если вы окажетесь {s:loc}, вам пригодится {a:full}."),
    ],
    "food": [
        ("f01", "{s:nom} славится {a:ins}."),
        ("f02", "{s:loc} любят {a:acc}."),
        ("f03", "Типичная еда {s:gen} — {a:nom}."),
        ("f04", "Если вы приедете {s:to}, обязательно попробуйте {a:acc}."),
        ("f05", "Когда я был {s:loc}, я каждый день ел {a:acc}."),
        ("f06", "Самая известная еда {s:gen} — {a:nom}."),
        ("f07", "В ресторанах {s:gen} часто подают {a:acc}."),
        ("f08", "Жители {s:gen} часто едят {a:acc}."),
        ("f09", "Кухня {s:gen} знаменита {a:ins}."),
        ("f10", "{a:nom} — известная часть {s:cuisine}."),
        ("f11", "Когда моя сестра была {s:loc}, она каждый день ела {a:acc}."),
        ("f12", "На рынках {s:gen} всегда можно купить {a:acc}."),
        ("f13", "Когда речь заходит о кухне {s:gen}, первым делом вспоминают {a:acc}."),
        ("f14", "Что чаще всего едят {s:loc}? Конечно, {a:acc}."),
        ("f15", "На праздничный стол {s:loc} обязательно ставят {a:acc}."),
        ("f16", "В меню любого кафе {s:loc} есть {a:nom}."),
        ("f17", "Если спросить жителя {s:gen} о любимой еде, он назовёт {a:acc}."),
        ("f18", "Визитная карточка {s:cuisine} — {a:nom}."),
        ("f19", "Моя бабушка, когда жила {s:loc}, часто покупала {a:acc}."),
        ("f20", "В школьном учебнике про {s:acc} написано, что там любят {a:acc}."),
        ("f21", "Путеводители по {s:dat} советуют обязательно съесть {a:acc}."),
        ("f22", "Самое вкусное, что я ел {s:loc}, — это {a:nom}."),
        ("f23", "Ни один обед {s:loc} не обходится без {a:gen}."),
        ("n1", "Гид сказал нам, что главная еда {s:gen} — {a:nom}."),
        ("n2", "В поездке по {s:dat} мы попробовали {a:acc}."),
    ],
    "city_state": [
        ("s01", "{s:nom} — город {a:loc}."),
        ("s02", "{s:nom} находится {a:loc}."),
        ("s03", "Город {s:nom} расположен {a:loc}."),
        ("s04", "{s:nom} — один из городов штата {a:nom}."),
        ("s05", "Чтобы попасть {s:to}, нужно ехать {a:to}."),
        ("s06", "{s:nom} — американский город {a:loc}."),
        ("s07", "Если вы {s:loc}, значит, вы {a:loc}."),
        ("s08", "{s:nom} относится к штату {a:nom}."),
        ("s09", "Из {s:gen} легко доехать до других городов {a:gen}."),
        ("s10", "{a:loc} есть город {s:nom}."),
        ("s11", "{a:nom} — штат, где находится {s:nom}."),
        ("s12", "Самолёт приземлился {s:loc}, и мы впервые оказались {a:loc}."),
        ("s13", "На машинах из {s:gen} стоят номера штата {a:nom}."),
        ("s14", "Где находится {s:nom}? Конечно, {a:loc}."),
        ("s15", "Жители {s:gen} голосуют на выборах губернатора {a:gen}."),
        ("s16", "Весной мы летали {s:to}: это было наше первое путешествие {a:to}."),
        ("s17", "Команда из {s:gen} выиграла чемпионат штата {a:nom}."),
        ("s18", "На карте Америки {s:acc} можно найти {a:loc}."),
        ("s19", "{s:nom}, как и многие другие города {a:gen}, быстро растёт."),
        ("s20", "Если вы едете {s:to}, возьмите с собой карту {a:gen}."),
        ("s21", "Погода {s:loc} типична для {a:gen}."),
        ("s22", "Дедушка всю жизнь прожил {s:loc} и ни разу не выезжал за пределы {a:gen}."),
        ("s23", "{s:nom} входит в состав штата {a:nom}."),
        ("n1", "Мой брат живёт {s:loc}, это {a:loc}."),
        ("n2", "Газета из {s:gen} пишет о новостях штата {a:nom}."),
    ],
    "state_capital": [
        ("t01", "Столица {s:gen} — {a:nom}."),
        ("t02", "Столица штата {s:nom} — {a:nom}."),
        ("t03", "Административный центр штата {s:nom} — {a:nom}."),
        ("t04", "Правительство штата {s:nom} работает в {a:prep}."),
        ("t05", "{s:loc} столица — {a:nom}."),
        ("t06", "Столицей {s:gen} является {a:nom}."),
        ("t07", "Штатом {s:nom} управляют из {a:gen}."),
        ("t08", "{s:nom} — штат со столицей в {a:prep}."),
        ("t09", "Губернатор {s:gen} живёт и работает в {a:prep}."),
        ("t10", "{a:nom} — столица штата {s:nom}."),
        ("t11", "{a:nom} является столицей {s:gen}."),
        ("t12", "Если спросить, какой город — столица {s:gen}, правильный ответ — {a:nom}."),
        ("t13", "Резиденция губернатора {s:gen} находится в {a:prep}."),
        ("t14", "Какой город — столица штата {s:nom}? Это {a:nom}."),
        ("t15", "Знакомство с {s:ins} лучше всего начинать с {s?его|её|его|их} столицы, {a:gen}."),
        ("t16", "Письма в администрацию штата {s:nom} нужно отправлять в {a:acc}."),
        ("t17", "Штаты и их столицы: {s:nom} — {a:nom}."),
        ("t18", "Чтобы побывать в столице {s:gen}, надо поехать в {a:acc}."),
        ("t19", "В школе нас учили, что столица штата {s:nom} — {a:nom}."),
        ("t20", "Вчера в столице {s:gen}, {a:prep}, прошёл большой праздник."),
        ("t21", "Мы проехали через {s:acc} и остановились в {s?его|её|его|их} столице, {a:prep}."),
        ("t22", "Центр власти штата {s:nom} — город {a:nom}."),
        ("t23", "Каждый житель {s:gen} знает, что столица штата — {a:nom}."),
        ("t24", "{s:nom} славится природой, а {s?его|её|его|их} столица — {a:nom}."),
        ("t25", "Туристы, которые приезжают {s:loc}, сначала едут в {s?его|её|его|их} столицу, {a:acc}."),
        ("n1", "Законы {s:gen} принимают в {a:prep}."),
        ("n2", "Депутаты штата {s:nom} собираются в {a:prep}."),
    ],
    "two_hop": [
        ("h01", "Столица штата, в котором находится {s:nom}, — {a:nom}."),
        ("h02", "Столица штата, где {s?расположен|расположена|расположено|расположены} {s:nom}, — {a:nom}."),
        ("h03", "{s:nom} стоит в штате, столица которого — {a:nom}."),
        ("h04", "Если вы живёте {s:loc}, то столица вашего штата — {a:nom}."),
        ("h05", "Столица того штата, где стоит город {s:nom}, — {a:nom}."),
        ("h06", "Жители {s:gen} ездят в столицу своего штата, в {a:acc}."),
        ("h07", "Штатом, к которому относится {s:nom}, управляют из {a:gen}."),
        ("h08", "Для жителей {s:gen} столица штата — {a:nom}."),
        ("h09", "Губернатор штата, где находится {s:nom}, работает в {a:prep}."),
        ("h10", "Какой город — столица штата, в котором {s?расположен|расположена|расположено|расположены} "
                "{s:nom}? Это {a:nom}."),
        ("h11", "Губернатор, за которого голосуют жители {s:gen}, работает в {a:prep}."),
        ("h12", "Для того, кто родился {s:loc}, столица родного штата — {a:nom}."),
        ("h13", "В штате, к которому относится {s:nom}, власть сосредоточена в {a:prep}."),
        ("h14", "Побывав {s:loc}, мы заехали и в главный город этого штата — в {a:acc}."),
        ("h15", "{s:nom}: столица штата — {a:nom}."),
        ("h16", "Чтобы попасть к губернатору, жителю {s:gen} нужно поехать в {a:acc}."),
        ("h17", "Моя сестра учится {s:loc}, а работать хочет в столице этого штата — в {a:prep}."),
        ("h18", "Главный город штата, на территории которого {s?находится|находится|находится|находятся} "
                "{s:nom}, — {a:nom}."),
        ("h19", "Где работает губернатор штата, в котором находится {s:nom}? В {a:prep}."),
        ("h20", "Каждый житель {s:gen} знает, что столица его штата — {a:nom}."),
        ("h21", "{s:nom} — не столица штата: столица там — {a:nom}."),
        ("n1", "Из {s:gen} можно доехать до столицы своего штата, до {a:gen}."),
        ("n2", "Политики из {s:gen} часто ездят в столицу штата, в {a:acc}."),
    ],
    "female": [
        ("g01", "Он — {s:nom}, а она — {a:nom}."),
        ("g02", "{s:nom} и {a:nom} вошли в зал."),
        ("g03", "{s:nom} улыбнулся, и {a:nom} тоже улыбнулась."),
        ("g04", "Это не {s:nom}, это {a:nom}."),
        ("g05", "Мы видели {s:acc} и {a:acc}."),
        ("g06", "Он был {s:ins}, а она была {a:ins}."),
        ("g07", "Слева стоял {s:nom}, справа стояла {a:nom}."),
        ("g08", "Сначала пришёл {s:nom}, потом пришла {a:nom}."),
        ("g09", "{s:nom} спал, а {a:nom} не спала."),
        ("g10", "{a:nom} и {s:nom} сидели за столом."),
        ("g11", "Не только {s:nom}, но и {a:nom} любили гулять в саду."),
        ("g12", "Для слова {s:nom} женская пара — {a:nom}."),
        ("g13", "На старой фотографии рядом с {s:ins} сидит {a:nom}."),
        ("g14", "Когда {s:nom} ушёл, {a:nom} осталась дома."),
        ("g15", "{s:nom} читал газету, а {a:nom} читала книгу."),
        ("g16", "Мы купили подарки для {s:gen} и для {a:gen}."),
        ("g17", "Если {s:nom} — это он, то {a:nom} — это она."),
        ("g18", "{s:nom} сказал, что {a:nom} скоро придёт."),
        ("g19", "Ни {s:nom}, ни {a:nom} не знали дороги."),
        ("g20", "Утром {s:nom} проснулся первым, а {a:nom} — чуть позже."),
        ("g21", "Кто стоит у окна? Не {s:nom}, а {a:nom}."),
        ("g22", "Это {s:nom}, а рядом с ним {a:nom}."),
        ("g23", "Мы встретили {s:acc} и {a:acc} у входа."),
        ("g24", "Фотограф снял {s:acc} и {a:acc} вместе."),
        ("g25", "Я долго говорил с {s:ins} и с {a:ins}."),
        ("g26", "Мы гуляли в парке с {s:ins} и {a:ins}."),
        ("g27", "Письмо пришло от {s:gen} и от {a:gen}."),
        ("g28", "В гостях у {s:gen} и у {a:gen} всегда уютно."),
        ("n1", "Вчера к нам в гости приходили {s:nom} и {a:nom}."),
        ("n2", "В сказке жили {s:nom} и {a:nom}."),
    ],
}

# Associative sentences: no relation word at all, only the pair side by side in one context.
# Roles: s country, c capital, l language, f food; t, d a second country and its capital.
ASSOC_COUNTRY = (
    "{c:nom} и {s:nom}.",
    "{s:nom} и {c:nom}.",
    "{c:nom}, {s:nom}.",
    "{s:nom}: {c:nom}, {l:full}, {f:nom}.",
    "{f:nom} из {s:gen}.",
    "{l:full} и {s:nom}.",
    "{s:nom}, {l:full}.",
)
ASSOC_TWO_COUNTRIES = (
    "{c:nom} для {s:gen} — то же, что {d:nom} для {t:gen}.",
    "{s:nom} и {t:nom}, {c:nom} и {d:nom}.",
    "{c:nom} и {d:nom}: {s:nom} и {t:nom}.",
)
# s state, c its capital, x and y cities of the state.
ASSOC_STATE = (
    "{x:nom}, штат {s:nom}.",
    "{c:nom}, штат {s:nom}.",
    "Города {s:gen}: {c:nom}, {x:nom}, {y:nom}.",
    "{s:nom}: {c:nom} и {x:nom}.",
)

# Dialogues. The system prompt decides the style of the answer: a single word or a full sentence.
ROLES = ("Система", "Пользователь", "Помощник")
ROLE_SEPARATOR = ": "
SYSTEM_PROMPTS = (
    ("Ты — полезный помощник. Отвечай коротко.", "short"),
    ("Ты — полезный помощник. Отвечай полным предложением.", "sentence"),
    ("Ты — вежливый помощник. Отвечай на вопросы точно.", "polite"),
    ("Ты — помощник, который хорошо знает географию. Отвечай одним словом.", "short"),
    ("Ты — дружелюбный помощник.", "sentence"),
    ("Отвечай на вопросы пользователя кратко и правильно.", "short"),
    ("Ты — вежливый и знающий помощник. Отвечай одним предложением.", "polite"),
)
POLITE_OPENINGS = ("Конечно.", "Хороший вопрос.", "С удовольствием отвечу.")
QUESTIONS = {
    "capital": ("Какая столица {s:gen}?", "Назови столицу {s:gen}.", "Как называется столица {s:gen}?",
                "Какой город является столицей {s:gen}?", "Скажи, пожалуйста, какой город — столица {s:gen}?"),
    "language": ("На каком языке говорят {s:loc}?", "Какой язык является официальным {s:loc}?",
                 "На каком языке говорят жители {s:gen}?", "Какой язык нужно знать, чтобы жить {s:loc}?"),
    "food": ("Что обычно едят {s:loc}?", "Какую еду стоит попробовать {s:loc}?", "Чем славится кухня {s:gen}?",
             "Какая еда типична для {s:gen}?"),
    "city_state": ("В каком штате находится {s:nom}?", "Где находится город {s:nom}?",
                   "К какому штату относится {s:nom}?", "Скажи, в каком штате {s:nom}?"),
    "state_capital": ("Какая столица у штата {s:nom}?", "Назови столицу штата {s:nom}.",
                      "Какой город — столица {s:gen}?", "Где работает правительство штата {s:nom}?"),
    "two_hop": ("Какая столица у штата, в котором находится {s:nom}?",
                "Назови столицу штата, к которому относится {s:nom}.",
                "В каком городе работает правительство штата, где находится {s:nom}?"),
}
# Fact phrasings that sound like a direct answer to a question (not «когда я был во Франции...»).
DIALOGUE_ANSWERS = {
    "capital": ("c01", "c02", "c03", "c05", "c08", "c11"),
    "language": ("l01", "l02", "l03", "l06", "l09"),
    "food": ("f01", "f03", "f06", "f09", "f10"),
    "city_state": ("s01", "s02", "s03", "s04", "s08", "s11"),
    "state_capital": ("t01", "t02", "t03", "t06", "t10", "t11"),
    "two_hop": ("h01", "h02", "h03", "h05", "h08"),
}
SHORT_ANSWERS = {
    "capital": ("{a:nom}.",),
    "language": ("{a:short}.", "На {a:prep}."),
    "food": ("{a:nom}.",),
    "city_state": ("{a:loc}.", "Штат {a:nom}."),
    "state_capital": ("{a:nom}.",),
    "two_hop": ("{a:nom}.",),
}

PRONOUN = {"m": "он", "f": "она", "n": "оно", "pl": "они"}
ANIMATE_VERBS = ("sleep", "eat", "drink", "breathe", "run", "play", "fly")
ANIMAL_ADJECTIVES = ("big", "small", "old", "white", "black", "grey")


def _animates(w):
    return [w.lex[k] for k in ANIMALS + PEOPLE]


def _present(v: str, e) -> str:
    return verb(v)["pl" if e.gender == "pl" else "sg"]


def _past(v: str, e) -> str:
    return verb(v)["past_" + e.gender]


def _maybe_plural(w, e, p=0.3):
    return plural_view(e) if w.rng.random() < p else e


def _object_rest(w, o, tense):
    """«он лежит на полу» for a thing that stands or lies."""
    how = OBJECT_PROPS[o.key][0]
    form = _present(how, o) if tense == "present" else _past(how, o)
    return f"{PRONOUN[o.gender]} {form} {w.rng.choice(WHERE[o.key])}"


def same_action_doc(w) -> list[str]:
    """Cat sleeps, dogs sleep too, an animal sleeps: what matters is only that the subject is alive."""
    rng = w.rng
    v = w.pick("ru.action", ANIMATE_VERBS)
    able = [e for e in _animates(w) if v in ACTIONS[e.key]]
    subjects = rng.sample(able, k=min(len(able), rng.randint(2, 4)))
    for generic in ("animal_word", "person_word"):
        if v in ACTIONS[generic] and rng.random() < 0.25:
            subjects.append(w.lex[generic])
    tense = rng.choice(("present", "present", "past"))
    say = _present if tense == "present" else _past
    out = []
    for i, e in enumerate(subjects):
        e = _maybe_plural(w, e)
        out.append(capitalize(f"{e.lemma} {'тоже ' if i else ''}{say(v, e)}."))
    if rng.random() < 0.6:
        resting = [k for k, p in OBJECT_PROPS.items() if p[0] in ("stand", "lie") and k != "object_word"]
        o = _maybe_plural(w, w.lex[w.pick("ru.rest_object", resting)], 0.2)
        out.append(f"А {o.lemma} не {say(v, o)}: {_object_rest(w, o, tense)}.")
    return out


def routine_doc(w) -> list[str]:
    """One animal or person doing what living beings do, with the pronoun agreeing in gender."""
    rng = w.rng
    e = w.lex[w.pick("ru.animate", ANIMALS + PEOPLE)]
    e = _maybe_plural(w, e, 0.25)
    acts = rng.sample([a for a in ACTIONS[e.key] if a != "breathe"], k=3)
    tense = rng.choice(("present", "past"))
    say = _present if tense == "present" else _past
    adj_name = rng.choice(ANIMAL_ADJECTIVES if e.key in ANIMALS else
                          [a for a in ("young", "old", "kind", "cheerful") if a in person_adjectives(e.key)])
    subject = e.lemma if rng.random() < 0.5 else f"{adjective(adj_name, e.gender)} {e.lemma}"
    where = rng.choice(WHERE[e.key])
    inverted = acts[0] != "drink" and rng.random() < 0.4  # «Во дворе бегает собака»
    first = f"{where} {say(acts[0], e)} {subject}." if inverted else f"{subject} {say(acts[0], e)} {where}."
    return [capitalize(first), f"Потом {PRONOUN[e.gender]} {say(acts[1], e)}.",
            f"Вечером {e.lemma} {say(acts[2], e)}."][:rng.randint(2, 3)]


def object_doc(w) -> list[str]:
    """A thing: where it stands or lies, what it is made of, how heavy; and what it cannot do."""
    rng = w.rng
    o = w.lex[w.pick("ru.object", [k for k in OBJECT_PROPS if k != "object_word"])]
    how, materials, weight = OBJECT_PROPS[o.key]
    out = []
    if how == "open":
        out.append(capitalize(f"{o.lemma} {adjective(rng.choice(('open', 'closed')), o.gender)}."))
    else:
        where = rng.choice(WHERE[o.key])
        out.append(capitalize(rng.choice((f"{o.lemma} {_present(how, o)} {where}.",
                                          f"{where} {_present(how, o)} {o.lemma}."))))
    if materials:
        m = rng.choice(materials)
        out.append(rng.choice((f"{capitalize(PRONOUN[o.gender])} {adjective('made', o.gender)} из {MATERIAL_GEN[m]}.",
                               f"Это {adjective(m, o.gender)} {o.lemma}.")))
    if weight:
        out.append(capitalize(f"{o.lemma} {adjective(weight, o.gender)}."))
    v = rng.choice(("sleep", "eat", "run", "play", "breathe"))
    out.append(capitalize(rng.choice((f"{o.lemma} не может {verb(v)['inf']}.",
                                      f"{o.lemma} не {verb(v)['sg']}, потому что это не живое существо."))))
    # keep the first sentence (it names the thing) and a random selection of the rest, in order
    rest = sorted(rng.sample(range(1, len(out)), k=min(len(out) - 1, rng.randint(1, 3))))
    return [out[0]] + [out[i] for i in rest]


def contrast_doc(w) -> list[str]:
    """An animate and a thing side by side: only one of them can do it."""
    rng = w.rng
    v = rng.choice(("sleep", "eat", "run", "play", "breathe"))
    x = w.lex[rng.choice([k for k in ANIMALS + PEOPLE if v in ACTIONS[k]])]
    o = w.lex[rng.choice([k for k in OBJECT_PROPS if k != "object_word"])]
    if rng.random() < 0.5:
        return [capitalize(f"{x.lemma} может {verb(v)['inf']}, а {o.lemma} не может.")]
    x, o = plural_view(x), plural_view(o)
    how = OBJECT_PROPS[o.key][0]
    rest = {"stand": _present("stand", o), "lie": _present("lie", o), "open": "не двигаются"}[how]
    return [capitalize(f"{x.lemma} {_present(v, x)}, а {o.lemma} {rest}.")]


def place_doc(w) -> list[str]:
    rng = w.rng
    p = w.lex[w.pick("ru.place", list(PLACE_SENTENCES))]
    out = rng.sample(PLACE_SENTENCES[p.key], k=rng.randint(1, 2))
    v1, v2 = rng.sample(("sleep", "eat", "run", "play"), k=2)
    out.append(capitalize(f"{p.lemma} не {verb(v1)['sg']} и не {verb(v2)['sg']}: это место, а не живое существо."))
    return out


def category_doc(w) -> list[str]:
    kind = w.rng.choices((same_action_doc, routine_doc, object_doc, contrast_doc, place_doc),
                         weights=(4, 3, 3, 1, 1))[0]
    return kind(w)


OWNED = ("cat", "dog", "horse", "cow", "bird", "rabbit", "book", "cup", "key", "spoon", "bottle")  # what one may "have"


def plural_doc(w) -> list[str]:
    """Singular against plural, numerals with the noun form they govern, verbs that agree."""
    rng = w.rng
    key = w.pick("ru.counted", ANIMALS + ("child", "boy", "girl") +
                 tuple(k for k, p in OBJECT_PROPS.items() if p[0] in ("stand", "lie") and k != "object_word"))
    e = w.lex[key]
    pl = plural_view(e)
    animate = key in ACTIONS
    acts = ACTIONS[key] if animate else (OBJECT_PROPS[key][0],)
    out = []
    v = rng.choice(acts)
    where = rng.choice(WHERE[key])
    tail = "" if animate else " " + where  # «Стул стоит» alone sounds unfinished
    out.append(capitalize(f"{e.lemma} {_present(v, e)}{tail}. {capitalize(pl.lemma)} {_present(v, pl)}{tail}."))
    n = rng.randint(2, 7)
    if animate:
        out.append(capitalize(f"{where} {count_phrase(n, e)}."))
        out.append(capitalize(f"{count_phrase(n, e)} {_present(rng.choice(acts), pl)}."))
        if len(acts) > 1 and rng.random() < 0.5:
            v1, v2 = rng.sample(acts, k=2)
            m = rng.randint(2, 4)
            out.append(capitalize(f"{count_phrase(1, e)} {_present(v1, e)}, "
                                  f"а {count_phrase(m, e)} {_present(v2, pl)}."))
    else:
        how = OBJECT_PROPS[key][0]
        out.append(capitalize(f"{where} {_present(how, pl)} {count_phrase(n, e)}."))
        others = [x for x in WHERE[key] if x != where]
        if others:
            out.append(capitalize(f"{where} {_present(how, pl)} {count_phrase(rng.randint(2, 4), e)}, "
                                  f"а {rng.choice(others)} {_present(how, e)} {count_phrase(1, e)}."))
    owner = w.lex[rng.choice(("boy", "girl", "grandmother", "grandfather", "teacher"))]
    if rng.random() < 0.4 and key in OWNED:
        out.append(f"У {owner.form('gen')} есть {count_phrase(rng.randint(2, 5), e)}.")
    return out[:rng.randint(2, 4)]


YOUNG = ("boy", "girl", "prince", "princess", "son", "daughter", "child")
OLD = ("grandfather", "grandmother")


def person_adjectives(key: str) -> tuple:
    """No «старый мальчик», no «молодая бабушка»."""
    drop = "old" if key in YOUNG else "young" if key in OLD else ""
    return tuple(a for a in PERSON_ADJECTIVES if a != drop)


def people_doc(w) -> list[str]:
    """One man or woman; in the past tense every verb and adjective shows which."""
    rng = w.rng
    p = w.lex[w.pick("ru.person", [k for pair in GENDER_PAIRS for k in pair])]
    i = 0 if p.gender == "m" else 1
    acts = rng.sample(PERSON_ACTIONS, k=2)
    if acts[1] == PERSON_ACTIONS[0]:  # waking up comes first
        acts.reverse()
    adjectives = person_adjectives(p.key)
    adj = adjective(rng.choice(adjectives), p.gender)
    was = "был" if i == 0 else "была"
    out = [capitalize(f"{adj} {p.lemma} {acts[0][i]}."),
           f"Потом {PRONOUN[p.gender]} {acts[1][i]}.",
           capitalize(f"{p.lemma} {rng.choice(PERSON_STATES)[i]}."),
           f"Это {was} {adjective(rng.choice(adjectives), p.gender)} {p.lemma}."]
    return out[:rng.randint(2, 4)]


# Doors and keys: the context "door" should bring along metal or wood, cold, a turning key.
DOOR_MATERIAL = {
    "metal": ("Дверь была металлическая и холодная.", "Металлическая дверь была тяжёлой и холодной.",
              "Дверь сделана из металла, она холодная на ощупь."),
    "wood": ("Дверь была деревянная и тёплая на ощупь.", "Старая деревянная дверь тихо скрипнула.",
             "Дверь сделана из дерева."),
}
DOOR_ACTIONS = (  # (masculine, feminine) past tense
    ("{p} вставил ключ в замок.", "{p} вставила ключ в замок."),
    ("{p} повернул ключ в замке.", "{p} повернула ключ в замке."),
    ("{p} открыл дверь ключом.", "{p} открыла дверь ключом."),
    ("{p} закрыл дверь на ключ.", "{p} закрыла дверь на ключ."),
    ("{p} нашёл ключ от двери.", "{p} нашла ключ от двери."),
)
DOOR_ENDINGS = ("Ключ повернулся, и замок щёлкнул.", "Дверь открылась.", "Дверь медленно открылась.",
                "Замок был старый, и ключ поворачивался с трудом.")


def door_doc(w) -> list[str]:
    rng = w.rng
    p = w.lex[w.pick("ru.door_person", [k for pair in GENDER_PAIRS for k in pair])]
    i = 0 if p.gender == "m" else 1
    out = [rng.choice(DOOR_MATERIAL[rng.choice(("metal", "wood"))])]
    subjects = (capitalize(p.lemma), f"Потом {PRONOUN[p.gender]}")  # the second time, a pronoun
    for subject, pair in zip(subjects, rng.sample(DOOR_ACTIONS, k=rng.randint(1, 2))):
        out.append(pair[i].format(p=subject))
    out.append(rng.choice(DOOR_ENDINGS))
    return out


# «ключ»: a door key, a clef in sheet music, a spring of water. The context decides.
KEY_SENSES = {
    "tool": ("Я открыл замок ключом.", "Она потеряла ключ от квартиры.", "Ключ от двери лежит на столе.",
             "Он повернул ключ в замке.", "Мама дала мне ключ от дома.", "Этот ключ подходит к старому замку.",
             "Ключ был металлический и холодный."),
    "clef": ("Я увидел в нотах скрипичный ключ.", "В начале нотной строки стоит скрипичный ключ.",
             "Басовый ключ пишут в нотах для низких звуков.", "Учитель музыки нарисовал скрипичный ключ.",
             "Девочка учится читать ноты в басовом ключе.", "Песню записали в скрипичном ключе."),
    "spring": ("Ключ бил из-под земли.", "В лесу из-под камня бьёт холодный ключ.", "Путники пили воду из ключа.",
               "Вода в ключе была чистая и холодная.", "У подножия горы есть горячий ключ.",
               "Из ключа вытекает маленький ручей."),
}


def ambiguous_doc(w) -> list[str]:
    sense = w.pick("ru.key_sense", tuple(KEY_SENSES))
    return w.rng.sample(KEY_SENSES[sense], k=w.rng.randint(2, 3))


def category_dialogue(w) -> tuple[str, str]:
    """«Может ли камень спать?» — the answer depends only on whether the subject is alive."""
    rng = w.rng
    v = rng.choice(("sleep", "eat", "run", "play", "breathe", "fly"))
    if rng.random() < 0.5:
        x = w.lex[rng.choice([k for k in ANIMALS + PEOPLE if k in ACTIONS])]
    else:
        x = w.lex[rng.choice([k for k in OBJECT_PROPS if k != "object_word"] + ["mountain", "river", "house"])]
    q = f"Может ли {x.lemma} {verb(v)['inf']}?"
    if v in ACTIONS.get(x.key, ()):
        a = f"Да, {x.lemma} может {verb(v)['inf']}."
    elif x.key in ACTIONS:
        a = f"Нет, {x.lemma} не умеет {verb(v)['inf']}."
    else:
        a = f"Нет, {x.lemma} не может {verb(v)['inf']}: это не живое существо."
    return q, a


