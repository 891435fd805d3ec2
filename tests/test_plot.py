"""Plots must show real Russian and Chinese glyphs on any machine (no tofu boxes)."""

import io
import os
import warnings

import matplotlib

matplotlib.use("Agg")  # headless, and the backend the notebooks' PNGs come from

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager, ft2font  # noqa: E402

from minigpt import plot  # noqa: E402

# Strings the chapters put on plots, plus the symbols the helpers draw themselves.
LABELS = [
    "вероятность", "следующий токен", "Вероятность следующего токена", "Париж",
    "обучение", "валидация", "функция потерь", "шаг", "ёжик", "ЁЖ",
    "概率", "下一个词元", "损失", "训练", "验证", "注意力", "嵌入", "温度", "巴黎",
    "步数", "词元", "模型", "的", "，：！？（）、。《》", "−→×≈·…«»—",
]


def gb2312_level1():
    """The 3,755 most common hanzi: GB2312 rows 16-55."""
    chars = []
    for row in range(16, 56):
        for cell in range(1, 95):
            try:
                chars.append(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def render(fig):
    """PNG bytes of the figure (forces every text to be laid out and drawn)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    plt.close(fig)
    return buf.getvalue()


def text_bitmap(text, family):
    """Pixels of `text` drawn alone with the given font family."""
    fig = plt.figure(figsize=(1, 1), dpi=50)
    fig.text(0.5, 0.5, text, family=family, fontsize=30, ha="center", va="center")
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., 0].copy()
    plt.close(fig)
    return pixels


def test_font_file_and_license_shipped():
    assert os.path.getsize(plot.FONT_PATH) > 100_000
    ofl = os.path.join(os.path.dirname(plot.FONT_PATH), "OFL.txt")
    with open(ofl, encoding="utf-8") as f:
        assert "SIL OPEN FONT LICENSE Version 1.1" in f.read()


def test_font_has_glyphs_for_course_labels():
    charmap = ft2font.FT2Font(plot.FONT_PATH).get_charmap()
    missing = {c for label in LABELS for c in label if ord(c) not in charmap}
    assert not missing, f"shipped font lacks {sorted(missing)}"
    missing = [c for c in gb2312_level1() if ord(c) not in charmap]
    assert not missing, f"{len(missing)} common hanzi missing, e.g. {missing[:10]}"


def test_configured_font_is_the_shipped_one():
    assert plot.setup_fonts()[0] == "Noto Sans CJK SC Subset"
    assert plot.setup_fonts() == plot.setup_fonts()  # idempotent
    family = matplotlib.rcParams["font.family"][0]
    found = font_manager.findfont(font_manager.FontProperties(family=family),
                                  fallback_to_default=False)
    assert os.path.samefile(found, plot.FONT_PATH)


def test_mixed_labels_render_without_missing_glyphs():
    history = {"step": [0, 10, 20], "train": [4.0, 3.0, 2.5],
               "valid_step": [0, 20], "valid": [4.1, 2.7]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" becomes a failure
        fig, axes = plt.subplots(1, 3, figsize=(12, 3))
        fig.suptitle("Следующий токен / 下一个词元: " + " ".join(LABELS))
        plot.bar_probs([" Париж", "巴黎", "\n", " ", "\t", ""], [0.5, 0.2, 0.1, 0.1, 0.05, 0.05],
                       title="вероятность / 概率", ax=axes[0], xlabel="概率")
        plot.line_losses(history, ax=axes[1], labels={"train": "训练", "valid": "валидация"},
                         title="损失 / функция потерь", xlabel="шаг", ylabel="损失 (−log p)")
        plot.heatmap(np.array([[1.0, np.nan], [0.3, 0.7]]), ["我", " кот"], ["我", " кот"],
                     title="注意力 / внимание", ax=axes[2])
        assert render(fig)[:4] == b"\x89PNG"


def test_helpers_return_axes_and_accept_tensors():
    torch = pytest.importorskip("torch")
    ax = plot.bar_probs(["a", "b"], torch.tensor([0.7, 0.3]))
    assert isinstance(ax, matplotlib.axes.Axes)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    ax = plot.heatmap(torch.eye(2), ["x", "y"], ["x", "y"])
    assert isinstance(ax, matplotlib.axes.Axes)
    plt.close("all")


def test_readable_token():
    assert plot.readable_token(" the\n") == "␣the↵"
    assert plot.readable_token("\t") == "⇥"
    assert plot.readable_token("") == "∅"


def test_cjk_text_is_not_tofu():
    ours = text_bitmap("概", plot.setup_fonts()[0])
    assert (ours < 128).sum() > 20, "nothing was drawn"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DejaVu lacks the glyph: that is the point
        tofu = text_bitmap("概", "DejaVu Sans")
    assert not np.array_equal(ours, tofu)
    # Tofu boxes look alike for every character; real glyphs do not.
    assert not np.array_equal(ours, text_bitmap("率", plot.setup_fonts()[0]))


@pytest.mark.parametrize("system_cjk", [True, False])
def test_missing_font_warns_once(monkeypatch, system_cjk):
    monkeypatch.setattr(plot, "FONT_PATH", "/nonexistent/NotoSansCJKsc-Subset.otf")
    monkeypatch.setattr(plot, "_warned", False)
    if not system_cjk:  # like a bare CI machine: nothing to fall back to
        monkeypatch.setattr(plot, "SYSTEM_CJK_FAMILIES", [])
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            families = plot.setup_fonts()
            plot.setup_fonts()
        assert len(caught) == 1
        message = str(caught[0].message)
        assert "/nonexistent/NotoSansCJKsc-Subset.otf" in message
        assert "reinstall minigpt" in message
        assert "Noto Sans CJK SC Subset" not in families
        assert families[-1] == "DejaVu Sans"
        if not system_cjk:
            assert families == ["DejaVu Sans"] and "empty boxes" in message
    finally:
        monkeypatch.undo()
        plot.setup_fonts()  # leave the normal configuration for the other tests


def test_line_series_labels_render():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph fails the test
        ax = plot.line_series([256, 1024, 2048], {"русский": [0.5, 3.0, 4.3], "中文": [0.3, 1.5, 2.3]},
                              title="Сжатие / 压缩", xlabel="размер словаря", ylabel="每个词元的字符数")
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["русский", "中文"]
        assert render(ax.figure)[:4] == b"\x89PNG"
    plt.close("all")
