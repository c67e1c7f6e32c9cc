"""Error pages that work even when the database does not."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.utils.translation import get_language, get_language_info


def server_error(request, *args, **kwargs):
    language = get_language() or settings.LANGUAGE_CODE
    template = loader.get_template("500.html")
    body = template.render({"LANGUAGE_CODE": language, "bidi": get_language_info(language)["bidi"]})
    return HttpResponseServerError(body)
