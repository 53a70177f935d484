"""Shards: the per-model assets are split by a stable hash of the model id into N files each.

A change in a few models then rewrites only the shard files holding them, and doit reruns only the
downstream sub-tasks (`hf_models_normalized:017`) that read those files. The hash is crc32: stable
across Python processes and versions (unlike `hash()`), and cheap enough for millions of ids.
"""

from __future__ import annotations

import zlib

SHARD_PLACEHOLDER = "{shard}"


def shard_of(model_id: str, count: int) -> int:
    return zlib.crc32(model_id.encode("utf-8")) % count


def shard_labels(count: int) -> list[str]:
    """Zero-padded shard names, so files and task names sort in shard order: 000, 001, ..."""
    width = max(3, len(str(count - 1)))
    return [str(i).zfill(width) for i in range(count)]


def shard_path(template: str, label: str) -> str:
    return template.replace(SHARD_PLACEHOLDER, label)
