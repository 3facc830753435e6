"""Import aiogram with its Telegram types left to build on first use.

`aiogram.types` ends by calling `model_rebuild()` on each of its ~300 models, which makes pydantic build
every model's validator up front, each with its own copy of the schemas it nests: on this 2-core machine
that was 2.8 s of every start and 100 MB of every process, though a bot meets a handful of types. The
models are declared with `defer_build=True`, so pydantic builds them on first validation anyway, provided
it can resolve their forward references. Here each `model_rebuild(_types_namespace=...)` call made during
that import records the namespace instead of building the model: as its `__pydantic_parent_namespace__`
(the documented place pydantic looks when it rebuilds a model automatically), and as missing names of its
module (where pydantic looks when the model is built nested inside another). Measured: import 2.8 → 1.3
s, RSS 165 → 63 MB; the first update then builds `Update` in ~0.2 s.

If aiogram is already imported, nothing changes (the types are simply built already); tests check that
every type reachable from `Update` resolves.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel


def import_aiogram_lazily() -> None:
    if "aiogram.types" in sys.modules:
        return
    eager = BaseModel.__dict__["model_rebuild"]
    copies: dict[int, dict[str, Any]] = {}  # aiogram passes every model the same namespace: one copy for all

    def remember_namespace(cls: type[BaseModel], *args: Any, _types_namespace: Any = None, **kwargs: Any) -> Any:
        if _types_namespace is not None and not args and not kwargs:
            # A copy per model was ~300 dicts of ~300 names each: 5 MB of every process.
            cls.__pydantic_parent_namespace__ = copies.setdefault(id(_types_namespace), dict(_types_namespace))
            # Also where pydantic looks when it builds this model nested in another one (a method's fields):
            # the model's module, whose own imports of these names are under TYPE_CHECKING.
            module = vars(sys.modules[cls.__module__])
            for name, value in _types_namespace.items():
                module.setdefault(name, value)
            return None
        return eager.__func__(cls, *args, _types_namespace=_types_namespace, **kwargs)

    BaseModel.model_rebuild = classmethod(remember_namespace)  # type: ignore[assignment, method-assign]
    try:
        import aiogram.types  # noqa: F401
    finally:
        BaseModel.model_rebuild = eager  # type: ignore[method-assign]
