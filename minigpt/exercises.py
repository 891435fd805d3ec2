"""Self-checks for the chapters' exercises.

A reader writes an answer in a notebook cell and calls `check("01.2", answer, lang="ru", ...)`.
The check prints, in the reader's language, either a confirmation or a hint for what is wrong, and
returns True or False. Each check recomputes the right answer from the model, so nothing is hard-coded.
"""

import torch

from .generate import generate

PASS = {"ru": "✅ Верно!", "zh": "✅ 正确！"}
FAIL = {"ru": "❌ Пока нет. Подсказка: ", "zh": "❌ 还不对。提示："}
EMPTY = {"ru": "✏️ Ответ ещё не дан: замените None своим ответом.", "zh": "✏️ 还没有作答：请把 None 换成你的答案。"}
EMPTY_FUNCTION = {"ru": "✏️ Функция пока возвращает None: допишите её код.", "zh": "✏️ 函数目前返回 None：请补全它的代码。"}

HINTS = {
    "01.1": {
        "type": {"ru": "ответ должен быть целым числом (int).", "zh": "答案应该是一个整数（int）。"},
        "chars": {"ru": "вы посчитали символы, а не токены: токен обычно длиннее одного символа. Используйте tokenizer.encode.",
                  "zh": "你数的是字符而不是词元：一个词元常常包含好几个字符。试试 tokenizer.encode。"},
        "other": {"ru": "закодируйте текст токенизатором модели и посчитайте длину списка: len(tokenizer.encode(text)).",
                  "zh": "用模型的分词器对文本编码，再数列表的长度：len(tokenizer.encode(text))。"},
    },
    "01.2": {
        "type": {"ru": "нужна функция, которая принимает текст и возвращает строку (токен).",
                 "zh": "需要一个函数：输入文本，返回一个字符串（词元）。"},
        "wrong": {"ru": "для текста {text!r} модель считает самым вероятным токен {want!r}, а функция вернула {got!r}. "
                        "Возьмите логиты последней позиции и argmax, затем tokenizer.token_str.",
                  "zh": "对于文本 {text!r}，模型认为最可能的词元是 {want!r}，而你的函数返回了 {got!r}。"
                        "取最后一个位置的 logits 做 argmax，再用 tokenizer.token_str。"},
        "error": {"ru": "функция упала с ошибкой: {error}", "zh": "函数运行出错：{error}"},
    },
    "01.3": {
        "type": {"ru": "ответ должен быть строкой — промптом для модели.", "zh": "答案应该是一个字符串，也就是给模型的提示。"},
        "format": {"ru": "промпт должен содержать строку пользователя «{user}» и заканчиваться на «{assistant}», "
                         "чтобы модель продолжила репликой помощника.",
                   "zh": "提示里要有用户那一行「{user}」，并以「{assistant}」结尾，这样模型才会接着写助手的回答。"},
        "answer": {"ru": "модель ответила {reply!r}, а в ответе должно быть «{expected}». Проверьте вопрос.",
                   "zh": "模型回答的是 {reply!r}，但答案里应该有「{expected}」。检查一下问题。"},
    },
    "02.1": {
        "type": {"ru": "ответ должен быть целым числом (int).", "zh": "答案应该是一个整数（int）。"},
        "chars": {"ru": "это число символов, а не байтов. В UTF-8 русская буква занимает 2 байта, пробел и точка — 1, "
                        "а длинное тире — 3. Проверьте себя: len(text.encode(\"utf-8\")).",
                  "zh": "这是字符数，不是字节数。在 UTF-8 中，一个汉字和一个全角标点都占 3 个字节。"
                        "可以这样验证：len(text.encode(\"utf-8\"))。"},
        "other": {"ru": "переведите текст в байты UTF-8 и посчитайте их: len(text.encode(\"utf-8\")).",
                  "zh": "把文本编码成 UTF-8 字节再数一数：len(text.encode(\"utf-8\"))。"},
    },
    "02.2": {
        "type": {"ru": "нужна функция, которая принимает список номеров и возвращает пару (a, b).",
                 "zh": "需要一个函数：输入一个编号列表，返回一个对 (a, b)。"},
        "wrong": {"ru": "в списке {ids} чаще всего (по {want_count} раз) встречается пара {want}, а функция вернула {got} "
                        "({got_count} раз). Соседние пары — это zip(ids, ids[1:]); посчитайте их с collections.Counter.",
                  "zh": "在列表 {ids} 中，出现最多的相邻对是 {want}（{want_count} 次），而你的函数返回了 {got}"
                        "（{got_count} 次）。相邻对就是 zip(ids, ids[1:])，可以用 collections.Counter 来数。"},
        "error": {"ru": "функция упала с ошибкой на списке {ids}: {error}", "zh": "函数在列表 {ids} 上运行出错：{error}"},
    },
    "02.3": {
        "type": {"ru": "ответ должен быть целым числом (int) — размером словаря.",
                 "zh": "答案应该是一个整数（int），也就是词表大小。"},
        "off_by_one": {"ru": "почти! Номера токенов начинаются с 0, поэтому токену с номером t нужен словарь из t + 1 токенов.",
                       "zh": "差一点！词元编号从 0 开始，所以编号为 t 的词元需要大小为 t + 1 的词表。"},
        "small": {"ru": "при словаре из {answer} токенов {word!r} ещё режется на части: {pieces}.",
                  "zh": "词表大小为 {answer} 时，{word!r} 还会被切成几块：{pieces}。"},
        "large": {"ru": "при словаре из {answer} токенов {word!r} — уже один токен, но это не наименьший размер. "
                        "Посмотрите номер этого токена: tokenizer.encode(word).",
                  "zh": "词表大小为 {answer} 时，{word!r} 已经是一个词元，但这不是最小的大小。"
                        "看看这个词元的编号：tokenizer.encode(word)。"},
    },
}


