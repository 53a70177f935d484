"""A parallel run hands out, of the ready tasks, the one with the longest chain of work behind it
(pipeline/runs/priority.py): a short chain of slow assets is not left to start behind many cheap shards."""

import shutil
import sqlite3

from pipeline.registry import Asset, Output, Registry
from pipeline.runs.priority import RankedQueue, ranks
from tests.conftest import REPO, TOY_DODO, Project, _clean_env

CHAIN_REGISTRY = '''
from pipeline.registry import Asset, Output, Registry


def build_seed(ctx):
    for label in ctx.labels:
        ctx.output("seed", label).write_text(label)


def build_wide(ctx):
    ctx.output("wide").write_text(ctx.input("seed").read_text())


def build_all_wide(ctx):
    ctx.output("out").write_text("".join(path.read_text() for _, path in ctx.inputs("wide")))


def _step(source):
    def build(ctx):
        ctx.output("out").write_text("".join(path.read_text() for _, path in ctx.inputs(source)) if source == "seed"
                                     else ctx.input(source).read_text())
    return build


REGISTRY = Registry(assets=[
    Asset("seed", "one file per shard", "toy", build_seed, outputs={"seed": Output("data/seed-{shard}.txt")},
          inputs=lambda s: ["input.txt"]),
    Asset("wide", "cheap shards", "toy", build_wide, upstream=("seed",),
          outputs={"wide": Output("data/wide-{shard}.txt")}, sharded=True),
    Asset("chain1", "first of a chain", "toy", _step("seed"), upstream=("seed",), outputs={"out": Output("data/c1.txt")}),
    Asset("chain2", "second", "toy", _step("chain1"), upstream=("chain1",), outputs={"out": Output("data/c2.txt")}),
    Asset("chain3", "third", "toy", _step("chain2"), upstream=("chain2",), outputs={"out": Output("data/c3.txt")}),
    Asset("chain4", "fourth", "toy", _step("chain3"), upstream=("chain3",), outputs={"out": Output("data/c4.txt")}),
])
'''


