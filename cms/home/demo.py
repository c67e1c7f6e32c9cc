"""Demo: the portal's frame — settings, home page and sections in the six languages, About pages."""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from wagtail.models import Page, Site

from cms.demo.pages import LANGUAGES, get_or_create_child, translate
from cms.demo.registry import register_demo

from .models import HomePage, SectionPage, StandardPage

HOME_TITLES = {
    "en": "Clearing-House Mechanism",
    "fr": "Centre d'échange d'informations",
    "es": "Mecanismo de facilitación",
    "ar": "آلية تبادل المعلومات",
    "ru": "Механизм посредничества",
    "zh-hans": "信息交换所机制",
}
HOME_INTROS = {
    "en": "<p>Information, cooperation and knowledge for the Kunming-Montreal Global Biodiversity Framework.</p>",
    "fr": "<p>Information, coopération et connaissances au service du Cadre mondial de la biodiversité de Kunming-Montréal.</p>",
    "es": "<p>Información, cooperación y conocimientos para el Marco Mundial de Biodiversidad de Kunming-Montreal.</p>",
    "ar": "<p>المعلومات والتعاون والمعارف من أجل إطار كونمينغ-مونتريال العالمي للتنوع البيولوجي.</p>",
    "ru": "<p>Информация, сотрудничество и знания для Куньминско-Монреальской глобальной рамочной программы в области биоразнообразия.</p>",
    "zh-hans": "<p>为《昆明-蒙特利尔全球生物多样性框架》提供信息、合作与知识。</p>",
}
# slug: (section kind, {language: (title, description)})
SECTIONS = {
    "records": (
        "records",
        {
            "en": ("Records", "National reports, decisions, documents, projects, needs and offers of assistance."),
            "fr": (
                "Informations",
                "Rapports nationaux, décisions, documents, projets, besoins et offres d'assistance.",
            ),
            "es": (
                "Información",
                "Informes nacionales, decisiones, documentos, proyectos, necesidades y ofertas de asistencia.",
            ),
            "ar": ("السجلات", "التقارير الوطنية والمقررات والوثائق والمشاريع والاحتياجات وعروض المساعدة."),
            "ru": ("Записи", "Национальные доклады, решения, документы, проекты, потребности и предложения помощи."),
            "zh-hans": ("记录", "国家报告、决定、文件、项目、援助需求与提供。"),
        },
    ),
    "events": (
        "events",
        {
            "en": ("Events", "Dialogues, workshops, webinars and conferences."),
            "fr": ("Événements", "Dialogues, ateliers, webinaires et conférences."),
            "es": ("Eventos", "Diálogos, talleres, seminarios web y conferencias."),
            "ar": ("الفعاليات", "الحوارات وحلقات العمل والندوات الإلكترونية والمؤتمرات."),
            "ru": ("Мероприятия", "Диалоги, семинары, вебинары и конференции."),
            "zh-hans": ("活动", "对话、讲习班、网络研讨会和会议。"),
        },
    ),
    "networks": (
        "networks",
        {
            "en": ("Networks", "Networks, communities of practice and partnerships."),
            "fr": ("Réseaux", "Réseaux, communautés de pratique et partenariats."),
            "es": ("Redes", "Redes, comunidades de práctica y asociaciones."),
            "ar": ("الشبكات", "الشبكات ومجتمعات الممارسة والشراكات."),
            "ru": ("Сети", "Сети, сообщества практиков и партнерства."),
            "zh-hans": ("网络", "网络、实践社区和伙伴关系。"),
        },
    ),
    "awards": (
        "awards",
        {
            "en": ("Awards", "Recognition of the Parties' national clearing-houses."),
            "fr": ("Prix", "Reconnaissance des centres d'échange nationaux des Parties."),
            "es": ("Premios", "Reconocimiento de los mecanismos de facilitación nacionales de las Partes."),
            "ar": ("الجوائز", "تقدير آليات تبادل المعلومات الوطنية للأطراف."),
            "ru": ("Награды", "Признание национальных механизмов посредничества Сторон."),
            "zh-hans": ("奖项", "表彰缔约方的国家信息交换所。"),
        },
    ),
    "about": (
        "about",
        {
            "en": ("About", "What this clearing-house is and who runs it."),
            "fr": ("À propos", "Ce qu'est ce centre d'échange et qui le gère."),
            "es": ("Acerca de", "Qué es este mecanismo de facilitación y quién lo gestiona."),
            "ar": ("حول البوابة", "ما هي آلية تبادل المعلومات هذه ومن يديرها."),
            "ru": ("О портале", "Что такое этот механизм посредничества и кто им управляет."),
            "zh-hans": ("关于", "本信息交换所是什么，由谁运营。"),
        },
    ),
}
# The page model of each section; apps that own a section provide its index page. A section whose
# app is not installed is a plain SectionPage.
SECTION_MODELS = {
    "records": "records.RecordIndexPage",
    "events": "events.EventIndexPage",
    "networks": "networks.NetworkIndexPage",
}
NEWS_TEXTS = {
    "en": ("News", "Announcements from the clearing-house."),
    "fr": ("Actualités", "Les annonces du centre d'échange."),
    "es": ("Noticias", "Anuncios del mecanismo de facilitación."),
    "ar": ("الأخبار", "إعلانات آلية تبادل المعلومات."),
    "ru": ("Новости", "Объявления механизма посредничества."),
    "zh-hans": ("新闻", "信息交换所的公告。"),
}
NEWS_TITLES = {code: title for code, (title, _description) in NEWS_TEXTS.items()}
# The portal's tagline in the languages other than the default one (English, on the settings).
TAGLINES = {
    "fr": "Centre d'échange d'informations de la Convention sur la diversité biologique",
    "es": "Mecanismo de facilitación del Convenio sobre la Diversidad Biológica",
    "ar": "آلية تبادل المعلومات لاتفاقية التنوع البيولوجي",
    "ru": "Механизм посредничества Конвенции о биологическом разнообразии",
    "zh-hans": "《生物多样性公约》信息交换所机制",
}
ABOUT_PAGES = [
    (
        "clearing-house",
        "The clearing-house mechanism",
        "La mécanisme du centre d'échange",
        "The clearing-house mechanism promotes technical and scientific cooperation, information exchange and networking among Parties.",
        "Le centre d'échange favorise la coopération technique et scientifique, l'échange d'informations et la mise en réseau entre les Parties.",
    ),
    (
        "terms-of-use",
        "Terms of use",
        "Conditions d'utilisation",
        "Content is published under the licence stated on each record; metadata are free to reuse.",
        "Les contenus sont publiés sous la licence indiquée sur chaque fiche ; les métadonnées sont librement réutilisables.",
    ),
    (
        "accessibility",
        "Accessibility statement",
        "Déclaration d'accessibilité",
        "This portal aims to conform with WCAG 2.1 level AA. Tell us about any barrier you meet.",
        "Ce portail vise la conformité au niveau AA des WCAG 2.1. Signalez-nous tout obstacle rencontré.",
    ),
    (
        "contact",
        "Contact",
        "Contact",
        "Write to the secretariat at the address below; we answer in any of the six UN languages.",
        "Écrivez au secrétariat à l'adresse ci-dessous ; nous répondons dans l'une des six langues de l'ONU.",
    ),
]


