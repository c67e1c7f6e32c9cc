from django.urls import path

from .views import SuggestionsView

app_name = "suggest"

urlpatterns = [path("", SuggestionsView.as_view(), name="suggestions")]