def _run_order(tmp_path, registry_source: str, shards: int, *targets: str) -> list[str]:
    """The tasks a `doit -n 1` run of a toy project built, in the order they started."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / "toy_assets.py").write_text(registry_source)
    (root / "dodo.py").write_text(TOY_DODO)
    (root / "input.txt").write_text("go\n")
    project = Project(root, {**_clean_env(), "MLENTORY_SHARDS": str(shards)})
    result = project.doit("-n", "1", *targets)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(root / "data" / "runs.sqlite3") as db:
        return [name for (name,) in db.execute("SELECT name FROM tasks WHERE status = 'success' ORDER BY started")]


def _asset(name, upstream=()):
    return Asset(name, name, "toy", lambda ctx: None, upstream=upstream, outputs={"o": Output(f"data/{name}.txt")})


def test_an_assets_rank_is_its_seconds_plus_the_longest_chain_that_reads_it():
    registry = Registry(assets=[_asset("raw"), _asset("cheap", ("raw",)), _asset("slow", ("raw",)),
                                _asset("after_slow", ("slow",)), _asset("after_both", ("cheap", "slow"))])
    ranked = ranks(registry, {"raw": 2.0, "cheap": 0.5, "slow": 10.0, "after_slow": 3.0})
    assert ranked == {"raw": 15.0, "cheap": 1.5, "slow": 13.0, "after_slow": 3.0, "after_both": 1.0}


def test_of_assets_writing_one_target_at_a_time_the_cheaper_are_handed_out_first():
    """The Hub's search load (costly, reads every shard) and a small platform's share the index's writer
    lock: the small one ranks above it, or it would hold a worker waiting for the lock all that time."""
    shards = Asset("shards", "s", "toy", lambda ctx: None, outputs={"o": Output("data/s-{shard}.txt")}, sharded=True)
    hub = Asset("hub_search", "h", "toy", lambda ctx: None, upstream=("shards",), outputs={"o": Output("data/h")},
                exclusive="index")
    small = Asset("small_search", "p", "toy", lambda ctx: None, outputs={"o": Output("data/p")}, exclusive="index")
    tiny = Asset("tiny_search", "t", "toy", lambda ctx: None, outputs={"o": Output("data/t")}, exclusive="index")
    after = _asset("after_hub", ("hub_search",))
    registry = Registry(assets=[shards, hub, small, tiny, after])
    recorded = ranks(registry, {"shards": 1.0, "hub_search": 140.0, "small_search": 2.0, "tiny_search": 0.5,
                                "after_hub": 5.0})
    assert recorded["hub_search"] == 145.0  # the costliest keeps its rank
    assert recorded["tiny_search"] > recorded["small_search"] > recorded["hub_search"]
    # no run recorded yet: the one reading a sharded asset is taken as the costliest
    unknown = ranks(registry, {})
    assert unknown["hub_search"] == 2.0 and min(unknown["small_search"], unknown["tiny_search"]) > 2.0
    # an asset of no group keeps its chain rank
    assert recorded["shards"] == 146.0 and unknown["after_hub"] == 1.0


def test_before_any_run_a_task_reading_every_shard_costs_as_much_as_the_shards():
    """No recorded seconds: a whole-catalog reader of a sharded asset counts `shards`, a shard's task 1;
    so the chain through the catalog-wide tasks goes before the shards of an asset nothing waits on."""
    shards = Asset("shards", "s", "toy", lambda ctx: None, outputs={"o": Output("data/s-{shard}.txt")}, sharded=True)
    per_shard = Asset("per_shard", "p", "toy", lambda ctx: None, upstream=("shards",),
                      outputs={"o": Output("data/p-{shard}.txt")}, sharded=True)
    entities = Asset("entities", "e", "toy", lambda ctx: None, upstream=("shards",), outputs={"o": Output("data/e")})
    search = _asset("search", ("shards", "entities"))
    registry = Registry(assets=[shards, per_shard, entities, search])
    ranked = ranks(registry, {}, shards=256)
    assert ranked["per_shard"] == 1.0
    assert ranked["search"] == 256.0 and ranked["entities"] == 512.0 and ranked["shards"] == 513.0
    # recorded seconds win over the guess
    assert ranks(registry, {"entities": 3.0, "search": 20.0}, shards=256)["entities"] == 23.0


def test_an_asset_the_run_does_not_build_lends_no_rank():
    registry = Registry(assets=[_asset("raw"), _asset("jsonld", ("raw",)), _asset("store", ("jsonld",)),
                                _asset("entities", ("raw",)), _asset("search", ("entities",))])
    everything = ranks(registry, {"store": 100.0, "search": 10.0})
    assert everything["jsonld"] > everything["entities"]
    without_store = ranks(registry, {"store": 100.0, "search": 10.0}, within={"raw", "jsonld", "entities", "search"})
    assert without_store["jsonld"] == 1.0 and without_store["entities"] == 11.0


EXCLUSIVE_REGISTRY = CHAIN_REGISTRY.replace("""])
""", """    Asset("gate", "what both loads wait for", "toy", build_all_wide, upstream=("wide",),
          outputs={"out": Output("data/gate.txt")}),
    Asset("hub_load", "a long load of every shard", "toy", _step("gate"), upstream=("wide", "gate"),
          outputs={"out": Output("data/hub.txt")}, exclusive="index"),
    Asset("after_hub", "behind it", "toy", _step("hub_load"), upstream=("hub_load",),
          outputs={"out": Output("data/after.txt")}),
    Asset("small_load", "a small platform's load", "toy", _step("gate"), upstream=("gate",),
          outputs={"out": Output("data/small.txt")}, exclusive="index"),
])
""")


def test_a_run_hands_out_a_small_load_before_the_long_one_it_shares_a_target_with(tmp_path):
    order = _run_order(tmp_path, EXCLUSIVE_REGISTRY, 4)
    # both become ready when `gate` is built; by its chain alone the hub's load (2 assets deep) goes first
    assert order.index("gate") < order.index("small_load") < order.index("hub_load") < order.index("after_hub")


FIRST_BUILD_REGISTRY = CHAIN_REGISTRY.replace("""])
""", """    Asset("store", "reads every wide shard; left out of the run below", "toy", build_all_wide, upstream=("wide",),
          outputs={"out": Output("data/store.txt")}),
    Asset("entities", "reads every seed shard", "toy", _step("seed"), upstream=("seed",),
          outputs={"out": Output("data/entities.txt")}),
    Asset("search", "after the entities", "toy", _step("entities"), upstream=("entities",),
          outputs={"out": Output("data/search.txt")}),
])
""")


def test_a_first_run_hands_out_the_catalog_wide_chain_before_shards_whose_reader_it_leaves_out(tmp_path):
    """No run history: `entities` (reads every shard) then `search` rank above the `wide` shards, whose
    only catalog-wide reader, `store`, is not in this run."""
    order = _run_order(tmp_path, FIRST_BUILD_REGISTRY, 8, "wide", "entities", "search")
    first_wide = min(i for i, name in enumerate(order) if name.startswith("wide:"))
    assert order.index("seed") < order.index("entities") < first_wide, order
    assert "store" not in order


class _Node:
    def __init__(self, name, asset, registry="r:R"):
        self.name = name
        self.task = type("Task", (), {"meta": {"asset": asset, "registry": registry} if asset else None})()


def test_the_ready_queue_hands_out_the_highest_rank_first_and_equal_ranks_in_arrival_order():
    queue = RankedQueue({"jsonld": 5.0, "lineage": 15.0})
    for node in [_Node("jsonld:000", "jsonld"), _Node("job", None), _Node("jsonld:001", "jsonld"),
                 _Node("lineage", "lineage")]:
        queue.append(node)
    assert len(queue) == 4
    assert [queue.popleft().name for _ in range(4)] == ["lineage", "jsonld:000", "jsonld:001", "job"]
    assert not queue


def test_a_run_starts_the_long_chain_before_the_cheap_shards(tmp_path):
    order = _run_order(tmp_path, CHAIN_REGISTRY, 8)
    assert order[0] == "seed"
    # after seed, the chain's first two steps (ranks 11 and 3: chain1 reads every seed shard) go before
    # every shard of `wide` (rank 1);
    # in doit's own order chain2 is queued behind the eight shards that were ready before it
    first_wide = min(i for i, name in enumerate(order) if name.startswith("wide:"))
    assert order.index("chain1") < order.index("chain2") < first_wide
    assert len([n for n in order if n.startswith("wide:")]) == 8 and "chain4" in order


def test_an_assets_seconds_come_from_the_latest_run_that_built_it(tmp_path):
    """Per task of the asset (shards and checks count), from the latest run in which it succeeded; a run
    that only found it up to date, or where it failed, does not count."""
    from pipeline.runs.history import History
    from pipeline.runs.priority import seconds_per_task

    history = History(tmp_path / "runs.sqlite3")
    rows = {  # run: [(task, status, seconds)]
        "run-1": [("normalized:000", "success", 4.0), ("normalized:001", "success", 2.0), ("search", "success", 9.0)],
        "run-2": [("normalized:000", "success", 0.5), ("normalized:checks", "success", 0.5),
                  ("normalized:001", "up-to-date", 0.0), ("search", "failed", 1.0)],
        "run-3": [("search", "up-to-date", 0.0)],
    }
    for start, (run, tasks) in enumerate(rows.items()):
        history._db.execute("INSERT INTO runs VALUES (?,?,?,?,?,?,?)", (run, "[]", "[]", 100.0 * start, None, "success", 1))
        for name, status, seconds in tasks:
            history._db.execute("INSERT INTO tasks (run_id, name, status, started, ended) VALUES (?,?,?,?,?)",
                                (run, name, status, 100.0 * start, 100.0 * start + seconds))
    history.close()
    assert seconds_per_task(tmp_path / "runs.sqlite3") == {"normalized": 0.5, "search": 9.0}
    assert seconds_per_task(tmp_path / "none.sqlite3") == {}
