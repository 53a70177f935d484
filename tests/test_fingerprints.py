"""Code fingerprints are derived from the code: editing a function makes exactly the assets whose builds
reach it stale, however they reach it; comments and docstrings make nothing stale."""

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import fingerprint
from pipeline.assets import REGISTRY

PACKAGE = Path(fingerprint.__file__).resolve().parent
FINGERPRINTS = """
import json
from pipeline.assets import REGISTRY
from pipeline.registry import code_fingerprint
print(json.dumps({asset.name: code_fingerprint(asset) for asset in REGISTRY}))
"""
CACHED_FINGERPRINTS = """
import json, sys
from pipeline.assets import REGISTRY
from pipeline.registry import code_fingerprint, save_fingerprint_cache, use_fingerprint_cache
use_fingerprint_cache(sys.argv[1])
print(json.dumps({asset.name: code_fingerprint(asset) for asset in REGISTRY}))
save_fingerprint_cache()
"""


@pytest.fixture
def package_copy(tmp_path):
    root = tmp_path / "src"
    shutil.copytree(PACKAGE, root / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "node_modules", "vendor"))
    return root


def fingerprints(root: Path, cache: Path | None = None) -> dict[str, str]:
    script = [FINGERPRINTS] if cache is None else [CACHED_FINGERPRINTS, str(cache)]
    result = subprocess.run([sys.executable, "-c", *script], cwd=root, capture_output=True, text=True,
                            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def edit_function(root: Path, module: str, function: str, line: str = "pass") -> None:
    """Add a statement at the end of a top-level function (or method `Class.method`) of a module."""
    path = root / Path(*module.split(".")).with_suffix(".py")
    source = path.read_text().splitlines(keepends=True)
    tree = ast.parse("".join(source))
    names = function.split(".")
    node = next(n for n in tree.body if getattr(n, "name", None) == names[0])
    if len(names) == 2:
        node = next(n for n in node.body if getattr(n, "name", None) == names[1])
    indent = " " * node.body[-1].col_offset
    source.insert(node.end_lineno, f"{indent}{line}\n")
    path.write_text("".join(source))


def stale_after(root: Path, edit) -> set[str]:
    before = fingerprints(root)
    edit()
    after = fingerprints(root)
    return {name for name in before if before[name] != after[name]}


def test_a_transform_helper_makes_exactly_its_users_stale(package_copy):
    # arxiv_ids lives beside helpers the mapping calls, but the mapping does not call it: the papers asset
    # and the loaders (graph citations, search titles) do
    stale = stale_after(package_copy, lambda: edit_function(package_copy, "pipeline.transform.ids", "arxiv_ids"))
    assert stale == {"arxiv_papers", "hf_load_models_to_neo4j", "hf_load_entities_to_neo4j",
                     "hf_index_models_in_elasticsearch", "openml_load_models_to_neo4j", "bioimageio_load_models_to_neo4j",
                     "openml_index_models_in_elasticsearch", "bioimageio_index_models_in_elasticsearch"}
    # repo_id is reached from the mapping through base_models: by the normalized records and by the
    # assets that map fetched base models (hf_raw_base_models, lineage, entities); not by the loaders
    stale = stale_after(package_copy, lambda: edit_function(package_copy, "pipeline.transform.ids", "repo_id"))
    assert stale == {"hf_models_normalized", "hf_raw_base_models", "base_model_lineage", "hf_entities_normalized"}


def test_a_loader_helper_makes_exactly_the_loaders_that_use_it_stale(package_copy):
    # license_key (transform/licenses.py) names a license entity: the licenses asset, both graph loaders and
    # both JSON-LD writers (license IRIs) use it; the search loader and the mapping do not
    stale = stale_after(package_copy, lambda: edit_function(package_copy, "pipeline.transform.licenses", "license_key"))
    assert stale == {"licenses", "hf_load_models_to_neo4j", "hf_load_entities_to_neo4j", "hf_models_jsonld",
                     "hf_entities_normalized", "openml_load_models_to_neo4j", "bioimageio_load_models_to_neo4j"}
    stale = stale_after(package_copy, lambda: edit_function(package_copy, "pipeline.load.graph_model", "rows_for"))
    assert stale == {"hf_load_models_to_neo4j", "hf_load_entities_to_neo4j", "openml_load_models_to_neo4j",
                     "bioimageio_load_models_to_neo4j"}


def test_comments_and_docstrings_make_nothing_stale(package_copy):
    path = package_copy / "pipeline" / "transform" / "modelcard.py"
    stale = stale_after(package_copy, lambda: path.write_text(
        path.read_text().replace('"""Model card (README.md) reading', '"""Model cards (README.md): reading', 1)
        + "\n# a note at the end\n"))
    assert stale == set()


def test_a_project_built_by_another_copy_of_the_code_gets_this_copys_fingerprints(tmp_path, package_copy):
    """One project's fingerprint cache, two installs of the pipeline (an upgrade into a new environment, a
    second checkout): each gets its own code's fingerprints, though the other's files did not change."""
    other = tmp_path / "other"
    shutil.copytree(package_copy, other)
    edit_function(other, "pipeline.transform.modelcard", "_clean_line", "line = line")
    cache = tmp_path / "project" / "code-fingerprints.json"
    first = fingerprints(package_copy, cache)
    assert cache.exists() and fingerprints(package_copy, cache) == first == fingerprints(package_copy)
    second = fingerprints(other, cache)
    assert second == fingerprints(other) and second["hf_models_normalized"] != first["hf_models_normalized"]
    assert fingerprints(package_copy, cache) == first


def test_every_in_package_module_a_build_imports_is_in_its_closure():
    """No build reaches package code its fingerprint does not cover: every `pipeline.*` module imported
    inside a build function is part of that build's closure."""
    for asset in REGISTRY:
        covered = {key.split(":")[0] for key in fingerprint.closure(asset.build)}
        tree = ast.parse(Path(sys.modules[asset.build.__module__].__file__).read_text())
        build = next(n for n in ast.walk(tree) if getattr(n, "name", None) == asset.build.__name__)
        imported = {f"{n.module}.{a.name}" if fingerprint.module_file(f"{n.module}.{a.name}") else n.module
                    for n in ast.walk(build) if isinstance(n, ast.ImportFrom) and n.module.startswith("pipeline")
                    for a in n.names}
        assert imported - {"pipeline.registry"} <= covered, asset.name


CACHED_CHECKS = """
import json, sys
from pipeline.assets import REGISTRY
from pipeline.registry import checks_fingerprint, save_fingerprint_cache, use_fingerprint_cache
use_fingerprint_cache(sys.argv[1])
print(json.dumps({asset.name: checks_fingerprint(asset) for asset in REGISTRY if asset.checks}))
save_fingerprint_cache()
"""


def test_the_cached_checks_fingerprint_changes_with_the_code_a_check_runs(tmp_path, package_copy):
    """A sharded asset's checks task reruns when a check's code changes: its fingerprint is kept in the
    cache between processes, and an edit to what a check runs is not answered from the cache."""
    def checks() -> dict[str, str]:
        result = subprocess.run([sys.executable, "-c", CACHED_CHECKS, str(tmp_path / "cache.json")], cwd=package_copy,
                                capture_output=True, text=True, env={"PYTHONPATH": str(package_copy), "PATH": "/usr/bin:/bin"},
                                timeout=120)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    first = checks()
    assert checks() == first and (tmp_path / "cache.json").exists()  # the second answered from the cache
    edit_function(package_copy, "pipeline.assets", "check_license_filled", "x = 1")
    after = checks()
    assert {name for name in first if first[name] != after[name]} == {
        name for name, asset in REGISTRY._by_name.items()
        if any(c.measure.__qualname__ == "check_license_filled" for c in asset.checks)}
