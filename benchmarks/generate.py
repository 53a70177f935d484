"""Scale the bundled Hub snapshot to N synthetic models, or change a fraction of an existing one.

    python benchmarks/generate.py --models 100000 --out /tmp/snap-100k
    python benchmarks/generate.py --mutate /tmp/snap-100k --fraction 0.01 --seed 1

Copy k of each bundled model becomes `<namespace>-m<k>/<name>`; base models and their Hub tags
point at the same copy, so fine-tune / quantization chains keep their depth. Tags, card data and
model cards are the bundled ones (the card text with the id replaced), so their distributions
follow the snapshot's. One item in 200 is made malformed (negative downloads, a base model that is
a map, a date that is not a date, or no id) to exercise the quarantine. Pages of 10,000 items are
written as `api/models-<n>.json` with their cards in `readmes/models-<n>.jsonl`, newest first
(lastModified falls by 15 s per item), like the Hub's listing sorted by lastModified descending.

`--mutate` makes the snapshot look like that listing a day later. Each model (its newest copy)
changes with probability `--fraction`: downloads + 1, an extra tag `benchmark-change-<seed>`, and
a lastModified strictly newer than every lastModified already in the snapshot (earlier change
pages included), newest first. The changed models are written as a NEW page,
`api/models-00000.change-<99999 - seed>.json`, with their cards (copied from the bundles, or the
`readmes/<id>/README.md` files, of the pages they came from) in `readmes/<same stem>.jsonl`. Its
name sorts before every existing page, so a reader going through the pages in file-name order (as
the offline harvest does) meets the changes first and can stop at the first item older than its
watermark. Old pages are not rewritten: a changed model's older copy stays on its page, and a
harvest keeps the first, newest copy of an id, as with a listing that shifted while it was paged.
Use a higher seed for each later round, so its page sorts earlier still (checked).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract.snapshot import BUNDLED_SNAPSHOT, model_pages, readme_bundle  # noqa: E402

_ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")

PAGE = 10_000
NEWEST = datetime(2025, 6, 30, tzinfo=timezone.utc)


def _rename(model_id: str, known: set[str], copy: int) -> str:
    if copy == 0 or model_id not in known:
        return model_id
    namespace, _, name = model_id.partition("/")
    return f"{namespace}-m{copy}/{name}"


def _retarget(value, known, copy):
    if isinstance(value, str):
        return _rename(value, known, copy)
    if isinstance(value, list):
        return [_rename(v, known, copy) if isinstance(v, str) else v for v in value]
    return value


def synthetic_item(template: dict, known: set[str], copy: int, index: int) -> dict:
    item = json.loads(json.dumps(template))
    new_id = _rename(template["id"], known, copy)
    item.update(id=new_id, modelId=new_id, author=new_id.split("/")[0])
    item["lastModified"] = (NEWEST - timedelta(seconds=15 * index)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    tags = []
    for tag in item.get("tags", []):
        if tag.startswith("base_model:"):
            parts = tag.split(":")
            parts[-1] = _rename(parts[-1], known, copy)
            tag = ":".join(parts)
        tags.append(tag)
    item["tags"] = tags
    if isinstance(item.get("cardData"), dict) and "base_model" in item["cardData"]:
        item["cardData"]["base_model"] = _retarget(item["cardData"]["base_model"], known, copy)
    if index % 200 == 199:
        kind = (index // 200) % 4
        if kind == 0:
            item["downloads"] = -1
        elif kind == 1:
            item.setdefault("cardData", {})["base_model"] = {"name": "not an id"}
        elif kind == 2:
            item["lastModified"] = "last tuesday"
        else:
            del item["id"]
    return item


def generate(count: int, out: Path) -> int:
    templates = json.loads((BUNDLED_SNAPSHOT / "api" / "models.json").read_text(encoding="utf-8"))
    known = {t["id"] for t in templates}
    cards = {t["id"]: (BUNDLED_SNAPSHOT / "readmes" / t["id"] / "README.md") for t in templates}
    cards = {k: p.read_text(encoding="utf-8") for k, p in cards.items() if p.exists()}
    (out / "api").mkdir(parents=True, exist_ok=True)
    (out / "readmes").mkdir(parents=True, exist_ok=True)
    # the copies name the bundled datasets: the snapshot serves them as the bundled one does
    shutil.copytree(BUNDLED_SNAPSHOT / "api" / "datasets", out / "api" / "datasets", dirs_exist_ok=True)
    for page_start in range(0, count, PAGE):
        page = out / "api" / f"models-{page_start // PAGE + 1:05d}.json"
        items, bundle = [], []
        for index in range(page_start, min(count, page_start + PAGE)):
            template = templates[index % len(templates)]
            copy = index // len(templates)
            item = synthetic_item(template, known, copy, index)
            items.append(item)
            if template["id"] in cards and "id" in item:
                bundle.append({"id": item["id"], "readme": cards[template["id"]].replace(template["id"], item["id"])})
        page.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        with readme_bundle(out, page).open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in bundle)
    return count


def _stamp(value) -> datetime | None:
    if isinstance(value, str) and _ISO_SECONDS.match(value):
        return datetime.fromisoformat(value[:19]).replace(tzinfo=timezone.utc)
    return None


def _cards(root: Path, page: Path, ids: set[str]) -> dict[str, str]:
    """The model cards of `ids` listed on `page`, from its bundle or the per-repository files."""
    bundle = readme_bundle(root, page)
    if bundle.exists():
        with bundle.open(encoding="utf-8") as fh:
            entries = (json.loads(line) for line in fh)
            return {e["id"]: e["readme"] for e in entries if e.get("id") in ids}
    found = {}
    for model_id in ids:
        path = root / "readmes" / model_id / "README.md"
        if path.exists():
            found[model_id] = path.read_text(encoding="utf-8")
    return found


def mutate(snapshot: Path, fraction: float, seed: int) -> int:
    """Change `fraction` of the models, written as a new first page (see the module docstring)."""
    rng = random.Random(seed)
    pages = model_pages(snapshot)
    page = snapshot / "api" / f"models-00000.change-{99999 - seed:05d}.json"
    if page.exists():
        raise SystemExit(f"{page} exists already: mutate with another seed")
    seen: set[str] = set()
    newest: datetime | None = None
    changed: list[dict] = []
    cards: dict[str, str] = {}
    for source in pages:  # newest page first: an id's first copy is its newest
        items = json.loads(source.read_text(encoding="utf-8"))
        picked = set()
        for item in items:
            stamp = _stamp(item.get("lastModified")) if isinstance(item, dict) else None
            if stamp and (newest is None or stamp > newest):
                newest = stamp
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item["id"] in seen:
                continue
            seen.add(item["id"])
            if rng.random() < fraction:
                changed.append(item)
                picked.add(item["id"])
        if picked:
            cards.update(_cards(snapshot, source, picked))
    base = (newest or NEWEST) + timedelta(seconds=1)
    for rank, item in enumerate(changed):  # the listing's order: most recently modified first
        item["downloads"] = (item.get("downloads") or 0) + 1
        item["lastModified"] = (base + timedelta(seconds=len(changed) - 1 - rank)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        item["tags"] = list(item.get("tags") or []) + [f"benchmark-change-{seed}"]
    page.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    with readme_bundle(snapshot, page).open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"id": item["id"], "readme": cards[item["id"]]}, ensure_ascii=False) + "\n"
                      for item in changed if item["id"] in cards)
    if model_pages(snapshot)[0] != page:
        page.unlink()
        readme_bundle(snapshot, page).unlink()
        raise SystemExit(f"{page.name} would not be the first page: use a higher seed than earlier rounds")
    return len(changed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--mutate", type=Path)
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.mutate:
        print(f"changed {mutate(args.mutate, args.fraction, args.seed)} models in {args.mutate}")
    else:
        print(f"wrote {generate(args.models, args.out)} models to {args.out}")


if __name__ == "__main__":
    main()
