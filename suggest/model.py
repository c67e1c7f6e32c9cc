"""The suggestion model: one TF-IDF vector per GBF target and per subject in each language, and the
cosine similarity of a text being written with them (suggest/README.md explains the method).

Built from plain data (:class:`TermText`, :class:`Example`), so that the bench can build it from any
subset of records and the tests from hand-made ones; :mod:`suggest.store` builds it from the
database and keeps it.
"""

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .analysis import LANGUAGES, Token, base_language, detect_language, term_counts, tokens

TARGET, SUBJECT = "target", "subject"
KINDS = (TARGET, SUBJECT)

# Below this cosine a term is not suggested. Chosen with bench/suggest.py's sweep on the demo (the targets'
# F1 peaks at 0.15 at scale 0.3) and the hand-made texts of the tests.
DEFAULT_THRESHOLD = 0.15
# Share of a term's vector that comes from the published records classified with it (the rest comes
# from its official name and keywords).
RECORD_WEIGHT = 0.4
MAX_PER_KIND = 5
MAX_TERMS_PER_VECTOR = 200  # the weakest terms of a centroid add size, not quality
MAX_SUPPORT_TERMS = 6
UNKNOWN_IDF = 1.0  # a word no term's text has: it still counts in the length of the text
PASSAGE_CHARS = 200
SENTENCE_END = re.compile(r"(?<=[.!?。！？؟;])\s*|\n+")


@dataclass(frozen=True)
class TermText:
    """A target or subject and the text that describes it, per language (name and keywords)."""

    kind: str
    pk: int
    code: str
    names: dict  # language → name ("" when the vocabulary has none in that language)
    keywords: dict = field(default_factory=dict)  # language → list of phrases
    number: int | None = None  # a target's number, for its label

    def label(self, language: str) -> tuple[str, str]:
        """The label in ``language`` (English when the vocabulary has no name there) and its language."""
        language = base_language(language)
        name, name_language = (self.names[language], language) if self.names.get(language) else (self.names["en"], "en")
        if self.number is not None:
            return f"{self.number}. {name}", name_language
        return name, name_language


@dataclass(frozen=True)
class Example:
    """A published record: its language, its text and the codes it is classified with."""

    language: str
    text: str
    codes: frozenset
    record_type: str = ""  # for the bench's breakdown by type


@dataclass
class Suggestion:
    kind: str
    pk: int
    code: str
    label: str
    label_language: str
    score: float
    words: list
    passages: list

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.pk,
            "code": self.code,
            "label": self.label,
            "label_language": self.label_language,
            "score": round(self.score, 3),
            "words": self.words,
            "passages": self.passages,
        }


def _weights(counts: Counter, idf: dict) -> dict:
    return {term: (1 + math.log(count)) * idf.get(term, UNKNOWN_IDF) for term, count in counts.items() if count}


def _normalised(vector: dict) -> dict:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {term: value / norm for term, value in vector.items() if value} if norm else {}


def _pruned(vector: dict, size: int = MAX_TERMS_PER_VECTOR) -> dict:
    if len(vector) <= size:
        return vector
    return dict(sorted(vector.items(), key=lambda item: -item[1])[:size])


