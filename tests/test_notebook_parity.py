"""The Russian and Chinese notebook of a chapter run the same code: only comments and strings differ."""

import ast
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
RU = sorted((ROOT / "notebooks" / "ru").glob("*.ipynb"))


class _BlankStrings(ast.NodeTransformer):
    """Replace every string literal by the same placeholder (displayed text is translated)."""

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant("…"), node)
        return node

    def visit_JoinedStr(self, node):
        # an f-string: its literal text is translated, its {expressions:format} must stay the same
        node.values = [self.visit_FormattedValue(v) for v in node.values if isinstance(v, ast.FormattedValue)]
        return node

    def visit_FormattedValue(self, node):
        node.value = self.visit(node.value)  # the format spec is left as it is
        return node


def code_shape(source: str) -> str:
    """The code of a cell without comments, strings and shell/magic lines, as an AST dump."""
    # a shell or magic line becomes `pass` at its indent, so the block around it stays valid Python
    lines = [l[: len(l) - len(l.lstrip())] + "pass" if l.lstrip().startswith(("!", "%")) else l
             for l in source.splitlines()]
    tree = _BlankStrings().visit(ast.parse("\n".join(lines)))
    return ast.dump(tree)


def code_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_every_chapter_exists_in_both_languages():
    ru = {p.name for p in RU}
    zh = {p.name for p in (ROOT / "notebooks" / "zh").glob("*.ipynb")}
    assert ru and ru == zh, f"only in ru: {sorted(ru - zh)}, only in zh: {sorted(zh - ru)}"


@pytest.mark.parametrize("ru_path", RU, ids=lambda p: p.stem)
def test_same_code_in_both_languages(ru_path):
    zh_path = ROOT / "notebooks" / "zh" / ru_path.name
    ru_cells, zh_cells = code_cells(ru_path), code_cells(zh_path)
    assert len(ru_cells) == len(zh_cells), f"{ru_path.name}: {len(ru_cells)} code cells in ru, {len(zh_cells)} in zh"
    for k, (a, b) in enumerate(zip(ru_cells, zh_cells)):
        assert code_shape(a) == code_shape(b), f"{ru_path.name}: code cell {k} differs beyond comments and strings:\n{a}\n---\n{b}"


def test_shape_ignores_strings_and_comments_only():
    assert code_shape('x = f(1, "кошка")  # комментарий') == code_shape("x = f(1, '猫')  # 注释")
    assert code_shape('print(f"шаг {i:2d}")') == code_shape('print(f"第 {i:2d} 步")')
    assert code_shape("x = f(1)") != code_shape("x = f(2)")
    setup = 'import sys\nif "google.colab" in sys.modules:\n    !pip install -q "git+https://x"'
    assert code_shape(setup) == code_shape(setup.replace("x", "y"))
    assert code_shape('print(f"{a}")') != code_shape('print(f"{b}")')
    assert code_shape('print(f"{a:.2f}")') != code_shape('print(f"{a:.3f}")')
