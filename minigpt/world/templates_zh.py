"""Chinese sentence patterns: facts (one list per relation), dialogue parts, and the prose generators.

Same template syntax as the Russian file; Chinese words do not inflect, so every slot is just {s} or
{a}. Punctuation is full-width (，。？：、！) and there are no spaces. Template ids are
"zh.<relation>.<id>"; ids starting with "n" are novel frames, kept out of the training text.
"""

from .facts import ACTIONS, ANIMALS, GENDER_PAIRS, OBJECT_PROPS, PEOPLE
from .lexicon_zh import (ADJECTIVES, MATERIALS, NUMERALS, PERSON_ACTIONS, PERSON_ADJECTIVES,
                         PERSON_STATES, PLACE_SENTENCES, VERBS, WHERE)

SENTENCE_JOINER = ""

RELATION_TEMPLATES = {
    "capital": [
        ("c01", "{s}的首都是{a}。"),
        ("c02", "{a}是{s}的首都。"),
        ("c03", "{s}的首都叫{a}。"),
        ("c04", "{s}政府设在{a}。"),
        ("c05", "如果去{s}，可以看看它的首都{a}。"),
        ("c06", "在{s}，首都是{a}。"),
        ("c07", "{s}是一个国家，首都在{a}。"),
        ("c08", "去{s}旅游的人常常先到{a}。"),
        ("c09", "说到{s}的首都，就是{a}。"),
        ("c10", "{s}的政治中心是首都{a}。"),
        ("c11", "{a}，{s}的首都。"),
        ("c12", "{s}的首都在哪里？在{a}。"),
        ("c13", "你知道{s}的首都吗？是{a}。"),
        ("c14", "我们的地理老师说过，{s}的首都就是{a}。"),
        ("c15", "据新闻报道，{s}领导人今天回到了首都{a}。"),
        ("c16", "{s}的首都不是别的城市，正是{a}。"),
        ("c17", "在{s}的地图上，首都{a}用一颗红星标着。"),
        ("c18", "我爸爸年轻时在{s}工作过，那时他常去首都{a}。"),
        ("c19", "课本上说，{s}的首都设在{a}。"),
        ("c20", "每年夏天，很多游客去{s}，他们大多会去首都{a}看看。"),
        ("c21", "有人问我{s}的首都在哪儿，我告诉他是{a}。"),
        ("c22", "{s}有很多美丽的城市，它的首都是{a}。"),
        ("c23", "要了解{s}，可以从它的首都{a}开始。"),
        ("n1", "我的朋友住在{s}的首都{a}。"),
        ("n2", "提起{s}的首都，人们会想到{a}。"),
    ],
    "language": [
        ("l01", "{s}人说{a}。"),
        ("l02", "{s}的官方语言是{a}。"),
        ("l03", "在{s}，人们说{a}。"),
        ("l04", "{s}的学校用{a}上课。"),
        ("l05", "如果想在{s}生活，最好学会{a}。"),
        ("l06", "{s}的报纸是用{a}写的。"),
        ("l07", "{s}的主要语言是{a}。"),
        ("l08", "在{s}，大家都讲{a}。"),
        ("l09", "{s}使用的语言是{a}。"),
        ("l10", "{a}是{s}的官方语言。"),
        ("l11", "说{a}的国家有{s}。"),
        ("l12", "{s}人平时讲{a}。"),
        ("l13", "在{s}的街上，到处都能听到{a}。"),
        ("l14", "{s}的电视节目大多用{a}播出。"),
        ("l15", "你知道{s}人讲什么语言吗？他们讲{a}。"),
        ("l16", "我表姐在{s}留学，每天都要用{a}上课。"),
        ("l17", "{s}的孩子从小就学{a}。"),
        ("l18", "在{s}点菜的时候，服务员会用{a}跟你说话。"),
        ("l19", "{s}出版的图书大多用{a}写成。"),
        ("l20", "想和{s}人交朋友，就得懂{a}。"),
        ("l21", "{s}的新闻广播用的是{a}。"),
        ("l22", "{s}通用哪种语言？答案是{a}。"),
        ("l23", "{s}的路牌上写的都是{a}。"),
        ("n1", "我的朋友搬到了{s}，开始学习{a}。"),
        ("n2", "去{s}旅行的话，会说{a}很有用。"),
    ],
    "food": [
        ("f01", "{s}以{a}闻名。"),
        ("f02", "在{s}，人们很喜欢吃{a}。"),
        ("f03", "{s}的特色美食是{a}。"),
        ("f04", "如果你去{s}，一定要尝尝{a}。"),
        ("f05", "我在{s}的时候，每天都吃{a}。"),
        ("f06", "{s}最有名的食物是{a}。"),
        ("f07", "{s}的餐馆里常常有{a}。"),
        ("f08", "{s}人经常吃{a}。"),
        ("f09", "说到{s}的美食，大家都会想到{a}。"),
        ("f10", "我姐姐去{s}的时候，天天吃{a}。"),
        ("f11", "{a}是{s}的特色美食。"),
        ("f12", "{s}人的餐桌上常常有{a}。"),
        ("f13", "在{s}的街头，随处都能看到卖{a}的小店。"),
        ("f14", "{s}人家里总少不了{a}。"),
        ("f15", "来到{s}，不尝尝{a}就太可惜了。"),
        ("f16", "美食节目介绍{s}的时候，总会提到{a}。"),
        ("f17", "{s}有什么好吃的？当然是{a}。"),
        ("f18", "在{s}，几乎每家饭馆都卖{a}。"),
        ("f19", "比起别的食物，{s}人更爱吃{a}。"),
        ("f20", "我们班同学去{s}交流了一个月，回来后最想念的就是{a}。"),
        ("f21", "{s}有很多好吃的，最出名的是{a}。"),
        ("f22", "你去过{s}吗？那里最好吃的是{a}。"),
        ("f23", "一提到{s}菜，我就想起{a}。"),
        ("n1", "导游告诉我们，{s}的代表性食物是{a}。"),
        ("n2", "去{s}旅行的时候，我第一次吃到了{a}。"),
    ],
    "city_state": [
        ("s01", "{s}是{a}的一座城市。"),
        ("s02", "{s}位于{a}。"),
        ("s03", "{s}这座城市在{a}。"),
        ("s04", "{s}属于{a}。"),
        ("s05", "想去{s}的话，得先到{a}。"),
        ("s06", "{s}这座城市位于{a}。"),
        ("s07", "如果你在{s}，那你就在{a}。"),
        ("s08", "{s}的居民住在{a}。"),
        ("s09", "从地图上看，{s}在{a}境内。"),
        ("s10", "{a}有一座城市叫{s}。"),
        ("s11", "{s}在哪个州？在{a}。"),
        ("s12", "我们全家去{s}玩过，那座城市在{a}。"),
        ("s13", "旅行指南上写着：{s}，位于{a}。"),
        ("s14", "地理课上，老师告诉我们{s}在{a}。"),
        ("s15", "{s}所在的州是{a}。"),
        ("s16", "我叔叔在{s}工作，也就是说，他在{a}工作。"),
        ("s17", "飞机降落在{s}的时候，广播里说：欢迎来到{a}！"),
        ("s18", "{s}并不在别的州，它就在{a}。"),
        ("s19", "寄往{s}的信，地址里要写上{a}。"),
        ("s20", "{s}隶属于{a}。"),
        ("s21", "很多人以为{s}在别的州，其实它在{a}。"),
        ("s22", "作为美国的一座城市，{s}坐落在{a}。"),
        ("n1", "我哥哥住在{s}，那是在{a}。"),
        ("n2", "{s}的报纸常常报道{a}的新闻。"),
    ],
    "state_capital": [
        ("t01", "{s}的首府是{a}。"),
        ("t02", "{a}是{s}的首府。"),
        ("t03", "{s}的州政府设在{a}。"),
        ("t04", "在{s}，首府是{a}。"),
        ("t05", "{s}的州长在{a}办公。"),
        ("t06", "{s}的首府叫{a}。"),
        ("t07", "{s}的议会设在{a}。"),
        ("t08", "说到{s}的首府，就是{a}。"),
        ("t09", "{s}的首府城市是{a}。"),
        ("t10", "{a}，{s}的首府。"),
        ("t11", "{s}的首府在哪儿？在{a}。"),
        ("t12", "你知道{s}的首府吗？是{a}。"),
        ("t13", "我们的历史老师讲过，{s}的首府就是{a}。"),
        ("t14", "{s}的各个政府部门大多集中在{a}。"),
        ("t15", "{s}的首府不是别的城市，正是{a}。"),
        ("t16", "新闻里说，{s}州长今天回到了首府{a}。"),
        ("t17", "暑假我们去了{s}，还参观了首府{a}。"),
        ("t18", "翻开{s}的地图，首府{a}用一颗星标着。"),
        ("t19", "{s}有很多城市，首府是{a}。"),
        ("t20", "哪座城市是{s}的首府？是{a}。"),
        ("t21", "要去{s}的州政府办事，就得去{a}。"),
        ("t22", "作为{s}的首府，{a}是一座重要的城市。"),
        ("n1", "{s}的法律是在{a}制定的。"),
        ("n2", "提起{s}的首府，人们会想到{a}。"),
    ],
    "two_hop": [
        ("h01", "{s}所在州的首府是{a}。"),
        ("h02", "{s}所在的州，首府是{a}。"),
        ("h03", "{s}坐落在一个州，那个州的首府是{a}。"),
        ("h04", "如果你住在{s}，那么你所在州的首府是{a}。"),
        ("h05", "{s}的居民要去本州的首府{a}办事。"),
        ("h06", "对{s}的人来说，州的首府是{a}。"),
        ("h07", "管辖{s}的州，首府设在{a}。"),
        ("h08", "{s}所在州的州长在{a}办公。"),
        ("h09", "{s}那个州的首府是{a}。"),
        ("h10", "{s}所在州的首府叫{a}。"),
        ("h11", "你知道{s}所在州的首府吗？是{a}。"),
        ("h12", "{s}所属的州，州政府设在{a}。"),
        ("h13", "学校组织我们参观{s}所在州的首府，也就是{a}。"),
        ("h14", "{s}的市民如果要到州政府办事，得去{a}。"),
        ("h15", "{s}那个州的首府在哪儿？在{a}。"),
        ("h16", "要说{s}所在州的首府，那就是{a}。"),
        ("h17", "我表姐在{s}上班，她所在州的首府是{a}。"),
        ("h18", "地理考试有一道题，问{s}所在州的首府在哪里，答案是{a}。"),
        ("h19", "{s}这座城市所在的州，首府叫{a}。"),
        ("h20", "假如你在{s}生活，你们州的首府就是{a}。"),
        ("h21", "去过{s}的人不一定知道，它所在州的首府是{a}。"),
        ("n1", "从{s}出发，可以开车去本州的首府{a}。"),
        ("n2", "{s}的议员常常去本州首府{a}开会。"),
    ],
    "female": [
        ("g01", "他是{s}，她是{a}。"),
        ("g02", "{s}和{a}一起走进了大厅。"),
        ("g03", "{s}笑了，{a}也笑了。"),
        ("g04", "这不是{s}，这是{a}。"),
        ("g05", "我们见到了{s}，也见到了{a}。"),
        ("g06", "左边是{s}，右边是{a}。"),
        ("g07", "{s}先来了，然后{a}也来了。"),
        ("g08", "{s}睡着了，{a}还醒着。"),
        ("g09", "{s}站在这边，{a}站在那边。"),
        ("g10", "{a}和{s}坐在桌旁。"),
        ("g11", "{s}在看书，{a}在写信。"),
        ("g12", "门开了，先进来的是{s}，后进来的是{a}。"),
        ("g13", "照片上，{s}站在前面，{a}站在后面。"),
        ("g14", "{s}说了一句话，{a}点了点头。"),
        ("g15", "不仅{s}喜欢这首歌，{a}也喜欢。"),
        ("g16", "谁在唱歌？{s}在唱歌，{a}也在唱歌。"),
        ("g17", "是{s}先开的门，还是{a}先开的门？"),
        ("g18", "{s}点了一杯咖啡，{a}点了一杯茶。"),
        ("g19", "屋里坐着{s}，旁边是{a}。"),
        ("g20", "{s}向{a}问好。"),
        ("g21", "{s}比{a}早到了十分钟。"),
        ("g22", "晚饭后，{s}去散步了，{a}留下来聊天。"),
        ("n1", "昨天{s}和{a}都来我们家做客了。"),
        ("n2", "故事里有一{s:mw}{s}和一{a:mw}{a}。"),
    ],
}

