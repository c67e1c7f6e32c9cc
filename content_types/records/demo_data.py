"""Texts and places for the records demo (English and French), kept apart from the builder."""

# Country code: (capital, latitude, longitude) — organisations and projects are placed near these.
PLACES = {
    "AR": ("Buenos Aires", -34.60, -58.38),
    "AU": ("Canberra", -35.28, 149.13),
    "BD": ("Dhaka", 23.81, 90.41),
    "BJ": ("Porto-Novo", 6.50, 2.60),
    "BO": ("La Paz", -16.50, -68.15),
    "BR": ("Brasília", -15.79, -47.88),
    "CA": ("Ottawa", 45.42, -75.70),
    "CL": ("Santiago", -33.45, -70.67),
    "CM": ("Yaoundé", 3.85, 11.50),
    "CN": ("Beijing", 39.90, 116.40),
    "CO": ("Bogotá", 4.71, -74.07),
    "CR": ("San José", 9.93, -84.08),
    "DE": ("Berlin", 52.52, 13.40),
    "EG": ("Cairo", 30.04, 31.24),
    "ES": ("Madrid", 40.42, -3.70),
    "ET": ("Addis Ababa", 9.03, 38.74),
    "FJ": ("Suva", -18.14, 178.44),
    "FR": ("Paris", 48.86, 2.35),
    "GH": ("Accra", 5.60, -0.19),
    "ID": ("Jakarta", -6.21, 106.85),
    "IN": ("New Delhi", 28.61, 77.21),
    "JO": ("Amman", 31.95, 35.93),
    "JP": ("Tokyo", 35.68, 139.69),
    "KE": ("Nairobi", -1.29, 36.82),
    "KH": ("Phnom Penh", 11.56, 104.92),
    "MA": ("Rabat", 34.02, -6.83),
    "MG": ("Antananarivo", -18.88, 47.51),
    "MX": ("Mexico City", 19.43, -99.13),
    "MY": ("Kuala Lumpur", 3.14, 101.69),
    "NO": ("Oslo", 59.91, 10.75),
    "PE": ("Lima", -12.05, -77.04),
    "PH": ("Manila", 14.60, 120.98),
    "SN": ("Dakar", 14.72, -17.47),
    "TN": ("Tunis", 36.81, 10.18),
    "VN": ("Hanoi", 21.03, 105.85),
    "ZA": ("Pretoria", -25.75, 28.19),
}

# Real international organisations (name, acronym, country, latitude, longitude, website).
INTERNATIONAL_ORGANISATIONS = [
    ("Secretariat of the Convention on Biological Diversity", "SCBD", "CA", 45.5017, -73.5615, "https://www.cbd.int/"),
    ("International Union for Conservation of Nature", "IUCN", "CH", 46.4155, 6.2712, "https://iucn.org/"),
    (
        "UN Environment Programme World Conservation Monitoring Centre",
        "UNEP-WCMC",
        "GB",
        52.2096,
        0.0930,
        "https://www.unep-wcmc.org/",
    ),
    ("Global Biodiversity Information Facility", "GBIF", "DK", 55.7023, 12.5601, "https://www.gbif.org/"),
    ("Food and Agriculture Organization of the United Nations", "FAO", "IT", 41.8832, 12.4893, "https://www.fao.org/"),
    (
        "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem Services",
        "IPBES",
        "DE",
        50.7186,
        7.1210,
        "https://www.ipbes.net/",
    ),
]

ORGANISATION_KINDS = [
    ("government", "National Biodiversity Agency of {country}", "Agence nationale de la biodiversité ({country_fr})"),
    ("government", "Ministry of Environment of {country}", "Ministère de l'Environnement ({country_fr})"),
    ("academic", "{city} Institute for Biodiversity Research", "Institut de recherche sur la biodiversité de {city}"),
    ("ngo", "{country} Wildlife Conservation Society", "Société de conservation de la faune ({country_fr})"),
    ("iplc", "{city} Indigenous Land Stewards Council", "Conseil autochtone de gestion des terres de {city}"),
    ("private", "{city} Nature Finance Partners", "Partenaires pour la finance de la nature de {city}"),
]

