"""Who a person is across every flow: its groups and, for an editor, the country it acts for.

These facts belong to no single flow (the review and the awards both ask who the secretariat is), so
they live here; each flow's ``roles_for`` turns them into its own local roles. Both lookups are
cached on the user object for the request.
"""

EDITOR_GROUP = "Editor"
ADMINISTRATOR_GROUP = "Administrator"
SUBMITTER_GROUP = "Submitter"
REVIEWER_GROUP = "Reviewer"


def group_names(user) -> frozenset:
    cached = getattr(user, "_workflow_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else frozenset()
        user._workflow_group_names = cached
    return cached


def profile_country_id(user):
    cached = getattr(user, "_workflow_country_id", ...)
    if cached is ...:
        from cms.accounts.models import UserProfile

        cached = UserProfile.objects.filter(user=user).values_list("country_id", flat=True).first()
        user._workflow_country_id = cached
    return cached


def is_secretariat_editor(user) -> bool:
    """Editors without a country, administrators and superusers act on every object of every flow."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or ADMINISTRATOR_GROUP in group_names(user):
        return True
    return EDITOR_GROUP in group_names(user) and profile_country_id(user) is None


def national_editor_country_id(user):
    """The country a national editor (an Editor whose profile names a country) acts for, else None."""
    if not user.is_authenticated or not user.is_active or is_secretariat_editor(user):
        return None
    if EDITOR_GROUP not in group_names(user):
        return None
    return profile_country_id(user)


def is_editor(user) -> bool:
    return is_secretariat_editor(user) or national_editor_country_id(user) is not None


def responsible_editors(country_id=None, *, exclude=None) -> list:
    """The active editors who handle something of ``country_id``: the secretariat's and that country's.

    ``exclude`` is a user id left out (nobody is told to judge its own submission or nomination).
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    scope = Q(profile__country__isnull=True)
    if country_id:
        scope |= Q(profile__country_id=country_id)
    users = get_user_model().objects.filter(groups__name=EDITOR_GROUP, is_active=True).filter(scope)
    if exclude is not None:
        users = users.exclude(pk=exclude)
    return list(users.select_related("profile").distinct())
