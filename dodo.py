"""doit entry point: every asset of `pipeline/assets.py` becomes a task, every job a group task.

    doit                          build everything that is stale
    doit hf_models_normalized     build one asset and whatever stale assets it needs
    doit -s hf_models_normalized  build only that asset
    doit -n 0                     build in doit's own process only (default: a worker per CPU)
    doit list                     assets and jobs with their descriptions
"""

from pipeline.doit_tasks import asset_tasks, ensure_state_dir, run_defaults

ensure_state_dir()  # doit opens its sqlite3 state file right after importing this module
DOIT_CONFIG = run_defaults()  # `doit` without -n: one worker process per CPU (MLENTORY_WORKERS)


def task_assets():
    """The pipeline's assets (see pipeline/assets.py)."""
    yield from asset_tasks("pipeline.assets:REGISTRY")