class SuggestionModel:
    """Term vectors per language and kind; :meth:`suggest` compares a text with them."""

    def __init__(self, terms: dict, idf: dict, vectors: dict, examples: int = 0):
        self.terms = terms  # code → TermText
        self.idf = idf  # (language, kind) → {term: idf}
        self.vectors = vectors  # (language, kind) → {code: normalised vector}
        self.examples = examples

    # --- building -------------------------------------------------------------------------------
    @classmethod
    def build(cls, terms: list[TermText], examples: list[Example], record_weight: float = RECORD_WEIGHT):
        by_code = {term.code: term for term in terms}
        official = {}  # (language, code) → Counter
        for term in terms:
            for language in LANGUAGES:
                text = "\n".join([term.names.get(language) or "", *term.keywords.get(language, [])])
                official[language, term.code] = term_counts(text, language)
        records = defaultdict(list)  # (language, code) → [Counter]
        for example in examples:
            language = base_language(example.language)
            counts = term_counts(example.text, language)
            if not counts:
                continue
            for code in example.codes:
                if code in by_code:
                    records[language, code].append(counts)

        idf, vectors = {}, {}
        for language in LANGUAGES:
            for kind in KINDS:
                codes = [term.code for term in terms if term.kind == kind]
                document_frequency = Counter()
                for code in codes:
                    seen = set(official[language, code])
                    for counts in records.get((language, code), ()):
                        seen.update(counts)
                    document_frequency.update(seen)
                total = len(codes)
                table = {
                    term: max(math.log((total + 1) / (count + 0.5)), 0.0) for term, count in document_frequency.items()
                }
                idf[language, kind] = table
                vectors[language, kind] = {}
                for code in codes:
                    examples_of = records.get((language, code))
                    vector = cls._term_vector(official[language, code], examples_of, table, record_weight)
                    if vector:
                        vectors[language, kind][code] = vector
        return cls(by_code, idf, vectors, examples=len(examples))

    @staticmethod
    def _term_vector(official: Counter, records: list | None, idf: dict, record_weight: float) -> dict:
        own = _normalised(_weights(official, idf))
        if not records:
            return own
        centroid = Counter()
        for counts in records:
            for term, value in _normalised(_weights(counts, idf)).items():
                centroid[term] += value / len(records)
        centroid = _normalised(_pruned(dict(centroid)))
        if not own:
            return centroid
        mixed = Counter()
        for term, value in own.items():
            mixed[term] += (1 - record_weight) * value
        for term, value in centroid.items():
            mixed[term] += record_weight * value
        return _normalised(dict(mixed))

    # --- suggesting -----------------------------------------------------------------------------
    def scores(self, text: str, language: str, kind: str) -> tuple[dict, dict]:
        """(code → cosine, the text's normalised vector) for every term of ``kind``."""
        counts = term_counts(text, language)
        query = _normalised(_weights(counts, self.idf.get((language, kind), {})))
        result = {}
        for code, vector in self.vectors.get((language, kind), {}).items():
            score = sum(value * vector.get(term, 0.0) for term, value in query.items())
            if score > 0:
                result[code] = score
        return result, query

    def suggest(
        self,
        text: str,
        language: str | None = None,
        *,
        label_language: str = "en",
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = MAX_PER_KIND,
        kinds=KINDS,
    ) -> tuple[str, list[Suggestion]]:
        """The text's language and its suggestions, best first (at most ``limit`` of each kind)."""
        language = detect_language(text, language)
        found = tokens(text, language)
        suggestions = []
        for kind in kinds:
            scores, query = self.scores(text, language, kind)
            best = sorted(
                (item for item in scores.items() if item[1] >= threshold), key=lambda item: (-item[1], item[0])
            )
            for code, score in best[:limit]:
                term = self.terms[code]
                vector = self.vectors[language, kind][code]
                support = self._support(query, vector)
                label, label_lang = term.label(label_language)
                words, passages = _evidence(text, found, support)
                suggestions.append(Suggestion(kind, term.pk, code, label, label_lang, score, words, passages))
        return language, suggestions

    @staticmethod
    def _support(query: dict, vector: dict) -> list[str]:
        """The text's terms that weigh most in the similarity, strongest first."""
        contributions = sorted(
            ((value * vector[term], term) for term, value in query.items() if term in vector), reverse=True
        )
        if not contributions:
            return []
        top = contributions[0][0]
        return [term for value, term in contributions[:MAX_SUPPORT_TERMS] if value >= top * 0.1]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans as one (Chinese bigrams 外来 + 来入 + 入侵 → 外来入侵)."""
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _evidence(text: str, found: list[Token], support: list[str]) -> tuple[list[str], list[dict]]:
    """The words of ``text`` behind ``support`` (strongest term first) and up to two passages
    (sentences, shortened around them) with the offsets of those words inside each passage."""
    rank = {term: position for position, term in enumerate(support)}
    spans = _merged([(token.start, token.end) for token in found if token.term in rank])
    if not spans:
        return [], []
    strongest = {}  # span → rank of the strongest term read inside it
    for token in found:
        if token.term in rank:
            span = next(span for span in spans if span[0] <= token.start and token.end <= span[1])
            strongest[span] = min(strongest.get(span, len(rank)), rank[token.term])
    words, seen = [], set()
    for start, end in sorted(spans, key=lambda span: (strongest[span], span)):
        word = text[start:end]
        if word.lower() not in seen:
            seen.add(word.lower())
            words.append(word)

    passages = []
    for sentence_start, sentence_end in _sentences(text):
        inside = [(start, end) for start, end in spans if start >= sentence_start and end <= sentence_end]
        if not inside:
            continue
        start, end = sentence_start, sentence_end
        if end - start > PASSAGE_CHARS:
            start = max(sentence_start, inside[0][0] - PASSAGE_CHARS // 3)
            end = min(sentence_end, max(start + PASSAGE_CHARS, inside[0][1]))
            inside = [(s, e) for s, e in inside if s >= start and e <= end]
        passage = text[start:end]
        passages.append(
            {
                "text": passage,
                "highlights": [[s - start, e - start] for s, e in inside],
                "shortened_before": start > sentence_start,
                "shortened_after": end < sentence_end,
            }
        )
        if len(passages) == 2:
            break
    return words, passages


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line of ``text``, without surrounding spaces."""
    result, position = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.start() > position:
            result.append((position, match.start()))
        position = max(position, match.end())
    if position < len(text):
        result.append((position, len(text)))
    return [(start + len(text[start:end]) - len(text[start:end].lstrip()), end) for start, end in result]