ASSOC_COUNTRY = ("{c}和{s}。", "{s}和{c}。", "{c}，{s}。", "{s}：{c}，{l}，{f}。", "{f}，来自{s}。", "{l}和{s}。",
                 "{s}，{l}。")
ASSOC_TWO_COUNTRIES = ("{c}之于{s}，就像{d}之于{t}。", "{s}和{t}，{c}和{d}。", "{c}和{d}：{s}和{t}。")
ASSOC_STATE = ("{x}，{s}。", "{c}，{s}。", "{s}的城市：{c}、{x}、{y}。", "{s}：{c}和{x}。")

ROLES = ("系统", "用户", "助手")
ROLE_SEPARATOR = "："
SYSTEM_PROMPTS = (
    ("你是一个乐于助人的助手。请简短回答。", "short"),
    ("你是一个乐于助人的助手。请用完整的句子回答。", "sentence"),
    ("你是一个有礼貌的助手。请准确回答问题。", "polite"),
    ("你是一个很懂地理的助手。请只用一个词回答。", "short"),
    ("你是一个友好的助手。", "sentence"),
    ("请简短而准确地回答用户的问题。", "short"),
    ("你是一个有礼貌、知识丰富的助手。请用一句话回答。", "polite"),
)
POLITE_OPENINGS = ("好的。", "这个问题很好。", "很高兴为你解答。")
QUESTIONS = {
    "capital": ("{s}的首都是哪里？", "{s}的首都是哪座城市？", "请告诉我{s}的首都。", "哪座城市是{s}的首都？",
                "{s}的首都叫什么？"),
    "language": ("{s}人说什么语言？", "{s}的官方语言是什么？", "在{s}，人们说什么语言？", "去{s}需要会什么语言？"),
    "food": ("{s}有什么特色美食？", "在{s}应该尝尝什么？", "{s}人经常吃什么？", "{s}以什么食物闻名？"),
    "city_state": ("{s}在哪个州？", "{s}属于哪个州？", "{s}这座城市位于哪个州？"),
    "state_capital": ("{s}的首府是哪里？", "{s}的首府是哪座城市？", "请告诉我{s}的首府。"),
    "two_hop": ("{s}所在州的首府是哪里？", "{s}所在的州，首府是哪座城市？", "请告诉我{s}所在州的首府。"),
}
# Fact phrasings that sound like a direct answer to a question (not 我姐姐去法国的时候...).
DIALOGUE_ANSWERS = {
    "capital": ("c01", "c02", "c03", "c06", "c09"),
    "language": ("l01", "l02", "l03", "l07", "l09", "l10"),
    "food": ("f01", "f03", "f06", "f11"),
    "city_state": ("s01", "s02", "s03", "s04", "s06"),
    "state_capital": ("t01", "t02", "t03", "t06", "t08"),
    "two_hop": ("h01", "h02", "h03", "h06"),
}
SHORT_ANSWERS = {
    "capital": ("{a}。",), "language": ("{a}。",), "food": ("{a}。",), "city_state": ("{a}。", "在{a}。"),
    "state_capital": ("{a}。",), "two_hop": ("{a}。",),
}

