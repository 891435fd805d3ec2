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
    "08.1": {
        "type": {"ru": "ответ должен быть числом — вероятностью от 0 до 1.",
                 "zh": "答案应该是一个数，也就是 0 到 1 之间的概率。"},
        "range": {"ru": "вероятность лежит между 0 и 1, а {answer} — нет. Возможно, это логит: примените софтмакс.",
                  "zh": "概率在 0 到 1 之间，而 {answer} 不在这个范围内。这可能是 logit：别忘了做 softmax。"},
        "not_divided": {"ru": "это вероятность при T = 1. Перед софтмаксом разделите логиты на температуру: "
                              "softmax(logits / T).",
                        "zh": "这是 T = 1 时的概率。做 softmax 之前，先把 logits 除以温度：softmax(logits / T)。"},
        "multiplied": {"ru": "похоже, логиты умножены на T, а их нужно разделить на T: softmax(logits / T).",
                       "zh": "看起来你把 logits 乘以了 T，而应该除以 T：softmax(logits / T)。"},
        "other": {"ru": "возьмите логиты последней позиции, разделите их на T = {t}, примените софтмакс и найдите "
                        "вероятность токена {token!r}: его номер — tokenizer.encode({token!r})[0].",
                  "zh": "取最后一个位置的 logits，除以 T = {t}，做 softmax，再找出词元 {token!r} 的概率："
                        "它的编号是 tokenizer.encode({token!r})[0]。"},
    },
    "08.2": {
        "type": {"ru": "нужна функция temperature_probs(logits, temperature), которая возвращает тензор вероятностей.",
                 "zh": "需要一个函数 temperature_probs(logits, temperature)，它返回一个概率张量。"},
        "error": {"ru": "при T = {t} функция упала с ошибкой: {error}", "zh": "T = {t} 时函数运行出错：{error}"},
        "shape": {"ru": "при T = {t} функция вернула {got}, а нужен тензор формы {shape}: по вероятности на каждый "
                        "токен словаря.",
                  "zh": "T = {t} 时函数返回了 {got}，而需要的是形状为 {shape} 的张量：词表中每个词元一个概率。"},
        "nan": {"ru": "при T = 0 получились nan: на ноль делить нельзя. Обработайте T = 0 отдельно: вся вероятность "
                      "достаётся самому вероятному токену (argmax).",
                "zh": "T = 0 时出现了 nan：不能除以零。请单独处理 T = 0：全部概率都给最可能的词元（argmax）。"},
        "greedy": {"ru": "при T = 0 самый вероятный токен должен получить вероятность 1, а получил {got:.3f}.",
                   "zh": "T = 0 时，最可能的词元应该得到概率 1，而你的函数给了 {got:.3f}。"},
        "wrong": {"ru": "при T = {t} самый вероятный токен должен получить {want:.3f}, а получил {got:.3f}. "
                        "Разделите логиты на T и примените софтмакс.",
                  "zh": "T = {t} 时，最可能的词元应该得到 {want:.3f}，而你的函数给了 {got:.3f}。"
                        "请把 logits 除以 T，再做 softmax。"},
    },
    "08.3": {
        "type": {"ru": "ответ — строка: токен в том виде, в каком его печатает tokenizer.token_str.",
                 "zh": "答案是一个字符串：也就是 tokenizer.token_str 打印出来的那个词元。"},
        "first": {"ru": "первый токен модель не предсказывает: перед ним нет ни одной позиции. Ищите среди остальных.",
                  "zh": "第一个词元模型并不预测：它前面没有任何位置。请在其余的词元里找。"},
        "easier": {"ru": "потеря на токене {answer!r} — {loss:.2f}, а есть токен потруднее. Посчитайте потери всех "
                         "позиций: F.cross_entropy(logits[0, :-1], ids[1:], reduction=\"none\").",
                   "zh": "词元 {answer!r} 上的损失是 {loss:.2f}，还有更难预测的词元。把所有位置的损失都算出来："
                         "F.cross_entropy(logits[0, :-1], ids[1:], reduction=\"none\")。"},
        "not_token": {"ru": "{answer!r} — не токен этого предложения. Его токены: {tokens}.",
                      "zh": "{answer!r} 不是这个句子里的词元。它的词元是：{tokens}。"},
    },
    "06.1": {
        "type": {"ru": "нужна функция gradients(w, b, x, y), которая возвращает пару (dw, db).",
                 "zh": "需要一个函数 gradients(w, b, x, y)，返回一对 (dw, db)。"},
        "half": {"ru": "ваши градиенты ровно вдвое меньше нужных: производная квадрата (p − y)² — это 2·(p − y).",
                 "zh": "你的梯度正好只有正确值的一半：平方 (p − y)² 的导数是 2·(p − y)。"},
        "sign": {"ru": "знак перепутан: если предсказание больше правильного ответа, потеря растёт вместе с w, "
                       "значит, dw > 0. Берите (p − y), а не (y − p).",
                 "zh": "符号反了：如果预测值大于正确答案，损失会随 w 增大，所以 dw > 0。应该用 (p − y)，而不是 (y − p)。"},
        "wrong": {"ru": "при w = {w:.2f}, b = {b:.2f} должно быть dw = {dw:.4f}, db = {db:.4f}, а функция вернула "
                        "{got}. Потеря — среднее (w·x + b − y)²; dw — среднее 2·(w·x + b − y)·x, db — то же без x.",
                  "zh": "当 w = {w:.2f}、b = {b:.2f} 时，应该得到 dw = {dw:.4f}、db = {db:.4f}，而函数返回了 {got}。"
                        "损失是 (w·x + b − y)² 的平均值；dw 是 2·(w·x + b − y)·x 的平均值，db 相同但不乘 x。"},
        "error": {"ru": "функция упала с ошибкой: {error}", "zh": "函数运行出错：{error}"},
    },
    "06.2": {
        "type": {"ru": "ответ должен быть числом (float).", "zh": "答案应该是一个数（float）。"},
        "log2": {"ru": "это логарифм по основанию 2 (биты). PyTorch считает перекрёстную энтропию с натуральным "
                       "логарифмом: math.log.",
                 "zh": "这是以 2 为底的对数（比特）。PyTorch 计算交叉熵用的是自然对数：math.log。"},
        "prob": {"ru": "это вероятность правильного токена, а потеря — минус её логарифм: −ln p.",
                 "zh": "这是正确词元的概率，而损失是它的对数取负：−ln p。"},
        "other": {"ru": "если модель угадывает наугад, каждый из {v} токенов получает вероятность 1/{v}. Потеря на "
                        "позиции — −ln(вероятность правильного токена).",
                  "zh": "如果模型随便猜，{v} 个词元中每个的概率都是 1/{v}。一个位置上的损失是 −ln(正确词元的概率)。"},
    },
    "06.3": {
        "type": {"ru": "ответ должен быть целым числом (int).", "zh": "答案应该是一个整数（int）。"},
        "matrices": {"ru": "это только матрицы (W_Q, W_K, W_V, W_O, up, down). У каждой из них есть ещё вектор "
                           "смещений (bias), а у двух нормализаций слоя — свои веса и сдвиги.",
                     "zh": "这只是矩阵（W_Q、W_K、W_V、W_O、up、down）。每个矩阵还带一个偏置向量（bias），"
                           "两个层归一化也各有自己的缩放和平移参数。"},
        "no_norms": {"ru": "матрицы и смещения учтены, не хватает параметров двух нормализаций слоя (по 2·d_model).",
                     "zh": "矩阵和偏置都算上了，还差两个层归一化的参数（各 2·d_model 个）。"},
        "model": {"ru": "это вся модель, а нужен один блок: model.blocks[0].",
                  "zh": "这是整个模型，而题目要的是一个块：model.blocks[0]。"},
        "other": {"ru": "посчитайте по формуле: 4 матрицы внимания d×d и две матрицы FFN d×4d, к ним смещения и "
                        "нормализации. Проверить себя: sum(p.numel() for p in model.blocks[0].parameters()).",
                  "zh": "按公式算：4 个 d×d 的注意力矩阵和两个 d×4d 的 FFN 矩阵，再加上偏置和归一化。"
                        "验证方法：sum(p.numel() for p in model.blocks[0].parameters())。"},
    },
    "04.1": {
        "type": {"ru": "ответ должен быть целым числом (int).", "zh": "答案应该是一个整数（int）。"},
        "mha": {"ru": "так было бы без GQA, если бы все четыре матрицы были d×d. Но голов ключей и значений только "
                      "{kv}, по {dh} измерений, поэтому у W_K и W_V всего {kv}·{dh} = {kv_width} выходов.",
                "zh": "这是不用 GQA、四个矩阵都是 d×d 时的数目。但键和值只有 {kv} 个头，每个头 {dh} 维，"
                      "所以 W_K 和 W_V 只有 {kv}·{dh} = {kv_width} 个输出。"},
        "bias": {"ru": "почти: это вместе со смещениями, а нужны только веса матриц.",
                 "zh": "差一点：这里把偏置也算进去了，题目只要矩阵的权重。"},
        "other": {"ru": "W_Q и W_O — d×d, W_K и W_V — (n_kv_head·d_head)×d, где d_head = d / n_head. "
                        "Проверить себя: attention_shapes(d_model, n_head, n_kv_head).",
                  "zh": "W_Q 和 W_O 是 d×d，W_K 和 W_V 是 (n_kv_head·d_head)×d，其中 d_head = d / n_head。"
                        "验证方法：attention_shapes(d_model, n_head, n_kv_head)。"},
    },
    "04.2": {
        "type": {"ru": "нужна функция causal_attention(q, k, v), которая возвращает тензор.",
                 "zh": "需要一个函数 causal_attention(q, k, v)，返回一个张量。"},
        "shape": {"ru": "для q, k, v формы {shape} результат должен быть той же формы, а получилось {got}.",
                  "zh": "q、k、v 的形状是 {shape}，结果也应该是这个形状，而你得到的是 {got}。"},
        "scale": {"ru": "оценки не поделены на √d_head: q @ k.transpose(-2, -1) / math.sqrt(d_head).",
                  "zh": "分数没有除以 √d_head：q @ k.transpose(-2, -1) / math.sqrt(d_head)。"},
        "scale_d": {"ru": "оценки поделены на d_head, а нужно на квадратный корень из d_head.",
                    "zh": "分数除以的是 d_head，应该除以 d_head 的平方根。"},
        "mask": {"ru": "нет маски: позиция i видит позиции после себя. Заполните оценки выше диагонали "
                       "значением -inf до софтмакса (torch.tril, masked_fill).",
                 "zh": "没有掩码：位置 i 看到了它后面的位置。在 softmax 之前把对角线以上的分数填成 -inf"
                       "（torch.tril、masked_fill）。"},
        "dim": {"ru": "софтмакс взят не по той оси: веса каждой строки (каждого запроса) должны давать в сумме 1, "
                      "то есть dim=-1.",
                "zh": "softmax 的维度不对：每一行（每个查询）的权重之和应为 1，也就是 dim=-1。"},
        "other": {"ru": "результат не совпадает с правильным. Шаги: оценки q·k / √d_head, маска, софтмакс по "
                        "последней оси, умножение на v.",
                  "zh": "结果与正确答案不一致。步骤：分数 q·k / √d_head，掩码，沿最后一维做 softmax，再乘以 v。"},
        "error": {"ru": "функция упала с ошибкой: {error}", "zh": "函数运行出错：{error}"},
    },
    "04.3": {
        "type": {"ru": "ответ должен быть парой целых чисел (слой, голова), например (1, 2).",
                 "zh": "答案应该是一对整数（层, 头），例如 (1, 2)。"},
        "one_based": {"ru": "слои и головы нумеруются с нуля: первый слой — 0.",
                      "zh": "层和头都从 0 开始编号：第一层是 0。"},
        "attention": {"ru": "эта голова больше всех смотрит на подлежащее, но без неё вероятность ответа падает "
                            "только на {got:.2f}, а без самой важной — на {best:.2f}. Смотреть ≠ быть нужной: "
                            "выключайте головы по очереди (zero_head) и сравнивайте answer_probs.",
                      "zh": "这个头最关注主语，但去掉它，答案的概率只下降 {got:.2f}，而去掉最重要的头会下降 "
                            "{best:.2f}。“看得多”不等于“不可缺少”：用 zero_head 逐个关掉每个头，比较 answer_probs。"},
        "other": {"ru": "без этой головы вероятность ответа падает на {got:.2f}, а есть голова, без которой — на "
                        "{best:.2f}. Выключайте головы по очереди (zero_head) на всех промптах отношения.",
                  "zh": "去掉这个头，答案的概率下降 {got:.2f}，但有一个头去掉后会下降 {best:.2f}。"
                        "在该关系的全部提示上用 zero_head 逐个关掉每个头试试。"},
    },
    "07.1": {
        "type": {"ru": "ответ должен быть целым числом — номером слоя от 0 (эмбеддинг) до {last} (выход).",
                 "zh": "答案应该是一个整数，即层号：从 0（嵌入）到 {last}（输出）。"},
        "not_top": {"ru": "на слое {answer} линза ставит на первое место {got!r}, а не {target!r}.",
                    "zh": "在第 {answer} 层，logit lens 排第一的是 {got!r}，不是 {target!r}。"},
        "lost": {"ru": "на слое {answer} ответ первый, но на слое {lost} уступает место {got!r}. Нужен слой, "
                       "начиная с которого ответ остаётся первым до самого выхода.",
                 "zh": "在第 {answer} 层答案排第一，但到第 {lost} 层又被 {got!r} 超过。要找的是从哪一层开始，"
                       "答案一直排第一直到输出。"},
        "later": {"ru": "на слое {answer} ответ первый, но он первый уже и на более ранних слоях. Проверьте слои "
                        "меньше {answer}.",
                  "zh": "在第 {answer} 层答案确实排第一，但在更早的层它就已经排第一了。检查一下比 {answer} 小的层。"},
    },
    "07.2": {
        "type": {"ru": "нужна функция, которая принимает текст и номер слоя и возвращает строку (токен).",
                 "zh": "需要一个函数：输入文本和层号，返回一个字符串（词元）。"},
        "wrong": {"ru": "для текста {text!r} на слое {layer} линза ставит первым {want!r}, а функция вернула {got!r}. "
                        "Возьмите residual_states(model, ids)[layer, -1], пропустите через model.norm_final и "
                        "model.unembed, затем argmax и tokenizer.token_str.",
                  "zh": "对于文本 {text!r}，在第 {layer} 层 logit lens 排第一的是 {want!r}，而你的函数返回了 {got!r}。"
                        "取 residual_states(model, ids)[layer, -1]，依次经过 model.norm_final 和 model.unembed，"
                        "再做 argmax，用 tokenizer.token_str 转成字符串。"},
        "error": {"ru": "функция упала с ошибкой: {error}", "zh": "函数运行出错：{error}"},
    },
    "07.3": {
        "type": {"ru": "ответ должен быть числом от −1 до 1.", "zh": "答案应该是 −1 到 1 之间的一个数。"},
        "layer0": {"ru": "это сходство на слое 0 (эмбеддинг), где токен и позиция одинаковые. Нужен слой {layer}.",
                   "zh": "这是第 0 层（嵌入）的相似度，那里词元和位置都一样。要的是第 {layer} 层。"},
        "off_by_one": {"ru": "это соседний слой. Номер слоя — индекс в residual_states: 0 — эмбеддинг, "
                             "{layer} — поток после блока {layer}.",
                       "zh": "这是相邻的一层。层号就是 residual_states 的下标：0 是嵌入，{layer} 是第 {layer} 个块之后的残差流。"},
        "other": {"ru": "возьмите векторы последней позиции обоих текстов: residual_states(model, ids)[:, -1], "
                        "и cosine_by_layer(a, b)[{layer}].",
                  "zh": "取两段文本最后一个位置的向量：residual_states(model, ids)[:, -1]，"
                        "再算 cosine_by_layer(a, b)[{layer}]。"},
    },
    "03.1": {
        "type": {"ru": "ответ должен быть числом от −1 до 1.", "zh": "答案应该是 −1 到 1 之间的一个数。"},
        "dot": {"ru": "это скалярное произведение, а не косинус: поделите его на длины обоих векторов "
                      "(длина — корень из скалярного произведения вектора на себя).",
                "zh": "这是点积，不是余弦：还要除以两个向量的长度（长度是向量与自身点积的平方根）。"},
        "other": {"ru": "возьмите строки матрицы эмбеддингов для обоих слов (word_tokens даёт номер токена), "
                        "перемножьте поэлементно и сложите, затем поделите на произведение длин.",
                  "zh": "取两个词在嵌入矩阵中的行（用 word_tokens 得到词元编号），逐元素相乘再求和，最后除以两个长度的乘积。"},
    },
    "03.2": {
        "type": {"ru": "ответ — три слова: кортеж строк (a, b, c).", "zh": "答案是三个词：一个字符串元组 (a, b, c)。"},
        "pieces": {"ru": "«{word}» — не один токен ({pieces}); нужны слова, у которых есть своя строка в матрице эмбеддингов.",
                   "zh": "「{word}」不是一个词元（{pieces}）；要用在嵌入矩阵里有自己一行的词。"},
        "target": {"ru": "«{target}» не должно быть среди трёх слов: исходные слова никогда не бывают ответом.",
                   "zh": "「{target}」不能是三个词之一：输入的词永远不会被当作答案。"},
        "wrong": {"ru": "{a} − {b} + {c} ближе всего к «{got}», а не к «{target}». Возьмите в качестве a страну, "
                        "столица которой «{target}», b — другую страну, c — столицу страны b.",
                  "zh": "{a} − {b} + {c} 最接近的是「{got}」，不是「{target}」。让 a 是首都为「{target}」的国家，"
                        "b 是另一个国家，c 是 b 的首都。"},
    },
    "03.3": {
        "type": {"ru": "ответ должен быть числом от 0 до 1 (долей, а не процентом).",
                 "zh": "答案应该是 0 到 1 之间的一个数（比例，不是百分数）。"},
        "percent": {"ru": "похоже на проценты: нужна доля от 0 до 1 (поделите на 100).",
                    "zh": "这看起来是百分数：要的是 0 到 1 之间的比例（除以 100）。"},
        "tied": {"ru": "это доля сейчас, когда анэмбеддинг — та же матрица, что W_E. Посчитайте, какой она станет, "
                       "если анэмбеддинг будет отдельной матрицей той же формы.",
                 "zh": "这是现在的比例：反嵌入和 W_E 是同一个矩阵。请算一算，如果反嵌入是一个形状相同的独立矩阵，比例会变成多少。"},
        "total": {"ru": "вы удвоили веса матриц, но не общее число весов модели: отдельный анэмбеддинг добавит "
                        "свои веса и к сумме.",
                  "zh": "你把矩阵的权重翻了一倍，却没有改模型的总权重数：独立的反嵌入也会让总数增加同样多。"},
        "other": {"ru": "W_E хранит model.embed.weight.numel() весов; отдельный анэмбеддинг добавит ещё столько же — "
                        "и к весам матриц эмбеддингов, и к общему числу весов model.num_parameters().",
                  "zh": "W_E 有 model.embed.weight.numel() 个权重；独立的反嵌入会再加上同样多，"
                        "既加到嵌入矩阵的权重里，也加到模型的总权重数 model.num_parameters() 里。"},
    },
    "05.1": {
        "type": {"ru": "нужна функция ffn_by_hand(block, x), которая возвращает тензор той же формы, что и x.",
                 "zh": "需要一个函数 ffn_by_hand(block, x)，返回一个和 x 形状相同的张量。"},
        "shape": {"ru": "функция вернула тензор формы {got}, а нужна {want}: понижающая проекция down возвращает "
                        "вектор к ширине d остаточного потока.",
                  "zh": "函数返回的张量形状是 {got}，应该是 {want}：下投影 down 会把向量变回残差流的宽度 d。"},
        "gelu": {"ru": "почти: отличие {diff:.1e}. Модель берёт GELU в приближении через tanh, как GPT-2: "
                       "F.gelu(..., approximate=\"tanh\").",
                 "zh": "差一点：相差 {diff:.1e}。模型和 GPT-2 一样使用 tanh 近似的 GELU："
                       "F.gelu(..., approximate=\"tanh\")。"},
        "bias": {"ru": "не забудьте смещения: block.ffn.up.bias и block.ffn.down.bias.",
                 "zh": "别忘了偏置：block.ffn.up.bias 和 block.ffn.down.bias。"},
        "other": {"ru": "отличие от выхода FFN модели — {diff:.2g}. Порядок такой: x @ up.weight.T + up.bias, "
                        "затем GELU, затем @ down.weight.T + down.bias.",
                  "zh": "和模型 FFN 的输出相差 {diff:.2g}。顺序是：x @ up.weight.T + up.bias，然后 GELU，"
                        "再 @ down.weight.T + down.bias。"},
        "error": {"ru": "функция упала с ошибкой: {error}", "zh": "函数运行出错：{error}"},
    },
    "05.2": {
        "type": {"ru": "ответ должен быть целым числом — номером нейрона от 0 до {n}.",
                 "zh": "答案应该是一个整数，即 0 到 {n} 之间的神经元编号。"},
        "other": {"ru": "значение нейрона {answer} сильнее всего поднимает {got!r}, а не {token!r}. Прочитайте значения "
                        "всех нейронов слоя через анэмбеддинг: value_logits(model, layer) — матрица [словарь, нейроны]; "
                        "возьмите строку токена и argmax.",
                  "zh": "神经元 {answer} 的值最能提升的是 {got!r}，不是 {token!r}。用反嵌入读出这一层所有神经元的值："
                        "value_logits(model, layer) 是一个 [词表, 神经元] 矩阵；取出这个词元的那一行，再做 argmax。"},
    },
    "05.3": {
        "type": {"ru": "нужна функция restore_at(clean, position), которая возвращает хук hook(x, name).",
                 "zh": "需要一个函数 restore_at(clean, position)，它返回一个钩子 hook(x, name)。"},
        "none": {"ru": "хук вернул None — тогда модель оставляет испорченную активацию как есть. Верните тензор, "
                       "в котором позиция position заменена чистым значением.",
                 "zh": "钩子返回了 None，这样模型会保留被破坏的激活值。请返回一个张量，其中 position 位置已换成干净的值。"},
        "wrong": {"ru": "с вашим хуком на {name}, позиция {position}, p ответа = {got:.3f}, а должно быть {want:.3f}. "
                        "Замените x[:, position] на clean[:, position] (в копии x) и верните результат.",
                  "zh": "在 {name}、位置 {position} 用你的钩子，答案的概率 p = {got:.3f}，应该是 {want:.3f}。"
                        "把 x[:, position] 换成 clean[:, position]（在 x 的副本上改），再返回结果。"},
        "error": {"ru": "хук упал с ошибкой: {error}", "zh": "钩子运行出错：{error}"},
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


def _close(a, b) -> bool:
    return abs(a - b) <= max(0.002, 0.02 * abs(b))


def check_temperature_prob(answer, lang, model, tokenizer, prompt, token, temperature):
    from .generate import next_token_probs
    from .sampling import last_logits

    if not isinstance(answer, (int, float)) or isinstance(answer, bool):
        return _say(False, lang, _hint("08.1", "type", lang))
    ids = tokenizer.encode(token)
    if len(ids) != 1:
        raise ValueError(f"{token!r} is not one token in this tokenizer: choose another token for the exercise")
    logits = last_logits(model, tokenizer, prompt)
    at = lambda t: float(next_token_probs(logits, t)[ids[0]])  # noqa: E731 (the probability at temperature t)
    if _close(answer, at(temperature)):
        return _say(True, lang)
    if not 0 <= answer <= 1:
        return _say(False, lang, _hint("08.1", "range", lang, answer=answer))
    if _close(answer, at(1.0)):
        return _say(False, lang, _hint("08.1", "not_divided", lang))
    if _close(answer, at(1 / temperature)):
        return _say(False, lang, _hint("08.1", "multiplied", lang))
    return _say(False, lang, _hint("08.1", "other", lang, t=temperature, token=token))


def check_temperature_function(answer, lang, model, tokenizer, texts):
    from .generate import next_token_probs
    from .sampling import last_logits

    if not callable(answer):
        return _say(False, lang, _hint("08.2", "type", lang))
    for text in texts:
        logits = last_logits(model, tokenizer, text)
        top = int(logits.argmax())
        for t in (1.0, 0.5, 2.0, 0):  # T = 0 last: it is the special case the exercise is about
            try:
                got = answer(logits.clone(), t)
            except Exception as e:  # the reader's code: report, don't crash the notebook
                return _say(False, lang, _hint("08.2", "error", lang, t=t, error=f"{type(e).__name__}: {e}"))
            if got is None:
                print(EMPTY_FUNCTION[lang])
                return False
            try:
                got = torch.as_tensor(got, dtype=torch.float32).flatten()
            except Exception:
                got = None
            if got is None or got.shape != logits.shape:
                return _say(False, lang, _hint("08.2", "shape", lang, t=t, shape=tuple(logits.shape),
                                               got=type(got).__name__ if got is None else tuple(got.shape)))
            want = next_token_probs(logits, t)
            if torch.allclose(got, want, atol=1e-4):
                continue
            if t == 0:
                key = "nan" if torch.isnan(got).any() else "greedy"
                return _say(False, lang, _hint("08.2", key, lang, got=float(got[top])))
            return _say(False, lang, _hint("08.2", "wrong", lang, t=t, want=float(want[top]), got=float(got[top])))
    return _say(True, lang)


def check_hardest_token(answer, lang, model, tokenizer, text):
    if not isinstance(answer, str):
        return _say(False, lang, _hint("08.3", "type", lang))
    ids = tokenizer.encode(text)
    with torch.no_grad():
        logits, _ = model(torch.tensor([ids], device=model.device))
    losses = torch.nn.functional.cross_entropy(logits[0, :-1].float().cpu(), torch.tensor(ids[1:]),
                                               reduction="none")
    tokens = [tokenizer.token_str(i) for i in ids]
    want = tokens[1 + int(losses.argmax())]
    if answer == want or answer.strip() == want.strip():
        return _say(True, lang)
    if answer in tokens[1:] or answer.strip() in [t.strip() for t in tokens[1:]]:
        k = 1 + [t.strip() for t in tokens[1:]].index(answer.strip())
        return _say(False, lang, _hint("08.3", "easier", lang, answer=tokens[k], loss=float(losses[k - 1])))
    if answer.strip() == tokens[0].strip():
        return _say(False, lang, _hint("08.3", "first", lang))
    return _say(False, lang, _hint("08.3", "not_token", lang, answer=answer, tokens=tokens))


# Data sets for 06.1: (w, b, x, y), small and seeded; the notebook adds its own.
def _gradient_cases(extra=()):
    g = torch.Generator().manual_seed(6)
    cases = [(0.0, 0.0, torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.5]))]
    for _ in range(3):
        x, y = torch.rand(8, generator=g), torch.randn(8, generator=g)
        cases.append((float(torch.randn(1, generator=g)), float(torch.randn(1, generator=g)), x, y))
    return cases + list(extra)


