"""What a listing's map caption says: how many of the results the map shows, and from which results.

A caption must agree with the markers drawn (``cms/static/js/map.js`` draws every marker it is given),
so the listing counts the markers it passes, never the results it hopes to show.
"""

from enum import Enum

from django.http import JsonResponse
from django.utils.translation import ngettext


class MapScope(Enum):
    ALL_RESULTS = "all"  # markers come from every page of the filtered results
    THIS_PAGE = "page"  # markers come from the page of results shown


def map_caption(*, shown: int, located: int, results: int, scope: MapScope) -> str:
    """``shown`` markers, of ``located`` results that have a location, of ``results`` in ``scope``."""
    values = {"shown": shown, "located": located, "results": results}
    if scope is MapScope.THIS_PAGE:
        return (
            ngettext(
                "On the map: %(shown)s of the %(results)s result on this page, those with a location. "
                "Each page of results has its own map.",
                "On the map: %(shown)s of the %(results)s results on this page, those with a location. "
                "Each page of results has its own map.",
                results,
            )
            % values
        )
    if located > shown:
        return (
            ngettext(
                "On the map: the first %(shown)s, by title, of the %(located)s results that have a location "
                "(%(results)s result in all, on every page).",
                "On the map: the first %(shown)s, by title, of the %(located)s results that have a location "
                "(%(results)s results in all, on every page).",
                results,
            )
            % values
        )
    return (
        ngettext(
            "On the map: %(shown)s of the %(results)s result, those with a location, from every page of "
            "results (not only this one).",
            "On the map: %(shown)s of the %(results)s results, those with a location, from every page of "
            "results (not only this one).",
            results,
        )
        % values
    )


def marker_feature(marker: dict) -> dict:
    """A marker (``lat``, ``lon``, ``title``, ``url``, ``label``, maybe ``lang`` and ``dir``) as a
    GeoJSON point feature."""
    properties = {name: value for name, value in marker.items() if name not in ("lat", "lon")}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [marker["lon"], marker["lat"]]},
        "properties": properties,
    }


def markers_response(markers: list[dict], etag: str | None = None) -> JsonResponse:
    """The markers as a GeoJSON FeatureCollection. With an ``etag`` (it changes with the content and
    the filters), ``ConditionalGetMiddleware`` answers a browser that already has them with a 304."""
    response = JsonResponse(
        {"type": "FeatureCollection", "features": [marker_feature(marker) for marker in markers]},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
    if etag:
        response["ETag"] = f'"{etag}"'
    return response