def _paragraph(text: str) -> list:
    return [("paragraph", f"<p>{text}</p>")]


@register_demo(order=0, label="Site structure")
def build_structure(context):
    from cms.site_settings.models import FooterLink, PortalSettings, PortalText
    from content_types.news.models import NewsIndexPage

    home = HomePage.objects.get(locale__language_code="en")
    if not home.intro:
        home.intro = HOME_INTROS["en"]
        home.save_revision().publish()
    for code in LANGUAGES[1:]:
        translate(home, code, title=HOME_TITLES[code], draft_title=HOME_TITLES[code], intro=HOME_INTROS[code])
    context.pages["home"] = home

    steps = list(SECTIONS.items()) + [("news", None)]
    for slug, spec in context.progress(steps, "Sections"):
        if spec is None:
            title, description = NEWS_TEXTS["en"]
            page, _ = get_or_create_child(
                home,
                NewsIndexPage,
                "news",
                title=title,
                show_in_menus=True,
                search_description=description,
                intro=f"<p>{description}</p>",
            )
            for code in LANGUAGES[1:]:
                title, description = NEWS_TEXTS[code]
                translate(
                    page,
                    code,
                    title=title,
                    draft_title=title,
                    search_description=description,
                    intro=f"<p>{description}</p>",
                )
        else:
            kind, texts = spec
            page = ensure_section(home, slug, kind, texts)
        context.pages[slug] = page

    about = context.pages["about"]
    for slug, title_en, title_fr, text_en, text_fr in ABOUT_PAGES:
        page, _ = get_or_create_child(about, StandardPage, slug, title=title_en, body=_paragraph(text_en))
        translate(page, "fr", title=title_fr, draft_title=title_fr, body=_paragraph(text_fr))
        context.pages[f"about/{slug}"] = page

    site = Site.objects.get(is_default_site=True)
    # Links in e-mails and feeds use the site's address: make it the one the portal is served on.
    address = urlsplit(settings.SITE_URL)
    site.hostname = address.hostname or site.hostname
    site.port = address.port or (443 if address.scheme == "https" else 80)
    site.save(update_fields=["hostname", "port"])
    portal = PortalSettings.for_site(site)
    portal.portal_name = "CHM Portal"
    portal.tagline = "Clearing-house mechanism of the Convention on Biological Diversity"
    portal.contact_email = "secretariat@chm.example.org"
    portal.contact_address = "413 Saint-Jacques Street, suite 800\nMontréal, QC H2Y 1N9, Canada"
    portal.save()
    for code, tagline in TAGLINES.items():
        PortalText.objects.update_or_create(settings=portal, language=code, defaults={"tagline": tagline})
    if not portal.footer_links.exists():
        for position, slug in enumerate(["terms-of-use", "accessibility", "contact"]):
            page = Page.objects.get(pk=context.pages[f"about/{slug}"].pk)
            FooterLink.objects.create(settings=portal, sort_order=position, text=page.title, page=page)


def section_model(slug: str):
    try:
        return apps.get_model(SECTION_MODELS[slug])
    except (KeyError, LookupError):
        return SectionPage


def ensure_section(home, slug: str, kind: str, texts: dict):
    """The section ``slug`` under ``home``, with its title and introduction in the six languages."""
    model = section_model(slug)
    extra = {"section": kind} if model is SectionPage else {}
    title, description = texts["en"]
    page, _ = get_or_create_child(
        home,
        model,
        slug,
        title=title,
        show_in_menus=True,
        search_description=description,
        intro=f"<p>{description}</p>",
        **extra,
    )
    for code in LANGUAGES[1:]:
        title, description = texts[code]
        translate(
            page, code, title=title, draft_title=title, search_description=description, intro=f"<p>{description}</p>"
        )
    return page