def check_mse_gradients(answer, lang, cases=()):
    if not callable(answer):
        return _say(False, lang, _hint("06.1", "type", lang))
    for w0, b0, x, y in _gradient_cases(cases):
        w, b = torch.tensor(float(w0), requires_grad=True), torch.tensor(float(b0), requires_grad=True)
        ((w * x + b - y) ** 2).mean().backward()
        want = (float(w.grad), float(b.grad))
        try:
            got = answer(float(w0), float(b0), x, y)
        except Exception as e:  # the reader's code: report, don't crash the notebook
            return _say(False, lang, _hint("06.1", "error", lang, error=f"{type(e).__name__}: {e}"))
        if got is None:
            print(EMPTY_FUNCTION[lang])
            return False
        try:
            got = tuple(float(v) for v in got)
        except (TypeError, ValueError):
            return _say(False, lang, _hint("06.1", "type", lang))
        if len(got) != 2:
            return _say(False, lang, _hint("06.1", "type", lang))
        if all(_close(g_, w_) for g_, w_ in zip(got, want)):
            continue
        if all(_close(2 * g_, w_) for g_, w_ in zip(got, want)):
            return _say(False, lang, _hint("06.1", "half", lang))
        if all(_close(-g_, w_) for g_, w_ in zip(got, want)):
            return _say(False, lang, _hint("06.1", "sign", lang))
        return _say(False, lang, _hint("06.1", "wrong", lang, w=w0, b=b0, dw=want[0], db=want[1],
                                       got=f"({got[0]:.4f}, {got[1]:.4f})"))
    return _say(True, lang)


