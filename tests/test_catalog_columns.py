"""Catalog-wide facts computed in Arrow (pipeline/transform/catalog_columns.py) give what a loop over
every model's row gives, in the same order, across files."""

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.transform.catalog_columns import CaseInsensitiveIds, declarations, distinct, rows_naming

SCHEMA = pa.schema([("identifier", pa.string()), ("mlTask", pa.list_(pa.string())), ("sharedBy", pa.string()),
                    ("author", pa.string()), ("citation", pa.list_(pa.string())),
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

    tasks = list(dict.fromkeys(t for row in rows for t in row["mlTask"] or []))
    assert distinct(paths, ["mlTask"]) == tasks
    citing = [{"citation": r["citation"]} for r in rows if any("doi.org/" in c for c in r["citation"] or [])]
    assert rows_naming(paths, "citation", ["citation"], contains="doi.org/") == citing
    with_tasks = [{"identifier": r["identifier"]} for r in rows if r["mlTask"]]
    assert rows_naming(paths, "mlTask", ["identifier"]) == with_tasks

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


@pytest.mark.parametrize("contains", [None, "doi.org/"])
def test_rows_naming_keeps_file_and_row_order(tmp_path, contains):
    paths = write_files(tmp_path, [
        [{"identifier": "a", "citation": ["https://doi.org/10.1/a"]}, {"identifier": "b", "citation": []},
         {"identifier": "c", "citation": ["https://arxiv.org/abs/1", "https://doi.org/10.1/c", "https://doi.org/10.1/c2"]}],
        [{"identifier": "d", "citation": ["https://arxiv.org/abs/2"]}, {"identifier": "e", "citation": None}]])
    found = [r["identifier"] for r in rows_naming(paths, "citation", ["identifier"], contains=contains)]
    assert found == (["a", "c", "d"] if contains is None else ["a", "c"])
