"""Stable IRIs for everything the catalog describes: one owner of how a model, dataset, paper, license,
account, person or task is named in RDF.

IRIs live under a base the operator chooses (`MLENTORY_IRI_BASE`, default a w3id-style
`https://w3id.org/mlentory/`), never under a platform's page addresses, so they survive a repository
renamed on the Hub or a page moved; the platform page stays the node's `url`, and `sameAs` where it helps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from pipeline.platforms import PLATFORMS, platform_of

DEFAULT_BASE = "https://w3id.org/mlentory/"
VOCAB = "https://w3id.org/mlentory/vocab#"  # the catalog's own terms (fixed: a vocabulary does not move)
_SAFE = "/:@!$&'()*+,;=-._~"
_UNCHANGED = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=._~-]*")  # what `quote` leaves as it is, with _SAFE


def _part(text: str) -> str:
    # most ids need no quoting, and a shard names each of its models' IRIs several times
    return text if _UNCHANGED.fullmatch(text) else quote(text, safe=_SAFE)


@dataclass(frozen=True)
class Iris:
    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def model(self, model_id: str) -> str:
        """A model by catalog id: `<base>model/hf/org/name`, `<base>model/openml/flow/8365`, ..."""
        return self._on_platform("model", model_id)

    def dataset(self, dataset_id: str) -> str:
        return self._on_platform("dataset", dataset_id)

    def _on_platform(self, kind: str, catalog_id: str) -> str:
        platform = PLATFORMS[platform_of(catalog_id)]
        return f"{self.base}{kind}/{platform.key}/{_part(platform.native_id(catalog_id))}"

    def paper(self, citation: str) -> str:
        """A paper by `arXiv id`, `https://arxiv.org/abs/<id>`, `https://doi.org/<doi>` or a DOI."""
        if "arxiv.org/abs/" in citation:
            return f"{self.base}paper/arxiv/{_part(citation.split('/abs/', 1)[1])}"
        if "doi.org/" in citation:
            return f"{self.base}paper/doi/{_part(citation.split('doi.org/', 1)[1].lower())}"
        if citation.startswith("10."):
            return f"{self.base}paper/doi/{_part(citation.lower())}"
        return f"{self.base}paper/arxiv/{_part(citation)}"

    def license(self, key: str) -> str:
        return f"{self.base}license/{_part(key)}"

    def agent(self, name: str, platform: str = "hf") -> str:
        return f"{self.base}agent/{platform}/{_part(name)}"

    def person(self, name: str) -> str:
        return f"{self.base}person/{_part(name)}"

    def task(self, task: str) -> str:
        return f"{self.base}task/{_part(task)}"

    def graph(self, name: str) -> str:
        """A named graph of the SPARQL store (one per model shard, one for the entities)."""
        return f"{self.base}graph/{_part(name)}"
