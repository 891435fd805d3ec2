"""Interactive widgets for the chapters (ipywidgets).

Each widget is a function that builds and returns the widget; its callback logic lives in a plain
function next to it, so pytest can test the logic without a browser (nbval cannot click).
ipywidgets is imported inside the functions, so the rest of minigpt works without it.

The widgets show their results in widgets that hold a value: a figure as PNG bytes in a widgets.Image,
text as escaped <pre> in a widgets.HTML; a callback replaces the value. They never capture output in a
widgets.Output: with a frontend that output goes into the widget state, but in a kernel without one
(nbval re-running a notebook) it lands in the cell's outputs, so the stored and the fresh cell differ.
The first state is drawn when the widget is built, so the reader (and the static book, which shows the
widget state saved with the notebook) sees it at once.
"""

FIGURE_DPI = 100  # fixed, so the PNG of a figure does not depend on the backend's settings


def _png(ax):
    """The figure of `ax` as PNG bytes; the figure is closed, so the notebook never shows it itself."""
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    try:
        ax.figure.savefig(buffer, format="png", dpi=FIGURE_DPI)
    finally:
        plt.close(ax.figure)
    return buffer.getvalue()


def _pre(text, wrap=False):
    """`text` as HTML that keeps its line breaks and spacing (tables stay aligned); wrap: break long lines."""
    import html

    style = ' style="white-space: pre-wrap"' if wrap else ""
    return f"<pre{style}>{html.escape(text)}</pre>"


# ------------------------------------------------------------------ sampling: temperature, top-k, top-p

SAMPLING_TEXT = {
    "ru": {"temperature": "температура T", "top_k": "top-k (0 = все)", "top_p": "top-p (1 = все)",
           "seed": "зерно", "xlabel": "вероятность", "continuation": "Продолжение:",
           "title": "T = {t:g}: осталось токенов {kept}, отрезано {cut:.0%} вероятности, энтропия {h:.2f}"},
    "zh": {"temperature": "温度 T", "top_k": "top-k（0 = 全部）", "top_p": "top-p（1 = 全部）",
           "seed": "种子", "xlabel": "概率", "continuation": "续写：",
           "title": "T = {t:g}：剩下 {kept} 个词元，截掉 {cut:.0%} 的概率，熵 {h:.2f}"},
}


def sampling_state(model, tokenizer, prompt, temperature=1.0, top_k=0, top_p=1.0, seed=0, n_show=10,
                   max_new_tokens=20):
    """Everything the sampling widget shows for one position of its sliders.

    top_k = 0 and top_p = 1 are the sliders' "no cut" positions. The bars always show the same n_show
    tokens (the most likely at T = 1), so moving a slider changes their heights, never their order;
    a token a cut removed shows as an empty bar.
    """
    import torch

    from .generate import generate
    from .sampling import last_logits, sampling_distribution

    k = int(top_k) or None
    p = float(top_p) if top_p < 1 else None
    logits = last_logits(model, tokenizer, prompt)
    view = sampling_distribution(logits, temperature, k, p)
    shown = torch.topk(logits, min(n_show, len(logits))).indices
    text = generate(model, tokenizer, prompt, max_new_tokens, temperature, k, p, seed=seed, stop="\n\n")
    return {"tokens": [tokenizer.token_str(int(i)) for i in shown], "probs": view.probs[shown].tolist(),
            "kept": view.kept, "cut_mass": view.cut_mass, "entropy": view.entropy, "text": text}


def sampling_explorer(model, tokenizer, prompt, lang="ru", n_show=10, max_new_tokens=20):
    """Sliders for temperature, top-k, top-p and the seed; each move redraws the distribution of the next
    token after `prompt` and samples a continuation with those settings."""
    import ipywidgets as widgets

    from .plot import bar_probs

    text = SAMPLING_TEXT[lang]
    style, layout = {"description_width": "initial"}, widgets.Layout(width="420px")
    t = widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.1, description=text["temperature"],
                            style=style, layout=layout)
    k = widgets.IntSlider(value=0, min=0, max=50, description=text["top_k"], style=style, layout=layout)
    p = widgets.FloatSlider(value=1.0, min=0.05, max=1.0, step=0.05, description=text["top_p"],
                            style=style, layout=layout)
    seed = widgets.IntSlider(value=0, min=0, max=20, description=text["seed"], style=style, layout=layout)
    figure, continuation = widgets.Image(format="png"), widgets.HTML()

    def redraw(_=None):
        s = sampling_state(model, tokenizer, prompt, t.value, k.value, p.value, seed.value, n_show,
                           max_new_tokens)
        ax = bar_probs(s["tokens"], s["probs"], xlabel=text["xlabel"],
                       title=text["title"].format(t=t.value, kept=s["kept"], cut=s["cut_mass"], h=s["entropy"]))
        figure.value = _png(ax)
        continuation.value = _pre(f"{text['continuation']} {prompt}{s['text']}", wrap=True)

    for slider in (t, k, p, seed):
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([t, k, p, seed, figure, continuation])


