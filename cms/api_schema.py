"""drf-spectacular hook: the public schema describes the project's /api/ paths only."""


def only_project_paths(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