DOCUMENT_TITLES = [
    (
        "Guidance on {subject} for national focal points",
        "Orientations sur « {subject_fr} » à l'intention des correspondants nationaux",
        "guidance",
    ),
    (
        "{country}: national strategy on {subject}",
        "{country_fr} : stratégie nationale relative à « {subject_fr} »",
        "policy",
    ),
    (
        "Technical review of {subject} in {country}",
        "Examen technique : « {subject_fr} » ({country_fr})",
        "technical-report",
    ),
    ("Training manual: {subject}", "Manuel de formation : « {subject_fr} »", "training"),
    (
        "Dataset: {subject} observations in {country}, 2015–2025",
        "Jeu de données : « {subject_fr} », observations ({country_fr}), 2015–2025",
        "dataset",
    ),
    ("{country} law on {subject}", "{country_fr} : loi relative à « {subject_fr} »", "legislation"),
]

PRACTICE_TITLES = [
    ("Community-led {subject} in {city}", "« {subject_fr} » à l'initiative des communautés à {city}"),
    (
        "Scaling up {subject} through local partnerships in {country}",
        "Étendre « {subject_fr} » grâce à des partenariats locaux ({country_fr})",
    ),
    ("Lessons from a decade of {subject} in {country}", "Dix ans de « {subject_fr} » : leçons tirées ({country_fr})"),
]

PROJECT_TITLES = [
    ("Strengthening capacity for {subject} in {country}", "Renforcer les capacités : « {subject_fr} » ({country_fr})"),
    ("{subject}: pilot sites in {country}", "« {subject_fr} » : sites pilotes ({country_fr})"),
    ("Regional initiative on {subject} led from {city}", "Initiative régionale « {subject_fr} » pilotée depuis {city}"),
]

NEED_TITLES = [
    ("{country} seeks {kind} on {subject}", "{country_fr} recherche un appui ({kind_fr}) : « {subject_fr} »"),
    (
        "Request for {kind} to monitor {subject} in {country}",
        "Demande d'appui ({kind_fr}) pour le suivi de « {subject_fr} » ({country_fr})",
    ),
]

OFFER_TITLES = [
    ("{kind} available on {subject}", "Appui disponible ({kind_fr}) : « {subject_fr} »"),
    ("{provider} offers {kind} on {subject}", "{provider} propose un appui ({kind_fr}) : « {subject_fr} »"),
]

SUPPORT_KINDS_FR = {
    "expertise": "expertise",
    "training": "formation",
    "technology": "technologie",
    "funding": "financement",
    "data": "données",
    "policy-advice": "conseil en politiques",
}

DECISIONS = [
    (
        "COP-15",
        "15/4",
        "Kunming-Montreal Global Biodiversity Framework",
        "Cadre mondial de la biodiversité de Kunming-Montréal",
    ),
    (
        "COP-15",
        "15/5",
        "Monitoring framework for the Kunming-Montreal Global Biodiversity Framework",
        "Cadre de suivi du Cadre mondial de la biodiversité de Kunming-Montréal",
    ),
    (
        "COP-15",
        "15/6",
        "Mechanisms for planning, monitoring, reporting and review",
        "Mécanismes de planification, de suivi, d'établissement de rapports et d'examen",
    ),
    ("COP-15", "15/7", "Resource mobilization", "Mobilisation des ressources"),
    (
        "COP-15",
        "15/8",
        "Capacity-building and development and technical and scientific cooperation",
        "Création et renforcement des capacités et coopération technique et scientifique",
    ),
    (
        "COP-15",
        "15/9",
        "Digital sequence information on genetic resources",
        "Informations de séquençage numérique sur les ressources génétiques",
    ),
    ("COP-15", "15/13", "Synergies among conventions", "Synergies entre les conventions"),
    (
        "COP-16",
        "16/1",
        "Multilateral mechanism for benefit-sharing from digital sequence information",
        "Mécanisme multilatéral de partage des avantages découlant des informations de séquençage numérique",
    ),
    (
        "COP-16",
        "16/2",
        "Review of progress in national biodiversity strategies and action plans",
        "Examen des progrès des stratégies et plans d'action nationaux pour la biodiversité",
    ),
    (
        "COP-16",
        "16/3",
        "Clearing-house mechanism: programme of work 2024–2030",
        "Centre d'échange : programme de travail 2024-2030",
    ),
    ("COP-16", "16/4", "Biodiversity and climate change", "Biodiversité et changements climatiques"),
    ("COP-16", "16/5", "Biodiversity and health", "Biodiversité et santé"),
    ("COP-16", "16/6", "Invasive alien species", "Espèces exotiques envahissantes"),
    ("COP-16", "16/7", "Marine and coastal biodiversity", "Biodiversité marine et côtière"),
    (
        "COP-16",
        "16/8",
        "Article 8(j) and provisions related to indigenous peoples and local communities",
        "Article 8 j) et dispositions relatives aux peuples autochtones et aux communautés locales",
    ),
    ("COP-16", "16/9", "Gender plan of action", "Plan d'action pour l'égalité des genres"),
]