def check_uniform_loss(answer, lang, vocab_size):
    import math

    if not isinstance(answer, (int, float)) or isinstance(answer, bool):
        return _say(False, lang, _hint("06.2", "type", lang))
    if _close(answer, math.log(vocab_size)):
        return _say(True, lang)
    if _close(answer, math.log2(vocab_size)):
        return _say(False, lang, _hint("06.2", "log2", lang))
    if _close(answer, 1 / vocab_size):
        return _say(False, lang, _hint("06.2", "prob", lang))
    return _say(False, lang, _hint("06.2", "other", lang, v=vocab_size))


def check_block_parameters(answer, lang, model, block=0):
    if not isinstance(answer, int) or isinstance(answer, bool):
        return _say(False, lang, _hint("06.3", "type", lang))
    params = dict(model.blocks[block].named_parameters())
    right = sum(p.numel() for p in params.values())
    matrices = sum(p.numel() for p in params.values() if p.dim() == 2)
    no_norms = sum(p.numel() for n, p in params.items() if not n.startswith("norm"))
    if answer == right:
        return _say(True, lang)
    if answer in (matrices, 12 * model.config.d_model ** 2):
        return _say(False, lang, _hint("06.3", "matrices", lang))
    if answer == no_norms:
        return _say(False, lang, _hint("06.3", "no_norms", lang))
    if answer == sum(p.numel() for p in model.parameters()):
        return _say(False, lang, _hint("06.3", "model", lang))
    return _say(False, lang, _hint("06.3", "other", lang))


