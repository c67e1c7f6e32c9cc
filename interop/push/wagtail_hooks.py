from wagtail import hooks

from .viewsets import ApiClientViewSet


@hooks.register("register_admin_viewset")
def register_api_clients():
    return ApiClientViewSet("push_apiclient")
