import pytest


@pytest.fixture(autouse=True)
def _sample_articles_not_measured(monkeypatch):
    """The sample contract's B-articles stands for a target that no ledger measures: the engine must
    say "not measurable", never 0. The publicity app measures ``publicity.articles``, so these tests
    take it out of the registry for their run (the publicity app's own tests measure it)."""
    from muxiang.contracts import engine

    monkeypatch.delitem(engine.REGISTRY, "publicity.articles", raising=False)
    monkeypatch.delitem(engine.RECORDS, "publicity.articles", raising=False)