def check_gqa_weights(answer, lang, d_model, n_head, n_kv_head):
    from .attention import attention_shapes

    if not isinstance(answer, int) or isinstance(answer, bool):
        return _say(False, lang, _hint("04.1", "type", lang))
    shapes = attention_shapes(d_model, n_head, n_kv_head)
    right = sum(a * b for a, b in shapes.values())
    if answer == right:
        return _say(True, lang)
    if answer == 4 * d_model * d_model:
        dh = d_model // n_head
        return _say(False, lang, _hint("04.1", "mha", lang, kv=n_kv_head, dh=dh, kv_width=n_kv_head * dh))
    if answer == right + sum(out for out, _ in shapes.values()):
        return _say(False, lang, _hint("04.1", "bias", lang))
    return _say(False, lang, _hint("04.1", "other", lang))


def _attention_variants(q, k, v):
    """The right causal attention and the usual mistakes, to tell the reader which one they wrote."""
    import math

    d_head, T = q.shape[-1], q.shape[-2]
    future = torch.ones(T, T, dtype=torch.bool).triu(1)
    raw = q @ k.transpose(-2, -1)

    def attend(scores, masked=True, dim=-1):
        if masked:
            scores = scores.masked_fill(future, float("-inf"))
        return torch.softmax(scores, dim=dim) @ v
    return {"right": attend(raw / math.sqrt(d_head)), "scale": attend(raw), "scale_d": attend(raw / d_head),
            "mask": attend(raw / math.sqrt(d_head), masked=False),
            "dim": attend(raw / math.sqrt(d_head), dim=-2)}


