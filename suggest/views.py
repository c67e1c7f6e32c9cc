"""The suggestions endpoint: POST the text being written, get back the GBF targets and subjects it
is about, each with the words that support it, labelled in the interface's language.

Signed-in users only (session and CSRF token, as the forms that call it), rate-limited per user,
and the text is bounded; every refusal answers with problem details (cms/problems.py).
"""

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from .analysis import LANGUAGES
from .model import DEFAULT_THRESHOLD
from .store import current_model

MAX_TEXT_LENGTH = 20_000  # characters: a long record's title, summary and body


class SuggestionRateThrottle(UserRateThrottle):
    """Requests per signed-in user (``SUGGEST_RATE``, default 60 a minute: one a second of typing)."""

    scope = "suggest"

    def get_rate(self):
        return settings.SUGGEST_RATE


def _language_choices() -> list[str]:
    return sorted({*LANGUAGES, *(code for code, _name in settings.LANGUAGES)})


class SuggestionRequestSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=MAX_TEXT_LENGTH,
        # DRF fills in {max_length} when the message is shown, in the request's language.
        error_messages={"max_length": _("The text is too long for suggestions: send at most {max_length} characters.")},
    )
    language = serializers.ChoiceField(choices=_language_choices(), required=False, allow_blank=True)


class SuggestionsView(APIView):
    """POST ``{"text": …, "language": …}`` → ``{"language", "threshold", "suggestions": […]}``."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [SuggestionRateThrottle]
    parser_classes = [JSONParser]

    def post(self, request):
        data = SuggestionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = data.validated_data["text"]
        hint = data.validated_data.get("language") or None
        if not text.strip():
            return Response({"language": hint or "", "threshold": DEFAULT_THRESHOLD, "suggestions": []})
        language, suggestions = current_model().suggest(text, hint, label_language=get_language() or "en")
        return Response(
            {
                "language": language,
                "threshold": DEFAULT_THRESHOLD,
                "suggestions": [suggestion.as_dict() for suggestion in suggestions],
            }
        )
