"""Demo: networks, communities of practice and partnerships with members, linked events and records,
pending requests to join, and French translations for half of them.

So that a demo user can try the join flow, three organisation and expert records that nobody owns are
given to the demo submitters (a person acts for the records they own)."""

import datetime
import random

from django.contrib.auth import get_user_model
from wagtail.models import Page

from cms.demo.pages import get_or_create_child, translate
from cms.demo.registry import register_demo
from content_types.vocabularies.models import Country, GBFTarget, Language, Region, Subject

from .models import (
    MemberRole,
    MembershipStatus,
    NetworkIndexPage,
    NetworkKind,
    NetworkMembership,
    NetworkPage,
    NetworkScope,
)

K, S = NetworkKind, NetworkScope
# slug, kind, scope, English title, French title, subject, GBF targets, region (M49), countries, coordinator
NETWORKS = [
    ("global-taxonomy-network", K.NETWORK, S.GLOBAL, "Global taxonomy network", "Réseau mondial de taxonomie",
     "SUBJ-TAXO", [21], None, [], "editor"),
    ("cop-invasive-alien-species", K.COMMUNITY_OF_PRACTICE, S.THEMATIC,
     "Community of practice on invasive alien species", "Communauté de pratique sur les espèces exotiques envahissantes",
     "SUBJ-IAS", [6], None, [], "editor-fr"),
    ("african-clearing-house-network", K.NETWORK, S.REGIONAL, "African clearing-house network",
     "Réseau africain des centres d'échange", "SUBJ-KM", [20, 21], "002", ["KE", "SN", "NA", "ET"], "submitter-ke"),
    ("pacific-islands-biodiversity-partnership", K.PARTNERSHIP, S.REGIONAL,
     "Pacific Islands biodiversity partnership", "Partenariat pour la biodiversité des îles du Pacifique",
     "SUBJ-ISLAND", [1, 3], "009", ["FJ", "WS"], "editor"),
    ("latin-american-restoration-network", K.NETWORK, S.REGIONAL, "Latin American ecosystem restoration network",
     "Réseau latino-américain de restauration des écosystèmes", "SUBJ-RESTO", [2], "419", ["BR", "CO", "PE"],
     "submitter-br"),
    ("cop-biodiversity-finance", K.COMMUNITY_OF_PRACTICE, S.GLOBAL, "Community of practice on biodiversity finance",
     "Communauté de pratique sur le financement de la biodiversité", "SUBJ-FINANCE", [18, 19], None, [], "editor"),
    ("marine-spatial-planning-partnership", K.PARTNERSHIP, S.THEMATIC, "Marine spatial planning partnership",
     "Partenariat pour la planification de l'espace marin", "SUBJ-MSP", [1, 10], None, [], "editor-fr"),
    ("kenya-biodiversity-data-network", K.NETWORK, S.NATIONAL, "Kenya biodiversity data network",
     "Réseau kényan de données sur la biodiversité", "SUBJ-MONITOR", [21], None, ["KE"], "submitter-ke"),
    ("asian-traditional-knowledge-network", K.NETWORK, S.REGIONAL, "Asian network on traditional knowledge",
     "Réseau asiatique sur les connaissances traditionnelles", "SUBJ-TK", [22], "142", ["NP", "VN", "MN"], "editor"),
    ("urban-biodiversity-partnership", K.PARTNERSHIP, S.THEMATIC, "Cities for nature partnership",
     "Partenariat « Villes pour la nature »", "SUBJ-URBAN", [12], None, [], "editor-fr"),
    ("european-pollinator-network", K.NETWORK, S.REGIONAL, "European pollinator network",
     "Réseau européen des pollinisateurs", "SUBJ-POLLIN", [7, 11], "150", ["FR", "DE", "FI"], "editor-fr"),
    ("cop-nbsap-implementation", K.COMMUNITY_OF_PRACTICE, S.GLOBAL, "Community of practice on NBSAP implementation",
     "Communauté de pratique sur la mise en œuvre des SPANB", "SUBJ-NBSAP", [14], None, [], "editor"),
    ("mountain-biodiversity-partnership", K.PARTNERSHIP, S.THEMATIC, "Mountain biodiversity partnership",
     "Partenariat pour la biodiversité des montagnes", "SUBJ-MOUNT", [2, 3], None, ["NP", "PE", "CH"], "editor"),
    ("arab-biosafety-network", K.NETWORK, S.REGIONAL, "Arab region biosafety network",
     "Réseau de la région arabe sur la prévention des risques biotechnologiques", "SUBJ-BIOSAFETY", [17], "145",
     ["JO", "EG", "MA", "SA"], "editor"),
    ("cop-community-conserved-areas", K.COMMUNITY_OF_PRACTICE, S.THEMATIC,
     "Community of practice on indigenous and community conserved areas",
     "Communauté de pratique sur les aires conservées par les peuples autochtones et les communautés",
     "SUBJ-IPLC", [3, 22], None, [], "editor-fr"),
]  # fmt: skip

REQUEST_MESSAGES = [
    "We run a national programme on this topic and would like to share our results with the network.",
    "Our experts could contribute to the working groups and the next regional workshop.",
    "We would like to learn from other members and take part in the exchange visits.",
]
# username → the kind of record given to them when nobody owns it yet
DEMO_OWNERS = [("submitter-ke", "organisation"), ("submitter-br", "expert"), ("submitter-fr", "organisation")]


def _summary(kind_label: str, subject, scope_label: str) -> tuple[str, str]:
    en = (
        f"A {scope_label.lower()} {kind_label.lower()} where practitioners share experience, tools and data on "
        f"{subject.name_en.lower()}."
    )
    fr = (
        f"Un espace d'échange où les praticiens partagent expériences, outils et données sur "
        f"« {(subject.name_fr or subject.name_en).lower()} »."
    )
    return en, fr


