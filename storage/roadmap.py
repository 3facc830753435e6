"""Roadmap items and their states. Every change is scoped to the owner: another user's id changes nothing."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coach.progress import Item, ItemState
from storage.models import RoadmapItem

_COLUMNS = (
    RoadmapItem.id,
    RoadmapItem.skill_id,
    RoadmapItem.action_no,
    RoadmapItem.position,
    RoadmapItem.state,
    RoadmapItem.done_at,
)
_STATES = {state.value: state for state in ItemState}  # a dict lookup; Enum's own call is ten times slower


def _item(row: RoadmapItem) -> Item:
    return Item(row.id, row.skill_id, row.action_no, row.position, ItemState(row.state), row.done_at)


class RoadmapRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def items(self, user_id: int) -> list[Item]:
        # Plain rows, not ORM objects: a roadmap has ~100 items and is read on every view and reminder.
        rows = await self._session.execute(
            select(*_COLUMNS).where(RoadmapItem.user_id == user_id).order_by(RoadmapItem.position)
        )
        return [Item(i, skill, no, pos, _STATES[state], done_at) for i, skill, no, pos, state, done_at in rows]

    async def items_many(self, user_ids: Collection[int]) -> dict[int, list[Item]]:
        """`items` for many users in one query (the reminder run); every asked id is in the answer."""
        found: dict[int, list[Item]] = {user_id: [] for user_id in user_ids}
        rows = await self._session.execute(
            select(RoadmapItem.user_id, *_COLUMNS)
            .where(RoadmapItem.user_id.in_(user_ids))
            .order_by(RoadmapItem.user_id, RoadmapItem.position)
        )
        for user_id, i, skill, no, pos, state, done_at in rows:
            found[user_id].append(Item(i, skill, no, pos, _STATES[state], done_at))
        return found

    async def get(self, user_id: int, item_id: int) -> Item | None:
        row = await self._session.scalar(
            select(RoadmapItem).where(RoadmapItem.id == item_id, RoadmapItem.user_id == user_id)
        )
        return _item(row) if row else None

    async def sync(self, user_id: int, planned: Sequence[tuple[str, int]]) -> int:
        """Make the open items exactly `planned`, in that order, after the settled ones. Settled items (done or
        skipped) are history and stay where they are; open items no longer planned go. Returns the number of
        items added."""
        existing = {
            (row.skill_id, row.action_no): row
            for row in await self._session.scalars(select(RoadmapItem).where(RoadmapItem.user_id == user_id))
        }
        wanted = dict.fromkeys(planned)
        stale = [row.id for key, row in existing.items() if key not in wanted and row.state == ItemState.OPEN.value]
        if stale:
            await self._session.execute(delete(RoadmapItem).where(RoadmapItem.id.in_(stale)))
        settled = [row.position for row in existing.values() if row.state != ItemState.OPEN.value]
        base = max(settled, default=-1) + 1
        new = []
        for offset, key in enumerate(wanted):
            row = existing.get(key)
            if row is None:
                new.append({"user_id": user_id, "skill_id": key[0], "action_no": key[1], "position": base + offset})
            elif row.state == ItemState.OPEN.value and row.position != base + offset:
                row.position = base + offset
        if new:
            await self._session.execute(RoadmapItem.__table__.insert(), new)
        await self._session.flush()
        return len(new)

    async def set_state(self, user_id: int, item_id: int, state: ItemState, now: datetime) -> tuple[Item | None, bool]:
        """Move the user's item to `state`; returns the item (None if not theirs) and whether it changed.
        Setting the state it already has changes nothing, so a repeated press is harmless."""
        done_at = now if state is ItemState.DONE else None
        changed = (
            await self._session.execute(
                update(RoadmapItem)
                .where(RoadmapItem.id == item_id, RoadmapItem.user_id == user_id, RoadmapItem.state != state.value)
                .values(state=state.value, done_at=done_at, updated_at=now)
                .returning(*_COLUMNS)
            )
        ).first()
        if changed is not None:  # the common case: one statement
            i, skill, no, pos, new_state, done = changed
            return Item(i, skill, no, pos, _STATES[new_state], done), True
        return await self.get(user_id, item_id), False