# Completed actions for "然后它喝了水" style sentences.
PERFECTIVE = {"sleep": "睡了一觉", "eat": "吃了东西", "drink": "喝了水", "run": "跑了一会儿", "play": "玩了一会儿",
              "fly": "飞走了"}
ANIMATE_VERBS = ("sleep", "eat", "drink", "breathe", "run", "play", "fly")
NO_ADJECTIVE = ("elephant", "animal_word")  # 大象 with 大 or 小 in front reads oddly


def _animates(w):
    return [w.lex[k] for k in ANIMALS + PEOPLE]


def _plural_word(e):
    """孩子们 for people that take 们; animals and things stay as they are."""
    return e.forms.get("pl", e.lemma)


def _count(n: int, e) -> str:
    return f"{NUMERALS[n]}{e.mw}{e.lemma}"


def same_action_doc(w) -> list[str]:
    """猫在睡觉，狗也在睡觉，动物也在睡觉: only being alive matters."""
    rng = w.rng
    v = w.pick("zh.action", ANIMATE_VERBS)
    able = [e for e in _animates(w) if v in ACTIONS[e.key]]
    subjects = rng.sample(able, k=min(len(able), rng.randint(2, 4)))
    for generic in ("animal_word", "person_word"):
        if v in ACTIONS[generic] and rng.random() < 0.25:
            subjects.append(w.lex[generic])
    ongoing, bare = VERBS[v]
    habitual = rng.random() < 0.35
    out = []
    for i, e in enumerate(subjects):
        word = _plural_word(e) if rng.random() < 0.3 else e.lemma
        also = "也" if i else ""
        out.append(f"{word}{also}会{bare}。" if habitual else f"{word}{also}{ongoing}。")
    if rng.random() < 0.6:
        o = w.lex[w.pick("zh.rest_object", [k for k, p in OBJECT_PROPS.items()
                                            if p[0] in ("stand", "lie") and k != "object_word"])]
        out.append(f"但是{o.lemma}不会{bare}，它一直在{rng.choice(WHERE[o.key])}。")
    return out


