"""How big a model is: its parameter count and the storage its repository uses.

The Hub counts parameters in its safetensors summary (`safetensors.total`, what `expand=safetensors`
returns) and in GGUF metadata (`gguf.total`); where neither is given, a size in the model's name
(`Llama-2-7b`, `Qwen2.5-1.5B`, `gpt-neo-125M`) is read as an inferred count and said to be inferred.
A mixture written `8x7B`, an active-parameter suffix (`A3B`) and context lengths (`32k`) are not sizes.
"""

from __future__ import annotations

import re

_NAME_SIZE = re.compile(r"(?<![A-Za-z\d.x])(\d+(?:\.\d+)?)([bBmMtT])(?![A-Za-z\d])")
_UNITS = {"b": 10 ** 9, "m": 10 ** 6, "t": 10 ** 12}


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def parameter_count(item: dict, model_id: str) -> tuple[int | None, str | None]:
    """(parameter count, where it came from): the API's safetensors or GGUF summary, else the name."""
    for field in ("safetensors", "gguf"):
        summary = item.get(field)
        total = _count(summary.get("total")) if isinstance(summary, dict) else None
        if total:
            return total, f"API {field}.total"
    match = _NAME_SIZE.search(model_id.rsplit("/", 1)[-1])
    if match:
        return round(float(match.group(1)) * _UNITS[match.group(2).lower()]), f"model name ({match.group(0)}, inferred)"
    return None, None


def storage_bytes(item: dict) -> int | None:
    """Bytes the repository stores (the API's `usedStorage`)."""
    return _count(item.get("usedStorage"))
