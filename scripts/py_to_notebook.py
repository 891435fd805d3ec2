"""Turn a chapter written as a percent-format script into a notebook (an authoring aid).

Cells are separated by lines `# %%` (code) and `# %% [markdown]` (markdown; each line starts with "# ").
The notebook is the source of truth once written: edit it in Jupyter afterwards, or regenerate it from
the script and re-run `scripts/run_notebooks.py --write` to store the outputs.
"""

import sys
from pathlib import Path

import nbformat


def parse(text: str):
    cells, kind, lines = [], None, []

    def flush():
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#") for l in body.splitlines())
        if kind is not None and body.strip():
            make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
            cells.append(make(body))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    return cells


def convert(src: Path, dst: Path):
    nb = nbformat.v4.new_notebook()
    nb.cells = parse(src.read_text(encoding="utf-8"))
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"  # stable ids keep diffs small
    nbformat.write(nb, dst)


if __name__ == "__main__":
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
