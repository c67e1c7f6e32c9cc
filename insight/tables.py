"""The shapes every chart, map and table of the insight pages share, as plain values (kept in the
cache): a chart and a map always come with the table that gives the same figures, and that table
is what the CSV download writes."""

# Progress levels and reporting statuses keep their colours on every page (maps, charts, legends).
PROGRESS_COLOURS = {
    "on-track": "#1a7a3f",
    "some-progress": "#8cc665",
    "no-change": "#f2c84b",
    "moving-away": "#c4362c",
    "unknown": "#a6a6a6",
}
SERIES_COLOURS = ["#1b6b47", "#c07a12", "#2f5d9b", "#9b2f5d", "#5d9b2f", "#6b1b47", "#12a0c0", "#7a7a7a", "#b5651d"]


def cell(value, kind: str = "number", csv=None, lang=None, url: str = "") -> dict:
    """One cell: ``value`` as shown (a number is formatted in the page's language), ``csv`` as written
    to the download (the value itself by default)."""
    return {"value": value, "kind": kind, "csv": value if csv is None else csv, "lang": lang, "url": url}


def row(label: str, cells: list[dict], lang=None, url: str = "") -> dict:
    return {"label": label, "lang": lang, "url": url, "cells": cells}


def table(table_id: str, caption: str, corner: str, columns: list, rows: list[dict]) -> dict:
    """``columns``: labels, or dicts with ``label`` and ``lang``."""
    columns = [column if isinstance(column, dict) else {"label": str(column), "lang": None} for column in columns]
    return {"id": table_id, "caption": str(caption), "corner": str(corner), "columns": columns, "rows": rows}


def chart(chart_id: str, description: str, labels: list, datasets: list[dict], **options) -> dict:
    """A Chart.js bar (or line) chart: ``datasets`` of ``label``, ``data`` and ``colour``.
    ``options``: ``kind`` ("bar", "line"), ``stacked``, ``horizontal``, ``axis`` (the value axis's
    title), ``percent`` (values are shares from 0 to 100)."""
    return {
        "id": chart_id,
        "description": str(description),
        "labels": [str(label) for label in labels],
        "datasets": [{**dataset, "label": str(dataset["label"])} for dataset in datasets],
        "kind": options.get("kind", "bar"),
        "stacked": options.get("stacked", False),
        "horizontal": options.get("horizontal", False),
        "axis": str(options.get("axis", "")),
        "percent": options.get("percent", False),
    }


def choropleth(map_id: str, description: str, values: dict[str, str], categories: list[dict]) -> dict:
    """A world map: each country (by its M49 number, as the bundled outline names them) coloured by
    the category it is in; ``categories``: ``value``, ``label``, ``colour`` and ``count``."""
    return {
        "id": map_id,
        "description": str(description),
        "values": values,
        "categories": [{**category, "label": str(category["label"])} for category in categories],
    }


def percent(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)
