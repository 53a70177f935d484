"""The digests that decide what changed: of records and texts (short, many of them) and of files.

Record digests are compared, never trusted against an attacker, so a 96-bit BLAKE2b is plenty (a
collision among a billion records is about 1 in 10^11) and keeps digest columns small. Files are
digested with SHA-256, the digest people check files with.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

RECORD_DIGEST_BYTES = 12


def text_digest(*parts: str) -> str:
    """A record's or a text's digest; several parts are digested as one text separated by NUL."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=RECORD_DIGEST_BYTES).hexdigest()


def streaming_digest():
    """A record digest fed piece by piece (`update(bytes)`, `hexdigest()`), for what is too big to join."""
    return hashlib.blake2b(digest_size=RECORD_DIGEST_BYTES)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read a megabyte at a time."""
    value = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            value.update(chunk)
    return value.hexdigest()
