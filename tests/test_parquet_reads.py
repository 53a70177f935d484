"""`storage.read_parquet`, the one way the pipeline reads a Parquet file: same table as
`pq.read_table`, and a column the file lacks is an error, not a column silently left out."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.storage import read_parquet


def test_read_parquet_gives_the_columns_asked_for_as_pq_read_table_does(tmp_path):
    path = tmp_path / "shard.parquet"
    table = pa.table({"identifier": ["a/b", "c/d"], "record_digest": ["1", "2"], "downloads": [3, None]})
    pq.write_table(table, path)
    assert read_parquet(path).equals(pq.read_table(path))
    assert read_parquet(path, columns=["record_digest", "identifier"]).equals(
        pq.read_table(path, columns=["record_digest", "identifier"]))


def test_a_column_the_file_lacks_is_an_error_naming_it(tmp_path):
    path = tmp_path / "old-format.parquet"
    pq.write_table(pa.table({"identifier": ["a/b"]}), path)
    with pytest.raises(pa.ArrowInvalid, match="no column record_digest"):
        read_parquet(path, columns=["identifier", "record_digest"])


def test_a_file_opened_once_reads_as_its_path_does_and_stays_open_for_the_next_read(tmp_path):
    from pipeline.storage import ParquetSource
    from pipeline.transform.normalized_shards import iter_records

    path = tmp_path / "shard.parquet"
    pq.write_table(pa.table({"identifier": ["a/b", "c/d"], "record_digest": ["1", "2"],
                             "record": ['{"identifier": "a/b"}', '{"identifier": "c/d"}']}), path)
    with ParquetSource(path) as source:
        assert read_parquet(source, columns=["identifier"]).equals(read_parquet(path, columns=["identifier"]))
        assert list(iter_records(source, {"c/d"})) == [{"identifier": "c/d"}]  # the same open file, read again
        assert read_parquet(source).equals(pq.read_table(path))
        with pytest.raises(pa.ArrowInvalid, match=f"{path}: no column downloads"):
            read_parquet(source, columns=["downloads"])
    assert source.file.closed
