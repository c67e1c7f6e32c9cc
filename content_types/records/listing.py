"""The records listing: the shared faceted listing plus a Region facet.

The Region facet comes from ``content_types.base.listing``, shared with events and networks.
"""

from content_types.base.listing import FacetedListing, RegionFacetMixin


class RecordListing(RegionFacetMixin, FacetedListing):
    """Records filtered by type, country, region, GBF target, subject, language and year."""

    def facets(self):
        return self.facets_with_region(super().facets())
