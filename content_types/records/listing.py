"""The records listing: the shared faceted listing plus a Region facet.

The Region facet is the events app's ``RegionFacetMixin``; it belongs in ``content_types.base.listing``
(both sections use it), where it should move, and this import with it.
"""

from content_types.base.listing import FacetedListing
from content_types.events.listing import RegionFacetMixin


class RecordListing(RegionFacetMixin, FacetedListing):
    """Records filtered by type, country, region, GBF target, subject, language and year."""

    def facets(self):
        return self.facets_with_region(super().facets())
