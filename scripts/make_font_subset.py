"""Build the small CJK + Cyrillic font that minigpt ships for its plots.

Why: the course draws plots with Russian and Chinese labels. Matplotlib's own
DejaVu Sans has Cyrillic but no hanzi, and we cannot count on a CJK font being
installed (CI, Colab, a reader's laptop). So the package carries a subset of
Noto Sans CJK SC Regular (SIL Open Font License 1.1) and `minigpt.plot`
registers it at import time. This script is the dev tool that makes that
subset; readers never run it.

What it needs (dev machine only, none of it goes into requirements.txt):
  * fonttools:        python -m venv /tmp/ftvenv && /tmp/ftvenv/bin/pip install fonttools
  * the source font:  apt-get install fonts-noto-cjk    (Debian / Ubuntu)
    which provides /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc and
    the OFL text in /usr/share/doc/fonts-noto-cjk/copyright.
    Any NotoSansCJK*.ttc / NotoSansCJKsc-Regular.otf works via --source.

How to run (from the repo root):
  /tmp/ftvenv/bin/python scripts/make_font_subset.py

It writes
  minigpt/data/fonts/NotoSansCJKsc-Subset.otf   the subset font (CFF-based OpenType)
  minigpt/data/fonts/OFL.txt                    copyright notice + OFL 1.1 text
The output is byte-for-byte reproducible for the same source font and fonttools.

The subset is a Modified Version under the OFL, so it gets its own family name
("Noto Sans CJK SC Subset"); that also keeps it from shadowing, or being
shadowed by, a full Noto Sans CJK SC that may be installed on the system.
"""

import argparse
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO, "minigpt", "data", "fonts")
OUT_FONT = "NotoSansCJKsc-Subset.otf"
DEFAULT_SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_LICENSE_SOURCE = "/usr/share/doc/fonts-noto-cjk/copyright"

SOURCE_FAMILY = "Noto Sans CJK SC"  # exact name-table family; excludes "Noto Sans Mono CJK SC"
NEW_FAMILY = "Noto Sans CJK SC Subset"
NEW_PS_NAME = "NotoSansCJKscSubset-Regular"

MAX_BYTES = 4_300_000  # level-2 hanzi are kept only if the file stays about 4 MB or less

# Unicode blocks we keep. Only codepoints the source font actually has end up in
# the subset, so listing a whole block is cheap.
BLOCKS = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0370, 0x03FF),  # Greek (α, β, τ... appear in plain-text labels)
    (0x0400, 0x04FF),  # Cyrillic
    (0x2000, 0x206F),  # General Punctuation (— … “ ” ‘ ’ • ‰)
    (0x20A0, 0x20BF),  # Currency symbols
    (0x2100, 0x214F),  # Letterlike symbols (ℓ, №, ™)
    (0x2190, 0x21FF),  # Arrows (→ ← ↑ ↓ ⇒)
    (0x2200, 0x22FF),  # Mathematical operators (− ≈ ≤ ≥ √ ∞ ∑)
    (0x2400, 0x243F),  # Control pictures (␣ marks a space token)
    (0x2500, 0x257F),  # Box drawing
    (0x25A0, 0x25FF),  # Geometric shapes (▲ ● ■)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (、。《》「」【】)
    (0xFF00, 0xFFEF),  # Half-width and full-width forms (，：！？（）)
]