# ------------------------------------------------------------------ parameter count: layers, width, heads

PARAMS_TEXT = {
    "ru": {"preset": "модель", "n_layer": "слоёв", "d_model": "ширина d_model", "n_head": "голов",
           "vocab_size": "словарь", "context_length": "контекст",
           "bad_heads": "Ширина {d} не делится на число голов {h}: каждой голове достаётся d_model / n_head "
                        "измерений. Выберите другое число голов.",
           "head_dim": "размер головы: {dh}, ширина FFN: {ff}",
           "groups": {"embeddings": "эмбеддинги и позиции", "attention": "внимание (W_Q, W_K, W_V, W_O)",
                      "ffn": "FFN (up, down)", "other": "нормализации и смещения"},
           "total": "всего параметров", "per_layer": "матрицы одного слоя",
           "memory": "память под веса: fp32 {fp32}, bf16 {bf16}",
           "line": "{label}: {n:,} ({share:.1%})", "sep": ": ",
           "presets": {"world": "модель курса (world-ru)", "gpt3": "GPT-3 175B",
                       "whatif": "что если: 96 слоёв, d = 32 768 (непроверенный слух)"}},
    "zh": {"preset": "模型", "n_layer": "层数", "d_model": "宽度 d_model", "n_head": "头数",
           "vocab_size": "词表", "context_length": "上下文",
           "bad_heads": "宽度 {d} 不能被头数 {h} 整除：每个头分到 d_model / n_head 维。请换一个头数。",
           "head_dim": "每个头的维度：{dh}，FFN 宽度：{ff}",
           "groups": {"embeddings": "嵌入和位置", "attention": "注意力（W_Q、W_K、W_V、W_O）",
                      "ffn": "FFN（up、down）", "other": "归一化和偏置"},
           "total": "参数总数", "per_layer": "每层的矩阵",
           "memory": "权重占用的内存：fp32 {fp32}，bf16 {bf16}",
           "line": "{label}：{n:,}（{share:.1%}）", "sep": "：",
           "presets": {"world": "课程模型（world-zh）", "gpt3": "GPT-3 175B",
                       "whatif": "假设：96 层，d = 32 768（未经证实的传闻）"}},
}

# The sliders' positions for the presets. GPT-3: Brown et al. 2020. The what-if is a rumour from one of the
# course's source texts, not a published model: its vocabulary and context are GPT-3's, as placeholders.
# "world", the shipped world-ru / world-zh model of the reader's language, is read from its checkpoint
# (params_preset).
PARAMS_PRESETS = {
    "gpt3": dict(n_layer=96, d_model=12288, n_head=96, vocab_size=50257, context_length=2048),
    "whatif": dict(n_layer=96, d_model=32768, n_head=256, vocab_size=50257, context_length=2048),
}


def params_preset(key, lang="ru"):
    """The slider values of a preset: a key of PARAMS_PRESETS, or "world" for the shipped model's
    configuration (minigpt.checkpoint.pretrained_config; no weights loaded)."""
    if key != "world":
        return dict(PARAMS_PRESETS[key])
    from .checkpoint import pretrained_config

    cfg = pretrained_config(f"world-{lang}")
    return {name: getattr(cfg, name) for name in ("n_layer", "d_model", "n_head", "vocab_size", "context_length")}


_PARAM_GROUPS = {"embeddings": ("embedding", "positions", "unembedding"), "attention": ("W_Q", "W_K", "W_V", "W_O"),
                 "ffn": ("ffn_up", "ffn_gate", "ffn_down"), "other": ("norms", "biases")}


