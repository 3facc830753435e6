"""Build the market chart's font: DejaVu Sans, cut down to the letters the bot writes.

    python3 tasks.py font

DejaVu Sans comes from matplotlib's wheel (fetched with pip from the configured index, nothing installed),
with its licence (Bitstream Vera / DejaVu: free to use, modify and redistribute). fontTools keeps only the
ranges below: Latin, Cyrillic with Kazakh (ә ғ қ ң ө ұ ү һ і), digits, punctuation and a few symbols. The result
is `handlers/market/fonts/DejaVuSans.ttf` (about a tenth of the original) and `LICENSE_DEJAVU` beside it.

Run it again when the chart needs a letter outside these ranges: tests/test_market_chart.py fails when a skill
name or a chart text has a character the font lacks. fontTools is a development dependency only; the bot
reads the font with Pillow.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "handlers" / "market" / "fonts"
MATPLOTLIB = "matplotlib==3.11.2"  # the wheel the font is taken from (DejaVu Sans 2.35)
IN_WHEEL = "matplotlib/mpl-data/fonts/ttf/"

RANGES = [
    (0x0020, 0x007E),  # Basic Latin: letters, digits, punctuation, % + # / ( )
    (0x00A0, 0x00FF),  # Latin-1: no-break space, « » · é ...
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0400, 0x04FF),  # Cyrillic, Kazakh's ә ғ қ ң ө ұ ү һ і included
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x2030),  # per mille
    (0x2039, 0x203A),  # single guillemets
    (0x20AC, 0x20AC),  # euro
    (0x20B8, 0x20B8),  # tenge
    (0x20BD, 0x20BD),  # rouble
    (0x2116, 0x2116),  # numero
    (0x2122, 0x2122),  # trade mark
    (0x2212, 0x2212),  # minus
]


def unicodes() -> list[int]:
    return [code for low, high in RANGES for code in range(low, high + 1)]


def fetch(folder: Path) -> Path:
    """matplotlib's wheel, downloaded by pip (its cache and index settings apply), without its dependencies."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", str(folder),
         MATPLOTLIB],
        check=True,
    )  # fmt: skip
    return next(folder.glob("matplotlib-*.whl"))


def build(wheel: Path, target: Path = TARGET) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive, tempfile.TemporaryDirectory() as name:
        original = Path(archive.extract(IN_WHEEL + "DejaVuSans.ttf", name))
        (target / "LICENSE_DEJAVU").write_bytes(archive.read(IN_WHEEL + "LICENSE_DEJAVU"))
        options = subset.Options()
        options.name_IDs = ["*"]  # keep the copyright and licence records
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing a renderer reads
        font = TTFont(original, recalcTimestamp=False)  # the same input gives the same bytes
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes())
        subsetter.subset(font)
        out = target / "DejaVuSans.ttf"
        font.save(out)
        before, after = original.stat().st_size, out.stat().st_size
    print(f"{out.relative_to(ROOT)}: {after:,} bytes (from {before:,}), {len(unicodes())} code points asked for")
    return out


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as name:
        wheel = Path(argv[0]) if argv else fetch(Path(name))
        build(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
