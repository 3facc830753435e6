"""The market chart: a horizontal bar per skill, the student's own skills in another colour."""

from __future__ import annotations

import io


def render_chart(rows: list[tuple[str, float, bool]], title: str, mine: str, others: str) -> bytes:
    """A PNG of skill demand (matplotlib's Agg backend: no display)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    names = [name for name, _, _ in rows][::-1]
    shares = [100 * share for _, share, _ in rows][::-1]
    colours = ["#2e7d32" if has else "#9e9e9e" for _, _, has in rows][::-1]
    figure, axes = plt.subplots(figsize=(7, 0.45 * len(rows) + 1.4), dpi=110)
    try:
        axes.barh(names, shares, color=colours)
        axes.set_xlim(0, 100)
        axes.set_xlabel("%")
        axes.set_title(title)
        axes.legend(handles=[Patch(color="#2e7d32", label=mine), Patch(color="#9e9e9e", label=others)],
                    loc="lower right")  # fmt: skip
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