def parameter_report(n_layer, d_model, n_head, vocab_size, context_length, lang="ru"):
    """The text the parameter widget shows for one position of its sliders: the count by group of
    matrices, the total, and the memory for the weights in fp32 and bf16 (a GPT-2/GPT-3-style model:
    learned positions, tied embeddings, LayerNorm, biases, FFN width 4 * d_model)."""
    from .config import GPTConfig
    from .params import count_from_config, format_bytes, format_count, weight_bytes

    text = PARAMS_TEXT[lang]
    if d_model % n_head:
        return text["bad_heads"].format(d=d_model, h=n_head)
    cfg = GPTConfig(vocab_size=vocab_size, context_length=context_length, n_layer=n_layer, n_head=n_head,
                    d_model=d_model)
    counts = count_from_config(cfg)
    total = sum(counts.values())
    lines = [text["head_dim"].format(dh=cfg.head_dim, ff=cfg.d_ff)]
    for group, kinds in _PARAM_GROUPS.items():
        n = sum(counts[k] for k in kinds)
        lines.append(text["line"].format(label=text["groups"][group], n=n, share=n / total))
    sep = text["sep"]
    per_layer = sum(counts[k] for k in _PARAM_GROUPS["attention"] + _PARAM_GROUPS["ffn"]) // n_layer
    lines.append(f"{text['per_layer']}{sep}{per_layer:,} = 12 · d_model² = {12 * d_model ** 2:,}")
    lines.append(f"{text['total']}{sep}{total:,} ≈ {format_count(total, lang)}")
    lines.append(text["memory"].format(fp32=format_bytes(weight_bytes(total, "fp32")),
                                       bf16=format_bytes(weight_bytes(total, "bf16"))))
    return "\n".join(lines)


def parameter_counter(lang="ru", preset="gpt3"):
    """Sliders for layers, width and heads (and fields for vocabulary and context) with a preset menu;
    every change recounts the parameters and the memory their weights take."""
    import ipywidgets as widgets

    text = PARAMS_TEXT[lang]
    style, layout = {"description_width": "initial"}, widgets.Layout(width="460px")
    menu = widgets.Dropdown(options=[(label, key) for key, label in text["presets"].items()], value=preset,
                            description=text["preset"], style=style, layout=layout)
    controls = {
        "n_layer": widgets.IntSlider(min=1, max=128, description=text["n_layer"], style=style, layout=layout),
        "d_model": widgets.IntSlider(min=64, max=32768, step=64, description=text["d_model"], style=style,
                                     layout=layout),
        "n_head": widgets.IntSlider(min=1, max=256, description=text["n_head"], style=style, layout=layout),
        "vocab_size": widgets.BoundedIntText(min=2, max=1_000_000, description=text["vocab_size"], style=style),
        "context_length": widgets.BoundedIntText(min=1, max=1_000_000, description=text["context_length"],
                                                 style=style),
    }
    out = widgets.HTML()

    def recount(_=None):
        values = {name: c.value for name, c in controls.items()}
        out.value = _pre(parameter_report(**values, lang=lang))

    def load_preset(_=None):
        for name, value in params_preset(menu.value, lang).items():
            controls[name].value = value
        recount()

    load_preset()
    menu.observe(load_preset, names="value")
    for c in controls.values():
        c.observe(recount, names="value")
    return widgets.VBox([menu, *controls.values(), out])


# ------------------------------------------------------------------ attention: sentence, layer, head -> heatmap

ATTENTION_TEXT = {
    "ru": {"sentence": "текст", "layer": "слой", "head": "голова",
           "title": "слой {layer}, голова {head}", "xlabel": "на какой токен смотрят (ключ)",
           "ylabel": "кто смотрит (запрос)"},
    "zh": {"sentence": "文本", "layer": "层", "head": "头",
           "title": "第 {layer} 层，第 {head} 个头", "xlabel": "被看的词元（键）", "ylabel": "在看的词元（查询）"},
}


