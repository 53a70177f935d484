"""The quality report of the current catalog: how full each field is, and every asset check's figures.

Read from what is on disk now (the normalized shards carry their counts in their Parquet metadata)
and, for checks that measure a build's own figures, the metadata of each asset's latest successful
materialization in the run history. Nothing is rebuilt.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import checks as asset_checks
from pipeline.platforms import HF, PLATFORMS
from pipeline.registry import Registry


def _catalog(settings, paths: list[Path]) -> dict:
    """Counts and per-field fill rates of one platform's normalized records (read from their Parquet metadata)."""
    from pipeline.transform.fair4ml import ARROW_SCHEMA
    from pipeline.transform.normalized_shards import read_stats

    stats = read_stats([p for p in paths if p.exists()])
    records = stats["records"]
    return {
        "records": records, "quarantined": stats["quarantined"], "shards": stats["shards"],
        "shards_missing": sum(not p.exists() for p in paths), "shards_without_stats": stats["shards_without_stats"],
        "fields": {name: {"filled": stats["filled"][name], "share": asset_checks.share(stats["filled"][name], records)}
                   for name in ARROW_SCHEMA.names if name in stats["filled"]},
        "relations": stats["relations"], "card_flags": stats["card_flags"], "with_issues": stats["with_issues"],
    }


def report(registry: Registry, settings, history) -> dict:
    """{catalog: the Hub's counts and per-field fill rates, platforms: the same for each other platform built,
    checks: [{asset, check, severity, status, value, detail}]}."""
    latest = history.latest()
    catalogs = {}
    for key in PLATFORMS:
        name = f"{key}_models_normalized"
        if name in registry:
            catalogs[key] = _catalog(settings, [settings.root / p for p in
                                                registry[name].outputs["parquet"].paths(settings.shard_labels)])
    catalog = catalogs.pop(HF)
    platforms = {key: c for key, c in catalogs.items() if not c["shards_missing"]}
    results = []
    for asset in registry:
        if not asset.checks:
            continue
        files: dict[str, list[Path]] = {key: [settings.root / p for p in output.paths(settings.shard_labels)]
                                        for key, output in asset.outputs.items()}
        success = latest.get(asset.name, {}).get("success")
        given = asset_checks.CheckInput(settings, files, dict(success.metadata) if success else {})
        built = all(p.exists() for key, output in asset.outputs.items() if not output.side for p in files[key])
        for result in asset_checks.run(asset.checks, given) if built else []:
            results.append({"asset": asset.name, **result})
        if not built:
            results.append({"asset": asset.name, "check": "-", "severity": "-", "status": "-", "value": None,
                            "detail": f"not measured: {asset.name} was never built (run `doit {asset.name}`)"})
    return {"catalog": catalog, "platforms": platforms, "checks": results}


def render(document: dict) -> str:
    catalog = document["catalog"]
    records = catalog["records"]
    lines = [f"{PLATFORMS[HF].name}: {records} records, {catalog['quarantined']} quarantined, in {catalog['shards']} shards"
             + (f" ({catalog['shards_missing']} shards never built)" if catalog["shards_missing"] else "")]
    if catalog["shards_without_stats"]:
        lines.append(f"  {catalog['shards_without_stats']} shards were written before counts were kept: "
                     "rebuild them with `doit forget hf_models_normalized && doit hf_models_normalized`")
    others = document.get("platforms") or {}
    for key, other in others.items():
        lines.append(f"{PLATFORMS[key].name}: {other['records']} records, {other['quarantined']} quarantined")
    lines.append("")
    lines.append("field fill rates (records where the field holds a value)")
    width = max((len(name) for name in catalog["fields"]), default=0)
    if others:  # one column per platform, the Hub's first
        lines.append(f"  {''.ljust(width)}" + "".join(f"  {PLATFORMS[key].name[:16]:>16}" for key in [HF, *others]))
    for name, fill in catalog["fields"].items():
        cells = [fill] + [other["fields"].get(name, {"filled": 0, "share": 0.0}) for other in others.values()]
        lines.append(f"  {name.ljust(width)}" + "".join(f"  {c['filled']:>8} {c['share']:>7.1%}" for c in cells))
    derived = sum(catalog["relations"].values())
    if derived:
        parts = ", ".join(f"{rel} {n} ({n / derived:.0%})" for rel, n in sorted(catalog["relations"].items(),
                                                                           key=lambda kv: -kv[1]))
        lines += ["", f"relations of the {derived} models with a base model: {parts}"]
    if catalog["card_flags"]:
        lines.append("card flags: " + ", ".join(f"{flag} {n}" for flag, n in sorted(catalog["card_flags"].items())))
    lines.append(f"records with values repaired or left out (dataIssues): {catalog['with_issues']} "
                 f"({asset_checks.share(catalog['with_issues'], records):.1%})")
    lines += ["", "checks"]
    asset_width = max((len(r["asset"]) for r in document["checks"]), default=0)
    check_width = max((len(r["check"]) for r in document["checks"]), default=0)
    for r in document["checks"]:
        lines.append(f"  {r['status'].upper():4}  {r['asset'].ljust(asset_width)}  {r['check'].ljust(check_width)}  "
                     f"{asset_checks.format_value(r['value']):>7}  {r['detail']}")
    return "\n".join(lines)
