"""No patterns at all: named on the write API's 404 answers, so that Django's LocaleMiddleware does not
redirect them under a language prefix (where the pages' catch-all would match any address)."""

urlpatterns: list = []