def attention_view(model, tokenizer, text, layer, head):
    """What the attention widget draws: the tokens of `text` and one head's weights [T, T], with the
    future (where the causal mask forbids looking) as NaN, so the heatmap leaves it blank."""
    import torch

    from .attention import attention_patterns

    cfg = model.config
    if not 0 <= layer < cfg.n_layer or not 0 <= head < cfg.n_head:
        raise ValueError(f"layer {layer}, head {head}: the model has layers 0..{cfg.n_layer - 1} "
                         f"and heads 0..{cfg.n_head - 1}")
    if not text:
        raise ValueError("the text is empty: type a sentence to look at")
    tokens, patterns = attention_patterns(model, tokenizer, text)
    weights = patterns[layer, head].clone()
    weights[torch.ones_like(weights, dtype=torch.bool).triu(1)] = float("nan")  # the future: blank
    return tokens, weights


def attention_explorer(model, tokenizer, sentences, lang="ru", layer=0, head=0):
    """A sentence box (pick one of `sentences` or type your own), sliders for the layer and the head;
    each change redraws that head's attention weights as a heatmap."""
    import ipywidgets as widgets

    from .plot import heatmap

    text = ATTENTION_TEXT[lang]
    style, layout = {"description_width": "initial"}, widgets.Layout(width="520px")
    box = widgets.Combobox(options=list(sentences), value=sentences[0], ensure_option=False,
                           description=text["sentence"], style=style, layout=layout)
    layer_slider = widgets.IntSlider(value=layer, min=0, max=model.config.n_layer - 1, description=text["layer"],
                                     style=style)
    head_slider = widgets.IntSlider(value=head, min=0, max=model.config.n_head - 1, description=text["head"],
                                    style=style)
    figure, message = widgets.Image(format="png"), widgets.HTML()

    def redraw(_=None):
        try:
            tokens, weights = attention_view(model, tokenizer, box.value, layer_slider.value, head_slider.value)
        except ValueError as e:  # an empty box while the reader types: say why, hide the old heatmap
            message.value = _pre(str(e), wrap=True)
            figure.layout.display = "none"
            return
        ax = heatmap(weights, tokens, tokens, title=text["title"].format(layer=layer_slider.value,
                                                                         head=head_slider.value))
        ax.set_xlabel(text["xlabel"])
        ax.set_ylabel(text["ylabel"])
        figure.value = _png(ax)
        figure.layout.display = None
        message.value = ""

    for control in (box, layer_slider, head_slider):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([box, layer_slider, head_slider, figure, message])


# ------------------------------------------------------------------ logit lens: any text, top token per layer

LENS_TEXT = {
    "ru": {"text": "текст", "empty": "Введите текст: модель прочитает его и покажет, что видит каждый слой.",
           "legend": "строка — слой (0 — эмбеддинг, {last} — выход модели), столбец — позиция; "
                     "в клетке — самый вероятный следующий токен и его вероятность"},
    "zh": {"text": "文本", "empty": "请输入文本：模型会读它，并显示每一层看到了什么。",
           "legend": "行是层（0 是嵌入，{last} 是模型的输出），列是位置；格子里是最可能的下一个词元和它的概率"},
}


def lens_view(model, tokenizer, text, lang="ru"):
    """What the logit-lens widget prints for a text: the legend and the table of minigpt.lens.lens_table,
    or a prompt to type something when the box is empty."""
    from .lens import lens_table

    words = LENS_TEXT[lang]
    if not text:
        return words["empty"]
    ids = tokenizer.encode(text)[-model.config.context_length:]
    legend = words["legend"].format(last=model.config.n_layer)
    return legend + "\n\n" + lens_table(model, tokenizer, tokenizer.decode(ids))


def lens_explorer(model, tokenizer, texts, lang="ru"):
    """A text box (pick one of `texts` or type your own); each change prints the logit lens of the text:
    the top next token at every layer and position."""
    import ipywidgets as widgets

    words = LENS_TEXT[lang]
    box = widgets.Combobox(options=list(texts), value=texts[0], ensure_option=False, description=words["text"],
                           style={"description_width": "initial"}, layout=widgets.Layout(width="520px"))
    out = widgets.HTML()

    def redraw(_=None):
        out.value = _pre(lens_view(model, tokenizer, box.value, lang))

    box.observe(redraw, names="value")
    redraw()
    return widgets.VBox([box, out])


# ------------------------------------------------------------------ analogies: a − b + c among the token vectors

