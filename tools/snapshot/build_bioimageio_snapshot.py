"""Write the bundled bioimage.io snapshot (`pipeline/snapshot/bioimageio/`) from a git copy of
`bioimage-io/collection-bioimage-io`, whose `gh-pages` branch is what https://bioimage-io.github.io/collection-bioimage-io
served: `collection.json` (the zoo's listing) and `rdfs/<id>/<version>/rdf.yaml` (each resource's
description, the files `rdf_source` points at).

    python -m tools.snapshot.build_bioimageio_snapshot /path/to/collection-bioimage-io [--ref gh-pages]

Files are copied byte for byte (`git show`), never edited; PROVENANCE.md lists each one's repository,
path and commit. Only the latest version of each model is copied (the one `rdf_source` names).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "pipeline" / "snapshot" / "bioimageio"
REPO = "bioimage-io/collection-bioimage-io"
SITE = "https://bioimage-io.github.io/collection-bioimage-io/"


def git(mirror: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(mirror), *args], check=True, capture_output=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirror", type=Path, help="a git copy of bioimage-io/collection-bioimage-io")
    parser.add_argument("--ref", default="gh-pages")
    args = parser.parse_args()
    commit = git(args.mirror, "rev-parse", args.ref).decode().strip()
    listing = git(args.mirror, "show", f"{commit}:collection.json")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    (OUT / "collection.json").write_bytes(listing)
    rows = [("collection.json", "collection.json", "the listing")]
    for entry in json.loads(listing)["collection"]:
        if entry.get("type") != "model" or not str(entry.get("rdf_source", "")).startswith(SITE):
            continue
        path = entry["rdf_source"][len(SITE):]
        target = OUT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git(args.mirror, "show", f"{commit}:{path}"))
        rows.append((path, path, f"{entry['id']} ({entry.get('nickname')})"))
    lines = ["# Provenance of the bundled bioimage.io snapshot", "",
             f"Every file is a byte-for-byte copy of a file of `{REPO}` at commit `{commit}` "
             f"(branch `{args.ref}`), written by `python -m tools.snapshot.build_bioimageio_snapshot`.", "",
             "| file here | repository path | commit | record |", "|---|---|---|---|"]
    lines += [f"| `{here}` | `{path}` | `{commit[:12]}` | {what} |" for here, path, what in rows]
    (OUT / "PROVENANCE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows) - 1} model descriptions and the listing to {OUT}")


if __name__ == "__main__":
    main()