DECISION_PARAGRAPHS = [
    ("Welcomes the progress made by Parties in {topic_lower}.", "informational", "Parties"),
    ("Urges Parties to update their national targets on {topic_lower} and report on them.", "operational", "Parties"),
    (
        "Invites relevant organisations to support Parties in {topic_lower}.",
        "operational",
        "International organisations; GEF",
    ),
    (
        "Requests the Executive Secretary to prepare a progress report on {topic_lower}.",
        "operational",
        "Executive Secretary",
    ),
    ("Decides to review progress in {topic_lower} at its next meeting.", "operational", "Conference of the Parties"),
    ("Takes note of the information document on {topic_lower}.", "informational", "Parties"),
]

GIVEN_NAMES = [
    "Amina",
    "Carlos",
    "Mei",
    "Olu",
    "Sofía",
    "Rahul",
    "Léa",
    "Tariq",
    "Nadia",
    "Kofi",
    "Elena",
    "Hiroshi",
    "Fatou",
    "Mateo",
    "Anh",
    "Ingrid",
    "Yusuf",
    "Paola",
    "Wanjiru",
    "Diego",
]
FAMILY_NAMES = [
    "Diallo",
    "Moreno",
    "Chen",
    "Adeyemi",
    "Ramírez",
    "Sharma",
    "Dubois",
    "Haddad",
    "Petrova",
    "Mensah",
    "Kowalski",
    "Tanaka",
    "Ndiaye",
    "Silva",
    "Nguyen",
    "Hansen",
    "Demir",
    "Rossi",
    "Kamau",
    "Vargas",
]
POSITIONS = [
    ("Senior ecologist", "Écologue principal·e"),
    ("Policy adviser", "Conseiller·ère en politiques"),
    ("Data manager", "Gestionnaire de données"),
    ("Marine biologist", "Biologiste marin·e"),
    ("Professor of conservation biology", "Professeur·e de biologie de la conservation"),
    ("Community forestry officer", "Chargé·e de foresterie communautaire"),
]

# --- classification: what an editor would tick for a text ---------------------------------------------
# The GBF targets each subject concerns, the main one first, read from the targets' own texts
# (decision 15/4): protected areas → target 3 (and the spatial planning of target 1), restoration → 2,
# invasive alien species → 6, marine → 3 (30 % of seas), 10 (fisheries) and 1 (marine spatial planning), …
# A record's targets are the first one to three of its subjects' targets (see demo.Vocabulary.targets_for).
SUBJECT_TARGETS = {
    "SUBJ-PA": [3, 1],
    "SUBJ-RESTO": [2, 11],
    "SUBJ-IAS": [6],
    "SUBJ-MARINE": [3, 10, 1],
    "SUBJ-MSP": [1, 3],
    "SUBJ-FOREST": [10, 2],
    "SUBJ-INLAND": [11, 2],
    "SUBJ-AGRI": [10, 7],
    "SUBJ-MOUNT": [1, 3],
    "SUBJ-DRY": [2, 8],
    "SUBJ-ISLAND": [6, 4],
    "SUBJ-URBAN": [12],
    "SUBJ-CLIMATE": [8],
    "SUBJ-POLL": [7],
    "SUBJ-WILDUSE": [5, 9],
    "SUBJ-ABS": [13],
    "SUBJ-DSI": [13],
    "SUBJ-BIOSAFETY": [17],
    "SUBJ-TK": [13, 21, 22],
    "SUBJ-IPLC": [22, 3],
    "SUBJ-GENDER": [23],
    "SUBJ-HEALTH": [5, 11],
    "SUBJ-BUSINESS": [15, 16],
    "SUBJ-FINANCE": [19, 18],
    "SUBJ-INCENT": [18],
    "SUBJ-MAINSTREAM": [14, 15],
    "SUBJ-SPATIAL": [1, 12],
    "SUBJ-CAPACITY": [20],
    "SUBJ-TECH": [20, 17],
    "SUBJ-TSC": [20, 21],
    "SUBJ-CEPA": [21, 16],
    "SUBJ-KM": [21],
    "SUBJ-MONITOR": [21, 14],
    "SUBJ-NBSAP": [14, 1],
    "SUBJ-TAXO": [21, 20],
    "SUBJ-POLLIN": [11, 7, 10],
    "SUBJ-SPECIES": [4],
    "SUBJ-GENETIC": [4, 13],
}