ANALOGY_TEXT = {
    "ru": {"words": ("a", "− b", "+ c"), "layer": "слой", "layer_names": ("0: матрица эмбеддингов", "{i}: после блока {i}"),
           "empty": "Введите три слова: a − b + c (например, король − мужчина + женщина).",
           "pieces": "«{word}» нет в словаре целиком: токенизатор режет его на части {pieces}. "
                     "Аналогии здесь считаются только для слов из одного токена: возьмите другое слово или другую форму.",
           "header": "{a} − {b} + {c} ≈   (слой {layer}; ближайшие по косинусу, три исходных слова исключены)"},
    "zh": {"words": ("a", "− b", "+ c"), "layer": "层", "layer_names": ("0：嵌入矩阵", "{i}：第 {i} 个块之后"),
           "empty": "请输入三个词：a − b + c（例如 国王 − 男人 + 女人）。",
           "pieces": "「{word}」在词表里不是一个完整的词元：分词器把它切成了 {pieces}。"
                     "这里只能对单个词元的词做类比，请换一个词。",
           "header": "{a} − {b} + {c} ≈   （第 {layer} 层；按余弦相似度排列，三个输入词已排除）"},
}


def analogy_view(vectors, tokenizer, a, b, c, lang="ru", layer=0, k=5):
    """What the analogy widget prints: the k tokens nearest to a − b + c in `vectors` (one row per token of
    the vocabulary), or, in the reader's language, why it cannot answer (a box is empty, or a word is not
    one token of the vocabulary)."""
    from .embeddings import analogy, word_tokens

    text = ANALOGY_TEXT[lang]
    words = [w.strip() for w in (a, b, c)]
    if not all(words):
        return text["empty"]
    ids = []
    for w in words:
        tokens = word_tokens(tokenizer, w, lang)
        if len(tokens) != 1:
            pieces = " + ".join(repr(tokenizer.token_str(t)) for t in tokens)
            return text["pieces"].format(word=w, pieces=pieces)
        ids.append(tokens[0])
    lines = [text["header"].format(a=words[0], b=words[1], c=words[2], layer=layer)]
    for rank, (i, score) in enumerate(analogy(vectors, *ids, k=k), 1):
        lines.append(f"{rank}. {score:.2f}  {tokenizer.token_str(i).strip()}")
    return "\n".join(lines)


def analogy_explorer(vectors_by_layer, tokenizer, lang="ru", words=("", "", ""), k=5):
    """Three boxes for a − b + c and a layer menu; each change prints the nearest tokens (analogy_view).
    vectors_by_layer: {layer: [vocab, d] tensor}, e.g. minigpt.embeddings.vocab_vectors(model, range(5))."""
    import ipywidgets as widgets

    text = ANALOGY_TEXT[lang]
    boxes = [widgets.Text(value=w, description=d, layout=widgets.Layout(width="220px"))
             for w, d in zip(words, text["words"])]
    first, later = text["layer_names"]
    options = [(first if i == 0 else later.format(i=i), i) for i in sorted(vectors_by_layer)]
    layer = widgets.Dropdown(options=options, value=options[0][1], description=text["layer"])
    out = widgets.HTML()

    def redraw(_=None):
        out.value = _pre(analogy_view(vectors_by_layer[layer.value], tokenizer, *(b.value for b in boxes),
                                      lang=lang, layer=layer.value, k=k), wrap=True)

    for control in (*boxes, layer):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(boxes), layer, out])


# ------------------------------------------------------------------ editing a fact: a country's capital

FACT_EDIT_TEXT = {
    "ru": {"subject": "страна", "answer": "новая столица", "button": "Править",
           "header": "Правка: столица «{subject}» → «{new}» (слой {layer}, ключ на позиции «{where}»)",
           "where": {"last": "последний токен", "subject": "субъект"},
           "fact": "Формулировки факта: «{new}» теперь отвечают {hits} из {known}, где модель знала ответ "
                   "(всего формулировок {n})",
           "own": "Другие факты о субъекте «{subject}» (язык, еда): не изменились {same} из {n}",
           "changed": "изменились:", "others": "Столицы других стран:",
           "before": "до", "after": "после"},
    "zh": {"subject": "国家", "answer": "新首都", "button": "修改",
           "header": "修改：「{subject}」的首都 → 「{new}」（第 {layer} 层，键取在「{where}」）",
           "where": {"last": "最后一个词元", "subject": "主语"},
           "fact": "这个事实的各种说法：模型原本答对的 {known} 个里，现在有 {hits} 个回答「{new}」（共 {n} 个说法）",
           "own": "「{subject}」的其他事实（语言、美食）：{n} 个里有 {same} 个没有变",
           "changed": "变了的：", "others": "其他国家的首都：",
           "before": "之前", "after": "之后"},
}


