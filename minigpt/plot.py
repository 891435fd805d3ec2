"""Small plotting helpers for the course, with fonts that cover Russian and Chinese.

Matplotlib's bundled DejaVu Sans has Latin and Cyrillic but no hanzi, and a CJK
font may not be installed (CI, Colab, a fresh laptop). So minigpt ships a subset
of Noto Sans CJK SC (SIL OFL 1.1, see data/fonts/OFL.txt; made by
scripts/make_font_subset.py) and registers it here, on import.

The helpers return the Axes and never call plt.show(): a notebook shows the
figure at the end of the cell, a script decides itself.
"""

import os
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager

FONT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "data", "fonts", "NotoSansCJKsc-Subset.otf")

# Full CJK fonts commonly found on Linux, macOS, Windows and Colab; used only when
# the shipped font is missing. The first one that is installed and really has
# hanzi wins. Matplotlib reads only the first face of a .ttc collection, so
# Debian/Ubuntu/Colab's fonts-noto-cjk shows up as "Noto Sans CJK JP" (it still
# has all the hanzi, in Japanese glyph style).
SYSTEM_CJK_FAMILIES = [
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "Noto Sans CJK JP", "Noto Serif CJK JP",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback",
    "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti",
    "Microsoft YaHei", "SimHei", "Arial Unicode MS",
]

_warned = False  # warn about a broken install once per session, not on every call


def _has_hanzi(path):
    """True if the font file at `path` maps a common hanzi to a glyph."""
    try:
        return ord("概") in font_manager.get_font(path).get_charmap()
    except Exception:  # unreadable file: treat as no glyphs
        return False


def _register(path):
    """Add the font file to matplotlib's font manager (once); return its family name."""
    path = os.path.abspath(path)
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)  # raises if missing or not a font
    if not _has_hanzi(path):
        raise ValueError("the file has no CJK glyphs")
    return font_manager.get_font(path).family_name


def _system_cjk_family():
    """Name of an installed font with CJK glyphs, or None."""
    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_CJK_FAMILIES:
        if family in installed and _has_hanzi(installed[family]):
            return family
    return None


def setup_fonts():
    """Make Latin, Cyrillic and Chinese text render in matplotlib. Idempotent and cheap.

    The shipped Noto subset goes first: its Latin, Cyrillic and CJK glyphs share
    one design and baseline, so mixed titles like "Вероятность / 概率" look even.
    DejaVu Sans (always bundled with matplotlib) comes next, because matplotlib
    falls back per glyph and picks up the few symbols the subset lacks (e.g. '↵').
    Returns the list of families used.
    """
    global _warned
    families = []
    try:
        families.append(_register(FONT_PATH))
    except Exception as e:
        fallback = _system_cjk_family()
        if fallback:
            families.append(fallback)
        if not _warned:
            _warned = True
            found = (f"Using the system font '{fallback}' instead." if fallback else
                     "No system font with Chinese glyphs was found either, so Chinese "
                     "text in plots will show as empty boxes.")
            warnings.warn(
                f"minigpt.plot: the font shipped with minigpt is missing or unreadable "
                f"({FONT_PATH}: {e}). {found} To fix it, reinstall minigpt from the "
                f"course repository (pip install --force-reinstall . in its root), "
                f"or clone the repository again.",
                stacklevel=2)
    families.append("DejaVu Sans")
    # Per-glyph fallback works across the names in "font.family" only (a generic
    # name like "sans-serif" resolves to a single font), so list them explicitly.
    matplotlib.rcParams["font.family"] = families
    # and also put them first for code that asks for "sans-serif" by name
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f not in families]
    matplotlib.rcParams["font.sans-serif"] = families + rest
    matplotlib.rcParams["axes.unicode_minus"] = True  # a real '−' (the subset has U+2212)
    return families


def readable_token(token):
    """Make invisible characters of a token visible: ' ' -> '␣', newline -> '↵', tab -> '⇥'."""
    if token == "":
        return "∅"
    return token.replace(" ", "␣").replace("\n", "↵").replace("\t", "⇥").replace("\r", "\\r")


def _numpy(x):
    """Array of floats from a list, numpy array or torch tensor (on any device)."""
    if hasattr(x, "detach"):
        x = x.detach().float().cpu().numpy()
    return np.asarray(x, dtype=float)