def check_causal_attention(answer, lang):
    if not callable(answer):
        return _say(False, lang, _hint("04.2", "type", lang))
    gen = torch.Generator().manual_seed(4)
    for shape in [(2, 5, 8), (4, 7, 16)]:
        q, k, v = (torch.randn(*shape, generator=gen) for _ in range(3))
        try:
            got = answer(q.clone(), k.clone(), v.clone())
        except Exception as e:  # the reader's code: report, don't crash the notebook
            return _say(False, lang, _hint("04.2", "error", lang, error=f"{type(e).__name__}: {e}"))
        if got is None:
            print(EMPTY_FUNCTION[lang])
            return False
        if not torch.is_tensor(got):
            return _say(False, lang, _hint("04.2", "type", lang))
        if got.shape != q.shape:
            return _say(False, lang, _hint("04.2", "shape", lang, shape=tuple(q.shape), got=tuple(got.shape)))
        variants = _attention_variants(q, k, v)
        match = next((name for name, want in variants.items() if torch.allclose(got.float(), want, atol=1e-4)),
                     "other")
        if match != "right":
            return _say(False, lang, _hint("04.2", match, lang))
    return _say(True, lang)


def check_most_important_head(answer, lang, model, tokenizer, prompts, lexicon):
    from .attention import attention_from_last, fact_batch, head_importance

    if (not isinstance(answer, (tuple, list)) or len(answer) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in answer)):
        return _say(False, lang, _hint("04.3", "type", lang))
    cfg = model.config
    layer, head = answer
    if not (0 <= layer <= cfg.n_layer and 0 <= head <= cfg.n_head):  # (n_layer, n_head) may be a 1-based answer
        return _say(False, lang, _hint("04.3", "type", lang))
    _, seqs, subjects, answers = fact_batch(prompts, lexicon, tokenizer)
    drop = head_importance(model, seqs, answers)
    best = divmod(int(drop.argmax()), cfg.n_head)
    if (layer, head) == best:
        return _say(True, lang)
    if (layer - 1, head - 1) == best:
        return _say(False, lang, _hint("04.3", "one_based", lang))
    if not (0 <= layer < cfg.n_layer and 0 <= head < cfg.n_head):
        return _say(False, lang, _hint("04.3", "type", lang))
    looks = attention_from_last(model, seqs, subjects).mean(0)
    key = "attention" if (layer, head) == divmod(int(looks.argmax()), cfg.n_head) else "other"
    return _say(False, lang, _hint("04.3", key, lang, got=drop[layer, head].item(), best=drop.max().item()))


