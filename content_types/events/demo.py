"""Demo: events of every type around 24 November 2026, past and upcoming, across the world, some
online, some postponed or cancelled; a third of them in French too."""

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.utils.text import slugify

from cms.demo.pages import PageBatch
from cms.demo.registry import register_demo
from content_types.vocabularies.models import Country, GBFTarget, Language, Subject

from .models import EventIndexPage, EventPage, EventStatus, EventType

REFERENCE_DATE = datetime.date(2026, 11, 24)

# city, country, latitude, longitude, IANA zone, venue
VENUES = [
    ("Nairobi", "KE", -1.2341, 36.8143, "Africa/Nairobi", "United Nations Office at Nairobi"),
    ("Montréal", "CA", 45.5005, -73.5617, "America/Toronto", "Palais des congrès de Montréal"),
    ("Cali", "CO", 3.4516, -76.5320, "America/Bogota", "Centro de Eventos Valle del Pacífico"),
    ("Kunming", "CN", 25.0389, 102.7183, "Asia/Shanghai", "Dianchi International Convention Centre"),
    ("Paris", "FR", 48.8494, 2.3063, "Europe/Paris", "UNESCO Headquarters"),
    ("Bonn", "DE", 50.7178, 7.1263, "Europe/Berlin", "UN Campus Bonn"),
    ("Geneva", "CH", 46.2269, 6.1406, "Europe/Zurich", "International Environment House"),
    ("Rome", "IT", 41.8832, 12.4893, "Europe/Rome", "FAO Headquarters"),
    ("Bangkok", "TH", 13.7590, 100.5066, "Asia/Bangkok", "United Nations Conference Centre"),
    ("Suva", "FJ", -18.1416, 178.4419, "Pacific/Fiji", "University of the South Pacific, Laucala Campus"),
    ("Apia", "WS", -13.8333, -171.7667, "Pacific/Apia", "SPREP Campus, Vailima"),
    ("Dakar", "SN", 14.7167, -17.4677, "Africa/Dakar", "Centre international de conférences Abdou Diouf"),
    ("Cairo", "EG", 30.0444, 31.2357, "Africa/Cairo", "Cairo International Convention Centre"),
    ("Rabat", "MA", 34.0209, -6.8416, "Africa/Casablanca", "Institut scientifique de Rabat"),
    ("Amman", "JO", 31.9454, 35.9284, "Asia/Amman", "Royal Botanic Garden"),
    ("Windhoek", "NA", -22.5609, 17.0658, "Africa/Windhoek", "Safari Court Conference Centre"),
    ("Lima", "PE", -12.0464, -77.0428, "America/Lima", "Centro de Convenciones de Lima"),
    ("Panama City", "PA", 8.9824, -79.5199, "America/Panama", "Ciudad del Saber"),
    ("Mexico City", "MX", 19.4326, -99.1332, "America/Mexico_City", "CONABIO"),
    ("Brasília", "BR", -15.7939, -47.8828, "America/Sao_Paulo", "Palácio Itamaraty"),
    ("Hanoi", "VN", 21.0278, 105.8342, "Asia/Ho_Chi_Minh", "National Convention Centre"),
    ("Ulaanbaatar", "MN", 47.8864, 106.9057, "Asia/Ulaanbaatar", "State Palace"),
    ("Nagoya", "JP", 35.1815, 136.9066, "Asia/Tokyo", "Nagoya Congress Center"),
    ("Helsinki", "FI", 60.1699, 24.9384, "Europe/Helsinki", "Finnish Museum of Natural History"),
    ("Sydney", "AU", -33.8688, 151.2093, "Australia/Sydney", "Australian Museum"),
    ("Addis Ababa", "ET", 9.0300, 38.7400, "Africa/Addis_Ababa", "African Union Conference Center"),
    ("Kathmandu", "NP", 27.7172, 85.3240, "Asia/Kathmandu", "ICIMOD Headquarters"),
    ("Bogor", "ID", -6.5971, 106.8060, "Asia/Jakarta", "Bogor Botanical Gardens"),
    ("Port Louis", "MU", -20.1609, 57.5012, "Indian/Mauritius", "Swami Vivekananda International Convention Centre"),
    ("Santiago", "CL", -33.4489, -70.6693, "America/Santiago", "CEPAL Headquarters"),
    ("Moscow", "RU", 55.7558, 37.6173, "Europe/Moscow", "Moscow State University"),
    ("Riyadh", "SA", 24.7136, 46.6753, "Asia/Riyadh", "King Abdulaziz International Conference Center"),
]

# type: (English title, French title, duration in hours, length in days)
TYPES = {
    EventType.DIALOGUE: ("Science-policy dialogue", "Dialogue science-politique", 7, 2),
    EventType.ROUND_TABLE: ("Round table", "Table ronde", 3, 1),
    EventType.FORUM: ("Regional forum", "Forum régional", 8, 3),
    EventType.KNOWLEDGE_FAIR: ("Knowledge fair", "Foire aux connaissances", 8, 2),
    EventType.EXHIBITION: ("Exhibition", "Exposition", 9, 14),
    EventType.SYMPOSIUM: ("Symposium", "Symposium", 8, 2),
    EventType.CONFERENCE: ("International conference", "Conférence internationale", 8, 4),
    EventType.WORKSHOP: ("Capacity-building workshop", "Atelier de renforcement des capacités", 8, 3),
    EventType.WEBINAR: ("Webinar", "Webinaire", 2, 1),
    EventType.TRAINING: ("Training course", "Formation", 7, 5),
}
LANGUAGE_CODES = ["en", "fr", "es", "ar", "ru", "zh"]
ORGANISERS = [
    "Secretariat of the Convention on Biological Diversity",
    "United Nations Environment Programme",
    "Food and Agriculture Organization of the United Nations",
    "International Union for Conservation of Nature",
    "Global Biodiversity Information Facility",
]


