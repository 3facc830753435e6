"""/market: demand for the student's role as numbers and a chart, salaries, and "add a posting" by pasting a
vacancy's text or an hh.kz / hh.ru link."""

from handlers.market.router import create_router
from handlers.market.states import MarketFlow

__all__ = ["MarketFlow", "create_router"]
