"""The hh.ru API as the bot uses it: one vacancy (GET /vacancies/{id}) for a link a student pasted, and the
search (GET /vacancies) the postings sync walks.

Every request names the application (`HH-User-Agent`, which hh requires to carry a contact e-mail) and, when
configured, authenticates with the application's token (`Authorization: Bearer`). Answers are read within a
byte cap and never followed off the API: a redirect is an unusable answer, not a new address to trust. What hh
refuses is told apart (`HhError.kind`), so the bot and the operator get one clear line each.
"""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp

VACANCY_LINK = re.compile(r"(?:hh\.(?:kz|ru|uz)|headhunter\.(?:kz|ge))/vacancy/(\d{1,12})", re.IGNORECASE)
MAX_ANSWER_BYTES = 2_000_000  # a vacancy is a few KB and a page of 100 a few hundred; more is not hh's answer
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class HhError(Exception):
    """hh did not give the vacancy or page. `kind`:

    not_found · timeout · unavailable (network, 5xx, a redirect, an answer too big or not JSON) ·
    rate_limited (429; `retry_after` seconds) · captcha (hh wants a human: `captcha_url`) ·
    forbidden (403: no or a bad application token) · bad_user_agent (400: HH-User-Agent refused)."""

    def __init__(self, kind: str, detail: str = "", retry_after: float | None = None, captcha_url: str | None = None):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after
        self.captcha_url = captcha_url


def vacancy_id(text: str) -> str | None:
    match = VACANCY_LINK.search(text)
    return match.group(1) if match else None


def has_contact(user_agent: str) -> bool:
    """hh asks every client's HH-User-Agent to name the application and a contact e-mail."""
    return bool(EMAIL.search(user_agent))


class HhClient:
    def __init__(
        self, api_url: str, user_agent: str, token: str | None = None, timeout: float = 10,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:  # fmt: skip
        self._api_url = api_url.rstrip("/")
        self._headers = {"HH-User-Agent": user_agent, "User-Agent": user_agent}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_bytes = max_bytes
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers=self._headers)
        return self._session

    async def vacancy(self, vacancy: str) -> dict[str, Any]:
        data = await self.get(f"/vacancies/{vacancy}")
        if not isinstance(data, dict):
            raise HhError("unavailable", "not a vacancy")
        return data

    async def search(self, params: dict[str, Any] | list[tuple[str, str]]) -> dict[str, Any]:
        """One page of GET /vacancies (repeated parameters, such as several `area`s, as a list of pairs)."""
        data = await self.get("/vacancies", params)
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise HhError("unavailable", "not a page of vacancies")
        return data

    async def get(self, path: str, params: dict[str, Any] | list[tuple[str, str]] | None = None) -> Any:
        try:
            async with self._http().get(self._api_url + path, params=params, allow_redirects=False) as response:
                body = await self._read(response)
                status = response.status
                retry_after = response.headers.get("Retry-After")
        except TimeoutError as exc:
            raise HhError("timeout") from exc
        except aiohttp.ClientError as exc:
            raise HhError("unavailable", type(exc).__name__) from exc
        if status == 200:
            try:
                return json.loads(body)
            except ValueError as exc:
                raise HhError("unavailable", "the answer is not JSON") from exc
        raise _refusal(status, body, retry_after)

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        if 300 <= response.status < 400:
            raise HhError("unavailable", f"hh answered with a redirect ({response.status})")
        chunks, size = [], 0
        async for chunk in response.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > self._max_bytes:
                raise HhError("unavailable", f"the answer is larger than {self._max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def _refusal(status: int, body: bytes, retry_after: str | None) -> HhError:
    try:
        errors = json.loads(body).get("errors") or []
    except (ValueError, AttributeError):
        errors = []
    types = {str(e.get("type")) for e in errors if isinstance(e, dict)}
    values = ", ".join(str(e.get("value") or e.get("type")) for e in errors if isinstance(e, dict))
    if status == 404:
        return HhError("not_found")
    if status == 429:
        try:
            seconds = float(retry_after) if retry_after else None
        except ValueError:
            seconds = None
        return HhError("rate_limited", values, retry_after=seconds)
    if status == 403 and "captcha_required" in {*types, *values.split(", ")}:
        url = next((e.get("captcha_url") for e in errors if isinstance(e, dict) and e.get("captcha_url")), None)
        return HhError("captcha", values, captcha_url=url)
    if status in (401, 403):
        return HhError("forbidden", values or f"HTTP {status}")
    if status == 400 and ("bad_user_agent" in types or "user_agent" in values):
        return HhError("bad_user_agent", values)
    return HhError("unavailable", f"HTTP {status}" + (f" ({values})" if values else ""))


async def fetch_vacancy(api_url: str, user_agent: str, vacancy: str, timeout: float = 10) -> dict[str, Any]:
    """One vacancy with a client of its own (tests and one-off use)."""
    client = HhClient(api_url, user_agent, timeout=timeout)
    try:
        return await client.vacancy(vacancy)
    finally:
        await client.close()
