"""Fast checks of the book's structure and text (no notebook is executed here).

- every file listed in _toc.yml exists, and every notebook under notebooks/ is listed (and vice versa);
- the Russian and the Chinese parts of the toc list the same chapters in the same order;
- every notebook's first code cell is the Colab setup cell, installing from the URL in _config.yml;
- the repository URL is spelled the same everywhere (README, book pages, notebooks);
- no corrupted Chinese term (see the glossary) appears anywhere;
- book/ru pages are mostly Russian, book/zh pages mostly Chinese, and the Chinese text is Simplified.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"]["branch"]
LANGS = ("ru", "zh")
SUFFIXES = (".md", ".ipynb", ".rst")

NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
BOOK_PAGES = sorted((ROOT / "book").rglob("*.md"))

# The setup cell, line by line after its first line (a comment, translated in each language).
SETUP_TAIL = [
    "import sys",
    'if "google.colab" in sys.modules:',
    f'    !pip install -q "git+{REPO_URL}"',
]

# Terms produced by the synonym spinner that mangled the Chinese source text (glossary: "never use").
CORRUPTED_ZH = ["东谈主工智能", "提防力", "老到", "镶嵌", "筹算", "模子", "高下文", "神经收集", "散播", "言语模子", "鸿沟"]

# Traditional-only characters: each has a different Simplified form and is not itself used in Simplified text.
TRADITIONAL_ONLY = set(
    "這個們為說會來學體時對變應與關數資訊網絡語習頭點間見實號還讓當從發開處經類題務將計進錄壓權門電"
    "詞練裡過機製車書長東無動層歸換碼標陣視確專雜後麼樣讀寫測試驗據檔選擇隨溫頁參範構節識複輸閱線"
    "歷單義問圖導議論氣現態許隊該產術環區濟國華預訓損羅達薩奧維誤錯鍵輯邏擊萬億兩總並裏聽歡"
)

# GitHub repositories the book cites that are not the course repository.
EXTERNAL_GITHUB_REPOS = {"karpathy/nanoGPT"}

CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")
LATIN_WORD = re.compile(r"[A-Za-z]+")
HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------------------------------------- helpers

def toc_files(node=TOC):
    """All `root` / `file` entries of the toc, in order."""
    found = []
    if isinstance(node, dict):
        for key in ("root", "file"):
            if key in node:
                found.append(node[key])
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []) or []:
                found.extend(toc_files(child))
    return found


def resolve(entry: str) -> Path | None:
    """The file a toc entry points to (entries may omit the suffix), or None."""
    path = ROOT / entry
    if path.suffix in SUFFIXES and path.is_file():
        return path
    for suffix in SUFFIXES:
        candidate = path.with_name(path.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def lang_of(path: Path) -> str | None:
    rel = path.relative_to(ROOT).parts
    return next((p for p in rel if p in LANGS), None)


def notebook_text(path: Path, cell_types=("markdown", "code", "raw"), outputs=True) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    chunks = []
    for cell in nb["cells"]:
        if cell["cell_type"] not in cell_types:
            continue
        src = cell["source"]
        chunks.append("".join(src) if isinstance(src, list) else src)
        if outputs:
            for out in cell.get("outputs", []):
                chunks.append(json.dumps(out, ensure_ascii=False))
    return "\n".join(chunks)


def first_code_cell(path: Path):
    nb = nbformat.read(path, as_version=4)
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def prose(text: str) -> str:
    """Markdown with code, URLs and role/link targets removed: what a reader reads as words."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"<https?://[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "] ", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\{[a-z]+\}`[^`]*`", " ", text)
    return text


def script_units(text: str) -> dict:
    """Crude size of each script: Cyrillic and Latin words, Han characters (one Han character ~ one word)."""
    return {
        "cyrillic": len(CYRILLIC_WORD.findall(text)),
        "latin": len(LATIN_WORD.findall(text)),
        "han": len(HAN_CHAR.findall(text)),
    }


def texts_to_scan():
    """(path, text) for every file whose text must be clean: README, toc/config, book pages, notebooks."""
    for path in [ROOT / "README.md", ROOT / "_config.yml", ROOT / "_toc.yml", *BOOK_PAGES]:
        if path.is_file():
            yield path, path.read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        yield path, notebook_text(path)


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ---------------------------------------------------------------------------------------------- toc

def test_toc_format():
    assert TOC.get("format") == "jb-book"
    assert TOC.get("root") == "book/index"


