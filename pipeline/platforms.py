"""The platforms the catalog harvests, and how their ids are told apart: one owner of these facts.

Hugging Face came first and its repo ids (`org/name`) stay the catalog ids of its models and datasets.
Every other platform's ids carry its key as a prefix (`openml:flow/8365`, `bioimageio:10.5281/zenodo.5764892`):
a Hub id never holds a colon, so no id of one platform can be taken for another's in the graph, the
search index or an IRI.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Platform:
    key: str  # names its assets (`openml_raw_models`), its IRIs and the `platform` of its records
    name: str  # what people call it

    @property
    def prefix(self) -> str:
        return "" if self.key == HF else f"{self.key}:"

    def catalog_id(self, native: str) -> str:
        """The catalog id of a platform's own id (`61` as an OpenML dataset -> `openml:data/61`)."""
        return f"{self.prefix}{native}"

    def native_id(self, catalog_id: str) -> str:
        return catalog_id[len(self.prefix):]


HF, OPENML, BIOIMAGEIO = "hf", "openml", "bioimageio"
PLATFORMS = {p.key: p for p in (Platform(HF, "Hugging Face"), Platform(OPENML, "OpenML"),
                                Platform(BIOIMAGEIO, "bioimage.io"))}


def platform_of(catalog_id: str) -> str:
    """The platform a catalog id belongs to (a Hub id has no prefix)."""
    key, colon, _ = catalog_id.partition(":")
    return key if colon and key in PLATFORMS else HF