def _lens_last(model, tokenizer, text):
    """Logit-lens probabilities at the last position of `text`, for every layer: [L+1, V]."""
    from .lens import decode, residual_states

    return torch.softmax(decode(model, residual_states(model, tokenizer.encode(text))[:, -1]).float(), dim=-1)


def check_lens_first_layer(answer, lang, model, tokenizer, text, target):
    from .lens import first_layer_on_top

    last = model.config.n_layer
    ids = tokenizer.encode(target)
    if len(ids) != 1:
        raise ValueError(f"{target!r} is not one token in this tokenizer: choose another answer for the exercise")
    probs = _lens_last(model, tokenizer, text)
    right = first_layer_on_top(probs, ids[0])
    if right is None:
        raise ValueError(f"the model does not end with {target!r} after {text!r}: choose another prompt")
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer <= last:
        return _say(False, lang, _hint("07.1", "type", lang, last=last))
    if answer == right:
        return _say(True, lang)
    top = probs.argmax(-1).tolist()
    if top[answer] != ids[0]:
        got = tokenizer.token_str(top[answer])
        return _say(False, lang, _hint("07.1", "not_top", lang, answer=answer, got=got, target=target))
    if answer < right:
        lost = next(k for k in range(answer, last + 1) if top[k] != ids[0])
        return _say(False, lang, _hint("07.1", "lost", lang, answer=answer, lost=lost,
                                       got=tokenizer.token_str(top[lost])))
    return _say(False, lang, _hint("07.1", "later", lang, answer=answer))


