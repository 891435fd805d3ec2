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


CHECKS = {"01.1": check_token_count, "01.2": check_most_likely_next, "01.3": check_chat_prompt}


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