def test_every_toc_file_exists():
    missing = [entry for entry in toc_files() if resolve(entry) is None]
    assert not missing, f"listed in _toc.yml but not found: {missing}"


def test_toc_has_no_duplicates():
    entries = toc_files()
    dupes = sorted({e for e in entries if entries.count(e) > 1})
    assert not dupes, f"listed more than once in _toc.yml: {dupes}"


def test_notebooks_and_toc_match():
    listed = {resolve(e) for e in toc_files() if e.startswith("notebooks/")}
    on_disk = set(NOTEBOOKS)
    assert not on_disk - listed, f"notebooks missing from _toc.yml: {sorted(rel(p) for p in on_disk - listed)}"
    assert not listed - on_disk, f"_toc.yml lists notebooks that do not exist: {sorted(map(str, listed - on_disk))}"
    assert NOTEBOOKS, "no notebooks under notebooks/"


def test_notebook_names():
    for path in NOTEBOOKS:
        assert lang_of(path) in LANGS and path.parent.parent == ROOT / "notebooks", rel(path)
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), f"{rel(path)}: expected NN_name.ipynb"


def test_ru_and_zh_parts_are_parallel():
    parts = TOC.get("parts", [])
    by_lang = {}
    for part in parts:
        files = toc_files({"chapters": part.get("chapters", [])})
        langs = {lang_of(ROOT / f) for f in files}
        assert len(langs) == 1 and None not in langs, (
            f"part {part.get('caption')!r} mixes languages or has files outside a ru/zh folder: {files}")
        lang = langs.pop()
        assert lang not in by_lang, f"two parts for language {lang}"
        by_lang[lang] = files
    assert set(by_lang) == set(LANGS), f"expected one part per language {LANGS}, got {sorted(by_lang)}"
    ru = [(Path(f).parent.parent.name, Path(f).name) for f in by_lang["ru"]]
    zh = [(Path(f).parent.parent.name, Path(f).name) for f in by_lang["zh"]]
    assert ru == zh, f"the ru and zh parts differ:\n ru: {by_lang['ru']}\n zh: {by_lang['zh']}"


def test_book_pages_all_in_toc():
    listed = {resolve(e) for e in toc_files()}
    stray = [rel(p) for p in BOOK_PAGES if p not in listed]
    assert not stray, f"pages under book/ that are not in _toc.yml (they would not be built): {stray}"


# ---------------------------------------------------------------------------------------------- config

def test_config_essentials():
    assert CONFIG["execute"]["execute_notebooks"] == "off", "the book shows stored outputs; it must not execute"
    assert CONFIG["only_build_toc_files"] is True
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPO_URL), REPO_URL
    assert CONFIG["launch_buttons"]["colab_url"] == "https://colab.research.google.com"


# ---------------------------------------------------------------------------------------------- notebooks