def _new_axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def bar_probs(tokens, probs, title=None, ax=None, xlabel=None):
    """Horizontal bars for candidate next tokens, most likely on top.

    tokens: list of str; probs: their probabilities (list, array or tensor).
    """
    probs = _numpy(probs)
    labels = [readable_token(t) for t in tokens]
    ax = _new_axes(ax, (6, 0.35 * len(labels) + 1.2))
    y = np.arange(len(labels))
    ax.barh(y, probs, color="tab:blue")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()  # first (most likely) token at the top, read like a list
    for yi, p in zip(y, probs):
        ax.text(p, yi, f" {p:.3f}", va="center", fontsize=9)
    ax.set_xlim(0, max(float(probs.max(initial=0)), 1e-9) * 1.18)  # room for the numbers
    ax.spines[["top", "right"]].set_visible(False)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


def line_losses(history, ax=None, labels=None, title=None, xlabel=None, ylabel=None):
    """Train and validation loss curves.

    history: {"step": [...], "train": [...], "valid_step": [...], "valid": [...]};
    the validation part is optional (it is usually measured less often).
    labels: legend names, e.g. {"train": "обучение", "valid": "валидация"}.
    """
    labels = {"train": "train", "valid": "valid", **(labels or {})}
    ax = _new_axes(ax, (6, 3.5))
    ax.plot(history["step"], _numpy(history["train"]), label=labels["train"], alpha=0.8)
    if len(history.get("valid", [])):
        ax.plot(history["valid_step"], _numpy(history["valid"]), "o-",
                label=labels["valid"], markersize=4)
    ax.grid(alpha=0.3)
    ax.legend()
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def heatmap(matrix, row_labels, col_labels, title=None, ax=None, cmap="viridis",
            annotate=None, token_labels=True, colorbar=True):
    """Matrix as a colour grid, e.g. attention weights (rows: queries, columns: keys).

    NaN cells (say, masked future positions) are left blank. annotate: write the
    values in the cells; by default only when the grid is small enough to read.
    token_labels: show spaces and newlines in the labels as '␣' and '↵'.
    """
    m = _numpy(matrix)
    if token_labels:
        row_labels = [readable_token(t) for t in row_labels]
        col_labels = [readable_token(t) for t in col_labels]
    ax = _new_axes(ax, (0.5 * m.shape[1] + 2.5, 0.45 * m.shape[0] + 1.5))
    im = ax.imshow(m, cmap=cmap, aspect="auto")
    ax.set_xticks(np.arange(m.shape[1]), col_labels, rotation=90 if m.shape[1] > 8 else 0)
    ax.set_yticks(np.arange(m.shape[0]), row_labels)
    if annotate is None:
        annotate = max(m.shape) <= 12
    if annotate:
        for (i, j), v in np.ndenumerate(m):
            if np.isnan(v):
                continue
            # white text on dark cells, black on light ones, whatever the colour map
            r, g, b, _ = im.cmap(im.norm(v))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")
    if colorbar:
        ax.figure.colorbar(im, ax=ax)
    if title:
        ax.set_title(title)
    return ax


setup_fonts()


def line_series(x, series, ax=None, title=None, xlabel=None, ylabel=None, marker="o"):
    """Several named curves over the same x values, e.g. characters per token against vocabulary size.

    series: {legend label: y values}, e.g. {"русский": [...], "китайский": [...]}.
    """
    ax = _new_axes(ax, (6, 3.5))
    for label, ys in series.items():
        ax.plot(_numpy(x), _numpy(ys), marker=marker, markersize=4, label=label)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.spines[["top", "right"]].set_visible(False)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def scatter_words(coords, words, groups=None, arrows=(), ax=None, title=None, fontsize=8):
    """Points with their words written next to them, e.g. a 2-D projection of word vectors.

    coords: [N, 2]; words: N labels; groups: N group names (one colour and one legend entry each);
    arrows: (i, j) index pairs, drawn as grey arrows from point i to point j (e.g. country -> capital).
    """
    xy = _numpy(coords)
    groups = list(groups) if groups is not None else [None] * len(words)
    ax = _new_axes(ax, (8, 6))
    for i, j in arrows:
        ax.annotate("", xy[j], xy[i], arrowprops=dict(arrowstyle="->", color="grey", alpha=0.45, lw=0.8))
    for group in dict.fromkeys(groups):  # first-seen order, so the legend follows the data
        rows = [k for k, g in enumerate(groups) if g == group]
        ax.scatter(xy[rows, 0], xy[rows, 1], s=16, label=group, zorder=3)
    for (x, y), word in zip(xy, words):
        ax.annotate(readable_token(str(word).strip()), (x, y), xytext=(3, 2), textcoords="offset points",
                    fontsize=fontsize)
    if any(g is not None for g in groups):
        ax.legend(fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return ax
