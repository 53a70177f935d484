"""Where the offline Hub snapshot lives and which files it has (cheap: no Hub client imported).

A snapshot folder holds list-endpoint pages, `api/models.json` or `api/models-<n>.json` (each a
JSON array of items, in the API's shape), and model cards, either one file per repository
(`readmes/<repo id>/README.md`, as bundled) or, for large generated snapshots, one JSON Lines
bundle per page (`readmes/models-<n>.jsonl`, lines of `{"id": ..., "readme": ...}`).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings

BUNDLED_SNAPSHOT = Path(__file__).resolve().parent.parent / "snapshot" / "hf"


def snapshot_dir(settings: Settings) -> Path:
    return Path(settings.hf_snapshot_dir).resolve() if settings.hf_snapshot_dir else BUNDLED_SNAPSHOT


def model_pages(root: Path) -> list[Path]:
    return sorted((root / "api").glob("models*.json"))


def readme_bundle(root: Path, page: Path) -> Path:
    return root / "readmes" / f"{page.stem}.jsonl"


def snapshot_files(settings: Settings) -> list[str]:
    """Every file of the snapshot: the offline harvest's inputs."""
    root = snapshot_dir(settings)
    pages = model_pages(root) or [root / "api" / "models.json"]  # a missing page is reported by the harvest
    bundles = [readme_bundle(root, p) for p in pages if readme_bundle(root, p).exists()]
    cards = sorted((root / "readmes").rglob("README.md")) if not bundles else []
    return [str(p) for p in pages + bundles + cards]


def dataset_files(settings: Settings) -> list[str]:
    """The snapshot's dataset bodies (`api/datasets/<id>.json`): inputs of the offline dataset fetch."""
    return [str(p) for p in sorted((snapshot_dir(settings) / "api" / "datasets").rglob("*.json"))]


def base_model_files(settings: Settings) -> list[str]:
    """The snapshot's bodies of models outside its listing (`api/models/<id>.json`): base models."""
    return [str(p) for p in sorted((snapshot_dir(settings) / "api" / "models").rglob("*.json"))]


BUNDLED_ARXIV_SNAPSHOT = BUNDLED_SNAPSHOT.parent / "arxiv"


def arxiv_dir(settings: Settings) -> Path:
    """Recorded arXiv API responses, one `<id>.xml` per paper (the bundled ones unless configured)."""
    return Path(settings.arxiv_snapshot_dir).resolve() if settings.arxiv_snapshot_dir else BUNDLED_ARXIV_SNAPSHOT


def arxiv_files(settings: Settings) -> list[str]:
    return [str(p) for p in sorted(arxiv_dir(settings).glob("*.xml"))]


def platform_snapshot_dir(settings: Settings, platform: str) -> Path:
    """An OpenML or bioimage.io snapshot folder: the bundled one unless MLENTORY_<PLATFORM>_SNAPSHOT_DIR
    names another of the same layout (the API's paths, see docs/platforms.md)."""
    configured = getattr(settings, f"{platform}_snapshot_dir")
    return Path(configured).resolve() if configured else BUNDLED_SNAPSHOT.parent / platform


def platform_snapshot_files(settings: Settings, platform: str) -> list[str]:
    """Every response file of a platform's snapshot: the offline harvest's inputs."""
    root = platform_snapshot_dir(settings, platform)
    return [str(p) for p in sorted(root.rglob("*")) if p.is_file() and p.name != "PROVENANCE.md"]
