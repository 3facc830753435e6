"""The hh.ru API as the bot uses it: one vacancy (GET /vacancies/{id}) for a link a student pasted."""

from __future__ import annotations

import re
from typing import Any

import aiohttp

VACANCY_LINK = re.compile(r"(?:hh\.(?:kz|ru|uz)|headhunter\.(?:kz|ge))/vacancy/(\d{1,12})", re.IGNORECASE)


class HhError(Exception):
    """The vacancy could not be read; `kind` is not_found, timeout or unavailable."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def vacancy_id(text: str) -> str | None:
    match = VACANCY_LINK.search(text)
    return match.group(1) if match else None


class HhClient:
    def __init__(self, api_url: str, user_agent: str, timeout: float = 10) -> None:
        self._api_url = api_url.rstrip("/")
        self._user_agent = user_agent
        self._timeout = timeout

    async def vacancy(self, vacancy: str) -> dict[str, Any]:
        return await fetch_vacancy(self._api_url, self._user_agent, vacancy, self._timeout)


async def fetch_vacancy(api_url: str, user_agent: str, vacancy: str, timeout: float = 10) -> dict[str, Any]:
    url = f"{api_url.rstrip('/')}/vacancies/{vacancy}"
    headers = {"HH-User-Agent": user_agent, "User-Agent": user_agent}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http,
            http.get(url, headers=headers) as response,
        ):
            if response.status == 404:
                raise HhError("not_found")
            if response.status != 200:
                raise HhError("unavailable")
            data = await response.json(content_type=None)
    except TimeoutError as exc:
        raise HhError("timeout") from exc
    except (aiohttp.ClientError, ValueError) as exc:
        raise HhError("unavailable") from exc
    if not isinstance(data, dict):
        raise HhError("unavailable")
    return data
