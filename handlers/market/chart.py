"""The market chart: a horizontal bar per skill, the student's own skills in another colour.

Drawn with Pillow in a font that ships with the bot (`fonts/DejaVuSans.ttf`: DejaVu Sans cut down to Latin,
Cyrillic and Kazakh by `tools/subset_font.py`), so every letter of every skill name shows on any machine.
"""

from __future__ import annotations

import io
import threading
from functools import cache
from importlib.resources import files

HAVE_COLOUR = "#2e7d32"
LACK_COLOUR = "#9e9e9e"
TEXT_COLOUR = "#212121"
MUTED_COLOUR = "#616161"
GRID_COLOUR = "#e0e0e0"
AXIS_COLOUR = "#9e9e9e"

WIDTH = 960
MARGIN = 28
ROW = 40  # height of one skill's row
BAR = 26  # height of its bar
LABEL_SHARE = 0.42  # skill names take at most this share of the width; longer ones are cut with "…"
TITLE_SIZE, LABEL_SIZE, SMALL_SIZE = 26, 20, 17
TICKS = (0, 20, 40, 60, 80, 100)

FONT_FILE = "DejaVuSans.ttf"
# FreeType faces are not safe to share between threads, and charts are drawn in worker threads: one at a time.
_drawing = threading.Lock()


@cache
def _font_bytes() -> bytes:
    return (files("handlers.market") / "fonts" / FONT_FILE).read_bytes()


@cache
def _font(size: int):
    from PIL import ImageFont

    return ImageFont.truetype(io.BytesIO(_font_bytes()), size, layout_engine=ImageFont.Layout.BASIC)


def render_chart(rows: list[tuple[str, float, bool]], title: str, mine: str, others: str) -> bytes:
    """A PNG of skill demand: `rows` are (skill name, share of postings 0..1, the student has it), most asked
    first; `mine` and `others` label the two colours."""
    with _drawing:
        return _render(rows, title, mine, others)


def _render(rows: list[tuple[str, float, bool]], title: str, mine: str, others: str) -> bytes:
    from PIL import Image, ImageDraw

    title_font, label_font, small_font = _font(TITLE_SIZE), _font(LABEL_SIZE), _font(SMALL_SIZE)
    title_lines = _wrap(title, title_font, WIDTH - 2 * MARGIN, max_lines=2)
    title_height = len(title_lines) * (TITLE_SIZE + 10)
    legend_top = MARGIN + title_height + 8
    plot_top = legend_top + LABEL_SIZE + 24
    plot_bottom = plot_top + ROW * len(rows)
    height = plot_bottom + 10 + SMALL_SIZE + MARGIN

    names = [_fit(name, label_font, WIDTH * LABEL_SHARE) for name, _, _ in rows]
    label_width = max((label_font.getlength(name) for name in names), default=0)
    left = MARGIN + round(label_width) + 14
    right = WIDTH - MARGIN - round(small_font.getlength("100%")) - 10  # room for a value after a full bar
    span = right - left

    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(title_lines):
        draw.text((WIDTH / 2, MARGIN + number * (TITLE_SIZE + 10)), line, font=title_font, fill=TEXT_COLOUR,
                  anchor="mt")  # fmt: skip
    _legend(draw, ((HAVE_COLOUR, mine), (LACK_COLOUR, others)), left, legend_top, label_font)

    for tick in TICKS:  # the grid behind the bars, the scale under them
        x = left + span * tick / 100
        draw.line([(x, plot_top - 6), (x, plot_bottom)], fill=GRID_COLOUR, width=1)
        draw.line([(x, plot_bottom), (x, plot_bottom + 6)], fill=AXIS_COLOUR, width=1)
        draw.text((x, plot_bottom + 10), f"{tick}%", font=small_font, fill=MUTED_COLOUR, anchor="mt")
    draw.line([(left, plot_top - 6), (left, plot_bottom)], fill=AXIS_COLOUR, width=1)
    draw.line([(left, plot_bottom), (right, plot_bottom)], fill=AXIS_COLOUR, width=1)

    for index, (name, (_, share, has)) in enumerate(zip(names, rows, strict=True)):
        middle = plot_top + index * ROW + ROW / 2
        share = min(max(share, 0.0), 1.0)
        end = left + span * share
        draw.text((left - 10, middle), name, font=label_font, fill=TEXT_COLOUR, anchor="rm")
        if end > left:
            draw.rectangle([(left + 1, middle - BAR / 2), (end, middle + BAR / 2)],
                           fill=HAVE_COLOUR if has else LACK_COLOUR)  # fmt: skip
        draw.text((end + 6, middle), f"{round(100 * share)}%", font=small_font, fill=MUTED_COLOUR, anchor="lm")

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # optimize=True: 4 % smaller, 3 times slower
    return buffer.getvalue()


def _legend(draw, entries, left: float, top: float, font) -> None:
    """Coloured squares with their labels, in one row above the bars."""
    x, size = left, LABEL_SIZE - 2
    for colour, label in entries:
        draw.rectangle([(x, top + 2), (x + size, top + 2 + size)], fill=colour)
        x += size + 8
        draw.text((x, top + 2 + size / 2), label, font=font, fill=TEXT_COLOUR, anchor="lm")
        x += font.getlength(label) + 28


def _fit(text: str, font, width: float) -> str:
    """`text`, cut with "…" where it would be wider than `width`."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip(" /·,") + "…"


def _wrap(text: str, font, width: float, max_lines: int) -> list[str]:
    """`text` in lines no wider than `width`, broken between words; at most `max_lines` (the last one cut)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [_fit(line, font, width) for line in lines] or [""]