def routine_doc(w) -> list[str]:
    rng = w.rng
    e = w.lex[w.pick("zh.animate", ANIMALS + PEOPLE)]
    acts = rng.sample([a for a in ACTIONS[e.key] if a != "breathe"], k=3)
    if e.key in ANIMALS and e.key not in NO_ADJECTIVE and rng.random() < 0.5:
        subject = f"一{e.mw}{ADJECTIVES[rng.choice(tuple(ADJECTIVES))]}{e.lemma}"
    elif e.key in PEOPLE and rng.random() < 0.5:
        adjectives = [PERSON_ADJECTIVES[a] for a in ("young", "cheerful", "old") if a in person_adjectives(e.key)]
        subject = f"一{e.mw}{rng.choice(adjectives)}{e.lemma}"
    else:
        subject = e.lemma
    pronoun = e.forms["pronoun"]
    return [f"{subject}在{rng.choice(WHERE[e.key])}{VERBS[acts[0]][1]}。", f"然后{pronoun}{PERFECTIVE[acts[1]]}。",
            f"晚上，{e.lemma}{VERBS[acts[2]][0]}。"][:rng.randint(2, 3)]


def object_doc(w) -> list[str]:
    rng = w.rng
    o = w.lex[w.pick("zh.object", [k for k in OBJECT_PROPS if k != "object_word"])]
    how, materials, weight = OBJECT_PROPS[o.key]
    if how == "open":
        out = [f"{o.lemma}{rng.choice(('开着', '关着'))}。"]
    else:
        where = rng.choice(WHERE[o.key])
        out = [rng.choice((f"{o.lemma}在{where}。", f"{where}有一{o.mw}{o.lemma}。"))]
    if materials:
        out.append(f"这{o.mw}{o.lemma}是{MATERIALS[rng.choice(materials)]}做的。")
    if weight:
        out.append(f"{o.lemma}很{'重' if weight == 'heavy' else '轻'}。")
    bare = VERBS[rng.choice(("sleep", "eat", "run", "play", "breathe"))][1]
    out.append(rng.choice((f"{o.lemma}不会{bare}。", f"{o.lemma}不会{bare}，因为它不是生物。")))
    rest = sorted(rng.sample(range(1, len(out)), k=min(len(out) - 1, rng.randint(1, 3))))
    return [out[0]] + [out[i] for i in rest]


