"""POST /api/v1/submissions/ and GET /api/v1/submissions/<id>/ for API clients."""

import re

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.problems import PROBLEM_CONTENT_TYPE, ProblemSerializer, problem
from workflows.review.models import Submission
from workflows.review.policy import can_create_submissions
from workflows.review.services import TransitionError

from . import services
from .authentication import ApiClientAuthentication, ApiClientRateThrottle, IsApiClient
from .serializers import RecordSubmissionSerializer, SubmissionStatusSerializer

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces
PROBLEMS = {
    (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=description)
    for code, description in {
        400: "Invalid or unknown fields, or no Idempotency-Key.",
        401: "Missing, invalid or revoked token.",
        403: "The client may not submit records.",
        404: "No such submission of this client.",
        409: "The Idempotency-Key was used with another request.",
        429: "Too many requests from this client.",
    }.items()
}


class ClientAPIView(APIView):
    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsApiClient]
    throttle_classes = [ApiClientRateThrottle]
    parser_classes = [JSONParser]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 404:
            request._request.urlconf = "interop.unprefixed_urls"  # the 404 is the answer, not a redirect
        return response


def _problem_response(status_code: int, detail: str, **headers) -> Response:
    return Response(
        problem(status_code, detail), status=status_code, content_type=PROBLEM_CONTENT_TYPE, headers=headers
    )


class SubmissionCreateView(ClientAPIView):
    """Submit a record for review: it lands in the editors' screening inbox, never published directly."""

    @extend_schema(
        operation_id="submissions_create",
        request=RecordSubmissionSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="Unique per request (1-255 printable characters); a retry with the same key and body "
                "gets the first answer again for 24 hours.",
            )
        ],
        responses={(201, "application/json"): SubmissionStatusSerializer, **PROBLEMS},
    )
    def post(self, request):
        client = request.auth
        key = request.headers.get("Idempotency-Key", "")
        if not IDEMPOTENCY_KEY.match(key):
            raise exceptions.ValidationError(
                {"Idempotency-Key": [_("Send a unique Idempotency-Key header (1 to 255 printable characters).")]}
            )
        if not can_create_submissions(client.acting_user):
            raise exceptions.PermissionDenied(_("This client's acting user may not submit records."))
        digest = services.request_hash(request.data)
        with transaction.atomic():
            stored, created = services.claim_key(client, key, digest)
            if not created:
                if stored.request_hash != digest:
                    return _problem_response(
                        status.HTTP_409_CONFLICT,
                        _("This Idempotency-Key was already used with a different request; use a new key."),
                    )
                return Response(
                    stored.response_body,
                    status=stored.response_status,
                    headers={"Location": stored.location, "Idempotent-Replayed": "true"},
                )
            serializer = RecordSubmissionSerializer(data=request.data, client=client)
            serializer.is_valid(raise_exception=True)
            try:
                submission = services.push(client, serializer.form, serializer.validated_data["body"])
            except TransitionError as error:
                raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from error
            body = SubmissionStatusSerializer(submission).data
            location = request.build_absolute_uri(reverse("push:submission", args=[submission.pk]))
            stored.response_status, stored.response_body, stored.location = status.HTTP_201_CREATED, body, location
            stored.save(update_fields=["response_status", "response_body", "location"])
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class SubmissionDetailView(ClientAPIView):
    """A submission this client pushed: its state in review and its identifier (nothing else)."""

    @extend_schema(
        operation_id="submissions_retrieve",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "application/json"): SubmissionStatusSerializer, **PROBLEMS},
    )
    def get(self, request, pk):
        if not pk.isascii() or not pk.isdigit() or len(pk) > 18:  # any other address is a 404 problem too
            raise exceptions.NotFound
        submission = get_object_or_404(Submission.objects.select_related("page"), pk=pk, pushed_by__client=request.auth)
        return Response(SubmissionStatusSerializer(submission).data)
