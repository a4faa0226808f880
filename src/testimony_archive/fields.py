"""The facets and filters, declared once.

Each is a property of a document that a search can be narrowed by and counted by. The
index schema, the query language's fields, the search request, the URL parameters, the
CLI options, the batch filters, the facet lists, the tag lists and the vocabulary pages
all read this table; none keeps a list of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .i18n import N_

if TYPE_CHECKING:
    from .i18n import Translator
    from .vocabulary import Vocabulary

FacetKind = Literal["tag", "keyword", "year"]


@dataclass(frozen=True)
class Facet:
    name: str  # the document property, index field and facet key ("locations")
    param: str  # URL parameter, request attribute, batch filter and query field ("location")
    kind: FacetKind  # tag: a vocabulary id that rolls up; keyword: a plain value; year
    title: str  # gettext message id of a list of values ("Place")
    help: str  # the CLI option's help
    plural: str = ""  # gettext message id of a tag field's heading ("Places")
    section: str = ""  # a tag field's vocabulary page, /vocabulary/<section>

    @property
    def is_tag(self) -> bool:
        return self.kind == "tag"

    @property
    def option(self) -> str:
        """The CLI option: --abuse-type."""
        return "--" + self.param.replace("_", "-")

    def normalise(self, value: str) -> str:
        """A filter value as the index holds it: place codes are upper-case (MX-CHP), the
        ids of GeoNames places and of named places below a subdivision are not."""
        if self.name == "locations" and not value.startswith("geonames:") and "/" not in value:
            return value.upper()
        return value

    def label(self, value: str, vocabulary: Vocabulary, translate: Translator) -> str:
        """A value as people read it: a vocabulary term's label, a kind's name."""
        if self.is_tag:
            return vocabulary.label(self.name, value, translate.language)
        if self.name == "kind":
            return translate.kind(value)
        return value


FACETS: tuple[Facet, ...] = (
    Facet("locations", "location", "tag", N_("Place"),
          "Location code, e.g. MX or MX-CHP (includes places inside).", N_("Places"), "places"),
    Facet("abuse_types", "abuse_type", "tag", N_("Abuse type"),
          "Abuse type id, e.g. torture (includes its terms).", N_("Abuse types"), "abuse-types"),
    Facet("perpetrators", "perpetrator", "tag", N_("Perpetrator"),
          "Perpetrator id, e.g. immigration.", N_("Perpetrators"), "perpetrators"),
    Facet("kind", "kind", "keyword", N_("Kind"), "Testimony or report excerpt."),
    Facet("language", "language", "keyword", N_("Language"), "Language of the document, e.g. es."),
    Facet("year", "year", "year", N_("Year"), "Year of the document's date."),
)  # fmt: skip
BY_NAME = {facet.name: facet for facet in FACETS}
BY_PARAM = {facet.param: facet for facet in FACETS}
TAG_FACETS = tuple(facet for facet in FACETS if facet.is_tag)
TAG_FIELDS = tuple(facet.name for facet in TAG_FACETS)
FILTER_PARAMS = tuple(facet.param for facet in FACETS)
# The vocabulary pages, in the order their links are shown.
VOCABULARY_FACETS = (BY_NAME["abuse_types"], BY_NAME["perpetrators"], BY_NAME["locations"])