def _say(ok: bool, lang: str, hint: str = "") -> bool:
    print(PASS[lang] if ok else FAIL[lang] + hint)
    return ok


def _hint(exercise: str, key: str, lang: str, **fields) -> str:
    return HINTS[exercise][key][lang].format(**fields)


def check_token_count(answer, lang, tokenizer, text):
    if not isinstance(answer, int) or isinstance(answer, bool):
        return _say(False, lang, _hint("01.1", "type", lang))
    right = len(tokenizer.encode(text))
    if answer == right:
        return _say(True, lang)
    key = "chars" if answer == len(text) else "other"
    return _say(False, lang, _hint("01.1", key, lang))


def check_most_likely_next(answer, lang, model, tokenizer, texts):
    if not callable(answer):
        return _say(False, lang, _hint("01.2", "type", lang))
    for text in texts:
        with torch.no_grad():
            logits, _ = model(torch.tensor([tokenizer.encode(text)], device=model.device))
        want = tokenizer.token_str(int(logits[0, -1].argmax()))
        try:
            got = answer(text)
        except Exception as e:  # the reader's code: report, don't crash the notebook
            return _say(False, lang, _hint("01.2", "error", lang, error=f"{type(e).__name__}: {e}"))
        if got is None:  # the template function, not filled in yet
            print(EMPTY_FUNCTION[lang])
            return False
        if got != want:
            return _say(False, lang, _hint("01.2", "wrong", lang, text=text, want=want, got=got))
    return _say(True, lang)


def check_chat_prompt(answer, lang, model, tokenizer, user_line, assistant_tag, expected, stop):
    if not isinstance(answer, str):
        return _say(False, lang, _hint("01.3", "type", lang))
    if user_line not in answer or not answer.rstrip(" ").endswith(assistant_tag):
        return _say(False, lang, _hint("01.3", "format", lang, user=user_line, assistant=assistant_tag))
    reply = generate(model, tokenizer, answer, max_new_tokens=30, temperature=0, stop=stop)
    if expected not in reply:
        return _say(False, lang, _hint("01.3", "answer", lang, reply=reply, expected=expected))
    return _say(True, lang)