def check_lens_function(answer, lang, model, tokenizer, texts):
    if not callable(answer):
        return _say(False, lang, _hint("07.2", "type", lang))
    for text in texts:
        top = _lens_last(model, tokenizer, text).argmax(-1).tolist()
        for layer, token in enumerate(top):
            want = tokenizer.token_str(token)
            try:
                got = answer(text, layer)
            except Exception as e:  # the reader's code: report, don't crash the notebook
                return _say(False, lang, _hint("07.2", "error", lang, error=f"{type(e).__name__}: {e}"))
            if got is None:
                print(EMPTY_FUNCTION[lang])
                return False
            if got != want:
                return _say(False, lang, _hint("07.2", "wrong", lang, text=text, layer=layer, want=want, got=got))
    return _say(True, lang)


def check_layer_cosine(answer, lang, model, tokenizer, texts, layer):
    from .lens import residual_states
    from .probes import cosine_by_layer

    if not isinstance(answer, (int, float)) or isinstance(answer, bool) or not -1.001 <= answer <= 1.001:
        return _say(False, lang, _hint("07.3", "type", lang))
    a, b = (residual_states(model, tokenizer.encode(t))[:, -1] for t in texts)
    cos = cosine_by_layer(a, b).tolist()
    near = lambda k: abs(answer - cos[k]) <= 0.01  # noqa: E731 (the answer is rounded to two digits)
    if near(layer):
        return _say(True, lang)
    if near(0):
        return _say(False, lang, _hint("07.3", "layer0", lang, layer=layer))
    if any(near(k) for k in (layer - 1, layer + 1) if 0 <= k < len(cos)):
        return _say(False, lang, _hint("07.3", "off_by_one", lang, layer=layer))
    return _say(False, lang, _hint("07.3", "other", lang, layer=layer))


def _is_number(answer) -> bool:
    return isinstance(answer, (int, float)) and not isinstance(answer, bool)


def check_cosine_by_hand(answer, lang, model, tokenizer, words):
    from .embeddings import word_tokens

    if not _is_number(answer) or not -1.0001 <= answer <= 1.0001:
        return _say(False, lang, _hint("03.1", "type", lang))
    a, b = (model.embed.weight.detach()[word_tokens(tokenizer, w, lang)[0]].double() for w in words)
    right = float(a @ b / (a.norm() * b.norm()))
    if abs(answer - right) < 1e-3:
        return _say(True, lang)
    key = "dot" if abs(answer - float(a @ b)) < 1e-3 else "other"
    return _say(False, lang, _hint("03.1", key, lang))


def check_analogy_target(answer, lang, vectors, tokenizer, target):
    from .embeddings import analogy, word_tokens

    if not isinstance(answer, (tuple, list)) or len(answer) != 3 or not all(isinstance(w, str) for w in answer):
        return _say(False, lang, _hint("03.2", "type", lang))
    words = [w.strip() for w in answer]
    if target in words:
        return _say(False, lang, _hint("03.2", "target", lang, target=target))
    ids = []
    for w in words:
        tokens = word_tokens(tokenizer, w, lang)
        if len(tokens) != 1:
            pieces = " + ".join(repr(tokenizer.token_str(t)) for t in tokens)
            return _say(False, lang, _hint("03.2", "pieces", lang, word=w, pieces=pieces))
        ids.append(tokens[0])
    got = tokenizer.token_str(analogy(vectors, *ids, k=1)[0][0]).strip()
    if got == target:
        return _say(True, lang)
    return _say(False, lang, _hint("03.2", "wrong", lang, a=words[0], b=words[1], c=words[2], got=got, target=target))


def check_untied_share(answer, lang, model):
    if not _is_number(answer):
        return _say(False, lang, _hint("03.3", "type", lang))
    n_embed, total = model.embed.weight.numel(), model.num_parameters()
    right = 2 * n_embed / (total + n_embed)  # a separate unembedding adds n_embed weights to both
    if abs(answer - right) < 2e-3:
        return _say(True, lang)
    guesses = {"percent": 100 * right, "tied": n_embed / total, "total": 2 * n_embed / total}
    for key, value in guesses.items():
        if abs(answer - value) < max(2e-3, 0.01 * value):
            return _say(False, lang, _hint("03.3", key, lang))
    return _say(False, lang, _hint("03.3", "other" if 0 <= answer <= 1 else "type", lang))

