"""Time zones as students type them: "Asia/Almaty", "almaty", "UTC+5", "GMT-3", "+6"."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


@cache
def _zones() -> tuple[dict[str, str], dict[str, str]]:
    names = available_timezones()
    by_name = {name.lower(): name for name in names}
    # City names ("tashkent" -> Asia/Tashkent); Etc/GMT±N is left out: its POSIX sign is the reverse of what
    # people mean by "GMT-3".
    by_city = {
        name.rsplit("/", 1)[-1].lower().replace("_", " "): name
        for name in names
        if "/" in name and not name.startswith("Etc/")
    }
    return by_name, by_city


def parse_zone(text: str) -> str | None:
    """An IANA zone for what a student typed, or None."""
    value = text.strip().lower()
    by_name, by_city = _zones()
    if value in by_name:
        return by_name[value]
    if value in by_city:
        return by_city[value]
    offset = value.removeprefix("utc").removeprefix("gmt").strip()
    sign, digits = offset[:1], offset[1:]
    if sign in {"+", "-"} and digits.isascii() and digits.isdigit():
        hours = int(digits) * (1 if sign == "+" else -1)
        if not -12 <= hours <= 14:  # the offsets the world uses; Etc/GMT+13 does not exist
            return None
        # Etc/GMT zones have POSIX signs: UTC+5 is Etc/GMT-5.
        return "UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"
    return None
