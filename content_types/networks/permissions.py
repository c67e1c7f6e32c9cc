"""Who may manage a network's members, and whom a person may enrol: deny by default.

A person acts for the organisation and expert records they own (they drafted them in their
workspace); the free-text organisation of a profile is theirs to edit, so it proves nothing.
"""

from django.db.models import Subquery

from .models import original_of

MANAGE_PERMISSION = "networks.change_networkmembership"


def can_manage_members(user, network) -> bool:
    """The coordinator of this very network (as set on its original page) or an Editor."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm(MANAGE_PERMISSION):
        return True
    original = original_of(network)
    return original.coordinator_id is not None and original.coordinator_id == user.pk


def member_profiles(user) -> list:
    """The original organisation and expert pages ``user`` owns, organisations first (two queries)."""
    from content_types.records.models import ExpertProfilePage, OrganisationPage

    if user is None or not user.is_authenticated or not user.is_active:
        return []
    profiles = []
    for model in (OrganisationPage, ExpertProfilePage):
        owned = model.objects.live().filter(owner=user).values("translation_key")
        firsts = {}
        for page in model.objects.filter(translation_key__in=Subquery(owned)).order_by("pk"):
            firsts.setdefault(page.translation_key, page)
        profiles.extend(sorted(firsts.values(), key=lambda page: page.title.lower()))
    return profiles


__all__ = ["MANAGE_PERMISSION", "can_manage_members", "member_profiles"]
