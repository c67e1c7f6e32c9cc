"""Which installed apps' static files the portal collects and serves."""

from django.apps import apps
from django.contrib.staticfiles.finders import AppDirectoriesFinder

# The portal runs viewflow's workflow engine but renders none of its templates. Its bundled Material
# front end (49 MB of fonts, Dash and Plotly) is never served, and its CSS names fonts the package
# does not ship, which the production build would refuse as dangling references.
UNSERVED_APPS = {"viewflow"}


class ServedAppDirectoriesFinder(AppDirectoriesFinder):
    """Django's app directories finder, without the apps in ``UNSERVED_APPS``."""

    def __init__(self, app_names=None, *args, **kwargs):
        if app_names is None:
            app_names = [config.name for config in apps.get_app_configs() if config.name not in UNSERVED_APPS]
        super().__init__(app_names, *args, **kwargs)