def check_ffn_by_hand(answer, lang, model, n_positions=5):
    import torch.nn.functional as F

    from .model import NO_HOOKS

    if not callable(answer):
        return _say(False, lang, _hint("05.1", "type", lang))
    g = torch.Generator().manual_seed(0)
    for block in model.blocks:
        ffn = block.ffn
        x = torch.randn(n_positions, model.config.d_model, generator=g).to(model.device)
        with torch.no_grad():
            want = ffn(x, NO_HOOKS, "")
            try:
                got = answer(block, x)
            except Exception as e:  # the reader's code: report, don't crash the notebook
                return _say(False, lang, _hint("05.1", "error", lang, error=f"{type(e).__name__}: {e}"))
        if got is None:
            print(EMPTY_FUNCTION[lang])
            return False
        if not torch.is_tensor(got):
            return _say(False, lang, _hint("05.1", "type", lang))
        if tuple(got.shape) != tuple(want.shape):
            return _say(False, lang, _hint("05.1", "shape", lang, got=tuple(got.shape), want=tuple(want.shape)))
        diff = (got.float() - want).abs().max().item()
        if diff > 1e-5:
            if ffn.gate is None:  # the usual slips: exact GELU, or no biases
                with torch.no_grad():
                    exact = F.gelu(ffn.up(x)) @ ffn.down.weight.T + ffn.down.bias
                    no_bias = F.gelu(x @ ffn.up.weight.T, approximate="tanh") @ ffn.down.weight.T
                if (got.float() - exact).abs().max().item() < 1e-5:
                    return _say(False, lang, _hint("05.1", "gelu", lang, diff=diff))
                if (got.float() - no_bias).abs().max().item() < 1e-5:
                    return _say(False, lang, _hint("05.1", "bias", lang))
            return _say(False, lang, _hint("05.1", "other", lang, diff=diff))
    return _say(True, lang)


def check_top_neuron(answer, lang, model, tokenizer, layer, token):
    from .neurons import value_logits

    V = value_logits(model, layer)
    n = V.shape[1]
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < n:
        return _say(False, lang, _hint("05.2", "type", lang, n=n - 1))
    t = tokenizer.encode(token)[0]
    raw = model.unembed.weight @ model.blocks[layer].ffn.down.weight  # also right: without the norm's gain
    if answer in (int(V[t].argmax()), int(raw[t].argmax())):
        return _say(True, lang)
    got = tokenizer.token_str(int(V[:, answer].argmax()))
    return _say(False, lang, _hint("05.2", "other", lang, answer=answer, got=got, token=token))


def check_restore_hook(answer, lang, model, tokenizer, prompt, lexicon):
    from .tracing import add_noise_hook, answer_prob, noise_scale, restore_hook, subject_positions

    if not callable(answer):
        return _say(False, lang, _hint("05.3", "type", lang))
    ids = torch.tensor([tokenizer.encode(prompt.text)], device=model.device)
    subject = subject_positions(tokenizer, prompt.text, lexicon, prompt.subject)
    target = tokenizer.encode(prompt.answer)[0]
    L, last = model.config.n_layer, ids.shape[1] - 1
    names = [f"blocks.{L - 1}.resid_post", "blocks.0.resid_post"]
    with torch.no_grad():
        _, clean = model.run_with_cache(ids, names=names)
    noise = torch.randn(len(subject), model.config.d_model, generator=torch.Generator().manual_seed(0))
    corrupt = add_noise_hook(subject, (noise * noise_scale(model)).to(model.device))
    for name, position in [(names[0], last), (names[1], subject[-1]), (names[1], last)]:
        with torch.no_grad():
            want = answer_prob(model(ids, hooks={"embed": corrupt, name: restore_hook([0], [position], clean[name])})[0],
                               target).item()
            try:
                hook = answer(clean[name], position)
                if hook is None:  # the template function, not filled in yet
                    print(EMPTY_FUNCTION[lang])
                    return False
                if not callable(hook):
                    return _say(False, lang, _hint("05.3", "type", lang))
                if hook(clean[name] + 1.0, name) is None:  # a stand-in for a corrupted activation
                    return _say(False, lang, _hint("05.3", "none", lang))
                got = answer_prob(model(ids, hooks={"embed": corrupt, name: hook})[0], target).item()
            except Exception as e:  # the reader's code: report, don't crash the notebook
                return _say(False, lang, _hint("05.3", "error", lang, error=f"{type(e).__name__}: {e}"))
        if abs(got - want) > 1e-4:
            return _say(False, lang, _hint("05.3", "wrong", lang, name=name, position=position, got=got, want=want))
    return _say(True, lang)


CHECKS = {"01.1": check_token_count, "01.2": check_most_likely_next, "01.3": check_chat_prompt,
          "02.1": check_utf8_bytes, "02.2": check_most_frequent_pair, "02.3": check_min_vocab_size,
          "08.1": check_temperature_prob, "08.2": check_temperature_function, "08.3": check_hardest_token,
          "06.1": check_mse_gradients, "06.2": check_uniform_loss, "06.3": check_block_parameters,
          "04.1": check_gqa_weights, "04.2": check_causal_attention, "04.3": check_most_important_head,
          "07.1": check_lens_first_layer, "07.2": check_lens_function, "07.3": check_layer_cosine,
          "03.1": check_cosine_by_hand, "03.2": check_analogy_target, "03.3": check_untied_share,
          "05.1": check_ffn_by_hand, "05.2": check_top_neuron, "05.3": check_restore_hook}


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
