"""The map page: regions placed by their gazetteer coordinates, with award counts.

An award conferral counts for the regions its recipient is about or located
in (or the recipient itself, when it is a region), rolled up through the
gazetteer to the level the page shows (province, prefecture, county).  The page
draws its own SVG: an equirectangular projection of the coordinates in
``data/gazetteer/divisions.tsv``, with every division of China as a faint dot
for orientation.  Nothing is fetched: tile servers and the geographic base
maps of charting libraries (plotly loads its topojson from a CDN) would need
the internet, and a pyvis network with fixed positions has no scale or
orientation to offer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from ..resources import Resources, load_resources
from .graph import query_rows, term_value
from .page import render, script_json

LEVELS = ("province", "prefecture", "county")
LEVEL_NAMES = {"province": "省级", "prefecture": "地级", "county": "县级"}


@dataclass(frozen=True, slots=True)
class Conferral:
    recipient: str
    award: str
    year: int | None
    document: str
    sentence: str


@dataclass(slots=True)
class RegionAwards:
    adcode: str
    name: str
    level: str
    lng: float
    lat: float
    conferrals: list[Conferral] = field(default_factory=list)


def _at_level(adcode: str, level: str, resources: Resources) -> str | None:
    """The division at ``level`` that contains ``adcode`` (or is it), if any."""
    if resources.divisions.get(adcode) is None:  # (``in`` misses unread villages)
        return None
    chain = [adcode, *resources.ancestors(adcode)]
    return next((code for code in chain if resources.divisions[code].level == level), None)


def region_awards(
    store: ox.Store, level: str = "prefecture", resources: Resources | None = None
) -> list[RegionAwards]:
    """Regions at ``level`` named in the graph, each with the conferrals counted for it.

    A region appears when the graph names it or something inside it, even with
    no award; regions without coordinates in the gazetteer are left out.
    """
    res = resources or load_resources()
    regions: dict[str, RegionAwards] = {}

    def region(adcode: str) -> RegionAwards | None:
        code = _at_level(adcode, level, res)
        if code is None:
            return None
        division = res.divisions[code]
        if division.lng is None or division.lat is None:
            return None
        if code not in regions:
            regions[code] = RegionAwards(code, division.name, level, division.lng, division.lat)
        return regions[code]

    for row in query_rows(
        store, "SELECT DISTINCT ?code WHERE { ?r a zhi:Region ; zhi:adcode ?code }"
    ):
        region(term_value(row["code"]))
    places: dict[str, set[str]] = defaultdict(set)
    query = """
        SELECT DISTINCT ?r ?code WHERE {
          ?c a zhi:AwardConferral ; zhi:recipient ?r .
          { ?r zhi:adcode ?code }
          UNION { ?r zhi:aboutRegion|zhi:locatedIn ?p . ?p zhi:adcode ?code }
        }"""
    for row in query_rows(store, query):
        places[term_value(row["r"])].add(term_value(row["code"]))
    conferrals = """
        SELECT ?c ?r ?recipient ?award ?year ?name ?sentence WHERE {
          ?c a zhi:AwardConferral ; zhi:recipient ?r ; zhi:award ?a .
          ?r rdfs:label ?recipient . ?a rdfs:label ?award .
          OPTIONAL { ?c zhi:year ?year }
          OPTIONAL { ?c zhi:evidence ?sentence }
          OPTIONAL { ?c zhi:inDocument ?d . ?d schema:name ?name }
        } ORDER BY DESC(?year) ?recipient ?award ?c"""
    for row in query_rows(store, conferrals):
        year = int(term_value(row["year"])[:4]) if row["year"] is not None else None
        conferral = Conferral(
            term_value(row["recipient"]),
            term_value(row["award"]),
            year,
            term_value(row["name"]),
            term_value(row["sentence"]),
        )
        found = {r.adcode: r for code in places[term_value(row["r"])] if (r := region(code))}
        for found_region in found.values():
            found_region.conferrals.append(conferral)
    return sorted(regions.values(), key=lambda r: (-len(r.conferrals), r.adcode))


def _background(resources: Resources) -> list[list[float]]:
    return [
        [d.lng, d.lat]
        for d in resources.divisions.values()
        if d.level in LEVELS and d.lng is not None and d.lat is not None
    ]


def map_page(store: ox.Store, *, title: str, resources: Resources | None = None) -> str:
    """The whole HTML page of the map: one layer of bubbles per level, prefecture first."""
    res = resources or load_resources()
    layers: dict[str, Any] = {}
    for level in LEVELS:
        layers[level] = [
            {
                "adcode": r.adcode,
                "name": r.name,
                "lng": r.lng,
                "lat": r.lat,
                "count": len(r.conferrals),
                "conferrals": [
                    [c.recipient, c.award, c.year, c.document, c.sentence] for c in r.conferrals
                ],
            }
            for r in region_awards(store, level, res)
        ]
    provinces = [
        [d.name, d.lng, d.lat]
        for d in res.divisions.values()
        if d.level == "province" and d.lng is not None and d.lat is not None
    ]
    data = {
        "title": title,
        "levels": [[level, LEVEL_NAMES[level]] for level in LEVELS],
        "level": "prefecture",
        "layers": layers,
        "background": _background(res),
        "provinces": provinces,
    }
    return render("map.html.j2", title=title, data=Markup(script_json(data)))