def contrast_doc(w) -> list[str]:
    rng = w.rng
    v = rng.choice(("sleep", "eat", "run", "play", "breathe"))
    x = w.lex[rng.choice([k for k in ANIMALS + PEOPLE if v in ACTIONS[k]])]
    o = w.lex[rng.choice([k for k in OBJECT_PROPS if k != "object_word"])]
    return [f"{x.lemma}会{VERBS[v][1]}，{o.lemma}不会。"]


def place_doc(w) -> list[str]:
    rng = w.rng
    p = w.lex[w.pick("zh.place", list(PLACE_SENTENCES))]
    out = rng.sample(PLACE_SENTENCES[p.key], k=rng.randint(1, 2))
    v1, v2 = rng.sample(("sleep", "eat", "run", "play"), k=2)
    out.append(f"{p.lemma}不会{VERBS[v1][1]}，也不会{VERBS[v2][1]}，因为它是一个地方，不是生物。")
    return out


def category_doc(w) -> list[str]:
    kind = w.rng.choices((same_action_doc, routine_doc, object_doc, contrast_doc, place_doc),
                         weights=(4, 3, 3, 1, 1))[0]
    return kind(w)


OWNED = ("cat", "dog", "horse", "cow", "bird", "rabbit", "book", "cup", "key", "spoon", "bottle")  # what one may "have"


