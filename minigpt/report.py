"""Small helpers for printing measurements in the notebooks.

* format_duration(0.0123) -> "12.3 ms", format_duration(1.234) -> "1.23 s"
* format_ratio(23.44) -> "23.4×"
* print_table(rows, header): columns aligned also when cells hold Chinese characters (two columns wide)

Durations and speed ratios change from run to run, so the notebooks print them only in these formats:
tests/nbval_sanitize.cfg replaces both with fixed text before nbval compares outputs.
"""

import re
import unicodedata

_NUMBER = re.compile(r"[-+−]?\d")


def format_duration(seconds: float) -> str:
    """'850 µs', '12.3 ms', '1.23 s', '41.5 s': three significant digits, a space before the unit."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative: {seconds}")
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms" if seconds * 1e3 >= 100 else f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def format_ratio(ratio: float) -> str:
    """A speed ratio such as '23.4×' (always one decimal, so the sanitizer recognises it)."""
    return f"{ratio:.1f}×"


def display_width(text: str) -> int:
    """Columns a string takes in a monospace font: East Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def format_table(rows, header=None, align=None) -> str:
    """Rows of cells (any values, shown with str) as aligned text. align: a string of 'l'/'r' per column;
    by default a column whose cells all start with a number ("4.33", "12.3 ms", "23.4×") is right-aligned."""
    rows = [list(r) for r in rows]
    all_rows = ([list(header)] if header else []) + rows
    n = max(len(r) for r in all_rows)
    if align is None:
        align = "".join("r" if rows and all(_NUMBER.match(str(r[j])) for r in rows if j < len(r)) else "l"
                        for j in range(n))
    cells = [[str(c) for c in r] + [""] * (n - len(r)) for r in all_rows]
    widths = [max(display_width(r[j]) for r in cells) for j in range(n)]
    lines = ["  ".join(_pad(r[j], widths[j], align[j] == "r") for j in range(n)).rstrip() for r in cells]
    if header:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_table(rows, header=None, align=None) -> None:
    print(format_table(rows, header, align))
