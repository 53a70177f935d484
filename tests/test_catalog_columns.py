"""Catalog-wide facts computed in Arrow (pipeline/transform/catalog_columns.py) give what a loop over
every model's row gives, in the same order, across files."""

import random

import pyarrow as pa
import pyarrow.parquet as pq
from pipeline.transform.catalog_columns import CaseInsensitiveIds, declarations, distinct, model_facts

METRIC = pa.struct([("dataset", pa.string()), ("datasetName", pa.string())])
SCHEMA = pa.schema([("identifier", pa.string()), ("mlTask", pa.list_(pa.string())), ("sharedBy", pa.string()),
                    ("author", pa.string()), ("citation", pa.list_(pa.string())),
                    ("citationDetails", pa.list_(pa.struct([("identifier", pa.string())]))),
                    ("evaluationMetrics", pa.list_(METRIC)),
                    ("license", pa.list_(pa.string())), ("licenseName", pa.string()), ("licenseLink", pa.string())])


def write_files(tmp_path, row_sets):
    paths = []
    for n, rows in enumerate(row_sets):
        path = tmp_path / f"models-{n:03d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path)
        paths.append(path)
    return paths


def random_rows(rng, count):
    pick = lambda values: rng.choice(values)  # noqa: E731
    names = ["org/a", "org/b", "Org/C", "x/İzmir-7b", None]
    return [{"identifier": f"id{rng.randrange(10**6)}", "mlTask": rng.sample(["t1", "t2", "t3", "t4"], rng.randrange(3)) or pick([None, []]),
             "sharedBy": pick(names), "author": pick(names + [""]),
             "citation": rng.sample(["https://arxiv.org/abs/2101.00001", "https://doi.org/10.1/x", "https://arxiv.org/abs/1706.03762v5",
                                     "https://example.org/paper"], rng.randrange(3)) or None,
             "citationDetails": rng.choice([None, [], [{"identifier": "10.1/x"}]]),
             "evaluationMetrics": rng.choice([None, [], [{"dataset": "d1", "datasetName": pick([None, "D one"])}]]),
             "license": [pick(["mit", "apache-2.0", "other", "MIT", "", None]) for _ in range(rng.randrange(3))] or pick([None, []]),
             "licenseName": pick([None, "my-license", "another"]), "licenseLink": pick([None, "LICENSE", "https://x.org/l"])}
            for _ in range(count)]


def test_distinct_values_come_in_order_of_first_appearance_across_files(tmp_path):
    paths = write_files(tmp_path, [
        [{"identifier": "a", "mlTask": ["t2", "t1"], "sharedBy": "s1", "author": "a1"},
         {"identifier": "b", "mlTask": None, "sharedBy": None, "author": "s1"}],
        [],
        [{"identifier": "c", "mlTask": ["t3", "t2"], "sharedBy": "s2", "author": ""}]])
    assert distinct(paths, ["mlTask"]) == ["t2", "t1", "t3"]
    assert distinct(paths, ["sharedBy", "author"]) == ["s1", "a1", "s2", ""]
    assert distinct(paths, ["mlTask"], contains="3") == ["t3"]
    assert distinct([], ["mlTask"]) == []


def test_the_arrow_facts_are_what_a_loop_over_every_row_gives(tmp_path):
    rng = random.Random(7)
    row_sets = [random_rows(rng, rng.randrange(0, 60)) for _ in range(9)]
    paths = write_files(tmp_path, row_sets)
    rows = [row for rows in row_sets for row in rows]

    facts = model_facts(paths)  # what entities.catalog looped over every model's row for before
    assert facts.tasks == list(dict.fromkeys(t for row in rows for t in row["mlTask"] or []))
    assert facts.agents == list(dict.fromkeys(a for row in rows for a in (row["sharedBy"], row["author"]) if a))
    assert facts.citing == [{"citation": r["citation"], "citationDetails": r["citationDetails"]} for r in rows
                            if any("doi.org/" in c for c in r["citation"] or [])]
    assert facts.metrics == [{"evaluationMetrics": r["evaluationMetrics"]} for r in rows if r["evaluationMetrics"]]

    expected: dict[tuple, int] = {}
    for row in rows:  # what licenses.collect looped over before: each declared value with the row's name and link
        for declared in row["license"] or []:
            key = (declared, row["licenseName"], row["licenseLink"])
            expected[key] = expected.get(key, 0) + 1
    assert declarations(paths, "license", ["licenseName", "licenseLink"]) == [(*k, n) for k, n in expected.items()]


def test_ids_are_matched_without_regard_to_case_as_python_lowers_them(tmp_path):
    # "İ" lowers to two code points in Python: the non-ASCII ids are lowered by Python, not by Arrow
    paths = write_files(tmp_path, [[{"identifier": "Org/Model-7B"}, {"identifier": "x/İzmir"}], [{"identifier": "y/b"}]])
    known = CaseInsensitiveIds(paths)
    assert known.known(["org/model-7b", "ORG/MODEL-7B", "x/i̇zmir", "X/İZMIR", "y/B", "z/none"]) == \
        [True, True, True, True, True, False]
    assert "z/none" not in known
    known.add(["Z/None"])
    assert "z/NONE" in known
    assert known.known([]) == []


def test_model_facts_keep_file_and_row_order(tmp_path):
    paths = write_files(tmp_path, [
        [{"identifier": "a", "citation": ["https://doi.org/10.1/a"]}, {"identifier": "b", "citation": []},
         {"identifier": "c", "citation": ["https://arxiv.org/abs/1", "https://doi.org/10.1/c", "https://doi.org/10.1/c2"],
          "evaluationMetrics": [{"dataset": "d", "datasetName": None}]}],
        [{"identifier": "d", "citation": ["https://arxiv.org/abs/2"], "evaluationMetrics": []},
         {"identifier": "e", "citation": ["https://doi.org/10.1/e"], "evaluationMetrics": [{"dataset": "e"}]}]])
    facts = model_facts(paths)
    assert [r["citation"][-1] for r in facts.citing] == ["https://doi.org/10.1/a", "https://doi.org/10.1/c2",
                                                          "https://doi.org/10.1/e"]
    assert [r["evaluationMetrics"][0]["dataset"] for r in facts.metrics] == ["d", "e"]
    assert model_facts([]).citing == []