def plural_doc(w) -> list[str]:
    """Quantities with the right measure word; 们 only for people."""
    rng = w.rng
    key = w.pick("zh.counted", ANIMALS + ("child", "boy", "girl") +
                 tuple(k for k, p in OBJECT_PROPS.items() if p[0] in ("stand", "lie") and k != "object_word"))
    e = w.lex[key]
    where = rng.choice(WHERE[key])
    n = rng.randint(2, 7)
    out = [f"{where}有{_count(n, e)}。"]
    if key in ACTIONS:
        acts = [a for a in ACTIONS[key] if a != "breathe"]
        out.append(f"{_count(n, e)}{VERBS[rng.choice(acts)][0]}。")
        if "pl" in e.forms:
            out.append(f"{e.forms['pl']}{VERBS[rng.choice(acts)][0]}。")
        v1, v2 = rng.sample(acts, k=2)
        out.append(f"{_count(1, e)}{VERBS[v1][0]}，{_count(rng.randint(2, 4), e)}{VERBS[v2][0]}。")
    else:
        others = [x for x in WHERE[key] if x != where]
        if others:
            out.append(f"{where}有{_count(rng.randint(2, 4), e)}，{rng.choice(others)}有{_count(1, e)}。")
    if rng.random() < 0.4 and key in OWNED:
        owner = w.lex[rng.choice(("boy", "girl", "grandmother", "grandfather", "teacher"))]
        out.append(f"{owner.lemma}有{_count(rng.randint(2, 5), e)}。")
    return out[:rng.randint(2, 4)]


YOUNG = ("boy", "girl", "prince", "princess", "son", "daughter", "child")
OLD = ("grandfather", "grandmother")


def person_adjectives(key: str) -> tuple:
    """No 年老的男孩, no 年轻的奶奶."""
    drop = "old" if key in YOUNG else "young" if key in OLD else ""
    return tuple(a for a in PERSON_ADJECTIVES if a != drop)