def _give_owners(users, organisations, experts) -> list:
    """Give unowned records (of the user's country when there is one) to the demo submitters; the
    (user, kind, page) each now acts for."""
    owned = []
    pools = {"organisation": list(organisations), "expert": list(experts)}
    for username, kind in DEMO_OWNERS:
        user = users.get(username)
        if user is None:
            continue
        page = next((page for page in pools[kind] if page.owner_id == user.pk), None)
        if page is None:
            country_id = getattr(getattr(user, "profile", None), "country_id", None)
            free = [page for page in pools[kind] if page.owner_id is None]
            page = next((page for page in free if page.country_id == country_id), free[0] if free else None)
            if page is None:
                continue
            page.owner = user
            page.save(update_fields=["owner"])
            # Its aliases (made with it) copy their page's fields: the owner too.
            Page.objects.filter(alias_of=page).update(owner=user)
        pools[kind].remove(page)
        owned.append((user, kind, page))
    return owned


@register_demo(order=50, label="Networks")
def build_networks(context):
    from content_types.events.models import EventPage
    from content_types.records.models import ExpertProfilePage, OrganisationPage, RecordPage

    index = NetworkIndexPage.objects.filter(locale__language_code="en").first()
    if index is None:
        return
    rng = random.Random(5050)
    User = get_user_model()
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[n[9] for n in NETWORKS] + [u for u, _ in DEMO_OWNERS])
    }
    subjects = {subject.code: subject for subject in Subject.objects.all()}
    targets = {target.number: target for target in GBFTarget.objects.all()}
    regions = {region.code: region for region in Region.objects.all()}
    countries = {country.code: country for country in Country.objects.all()}
    english = Language.objects.filter(code__in=["en", "fr", "es"])
    organisations = list(
        OrganisationPage.objects.filter(locale__language_code="en", alias_of__isnull=True).order_by("pk")
    )
    experts = list(ExpertProfilePage.objects.filter(locale__language_code="en", alias_of__isnull=True).order_by("pk"))
    events = list(EventPage.objects.filter(locale__language_code="en", alias_of__isnull=True).order_by("pk"))
    records = list(
        RecordPage.objects.filter(locale__language_code="en", alias_of__isnull=True)
        .exclude(record_type__in=["ORG", "EXPERT"])
        .order_by("pk")
    )
    owned = _give_owners(users, organisations, experts)
    owned_pages = {page.pk for _user, _kind, page in owned}
    candidates = [page for page in organisations if page.pk not in owned_pages]
    expert_candidates = [page for page in experts if page.pk not in owned_pages]
    specs = NETWORKS[: min(len(NETWORKS), context.count(len(NETWORKS)))]
    for number, spec in enumerate(context.progress(specs, "Networks")):
        slug, kind, scope, title_en, title_fr, subject_code, target_numbers, region, codes, coordinator = spec
        subject = subjects[subject_code]
        summary_en, summary_fr = _summary(NetworkKind(kind).label, subject, NetworkScope(scope).label)
        fields = {
            "title": title_en,
            "summary": summary_en,
            "kind": kind,
            "scope": scope,
            "established": datetime.date(2008 + (number * 7) % 17, 1 + number % 12, 1),
            "coordinator": users.get(coordinator),
            "website": f"https://{slug}.example.org/",
            "body": [("paragraph", f"<p>{summary_en}</p>")],
            "subjects": [subject],
            "gbf_targets": [targets[n] for n in target_numbers],
            "regions": [regions[region]] if region else [],
            "countries": [countries[code] for code in codes if code in countries],
            "languages": list(english),
            "linked_events": rng.sample(events, min(len(events), rng.randint(1, 4))),
            "linked_records": rng.sample(records, min(len(records), rng.randint(1, 3))),
        }
        network, _created = get_or_create_child(index, NetworkPage, slug, **fields)
        members = rng.sample(candidates, min(len(candidates), rng.randint(2, 7)))
        member_experts = rng.sample(expert_candidates, min(len(expert_candidates), rng.randint(0, 3)))
        for position, organisation in enumerate(members):
            role = (
                MemberRole.COORDINATOR if position == 0 else rng.choice([MemberRole.MEMBER] * 3 + [MemberRole.PARTNER])
            )
            NetworkMembership.objects.get_or_create(
                network=network,
                organisation=organisation,
                defaults={
                    "role": role,
                    "status": MembershipStatus.ACTIVE,
                    "since": fields["established"] + datetime.timedelta(days=rng.randint(0, 2000)),
                },
            )
        for expert in member_experts:
            NetworkMembership.objects.get_or_create(
                network=network,
                expert=expert,
                defaults={
                    "role": rng.choice([MemberRole.MEMBER, MemberRole.OBSERVER]),
                    "status": MembershipStatus.ACTIVE,
                    "since": datetime.date(2024, 1 + number % 12, 15),
                },
            )
        if owned and number % 3 == 1:
            user, kind_name, page = owned[(number // 3) % len(owned)]
            NetworkMembership.objects.get_or_create(
                network=network,
                **{kind_name: page},
                defaults={
                    "status": MembershipStatus.PENDING,
                    "message": REQUEST_MESSAGES[number % len(REQUEST_MESSAGES)],
                    "requested_by": user,
                },
            )
        if number % 2 == 0:
            translate(
                network,
                "fr",
                title=title_fr,
                draft_title=title_fr,
                summary=summary_fr,
                body=[("paragraph", f"<p>{summary_fr}</p>")],
            )
