"""Demo: a few years of news, in English and French."""

import datetime
import random

from django.utils.text import slugify

from cms.demo.pages import PageBatch
from cms.demo.registry import register_demo
from content_types.vocabularies.models import Country, Subject

from .models import NewsArticlePage, NewsIndexPage

TEMPLATES = [
    (
        "{country}: new national report on {subject}",
        "{country_fr} : nouveau rapport national sur « {subject_fr} »",
        "{country} has published a national report that takes stock of its work on {subject}.",
        "{country_fr} a publié un rapport national qui fait le point sur ses travaux relatifs à « {subject_fr} ».",
    ),
    (
        "Regional workshop on {subject} hosted by {country}",
        "Atelier régional sur « {subject_fr} » accueilli par {country_fr}",
        "Experts from the region met in {country} to share practice on {subject}.",
        "Des experts de la région se sont réunis ({country_fr}) pour partager leurs pratiques sur « {subject_fr} ».",
    ),
    (
        "Call for views: {subject}",
        "Appel à contributions : « {subject_fr} »",
        "Parties and stakeholders are invited to submit views on {subject}, coordinated with {country}.",
        "Les Parties et les parties prenantes sont invitées à soumettre leurs vues sur « {subject_fr} », en coordination avec {country_fr}.",
    ),
    (
        "{country} joins the community of practice on {subject}",
        "{country_fr} rejoint la communauté de pratique « {subject_fr} »",
        "The national clearing-house of {country} now takes part in the community of practice on {subject}.",
        "Le centre d'échange national ({country_fr}) participe désormais à la communauté de pratique « {subject_fr} ».",
    ),
    (
        "Webinar series on {subject} opens registration",
        "Série de webinaires « {subject_fr} » : inscriptions ouvertes",
        "A series of webinars on {subject}, prepared with partners in {country}, opens for registration.",
        "Une série de webinaires sur « {subject_fr} », préparée avec des partenaires ({country_fr}), ouvre ses inscriptions.",
    ),
]


@register_demo(order=20, label="News")
def build_news(context):
    index = NewsIndexPage.objects.get(locale__language_code="en")
    rng = random.Random(2026)
    countries = list(Country.objects.filter(is_party=True).order_by("code"))
    subjects = list(Subject.objects.order_by("code"))
    today = datetime.date(2026, 11, 1)
    with PageBatch(index, NewsArticlePage) as batch:
        _build_articles(context, batch, rng, countries, subjects, today)


def _build_articles(context, batch, rng, countries, subjects, today):
    for number in context.progress(range(context.count(60)), "News articles"):
        country, subject = rng.choice(countries), rng.choice(subjects)
        title_en, title_fr, text_en, text_fr = rng.choice(TEMPLATES)
        values = {
            "country": country.name_en,
            "country_fr": country.name_fr or country.name_en,
            "subject": subject.name_en.lower(),
            "subject_fr": (subject.name_fr or subject.name_en).lower(),
        }
        date = today - datetime.timedelta(days=rng.randint(0, 1000))
        title = title_en.format(**values)
        slug = f"{slugify(title)[:60]}-{number}"
        page, _created = batch.get_or_create(
            slug,
            title=title,
            date=date,
            summary=text_en.format(**values),
            body=[("paragraph", f"<p>{text_en.format(**values)}</p>")],
        )
        title_fr = title_fr.format(**values)
        batch.translate(
            page,
            "fr",
            title=title_fr,
            draft_title=title_fr,
            summary=text_fr.format(**values),
            body=[("paragraph", f"<p>{text_fr.format(**values)}</p>")],
        )
