"""Per-language text analysis: a text becomes terms (stems, or character bigrams for Chinese), each
term remembering where in the text its words stand, so that a suggestion can point at them.

Snowball stemmers (``snowballstemmer``, pure Python, shipped with the package) for English, French,
Spanish, Russian and Arabic; Chinese is written without spaces, so every pair of adjacent Han
characters is a term (the usual bigram indexing of CJK search engines).
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic", "ru": "russian"}

# Words that say nothing about a subject: function words, and the record boilerplate every
# demo and real record carries. Compared after lowercasing and accent folding (not for Arabic).
STOPWORDS = {
    "en": """a about after all also an and any are as at be been being between both but by can could do does
        each for from had has have how if in into is it its may more most must no not of on or other our out
        over per shall should so such than that the their them then there these they this those through to
        under up upon was we were what when where which while who will with within would you your
        towards toward national country countries across level levels""",
    "fr": """a afin ai au aux avec ce ces cet cette dans de des du elle elles en est et etre eux il ils la le
        les leur leurs lui mais meme ne ni nos notre nous on ont ou par pas pour qu que qui sa se ses son sont
        sur ta te tes toute toutes tous tout un une vers vos votre vous y ete sans entre dont ainsi
        national nationale nationaux pays niveau""",
    "es": """a al ante con contra de del desde durante e el ella ellas ellos en entre es esta este esto estos
        estas fue ha han hasta la las le les lo los mas mediante no nos o para pero por que se ser si sin
        sobre su sus tambien un una uno unos unas y ya como cada todo todos toda todas nacional nacionales
        pais paises nivel""",
    "ru": """а без более бы был была были было в во вот все всех всё где да для до его ее её если есть же за
        и из или им их к как ко когда которые который которая которых ли между мы на над не нет но о об
        от по под при с со так также то того только у что чтобы эта эти это этот я он она они оно
        национальный национальной национальных страны страна уровне""",
    "ar": """في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين و أو او ثم كما قد لا لم لن ما هو هي هم
        كل بين حول عند بعد قبل إن ان أن كان كانت يكون تكون وفي ومن وعلى وإلى""",
    "zh": "",
}

# Han ideographs (CJK Unified, Extension A, Compatibility).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{HAN}]+|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
HAN_CHAR = re.compile(rf"[{HAN}]")
ARABIC_MARKS = re.compile(r"[\u064b-\u0652\u0640\u0670]")  # short vowels, shadda, sukun, tatweel


@dataclass(frozen=True)
class Token:
    """One term and the span of text (``start``..``end``) it was read from."""

    term: str
    start: int
    end: int


def fold(word: str) -> str:
    """Lowercase without accents, so ``Áreas`` and ``areas`` are one word; Cyrillic keeps its
    letters (й is not и) but writes ё as е, as Russian texts mostly do."""
    word = word.lower()
    if CYRILLIC.search(word):
        return word.replace("ё", "е")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_arabic(word: str) -> str:
    """Arabic without short vowels and tatweel, its alef forms as one (as Arabic search engines do)."""
    word = ARABIC_MARKS.sub("", word)
    return re.sub("[إأآٱ]", "ا", word).replace("ى", "ي")


@lru_cache(maxsize=8)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of a folded word; remembered, since the pure-Python stemmers cost ~0.1 ms a word and
    a vocabulary repeats the same words."""
    return _stemmer(language).stemWord(word)


@lru_cache(maxsize=8)
def _stopwords(language: str) -> frozenset:
    words = STOPWORDS.get(language, "").split()
    if language == "ar":
        return frozenset(normalise_arabic(word) for word in words)
    return frozenset(fold(word) for word in words)


def base_language(code: str | None) -> str:
    """``zh-hans`` → ``zh``; a language the analysis does not know → ``en``."""
    base = (code or "en").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def tokens(text: str, language: str) -> list[Token]:
    """The terms of ``text`` read as ``language``, in order, each with its span."""
    language = base_language(language)
    stopwords = _stopwords(language)
    result = []
    for match in WORD.finditer(text or ""):
        word, start = match.group(), match.start()
        if HAN_CHAR.match(word):
            result.extend(_han_bigrams(word, start))
            continue
        if language == "zh":
            # Latin words inside Chinese text (acronyms, names) are read as English.
            result.extend(_stemmed(word, start, "en", _stopwords("en")))
        else:
            result.extend(_stemmed(word, start, language, stopwords))
    return result


def _stemmed(word: str, start: int, language: str, stopwords: frozenset) -> list[Token]:
    if language == "ar":
        if not ARABIC.search(word):
            language, stopwords = "en", _stopwords("en")
        else:
            normal = normalise_arabic(word)
            if normal in stopwords or len(normal) < 2:
                return []
            # The conjunction و and the article ال written onto the word are not part of it.
            if normal.startswith("وال") and len(normal) > 5:
                normal = normal[1:]
            return [Token(stem(normal, "ar"), start, start + len(word))]
    folded = fold(word)
    if folded in stopwords or len(folded) < 2:
        return []
    if language == "fr" or language == "es":
        # Elisions (l'eau, d'espèces) belong to the word after the apostrophe.
        folded = re.split(r"['’]", folded)[-1]
        if folded in stopwords or len(folded) < 2:
            return []
    return [Token(stem(folded, language), start, start + len(word))]


def _han_bigrams(run: str, start: int) -> list[Token]:
    if len(run) == 1:
        return [Token(run, start, start + 1)]
    return [Token(run[i : i + 2], start + i, start + i + 2) for i in range(len(run) - 1)]


def term_counts(text: str, language: str) -> Counter:
    return Counter(token.term for token in tokens(text, language))


# Function words that tell the Latin-script languages apart in a short text.
_MARKERS = {
    "en": {"the", "and", "of", "to", "with", "for", "is", "are", "on", "this", "that", "from"},
    "fr": {"le", "la", "les", "des", "et", "du", "une", "pour", "dans", "est", "sur", "aux", "au"},
    "es": {"el", "los", "las", "del", "y", "una", "para", "en", "con", "por", "es", "al", "se"},
}


def detect_language(text: str, hint: str | None = None) -> str:
    """The language ``text`` is written in: by its script, then (Latin) by its function words.

    ``hint`` (the language a person said they write in) wins whenever the text does not contradict
    it: a Latin-script hint for Latin text, the script's language otherwise.
    """
    hint = base_language(hint) if hint else None
    sample = (text or "")[:4000]
    scripts = Counter()
    for char in sample:
        if ARABIC.match(char):
            scripts["ar"] += 1
        elif CYRILLIC.match(char):
            scripts["ru"] += 1
        elif HAN_CHAR.match(char):
            scripts["zh"] += 3  # one Han character carries about a word
        elif char.isalpha():
            scripts["latin"] += 1
    if not scripts:
        return hint or "en"
    script = scripts.most_common(1)[0][0]
    if script != "latin":
        return script
    if hint in _MARKERS:
        return hint
    words = Counter(fold(word) for word in WORD.findall(sample))
    scores = {language: sum(words[marker] for marker in markers) for language, markers in _MARKERS.items()}
    best = max(scores, key=lambda language: (scores[language], language == "en"))
    return best if scores[best] else "en"
