"""The project's URLs plus one view that fails, to see the headers of the 500 page."""

from django.urls import path

from cms.urls import handler500  # noqa: F401 - handler500 is read by Django
from cms.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("a failure for the test of the error page's headers")


urlpatterns = [path("broken/", broken), *project_urlpatterns]