def gb2312_hanzi(first_row, last_row):
    """Hanzi of GB2312 rows first_row..last_row, decoded with Python's codec.

    Row r, cell c (both 1..94) is the byte pair (0xA0 + r, 0xA0 + c) in EUC-CN.
    Rows 16-55 are level 1 (3,755 most common hanzi), rows 56-87 are level 2.
    Row 55 ends at cell 89, so undecodable cells are skipped.
    """
    chars = []
    for row in range(first_row, last_row + 1):
        for cell in range(1, 95):
            try:
                chars.append(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def find_face(path, family):
    """Return the Regular face of `family` from a .ttc (or the font itself for .otf)."""
    faces = TTCollection(path).fonts if path.lower().endswith((".ttc", ".otc")) else [TTFont(path)]
    for font in faces:
        name = font["name"]
        # prefer the typographic family (ID 16) when present, else the legacy one (ID 1)
        fam = name.getDebugName(16) or name.getDebugName(1)
        style = name.getDebugName(17) or name.getDebugName(2)
        if fam == family and style == "Regular":
            return font
    sys.exit(f"no '{family} Regular' face in {path}")


def rename(font, copyright_note):
    """Give the subset its own names (it is a Modified Version under the OFL)."""
    name = font["name"]
    version = name.getDebugName(5) or ""
    new = {
        1: NEW_FAMILY,
        2: "Regular",
        3: f"{NEW_PS_NAME};{version}",
        4: NEW_FAMILY,
        6: NEW_PS_NAME,
    }
    # Localised names (e.g. "思源黑体" in Chinese) would let the subset pass for the
    # full font, so keep only the English Windows-platform names and overwrite those.
    name.names = [r for r in name.names if (r.platformID, r.langID) == (3, 0x409)]
    for name_id, text in new.items():
        name.setName(text, name_id, 3, 1, 0x409)
    name.setName(copyright_note, 0, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames = [NEW_PS_NAME]
    top = cff.topDictIndex[0]
    top.FullName = NEW_FAMILY
    top.FamilyName = NEW_FAMILY


def build(source, codepoints):
    """Subset the SC face to `codepoints` and return the new TTFont."""
    font = find_face(source, SOURCE_FAMILY)
    options = subset.Options()
    options.hinting = False          # matplotlib autohints by default, font hints unused
    # Keep only kerning. Matplotlib does no OpenType shaping, and features such as
    # 'locl' would drag in the JP/KR/TC glyph variants and double the size.
    options.layout_features = ["kern"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True    # a visible box, not blank, for anything missing
    # vertical-writing metrics: matplotlib only sets text horizontally
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=codepoints)
    sub.subset(font)
    return font


def save(font, path):
    font.recalcTimestamp = False     # keep head.modified from the source: reproducible bytes
    font.save(path)
    return os.path.getsize(path)


def ofl_text(license_source, copyright_note, trademark):
    """Copyright lines + the OFL 1.1 text taken from the Debian copyright file."""
    with open(license_source, encoding="utf-8") as f:
        lines = f.read().splitlines()
    # the stand-alone "License:" stanza (the one after a blank line), not the
    # "License: SIL-1.1" field inside the "Files: *" stanza
    start = next(i for i in range(1, len(lines))
                 if lines[i] == "License: SIL-1.1" and lines[i - 1] == "") + 1
    body = []
    for line in lines[start:]:
        if not line.startswith(" "):   # next stanza of the debian/copyright file
            break
        line = line[1:]
        body.append("" if line == "." else line)
    text = "\n".join(body).strip("\n")
    if "SIL OPEN FONT LICENSE Version 1.1" not in text or "DISCLAIMER" not in text:
        sys.exit(f"could not find the OFL 1.1 text in {license_source}")
    header = (
        f"{NEW_FAMILY} ({OUT_FONT}) is a subset of Noto Sans CJK SC Regular,\n"
        "made by scripts/make_font_subset.py of the minigpt course.\n"
        "\n"
        f"Original font: {copyright_note}\n"
        f"{trademark}\n"
        "\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at:\n"
        "https://openfontlicense.org\n"
        "\n"
    )
    return header + text + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="NotoSansCJK .ttc or SC .otf")
    ap.add_argument("--license-source", default=DEFAULT_LICENSE_SOURCE,
                    help="file holding the OFL 1.1 text (Debian copyright format)")
    ap.add_argument("--out-dir", default=OUT_DIR)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    base = set()
    for lo, hi in BLOCKS:
        base.update(range(lo, hi + 1))
    level1 = {ord(c) for c in gb2312_hanzi(16, 55)}
    level2 = {ord(c) for c in gb2312_hanzi(56, 87)}
    assert len(level1) == 3755 and len(level2) == 3008, (len(level1), len(level2))

    src_name = find_face(args.source, SOURCE_FAMILY)["name"]
    copyright_note = src_name.getDebugName(0)
    trademark = src_name.getDebugName(7) or ""

    out = os.path.join(args.out_dir, OUT_FONT)
    for label, cps in [("level 1 + level 2", base | level1 | level2), ("level 1", base | level1)]:
        font = build(args.source, cps)
        rename(font, copyright_note)
        size = save(font, out)
        glyphs = len(font.getGlyphOrder())
        print(f"{label}: {glyphs} glyphs, {size:,} bytes")
        if size <= MAX_BYTES:
            break
        print(f"  over {MAX_BYTES:,} bytes, dropping level-2 hanzi")

    with open(os.path.join(args.out_dir, "OFL.txt"), "w", encoding="utf-8") as f:
        f.write(ofl_text(args.license_source, copyright_note, trademark))
    print(f"wrote {out} and OFL.txt")


if __name__ == "__main__":
    main()
