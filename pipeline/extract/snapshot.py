"""Where the offline Hub snapshot lives and which files it has (cheap: no Hub client imported)."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings

BUNDLED_SNAPSHOT = Path(__file__).resolve().parent.parent / "snapshot" / "hf"


def snapshot_dir(settings: Settings) -> Path:
    return Path(settings.hf_snapshot_dir).resolve() if settings.hf_snapshot_dir else BUNDLED_SNAPSHOT


def snapshot_files(settings: Settings) -> list[str]:
    """Every file of the snapshot: the offline harvest's inputs (`api/models.json`, `readmes/<id>/README.md`)."""
    root = snapshot_dir(settings)
    return [str(root / "api" / "models.json")] + sorted(str(p) for p in (root / "readmes").rglob("README.md"))
