"""An address book with no language-prefixed patterns, named by the API's 404 answers so that Django's
LocaleMiddleware leaves them as they are instead of redirecting them under a language prefix."""

urlpatterns: list = []
