"""The installed package, not the checkout: a wheel holds the data the offline quick start reads (the
bundled snapshot, the schemas) and none of the tools that author it, and runs the quick start alone."""

import shutil
import subprocess
import sys
import zipfile

from tests.conftest import REPO, _clean_env


def test_the_wheel_ships_data_not_authoring_tools_and_runs_the_quick_start(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(tmp_path / "dist")], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("mlentory_pipeline-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {"pipeline/schemas/fair4ml-mlmodel.schema.json", "pipeline/schemas/entities.schema.json",
            "pipeline/snapshot/hf/api/models.json"} <= set(names)
    assert not [n for n in names if n.startswith("tools/") or n.endswith(("_facts.py", "build_hf_snapshot.py"))]

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dodo.py", "pyproject.toml"):
        shutil.copy(REPO / name, project / name)
    env = {**_clean_env(HF_HUB_OFFLINE="1", MLENTORY_SHARDS="2"), "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-m", "doit"], cwd=project, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    imported = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"], cwd=project,
                              env=env, capture_output=True, text=True)
    assert imported.stdout.strip().startswith(str(site))  # the run used the wheel's code, not the checkout's
    assert len(list(project.glob("data/normalized/hf/models-*.parquet"))) == 2
