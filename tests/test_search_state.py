"""Search states as URLs: parameters in a fixed order, defaults left out, links that
change one thing and go back to the first page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from testimony_archive.index import SearchRequest
from testimony_archive.web.search_state import SearchState


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def test_defaults_are_left_out() -> None:
    assert SearchState().url() == "/search"
    assert (
        SearchState(SearchRequest(q="agents", page=1, sort="relevance")).url() == "/search?q=agents"
    )


def test_parameters_keep_one_order_whatever_is_changed() -> None:
    state = SearchState(SearchRequest(q="agents", year=2019, page=3))
    assert query(state.url(location="MX")) == [
        ("q", "agents"),
        ("location", "MX"),
        ("year", "2019"),
    ]
    assert query(state.url(location="MX", sort="date")) == query(
        SearchState(SearchRequest(q="agents", location="MX", year=2019, sort="date")).url()
    )


def test_a_change_goes_back_to_page_one_unless_a_page_is_given() -> None:
    state = SearchState(SearchRequest(q="agents", page=4))
    assert ("page", "4") in query(state.url(page=4))
    assert "page" not in dict(query(state.url(sort="date")))
    assert state.params()["page"] == 4


def test_toggle_sets_then_removes_a_filter() -> None:
    state = SearchState(SearchRequest(q="agents", location="MX"))
    assert dict(query(state.toggle("location", "MX"))) == {"q": "agents"}
    assert dict(query(state.toggle("location", "GT")))["location"] == "GT"
    assert dict(query(state.toggle("year", "2020")))["year"] == "2020"


def test_url_names_and_booleans() -> None:
    state = SearchState(SearchRequest(q="x", date_from="2019", confirmed_only=True))
    assert query(state.url()) == [("q", "x"), ("from", "2019"), ("confirmed", "true")]
    assert dict(query(state.url(confirmed=False))) == {"q": "x", "from": "2019"}
    assert dict(query(state.url(to="2020")))["to"] == "2020"


def test_params_are_a_copy() -> None:
    state = SearchState(SearchRequest(q="agents"))
    state.params()["q"] = "changed"
    assert state.params() == {"q": "agents"}


def test_a_new_request_field_stays_out_of_urls_unless_declared() -> None:
    import dataclasses

    from testimony_archive.web.search_state import URL_PARAMETERS

    extended = dataclasses.make_dataclass(
        "Extended", [("secret_scope", str, "")], bases=(SearchRequest,), frozen=True
    )
    state = SearchState(extended(q="agents", secret_scope="restricted-only", doc="x", limit=7))
    for url in (state.url(), state.url(page=2), state.toggle("location", "MX")):
        assert "secret" not in url and "restricted-only" not in url
        assert "limit" not in url and "doc=" not in url
    assert set(state.params()) == {"q"}
    declared = {attribute for attribute, _name in URL_PARAMETERS}
    server_set = {"doc", "limit"}  # fields the server sets: never parameters of the pages
    assert declared | server_set == {field.name for field in dataclasses.fields(SearchRequest)}
