"""Is an upstream timestamp one? Shared by validation (a record's dates) and the harvest (its watermark)."""

from __future__ import annotations

import re
from datetime import datetime

# the record schemas' pattern of a date and time (schemas/*.json): seconds, an optional fraction, a zone
INSTANT_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
_INSTANT = re.compile(INSTANT_PATTERN)


def is_instant(value) -> bool:
    """The schema's pattern and a real calendar date and time: the pattern alone lets a month 13 or a
    30 February through, which no index can sort and a harvest would take for the newest change."""
    if not isinstance(value, str) or not _INSTANT.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
