"""Demo: one or more users for every role, acting for real countries."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from cms.demo.registry import register_demo
from content_types.vocabularies.models import Country

from . import roles

DEMO_PASSWORD = "chm-demo-2026"

# username, first name, last name, role, country code, organisation, language
DEMO_USERS = [
    ("editor", "Amina", "Diallo", roles.EDITOR, None, "CBD Secretariat", "en"),
    ("editor-fr", "Claire", "Martin", roles.EDITOR, "FR", "Office français de la biodiversité", "fr"),
    ("reviewer1", "Kenji", "Tanaka", roles.REVIEWER, "JP", "", "en"),
    ("reviewer2", "Lucía", "Fernández", roles.REVIEWER, "AR", "", "es"),
    ("reviewer3", "Omar", "Haddad", roles.REVIEWER, "JO", "", "ar"),
    ("submitter-fr", "Julien", "Bernard", roles.SUBMITTER, "FR", "", "fr"),
    ("submitter-ke", "Wanjiru", "Mwangi", roles.SUBMITTER, "KE", "", "en"),
    ("submitter-br", "Rafael", "Souza", roles.SUBMITTER, "BR", "", "es"),
    ("committee1", "Ingrid", "Larsen", roles.AWARD_COMMITTEE, "NO", "", "en"),
    ("committee2", "Mei", "Chen", roles.AWARD_COMMITTEE, "CN", "", "zh-hans"),
    ("committee3", "Sergei", "Ivanov", roles.AWARD_COMMITTEE, "RU", "", "ru"),
]


@register_demo(order=5, label="Users")
def build_users(context):
    User = get_user_model()
    countries = {
        country.code: country for country in Country.objects.filter(code__in=[u[4] for u in DEMO_USERS if u[4]])
    }
    # They share one password: hash it once (a deliberately slow hash, eleven times over, costs seconds).
    password = make_password(DEMO_PASSWORD)
    for username, first, last, role, country, organisation, language in context.progress(DEMO_USERS, "Users"):
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
        )
        if created:
            user.password = password
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        profile = user.profile
        profile.country = countries.get(country)
        profile.organisation = organisation
        profile.preferred_language = language
        profile.save()
        context.users[username] = user
