"""The result cache: bounded by the size of what it holds, weighed once per item, and
large enough for several roles' searches at once."""

from __future__ import annotations

from testimony_archive.index import snapshot
from testimony_archive.index.snapshot import LRU, result_weight


def test_the_cache_keeps_its_bound_in_bytes_and_drops_the_least_recent() -> None:
    weighed: list[str] = []

    def weigh(value: str) -> int:
        weighed.append(value)
        return len(value)

    cache = LRU(10, weigh=weigh)
    for key in "abcd":
        cache.fetch(key, lambda key=key: key * 3)  # 3 "bytes" each
    assert cache.total == 9 and list(cache._items) == ["b", "c", "d"]
    assert cache.fetch("b", lambda: "never built") == "bbb"  # a hit moves it last
    cache.fetch("e", lambda: "eeee")
    assert list(cache._items) == ["d", "b", "e"] and cache.total == 10
    assert weighed == ["aaa", "bbb", "ccc", "ddd", "eeee"]  # never weighed again


def test_a_results_page_weighs_by_its_hits_and_facet_values() -> None:
    from types import SimpleNamespace

    empty = SimpleNamespace(hits=[], facets={})
    page = SimpleNamespace(hits=list(range(20)), facets={"year": list(range(30))})
    assert result_weight(empty) == 2048
    assert result_weight(page) == 2 * (1024 + 20 * 1536 + 30 * 128)


def test_two_roles_searches_of_the_bench_mix_fit_together() -> None:
    """280 results pages of 20-60 KB: what a bound of 256 entries could not hold."""
    assert snapshot.RESULT_CACHE_BYTES >= 280 * 60 * 1024
