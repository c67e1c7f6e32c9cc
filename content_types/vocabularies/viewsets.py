"""Wagtail admin screens where editors maintain the vocabularies."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Country, GBFGoal, GBFTarget, Language, Region, Subject


class GBFGoalViewSet(ModelViewSet):
    model = GBFGoal
    icon = "flag"
    list_display = ["code", "name_en", "name_fr", "name_es"]
    search_fields = ["code", "name_en", "name_fr", "name_es"]


class GBFTargetViewSet(ModelViewSet):
    model = GBFTarget
    icon = "pick"
    list_display = ["code", "name_en", "goal"]
    list_filter = ["goal"]
    search_fields = ["code", "name_en", "name_fr", "name_es"]


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "globe"
    list_display = ["code", "name_en", "parent"]
    search_fields = ["code", "name_en", "name_fr", "name_es"]


class CountryViewSet(ModelViewSet):
    model = Country
    icon = "site"
    list_display = ["code", "name_en", "region", "is_party"]
    list_filter = ["is_party", "is_un_member"]
    search_fields = ["code", "alpha3", "name_en", "name_fr", "name_es"]
    list_per_page = 100


class SubjectViewSet(ModelViewSet):
    model = Subject
    icon = "tag"
    list_display = ["code", "name_en", "broader"]
    search_fields = ["code", "name_en", "name_fr", "name_es"]


class LanguageViewSet(ModelViewSet):
    model = Language
    icon = "comment"
    list_display = ["code", "name_en", "is_un_official"]
    search_fields = ["code", "name_en", "name_fr", "name_es"]


class VocabularyViewSetGroup(ModelViewSetGroup):
    menu_label = _("Vocabularies")
    menu_icon = "list-ul"
    menu_order = 300
    items = (GBFGoalViewSet, GBFTargetViewSet, RegionViewSet, CountryViewSet, SubjectViewSet, LanguageViewSet)