def _event_texts(event_type, subject, venue, online):
    title_en, title_fr, *_ = TYPES[event_type]
    city = venue[0] if venue else None
    subject_en, subject_fr = subject.name_en.lower(), (subject.name_fr or subject.name_en).lower()
    en = f"{title_en} on {subject_en}" + (f", {city}" if city else "")
    fr = f"{title_fr} sur « {subject_fr} »" + (f", {city}" if city else "")
    where_en = f"in {city}" if city else "online"
    where_fr = f"à {city}" if city else "en ligne"
    if online and city:
        where_en, where_fr = f"in {city} and online", f"à {city} et en ligne"
    summary_en = (
        f"Practitioners, Parties and partners meet {where_en} to share experience on {subject_en} "
        "and to plan joint work under the Global Biodiversity Framework."
    )
    summary_fr = (
        f"Praticiens, Parties et partenaires se réunissent {where_fr} pour partager leur expérience "
        f"sur « {subject_fr} » et préparer des travaux communs au titre du Cadre mondial de la biodiversité."
    )
    return en, fr, summary_en, summary_fr


@register_demo(order=40, label="Events")
def build_events(context):
    from content_types.records.models import OrganisationPage

    index = EventIndexPage.objects.get(locale__language_code="en")
    rng = random.Random(4040)
    countries = {country.code: country for country in Country.objects.filter(code__in=[v[1] for v in VENUES])}
    subjects = list(Subject.objects.order_by("code"))
    targets = list(GBFTarget.objects.order_by("number"))
    languages = {language.code: language for language in Language.objects.filter(code__in=LANGUAGE_CODES)}
    organisations = list(OrganisationPage.objects.live().filter(locale__language_code="en").order_by("pk")[:40])
    types = list(TYPES)
    with PageBatch(index, EventPage) as batch:
        _build_events(context, batch, rng, countries, subjects, targets, languages, organisations, types)


def _build_events(context, batch, rng, countries, subjects, targets, languages, organisations, types):
    for number in context.progress(range(context.count(90)), "Events"):
        event_type = types[number % len(types)]
        _title_en, _title_fr, hours, days = TYPES[event_type]
        venue = None if event_type == EventType.WEBINAR else VENUES[rng.randrange(len(VENUES))]
        online = venue is None or number % 5 == 0
        zone_name = venue[4] if venue else rng.choice(["Europe/Zurich", "America/Toronto", "Asia/Bangkok", "UTC"])
        zone = zoneinfo.ZoneInfo(zone_name)
        subject = rng.choice(subjects)
        day = REFERENCE_DATE + datetime.timedelta(days=rng.randint(-540, 330))
        start = datetime.datetime.combine(day, datetime.time(9 if hours > 3 else 14), tzinfo=zone)
        end = datetime.datetime.combine(
            day + datetime.timedelta(days=days - 1), datetime.time(min(9 + hours, 18) if hours > 3 else 14 + hours)
        ).replace(tzinfo=zone)
        title_en, title_fr, summary_en, summary_fr = _event_texts(event_type, subject, venue, online)
        title_en, title_fr = f"{title_en} {day.year}", f"{title_fr} {day.year}"
        slug = f"{slugify(title_en)[:70]}-{number + 1}"
        status = EventStatus.SCHEDULED
        if number % 13 == 7:
            status = EventStatus.CANCELLED
        elif number % 17 == 5:
            status = EventStatus.POSTPONED
        fields = {
            "title": title_en,
            "summary": summary_en,
            "event_type": event_type,
            "status": status,
            "start": start,
            "end": end,
            "time_zone": zone_name,
            "organisers": "\n".join(rng.sample(ORGANISERS, rng.randint(1, 2))),
            "body": [("paragraph", f"<p>{summary_en}</p>")],
            "gbf_targets": rng.sample(targets, rng.randint(1, 3)),
            "subjects": [subject],
            "languages": [languages[code] for code in ["en", *rng.sample(LANGUAGE_CODES[1:], 2)]],
        }
        chosen = rng.sample(organisations, min(len(organisations), rng.randint(1, 2)))
        if number % 3 != 1:
            fields["organisations"] = chosen
        if venue:
            city, code, latitude, longitude, _zone, venue_name = venue
            fields.update(
                venue_name=venue_name,
                city=city,
                venue_country=countries.get(code),
                latitude=Decimal(str(latitude)),
                longitude=Decimal(str(longitude)),
            )
        if online:
            fields["online_url"] = f"https://meet.example.org/chm/{slug}"
        if day >= REFERENCE_DATE:
            fields["registration_url"] = f"https://events.example.org/register/{slug}"
            fields["registration_deadline"] = start - datetime.timedelta(days=7)
        page, _created = batch.get_or_create(slug, **fields)
        if number % 3 == 0:
            batch.translate(
                page,
                "fr",
                title=title_fr,
                draft_title=title_fr,
                summary=summary_fr,
                body=[("paragraph", f"<p>{summary_fr}</p>")],
            )
