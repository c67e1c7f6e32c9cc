"""A sitemap of every language: each page with ``hreflang`` alternates for its translations and aliases.

The site's root page is one language's home; its translations are the roots of the other languages'
trees, so the sitemap walks all of them. ``x-default`` points at the English version.
"""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

X_DEFAULT_LANGUAGE = "en"


class AllLanguagesSitemap(Sitemap):
    limit = 10000  # addresses per sitemap page; each page's alternates cost one more query

    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True)
        within = Q()
        for path in roots:
            within |= Q(path__startswith=path)
        return Page.objects.live().public().filter(within).select_related("locale").order_by("path")

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        versions: dict = {}
        siblings = (
            self.items()
            .filter(translation_key__in={item.translation_key for item in pages})
            .order_by("locale__language_code")
        )
        for version in siblings:
            location = version.get_full_url(self.request)
            if location:
                versions.setdefault(version.translation_key, []).append((version.locale.language_code, location))
        urls, last_mods = [], set()
        for item in pages:
            location = item.get_full_url(self.request)
            if not location:
                continue
            alternates = [{"lang_code": code, "location": url} for code, url in versions.get(item.translation_key, [])]
            default = next((alt["location"] for alt in alternates if alt["lang_code"] == X_DEFAULT_LANGUAGE), None)
            if default:
                alternates.append({"lang_code": "x-default", "location": default})
            lastmod = item.last_published_at
            urls.append({"item": item, "location": location, "lastmod": lastmod, "alternates": alternates})
            last_mods.add(lastmod)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