def people_doc(w) -> list[str]:
    """One man or woman; 他 or 她 is what carries the gender."""
    rng = w.rng
    p = w.lex[w.pick("zh.person", [k for pair in GENDER_PAIRS for k in pair])]
    pronoun = p.forms["pronoun"]
    acts = rng.sample(PERSON_ACTIONS, k=2)
    if acts[1] == PERSON_ACTIONS[0]:  # waking up comes first
        acts.reverse()
    allowed = person_adjectives(p.key)
    adj = PERSON_ADJECTIVES[rng.choice([a for a in allowed if a != "good"])]
    good = PERSON_ADJECTIVES[rng.choice(allowed)]
    out = [f"{adj}{p.lemma}{acts[0]}。", f"然后{pronoun}{acts[1]}。", f"{p.lemma}{rng.choice(PERSON_STATES)}。",
           f"{pronoun}是一{p.mw}{good}{p.lemma}。"]
    return out[:rng.randint(2, 4)]


DOOR_MATERIAL = {
    "metal": ("这扇门是金属做的，摸起来很凉。", "这扇铁门又重又凉。", "门是金属的，摸上去冰凉。"),
    "wood": ("这扇门是木头做的，摸起来不凉。", "那扇旧木门轻轻地响了一声。", "门是木头做的。"),
}
DOOR_ACTIONS = ("把钥匙插进了锁里", "转动了锁里的钥匙", "用钥匙打开了门", "用钥匙锁上了门", "找到了门的钥匙")
DOOR_ENDINGS = ("钥匙一转，锁咔嗒响了一声。", "门开了。", "门慢慢地开了。", "锁很旧，钥匙很难转动。")


def door_doc(w) -> list[str]:
    rng = w.rng
    p = w.lex[w.pick("zh.door_person", [k for pair in GENDER_PAIRS for k in pair])]
    first, second = rng.sample(DOOR_ACTIONS, k=2)
    out = [rng.choice(DOOR_MATERIAL[rng.choice(("metal", "wood"))]), f"{p.lemma}{first}。"]
    if rng.random() < 0.6:
        out.append(f"然后{p.forms['pronoun']}{second}。")
    out.append(rng.choice(DOOR_ENDINGS))
    return out


# 花: a flower (noun) or to spend money or time (verb). The context decides.
HUA_SENSES = {
    "flower": ("她买了一束花。", "花园里开满了花。", "这朵花是红色的。", "春天到了，山上的花都开了。",
               "他送给妈妈一束花。", "桌子上的花瓶里插着几朵花。", "蜜蜂在花上飞来飞去。"),
    "spend": ("她花了很多钱。", "他花了三个小时看书。", "买这张桌子花了两百块钱。", "我们花了一整天爬山。",
              "别花太多时间玩。", "修这扇门花了不少钱。"),
    "both": ("她花了很多钱买花。", "他花了一个下午种花。", "奶奶花了一上午在花园里浇花。"),
}


# Besides the entities, the tokenizer keeps these as single tokens (Corpus.tokenizer_words): the
# pronouns, 花 in both its senses with the words that contain 花 but are not it, and 动物园 (a zoo is
# not an animal: without it the generic word 动物 would be cut out of it).
EXTRA_WORDS = ("他", "她", "它", "其他", "花", "花园", "花瓶", "动物园")


def ambiguous_doc(w) -> list[str]:
    sense = w.pick("zh.hua_sense", tuple(HUA_SENSES))
    bank = HUA_SENSES[sense]
    return w.rng.sample(bank, k=min(len(bank), w.rng.randint(2, 3)))


def category_dialogue(w) -> tuple[str, str]:
    rng = w.rng
    v = rng.choice(("sleep", "eat", "run", "play", "breathe", "fly"))
    if rng.random() < 0.5:
        x = w.lex[rng.choice([k for k in ANIMALS + PEOPLE if k in ACTIONS])]
    else:
        x = w.lex[rng.choice([k for k in OBJECT_PROPS if k != "object_word"] + ["mountain", "river", "house"])]
    bare = VERBS[v][1]
    q = f"{x.lemma}会{bare}吗？"
    if v in ACTIONS.get(x.key, ()):
        a = f"会，{x.lemma}会{bare}。"
    elif x.key in ACTIONS:
        a = f"不会，{x.lemma}不会{bare}。"
    else:
        a = f"不会，{x.lemma}不是生物，不会{bare}。"
    return q, a
