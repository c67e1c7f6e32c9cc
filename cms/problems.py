"""API errors as RFC 9457 problem details (``application/problem+json``), for every DRF view.

A client learns what was wrong from one shape whatever the error: ``type``, ``title``, ``status``,
``detail``, and for invalid parameters ``errors`` (parameter → messages).
"""

from http import HTTPStatus

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemSerializer(serializers.Serializer):
    """The body of every API error response (RFC 9457)."""

    type = serializers.CharField(help_text="A URI naming the kind of problem; about:blank when the status says it.")
    title = serializers.CharField(help_text="Short summary of the kind of problem.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What was wrong with this request.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid parameters: each parameter's messages.",
    )


def problem(status: int, detail: str, *, errors: dict | None = None, title: str | None = None) -> dict:
    body = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def _as_errors(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(name): [str(item) for item in (value if isinstance(value, list) else [value])]
            for name, value in detail.items()
        }
    return {"non_field_errors": [str(item) for item in detail]}


def exception_handler(exc, context):
    """DRF's handler, with its answer rewritten as problem details."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        body = problem(response.status_code, str(data["detail"]))
    else:
        body = problem(response.status_code, _("Some parameters are not valid."), errors=_as_errors(data))
    headers = {name: value for name, value in response.items() if name.lower() != "content-type"}
    return Response(body, status=response.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