# Share of records that get one more target their text does not support (editors disagree, or tick a
# neighbour): the noise of real classifications.
NOISE_TARGET_SHARE = 0.1

# The subjects of records whose text names no subject of the vocabulary, the main one first: what their
# title says (decisions, international organisations), what an organisation of that kind works on.
DECISION_SUBJECTS = {
    "15/4": ["SUBJ-NBSAP", "SUBJ-MAINSTREAM"],
    "15/5": ["SUBJ-MONITOR", "SUBJ-NBSAP"],
    "15/6": ["SUBJ-MONITOR", "SUBJ-NBSAP"],
    "15/7": ["SUBJ-FINANCE", "SUBJ-INCENT"],
    "15/8": ["SUBJ-CAPACITY", "SUBJ-TSC"],
    "15/9": ["SUBJ-DSI", "SUBJ-ABS"],
    "15/13": ["SUBJ-MAINSTREAM", "SUBJ-NBSAP"],
    "16/1": ["SUBJ-DSI", "SUBJ-ABS"],
    "16/2": ["SUBJ-NBSAP", "SUBJ-MONITOR"],
    "16/3": ["SUBJ-KM", "SUBJ-TSC"],
    "16/4": ["SUBJ-CLIMATE"],
    "16/5": ["SUBJ-HEALTH"],
    "16/6": ["SUBJ-IAS"],
    "16/7": ["SUBJ-MARINE", "SUBJ-MSP"],
    "16/8": ["SUBJ-TK", "SUBJ-IPLC"],
    "16/9": ["SUBJ-GENDER"],
}
ORGANISATION_SUBJECTS = {
    "SCBD": ["SUBJ-NBSAP", "SUBJ-KM", "SUBJ-MONITOR"],
    "IUCN": ["SUBJ-SPECIES", "SUBJ-PA", "SUBJ-RESTO"],
    "UNEP-WCMC": ["SUBJ-MONITOR", "SUBJ-PA", "SUBJ-KM"],
    "GBIF": ["SUBJ-KM", "SUBJ-TAXO", "SUBJ-MONITOR"],
    "FAO": ["SUBJ-AGRI", "SUBJ-FOREST", "SUBJ-GENETIC"],
    "IPBES": ["SUBJ-KM", "SUBJ-CAPACITY", "SUBJ-MONITOR"],
}
ORGANISATION_KIND_SUBJECTS = {
    "government": ["SUBJ-NBSAP", "SUBJ-MAINSTREAM", "SUBJ-MONITOR"],
    "academic": ["SUBJ-TSC", "SUBJ-TAXO", "SUBJ-KM"],
    "ngo": ["SUBJ-SPECIES", "SUBJ-WILDUSE", "SUBJ-PA"],
    "iplc": ["SUBJ-IPLC", "SUBJ-TK", "SUBJ-PA"],
    "private": ["SUBJ-FINANCE", "SUBJ-BUSINESS", "SUBJ-INCENT"],
}
# National reports: what they are (reporting on the national strategy), whatever targets they cover.
REPORT_SUBJECTS = ["SUBJ-MONITOR", "SUBJ-NBSAP"]
