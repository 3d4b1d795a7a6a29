"""Sharing expensive test inputs, except under mutation testing (``benchmarks/mutation.py``).

mutmut runs, for each mutant, only the tests that called the mutated function in its first
(stats) run. A module-scoped fixture or a cached record is computed by the first test that
asks for it, so only that test is tied to the functions it calls, and the module's other
tests, which check other parts of the same record, never see a mutant of them. Under
mutmut (``MUTANT_UNDER_TEST`` is set) fixtures are therefore per test and nothing is cached;
in a normal run they are shared, as before.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def under_mutation() -> bool:
    """Whether mutmut is running the tests."""
    return "MUTANT_UNDER_TEST" in os.environ


def shared_scope(fixture_name: str, config: Any) -> str:
    """Fixture scope: ``"module"`` normally, ``"function"`` under mutation testing."""
    return "function" if under_mutation() else "module"


def cache(fn: F) -> F:
    """``functools.cache``, except under mutation testing (then every call computes)."""
    cached = functools.cache(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs) if under_mutation() else cached(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