def check_utf8_bytes(answer, lang, text):
    if not isinstance(answer, int) or isinstance(answer, bool):
        return _say(False, lang, _hint("02.1", "type", lang))
    if answer == len(text.encode("utf-8")):
        return _say(True, lang)
    return _say(False, lang, _hint("02.1", "chars" if answer == len(text) else "other", lang))


# Small cases for 02.2, with a single most frequent pair each; the notebook adds real token sequences.
PAIR_CASES = [[1, 2, 3, 1, 2], [5, 5, 5, 1, 2], [7, 8, 9, 8, 9, 8, 9], [4, 0, 4, 0, 3, 3, 4, 0]]


def check_most_frequent_pair(answer, lang, sequences=()):
    from collections import Counter

    if not callable(answer):
        return _say(False, lang, _hint("02.2", "type", lang))
    for ids in [*PAIR_CASES, *map(list, sequences)]:
        counts = Counter(zip(ids, ids[1:]))
        best = max(counts.values())
        want = min(p for p, c in counts.items() if c == best)
        shown = ids if len(ids) <= 12 else ids[:12] + ["…"]
        try:
            got = answer(list(ids))
        except Exception as e:  # the reader's code: report, don't crash the notebook
            return _say(False, lang, _hint("02.2", "error", lang, ids=shown, error=f"{type(e).__name__}: {e}"))
        if got is None:
            print(EMPTY_FUNCTION[lang])
            return False
        try:
            got_count = counts.get(tuple(got), 0)
        except TypeError:
            got_count = 0
        if got_count != best:  # any pair of the highest count is right (ties)
            return _say(False, lang, _hint("02.2", "wrong", lang, ids=shown, want=want, want_count=best, got=got,
                                           got_count=got_count))
    return _say(True, lang)


def check_min_vocab_size(answer, lang, tokenizer, word):
    from .tokenizer import BPETokenizer

    ids = tokenizer.encode(word)
    if len(ids) != 1:
        raise ValueError(f"{word!r} is not one token in this tokenizer: choose another word for the exercise")
    right = ids[0] + 1  # merge k creates token 256 + k, so a vocabulary of t + 1 tokens is the first to hold t
    if not isinstance(answer, int) or isinstance(answer, bool):
        return _say(False, lang, _hint("02.3", "type", lang))
    if answer == right:
        return _say(True, lang)
    if answer == right - 1:
        return _say(False, lang, _hint("02.3", "off_by_one", lang))
    if answer < right:
        smaller = BPETokenizer(tokenizer.merges[:max(0, answer - 256)], tokenizer.pattern)
        pieces = [smaller.token_str(i) for i in smaller.encode(word)]
        return _say(False, lang, _hint("02.3", "small", lang, answer=answer, word=word, pieces=pieces))
    return _say(False, lang, _hint("02.3", "large", lang, answer=answer, word=word))


CHECKS = {"01.1": check_token_count, "01.2": check_most_likely_next, "01.3": check_chat_prompt,
          "02.1": check_utf8_bytes, "02.2": check_most_frequent_pair, "02.3": check_min_vocab_size}


def check(exercise: str, answer, lang: str = "ru", **context) -> bool:
    """Check a reader's answer to an exercise; prints the verdict in `lang` ("ru" or "zh")."""
    if lang not in PASS:
        raise ValueError(f"lang={lang!r}: the course speaks 'ru' and 'zh'")
    if exercise not in CHECKS:
        raise ValueError(f"unknown exercise {exercise!r}; known: {sorted(CHECKS)}")
    if answer is None:
        print(EMPTY[lang])
        return False
    return CHECKS[exercise](answer, lang, **context)
