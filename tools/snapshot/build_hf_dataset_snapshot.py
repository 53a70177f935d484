"""Write the bundled Hub dataset snapshot (`snapshot/hf/api/datasets/`) from `hf_dataset_facts.py`.

Run `python -m tools.snapshot.build_hf_dataset_snapshot` after editing the facts. Every dataset id
the models name that the Hub serves gets `api/datasets/<id as requested>.json` with the body of
`GET /api/datasets/<id>` (after the redirect the Hub answers for a repository that moved, so `id` is
the new one); an id the Hub answers 404 for gets no file. Which values are recorded facts and which
are placeholders is documented in `snapshot/hf/DATASETS.md`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

from tools.snapshot.build_hf_snapshot import created_at, modified_after
from tools.snapshot.hf_dataset_facts import ROWS

# the package data the offline quick start reads (these tools only write it)
BUNDLED = Path(__file__).resolve().parents[2] / "pipeline" / "snapshot"
OUT = BUNDLED / "hf" / "api" / "datasets"
MOVES_BEGAN = datetime(2024, 1, 1, tzinfo=timezone.utc)
LIKES_SCALE = {1: 1, 2: 5, 3: 20, 4: 80, 5: 250}  # datasets collect far fewer likes than downloads


def final_id(row: dict) -> str:
    return row["moved_to"] or row["requested"]


def _h(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest(), 16)


def _dates(row: dict) -> tuple[str, str]:
    """createdAt from the row's month (the Hub's migration date for older repos); lastModified after it
    (after the start of 2024 for a repository that moved, since moving it touched it)."""
    created, created_text = created_at(final_id(row), row["created"])
    start = max(created, MOVES_BEGAN) if row["moved_to"] else created
    return created_text, modified_after(final_id(row), start)


def _counters(row: dict) -> tuple[int, int]:
    """Illustrative orders of magnitude from the popularity tier, not recorded values."""
    h, tier = _h(final_id(row) + "#counters"), row["tier"]
    downloads = int(10 ** tier * (1 + h % 97 / 10))
    likes = int(LIKES_SCALE[tier] * (1 + (h >> 8) % 89 / 10))
    return downloads, likes


def card_data(row: dict) -> dict:
    if row["no_card"]:
        return {}
    pairs = (("license", row["license"]), ("language", row["languages"]), ("task_categories", row["task_categories"]),
             ("task_ids", row["task_ids"]), ("size_categories", [row["size_category"]] if row["size_category"] else None),
             ("tags", row["tags"]), ("pretty_name", row["pretty_name"]), ("paperswithcode_id", row["paperswithcode_id"]))
    return {key: value for key, value in pairs if value}


def tags_for(row: dict) -> list[str]:
    """The tags the Hub derives from the card, in the order it lists them."""
    licenses = row["license"] if isinstance(row["license"], list) else [row["license"]] if row["license"] else []
    card = not row["no_card"]
    tags = [f"task_categories:{t}" for t in row["task_categories"] if card]
    tags += [f"task_ids:{t}" for t in row["task_ids"] if card]
    tags += [f"language:{lang}" for lang in row["languages"] if card]
    tags += [f"license:{lic}" for lic in licenses if card]
    if row["size_category"]:
        tags.append(f"size_categories:{row['size_category']}")
    tags += [f"modality:{m}" for m in row["modality"]]
    tags += [t for t in row["tags"] if card]
    tags += [f"arxiv:{a}" for a in row["arxiv"] if card]
    tags.append("region:us")
    return list(dict.fromkeys(tags))


def siblings_for(row: dict) -> list[dict]:
    files = [".gitattributes"] + ([] if row["no_card"] else ["README.md"]) + row["files"]
    return [{"rfilename": f} for f in sorted(files)]


def description_for(row: dict) -> str:
    name = row["pretty_name"] or final_id(row).split("/")[-1]
    return f"{name}: {row['about']}"


def item_for(row: dict) -> dict:
    repo = final_id(row)
    created, modified = _dates(row)
    downloads, likes = _counters(row)
    author = repo.split("/")[0] if "/" in repo else None  # a legacy id without namespace has no author
    item = {"_id": hashlib.sha1(repo.encode()).hexdigest()[:24], "id": repo, "author": author,
            "sha": hashlib.sha1(f"{repo}@main".encode()).hexdigest(), "lastModified": modified, "private": False,
            "gated": row["gated"], "disabled": False, "tags": tags_for(row), "description": description_for(row),
            "downloads": downloads, "likes": likes}
    if row["paperswithcode_id"] and not row["no_card"]:
        item["paperswithcode_id"] = row["paperswithcode_id"]
    item.update({"cardData": card_data(row), "siblings": siblings_for(row), "createdAt": created})
    return item


def build(out: Path = OUT) -> int:
    shutil.rmtree(out, ignore_errors=True)
    written = 0
    for row in ROWS:
        if not row["on_hub"]:
            continue
        path = out / f"{row['requested']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(item_for(row), indent=1, ensure_ascii=False, sort_keys=False) + "\n",
                        encoding="utf-8")
        written += 1
    return written


if __name__ == "__main__":
    print(f"wrote {build()} datasets to {OUT}")
