"""The language detector's model is loaded from a pickled copy in the user's cache directory once one
exists (pipeline/transform/languages.py): the same answers, and a damaged or unwritable cache only
costs the slow load."""

import pytest

from pipeline.transform import languages

GERMAN = "Dieses Modell erkennt benannte Entitäten in deutschen Nachrichtentexten und wurde sorgfältig trainiert."


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    languages._identifier.cache_clear()
    yield tmp_path / "cache" / "mlentory"
    languages._identifier.cache_clear()


def _cached(folder):
    return [p for p in folder.iterdir() if p.name.startswith("py3langid-")] if folder.exists() else []


def test_the_first_load_writes_the_cache_and_the_next_reads_it(fresh, monkeypatch):
    assert languages.detect(GERMAN)[0] == "de"
    [cache] = _cached(fresh)
    assert cache.stat().st_size > 10_000_000

    from py3langid import langid
    languages._identifier.cache_clear()
    monkeypatch.setattr(langid.LanguageIdentifier, "from_modelpath",
                        classmethod(lambda cls, *a, **k: pytest.fail("the model was loaded, not the cache")))
    assert languages.detect(GERMAN)[0] == "de"


def test_a_damaged_cache_is_replaced(fresh):
    languages.detect(GERMAN)
    [cache] = _cached(fresh)
    cache.write_bytes(b"not a pickle")
    languages._identifier.cache_clear()
    assert languages.detect(GERMAN)[0] == "de"
    assert cache.stat().st_size > 10_000_000


def test_a_cache_directory_that_cannot_be_made_still_detects(monkeypatch, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache root is a file, so no directory can be made under it")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    languages._identifier.cache_clear()
    try:
        assert languages.detect(GERMAN)[0] == "de"
        assert blocked.read_text().startswith("the cache root")
    finally:
        languages._identifier.cache_clear()
