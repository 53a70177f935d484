"""Catalog-wide facts from the normalized files, computed in Arrow one file at a time.

The enrichment assets (datasets, papers, base models, licenses, entities) each need a few distinct
values of the whole catalog: the tasks and accounts models name, the bases they name, the papers
they cite. Made as one Python dict per model, a 2M-model catalog held 2.5 GiB in the entities task
and took tens of seconds in each of them on every update; here only the distinct values (and the
rare rows that cite a DOI or report a metric) become Python objects.

Values come out in order of first appearance (files in the order given, rows in file order), as the
per-row loops they replace produced them, so every output keeps its bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.storage import read_parquet


def _tables(paths: Iterable[Path], columns: list[str]) -> Iterator[pa.Table]:
    for path in paths:
        yield read_parquet(path, columns=columns)


def _values(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The strings of a string column, or of a list-of-strings column's lists, in row order."""
    return pc.list_flatten(column) if pa.types.is_list(column.type) else column


def _unique(table: pa.Table, columns: list[str], contains: str | None = None) -> pa.Array:
    values = [pc.drop_null(_values(table.column(name))) for name in columns]
    if contains is not None:
        values = [v.filter(pc.match_substring(v, contains)) for v in values]
    return pc.unique(pa.chunked_array(values, pa.string()))


def _merged(parts: list[pa.Array]) -> list[str]:
    return pc.unique(pa.chunked_array(parts, pa.string())).to_pylist() if parts else []


def distinct(paths: Iterable[Path], columns: list[str], contains: str | None = None) -> list[str]:
    """The distinct non-null strings of these columns (each a string or list-of-strings column) across
    the files, in order of first appearance (file by file; within a file, the first column's values,
    then the next's), optionally only those holding `contains`."""
    return _merged([_unique(table, columns, contains) for table in _tables(paths, columns)])


def _rows(table: pa.Table, column: str, columns: list[str], contains: str | None = None) -> list[dict]:
    """The rows (of `columns`) whose list column `column` is not empty, or holds a value with `contains`
    in it, in row order."""
    lists = table.column(column).combine_chunks()
    if contains is None:
        wanted = pc.fill_null(pc.greater(pc.list_value_length(lists), 0), False)
    else:
        hits = pc.fill_null(pc.match_substring(pc.list_flatten(lists), contains), False)
        parents = pc.unique(pc.list_parent_indices(lists).filter(hits))
        wanted = pc.is_in(pa.array(range(table.num_rows), parents.type), value_set=parents)
    return table.select(columns).filter(wanted).to_pylist()


@dataclass(frozen=True)
class ModelFacts:
    """What the entities need of the models: the tasks (`mlTask`) and accounts (`sharedBy`, `author`,
    empty ones left out) they name, in order of first appearance; the rows (citation, citationDetails)
    citing a DOI and the rows (evaluationMetrics) reporting metrics, in file and row order."""

    tasks: list[str]
    agents: list[str]
    citing: list[dict]
    metrics: list[dict]


def model_facts(paths: Iterable[Path]) -> ModelFacts:
    """The models' facts (see ModelFacts) in one read of each file."""
    tasks, agents, citing, metrics = [], [], [], []
    for table in _tables(paths, ["mlTask", "sharedBy", "author", "citation", "citationDetails", "evaluationMetrics"]):
        tasks.append(_unique(table, ["mlTask"]))
        agents.append(_unique(table, ["sharedBy", "author"]))
        citing += _rows(table, "citation", ["citation", "citationDetails"], contains="doi.org/")
        metrics += _rows(table, "evaluationMetrics", ["evaluationMetrics"])
    return ModelFacts(_merged(tasks), [a for a in _merged(agents) if a], citing, metrics)


def declarations(paths: Iterable[Path], column: str, with_columns: list[str]) -> list[tuple]:
    """(value, *with_values, rows) for each distinct combination of one value of the list column
    `column` with the row's `with_columns`, in order of first appearance; `rows` counts the
    occurrences (a license declared by a model, with its licenseName and licenseLink)."""
    keys = ["value", *with_columns]
    parts, offset = [], 0
    for table in _tables(paths, [column, *with_columns]):
        lists = table.column(column).combine_chunks()
        parents = pc.list_parent_indices(lists)
        exploded = pa.table({"value": pc.list_flatten(lists),
                             **{name: table.column(name).take(parents) for name in with_columns},
                             "at": pc.add(pa.array(range(len(parents)), pa.int64()), offset)})
        offset += len(parents)
        parts.append(exploded.group_by(keys, use_threads=False).aggregate([("at", "min"), ("at", "count")]))
    if not parts:
        return []
    merged = pa.concat_tables(parts).group_by(keys, use_threads=False).aggregate(
        [("at_min", "min"), ("at_count", "sum")]).sort_by("at_min_min")
    return list(zip(*(merged.column(k).to_pylist() for k in keys), merged.column("at_count_sum").to_pylist()))


class CaseInsensitiveIds:
    """The identifiers of the normalized files, asked about without regard to case (Hub ids are
    case-insensitive), held in Arrow. Lower case is Python's `str.lower` exactly: ASCII ids are lowered
    in Arrow, the rare others in Python."""

    def __init__(self, paths: Iterable[Path], column: str = "identifier"):
        ascii_parts, others = [], set()
        for table in _tables(paths, [column]):
            ids = pc.drop_null(table.column(column))
            plain = pc.string_is_ascii(ids)
            ascii_parts.append(pc.ascii_lower(ids.filter(plain)))
            others.update(i.lower() for i in ids.filter(pc.invert(plain)).to_pylist())
        self._ascii = pa.chunked_array(ascii_parts, pa.string()).combine_chunks() if ascii_parts \
            else pa.array([], pa.string())
        self._others = others
        self._added: set[str] = set()

    def __contains__(self, identifier: str) -> bool:
        return self.known([identifier])[0]

    def known(self, identifiers: list[str]) -> list[bool]:
        """For each id, whether one of the held ids (or one `add`ed) is the same without regard to case."""
        lowered = [i.lower() for i in identifiers]
        in_arrow = pc.is_in(pa.array(lowered, pa.string()), value_set=self._ascii).to_pylist() if lowered else []
        return [hit or low in self._others or low in self._added for hit, low in zip(in_arrow, lowered)]

    def add(self, identifiers: Iterable[str]) -> None:
        self._added.update(i.lower() for i in identifiers)