@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_notebook_is_valid(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    # The setup cell uses IPython's `!pip`; with a plain "python" lexer Sphinx warns and the -W build fails.
    lexer = nb.metadata.get("language_info", {}).get("pygments_lexer")
    assert lexer == "ipython3", (
        f"{rel(path)}: metadata.language_info.pygments_lexer is {lexer!r}, expected 'ipython3' "
        "(executing the notebook with the python3 kernel sets it)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_first_code_cell_is_the_setup_cell(path):
    cell = first_code_cell(path)
    assert cell is not None, f"{rel(path)} has no code cell"
    lines = cell.source.strip("\n").splitlines()
    assert lines and lines[0].startswith("# ") and "Colab" in lines[0], (
        f"{rel(path)}: the setup cell must start with a comment line about Colab, got {lines[:1]}")
    comment = lines[0]
    if lang_of(path) == "ru":
        assert CYRILLIC_WORD.search(comment), f"{rel(path)}: the setup cell's comment should be in Russian"
    else:
        assert HAN_CHAR.search(comment), f"{rel(path)}: the setup cell's comment should be in Chinese"
    assert lines[1:] == SETUP_TAIL, (
        f"{rel(path)}: the first code cell must be the setup cell installing from {REPO_URL} "
        f"(the URL in _config.yml):\n" + "\n".join(SETUP_TAIL) + "\ngot:\n" + "\n".join(lines[1:]))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_only_one_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    installs = [c for c in nb.cells if c.cell_type == "code" and "pip install" in c.source]
    assert len(installs) == 1, f"{rel(path)}: expected exactly one cell with `pip install` (the setup cell)"


# ---------------------------------------------------------------------------------------------- URLs

def test_repository_url_is_the_same_everywhere():
    owner_repo = REPO_URL.removeprefix("https://github.com/")
    problems = []
    for path, text in texts_to_scan():
        for url in re.findall(r"git\+(https?://[^\s\"'<>)\\]+)", text):
            if url.rstrip("/") != REPO_URL:
                problems.append(f"{rel(path)}: pip installs from {url}")
        for url in re.findall(r"git clone (\S+)", text):
            if url.rstrip("/").removesuffix(".git") != REPO_URL:
                problems.append(f"{rel(path)}: clones {url}")
        for repo, branch in re.findall(r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/([\w.-]+)/", text):
            if repo != owner_repo or branch != BRANCH:
                problems.append(f"{rel(path)}: Colab link to {repo}@{branch}")
        for repo in re.findall(r"(?<![\w.])github\.com/([\w.-]+/[\w-]+)", text):
            if repo != owner_repo and repo not in EXTERNAL_GITHUB_REPOS:
                problems.append(f"{rel(path)}: link to github.com/{repo} (course repo is {owner_repo}; "
                                "add cited external repos to EXTERNAL_GITHUB_REPOS)")
    assert not problems, "repository URL differs from _config.yml:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------- text

def test_no_corrupted_chinese_terms():
    hits = [f"{rel(path)}: {term}" for path, text in texts_to_scan() for term in CORRUPTED_ZH if term in text]
    assert not hits, "corrupted Chinese terms (see the glossary for the correct ones):\n" + "\n".join(hits)


@pytest.mark.parametrize("lang", LANGS)
def test_book_pages_are_in_their_language(lang):
    pages = sorted((ROOT / "book" / lang).glob("*.md"))
    assert pages, f"no pages in book/{lang}"
    target = {"ru": "cyrillic", "zh": "han"}[lang]
    for page in pages:
        units = script_units(prose(page.read_text(encoding="utf-8")))
        total = sum(units.values())
        assert total and units[target] / total >= 0.5, f"{rel(page)} is not mostly {target}: {units}"
        other = {"ru": "han", "zh": "cyrillic"}[lang]
        assert units[other] == 0, f"{rel(page)} contains {other} text: {units}"


def test_chinese_text_is_simplified():
    sources = [(p, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "book" / "zh").glob("*.md"))]
    sources += [(p, notebook_text(p, cell_types=("markdown",), outputs=False))
                for p in NOTEBOOKS if lang_of(p) == "zh"]
    sources.append((ROOT / "book" / "index.md", (ROOT / "book" / "index.md").read_text(encoding="utf-8")))
    hits = [f"{rel(p)}: {''.join(sorted(set(text) & TRADITIONAL_ONLY))}"
            for p, text in sources if set(text) & TRADITIONAL_ONLY]
    assert not hits, "traditional characters in Simplified Chinese text:\n" + "\n".join(hits)


CJK_CHAR = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…]")


def soft_breaks_in_chinese(markdown: str) -> list[str]:
    """Lines joined to a previous Chinese line by a plain line break (rendered as a stray space)."""
    found, fence, prev = [], False, ""
    for line in markdown.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            prev = ""
            continue
        starts_block = (not stripped or stripped.startswith(("#", "|", ":::", "- ", "* ", ">", "$$"))
                        or re.match(r"\d+\. ", stripped) or stripped.startswith(":"))
        prev_is_text = prev and not prev.startswith(("#", "|", ":::", "$$")) and not fence
        if not fence and not starts_block and prev_is_text and (CJK_CHAR.match(prev[-1]) or CJK_CHAR.match(stripped[0])):
            found.append(f"{prev[-20:]!r} ⏎ {stripped[:20]!r}")
        prev = "" if fence else stripped
    return found


def test_no_line_breaks_inside_chinese_paragraphs():
    """A line break inside a Chinese paragraph renders as a space between characters: write it on one line."""
    sources = [(p, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "book" / "zh").glob("*.md"))]
    sources.append((ROOT / "book" / "index.md", (ROOT / "book" / "index.md").read_text(encoding="utf-8")))
    for p in NOTEBOOKS:
        if lang_of(p) == "zh":
            nb = nbformat.read(p, as_version=4)
            sources += [(p, c.source) for c in nb.cells if c.cell_type == "markdown"]
    hits = [f"{rel(p)}: {hit}" for p, text in sources for hit in soft_breaks_in_chinese(text)]
    assert not hits, "line breaks inside Chinese paragraphs (join the lines):\n" + "\n".join(hits)
