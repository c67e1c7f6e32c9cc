"""The method on hand-made texts in the six languages: the expected target and subject come first,
with the words of the text that support them; unrelated text gets nothing above the threshold."""

import pytest

from suggest.analysis import detect_language, tokens
from suggest.model import DEFAULT_THRESHOLD, SUBJECT, TARGET, Example, SuggestionModel


def best(suggestions, kind):
    return [item for item in suggestions if item.kind == kind]


INVASIVE = [
    ("en", "Eradicating invasive alien species from small islands to protect nesting seabirds.", ["invasive", "alien"]),
    (
        "fr",
        "Les espèces exotiques envahissantes menacent les oiseaux marins des petites îles.",
        ["envahissantes", "exotiques"],
    ),
    (
        "es",
        "Las especies exóticas invasoras amenazan a las aves marinas de las islas pequeñas.",
        ["invasoras", "exóticas"],
    ),
    ("ar", "تهدد الأنواع الغريبة الغازية الطيور البحرية في الجزر الصغيرة.", ["الغازية", "الغريبة"]),
    ("ru", "Инвазивные чужеродные виды угрожают морским птицам на малых островах.", ["Инвазивные", "чужеродные"]),
    ("zh", "外来入侵物种威胁着小岛屿上的海鸟。", ["外来入侵物种"]),
]


@pytest.mark.parametrize(("language", "text", "expected_words"), INVASIVE)
def test_invasive_species_text_suggests_target_6_first_with_its_words(model, language, text, expected_words):
    detected, suggestions = model.suggest(text)

    assert detected == language
    targets = best(suggestions, TARGET)
    assert targets[0].code == "GBF-T6"
    assert targets[0].score >= DEFAULT_THRESHOLD
    for word in expected_words:
        assert word in targets[0].words
    subjects = best(suggestions, SUBJECT)
    assert subjects[0].code == "SUBJ-IAS"
    passage = targets[0].passages[0]
    highlighted = [passage["text"][start:end] for start, end in passage["highlights"]]
    assert expected_words[0] in highlighted


FINANCE = [
    ("en", "The plan mobilizes international finance and private funding for biodiversity.", "GBF-T19"),
    ("fr", "Le plan prévoit la mobilisation des ressources et le financement international.", "GBF-T19"),
    ("es", "Taller de capacitación sobre transferencia de tecnología y cooperación técnica y científica.", "GBF-T20"),
    ("ar", "برنامج لبناء القدرات ونقل التكنولوجيا والتعاون التقني والعلمي.", "GBF-T20"),
    ("ru", "Мы разрабатываем меры по адаптации к изменению климата и снижению риска бедствий.", "GBF-T8"),
    ("zh", "促进性别平等，增强妇女权能，保护生物多样性。", "GBF-T23"),
]


@pytest.mark.parametrize(("language", "text", "expected"), FINANCE)
def test_other_targets_in_each_language(model, language, text, expected):
    detected, suggestions = model.suggest(text)

    assert detected == language
    assert best(suggestions, TARGET)[0].code == expected
    assert best(suggestions, TARGET)[0].words  # never a suggestion without its evidence


def test_a_text_about_nothing_in_the_vocabulary_gets_no_suggestion(model):
    _language, suggestions = model.suggest("The meeting room is on the second floor, next to the lift.")
    assert suggestions == []


def test_the_threshold_decides_what_is_shown(model):
    text = "Eradicating invasive alien species from small islands to protect nesting seabirds."
    _language, everything = model.suggest(text, threshold=0.0001, limit=50)
    _language, shown = model.suggest(text)
    _language, strict = model.suggest(text, threshold=0.99)

    assert len(everything) > len(shown) > 0
    assert all(item.score >= DEFAULT_THRESHOLD for item in shown)
    assert any(item.score < DEFAULT_THRESHOLD for item in everything)
    assert strict == []


def test_at_most_limit_suggestions_of_each_kind_best_first(model):
    text = "Protected areas, restoration, invasive species, pollution, climate change, agriculture and finance."
    _language, suggestions = model.suggest(text, limit=2)
    for kind in (TARGET, SUBJECT):
        scores = [item.score for item in best(suggestions, kind)]
        assert len(scores) == 2
        assert scores == sorted(scores, reverse=True)


def test_labels_answer_in_the_interface_language_and_fall_back_to_english(model):
    text = "Eradicating invasive alien species from small islands."
    _language, french = model.suggest(text, label_language="fr")
    _language, arabic = model.suggest(text, label_language="ar")

    assert french[0].label.startswith("6. Réduire")
    assert french[0].label_language == "fr"
    assert arabic[0].label.startswith("6. Reduce")  # the vocabulary has no Arabic name yet
    assert arabic[0].label_language == "en"


def test_the_stated_language_is_kept_unless_the_script_says_otherwise():
    assert detect_language("Restauration des zones humides", "fr") == "fr"
    assert detect_language("Restoration of the wetlands and the rivers", None) == "en"
    assert detect_language("Restauración de los humedales y de los ríos", None) == "es"
    assert detect_language("Восстановление водно-болотных угодий", "en") == "ru"
    assert detect_language("湿地恢复", "fr") == "zh"


def test_tokens_keep_their_place_in_the_text():
    text = "Les zones humides d'Afrique"
    found = tokens(text, "fr")
    assert [text[token.start : token.end] for token in found] == ["zones", "humides", "d'Afrique"]
    chinese = tokens("湿地恢复", "zh")
    assert [token.term for token in chinese] == ["湿地", "地恢", "恢复"]
    assert (chinese[-1].start, chinese[-1].end) == (2, 4)


def test_records_classified_with_a_term_teach_it_their_words(terms):
    """A word no official text has ("seagrass") suggests the term once records classified with it use it."""
    text = "Mapping seagrass meadows along the coast"
    plain = SuggestionModel.build(terms, [])
    examples = [
        Example("en", "Seagrass meadows restoration in the bay", frozenset({"GBF-T2"})),
        Example("en", "Replanting seagrass after storms", frozenset({"GBF-T2"})),
        Example("en", "Tuna fisheries quotas", frozenset({"GBF-T10"})),
    ]
    taught = SuggestionModel.build(terms, examples)

    assert "GBF-T2" not in {item.code for item in plain.suggest(text)[1]}
    restored = {item.code: item for item in taught.suggest(text)[1]}
    assert "GBF-T2" in restored
    assert "seagrass" in restored["GBF-T2"].words
    # Records in French do not teach the English model.
    french = SuggestionModel.build(terms, [Example("fr", "Herbiers de seagrass", frozenset({"GBF-T2"}))] * 3)
    assert "GBF-T2" not in {item.code for item in french.suggest(text, "en")[1]}


def test_long_sentences_are_shortened_around_the_supporting_words(model):
    long_sentence = "In the long and detailed history of the region, " * 8 + "invasive alien species arrived by ship"
    _language, suggestions = model.suggest(long_sentence + ".")
    passage = best(suggestions, TARGET)[0].passages[0]
    assert passage["shortened_before"] is True
    assert len(passage["text"]) <= 200
    assert "invasive" in passage["text"]
