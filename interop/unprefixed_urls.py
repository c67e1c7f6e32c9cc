"""An address book with no language-prefixed patterns, named by the 404 answers of the read and write
APIs (/api/v1/) so that Django's LocaleMiddleware leaves them as they are instead of redirecting them
under a language prefix (where the pages' catch-all would match any address)."""

urlpatterns: list = []
