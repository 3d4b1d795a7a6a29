"""``pytest.raises(..., match=whole(message))``: a refusal's message, all of it and nothing else."""

from __future__ import annotations

import re


def whole(message: str) -> str:
    """A regular expression that matches exactly ``message`` (no more, no less)."""
    return "^" + re.escape(message) + "$"