def fact_edit_view(model, tokenizer, corpus, subject, new_answer, C, layer, where="last", lang="ru",
                   n_others=4, relation="capital"):
    """What the fact-editing widget prints: edit (subject, relation) -> new_answer with
    minigpt.editing.edit_world_fact, show the model's continuations before and after for every
    phrasing of the fact, the subject's other facts that changed, and a few other subjects; then undo
    the edit, so the model is left as it was."""
    from .editing import answer_ids, edit_world_fact, next_tokens
    from .generate import generate

    text = FACT_EDIT_TEXT[lang]
    splits = corpus.prompts("train") + corpus.prompts("heldout_combo") + corpus.prompts("novel_frame")
    fact = [p for p in splits if p.subject == subject and p.relation == relation]
    own = [p for p in splits if p.subject == subject and p.relation != relation]
    template = fact[0].template_id if fact else None
    others = [p for p in splits if p.relation == relation and p.subject != subject and p.template_id == template]
    others = others[:n_others]
    groups = [fact, own, others]
    flat = [p for g in groups for p in g]
    ids = [tokenizer.encode(p.text) for p in flat]
    say = lambda: [generate(model, tokenizer, p.text, max_new_tokens=2, temperature=0) for p in flat]
    before_ids, before = next_tokens(model, ids).tolist(), say()
    edit = edit_world_fact(model, tokenizer, corpus, subject, new_answer, layer, C, relation=relation, where=where)
    try:
        after_ids, after = next_tokens(model, ids).tolist(), say()
    finally:
        edit.undo(model)

    new_ids = answer_ids(tokenizer, corpus, fact, new_answer)  # in each phrasing's form
    row = lambda k: f"  {flat[k].text} | {text['before']}: {before[k]!r}  {'≠' if after[k] != before[k] else ' '}  " \
                    f"{text['after']}: {after[k]!r}"
    n_fact, n_own = len(fact), len(own)
    known = [k for k in range(n_fact) if before_ids[k] == tokenizer.encode(flat[k].answer)[0]]
    lines = [text["header"].format(subject=subject, new=new_answer, layer=layer, where=text["where"][where]), "",
             text["fact"].format(new=new_answer, hits=sum(after_ids[k] == new_ids[k] for k in known), known=len(known),
                                 n=n_fact)]
    lines += [row(k) for k in range(n_fact)]
    own_rows = range(n_fact, n_fact + n_own)
    changed = [k for k in own_rows if after_ids[k] != before_ids[k]]
    lines += ["", text["own"].format(subject=subject, same=n_own - len(changed), n=n_own)]
    if changed:
        lines += [text["changed"]] + [row(k) for k in changed]
    lines += ["", text["others"]] + [row(k) for k in range(n_fact + n_own, len(flat))]
    return "\n".join(lines)


def fact_edit_explorer(model, tokenizer, corpus, C, layer, where="last", lang="ru", subject=None, new_answer=None):
    """Two menus (a country, a new capital) and a button; a click edits the fact, shows fact_edit_view
    (the model before and after) and undoes the edit. The edit for the menus' initial values is shown at
    once. C: minigpt.editing.key_covariance of `layer`."""
    import ipywidgets as widgets

    text = FACT_EDIT_TEXT[lang]
    pairs = corpus.lexicon.pairs("capital")
    countries, capitals = [s for s, _ in pairs], [a for _, a in pairs]
    country = widgets.Dropdown(options=countries, value=subject or countries[0], description=text["subject"])
    capital = widgets.Dropdown(options=capitals, value=new_answer or capitals[1], description=text["answer"])
    button = widgets.Button(description=text["button"])
    out = widgets.HTML()

    def run(_=None):
        out.value = _pre(fact_edit_view(model, tokenizer, corpus, country.value, capital.value, C, layer, where,
                                        lang), wrap=True)

    button.on_click(run)
    run()
    return widgets.VBox([widgets.HBox([country, capital, button]), out])
