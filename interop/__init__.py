"""Interoperability: the open API, push, harvest, feeds, import and export (one app per part)."""
