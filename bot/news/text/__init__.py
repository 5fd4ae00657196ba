"""Shared text tools: sentences, names, quote marks and word lists used by quotes and compare."""

from __future__ import annotations

from bot.news.text._case import lower
from bot.news.text._lexicon import (
    ANONYMOUS_HEADS,
    AUXILIARIES,
    NAME_PARTICLES,
    ORG_WORDS,
    PARTICIPLE_CUES,
    PERSON_PRONOUNS,
    ROLE_HEADS,
    ROLE_WORDS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    TIME_WORDS,
    TITLE_ABBREVIATIONS,
    word_set,
)
from bot.news.text._marks import QuoteSpan, find_quote_spans
from bot.news.text._name_keys import (
    given_name,
    given_names_agree,
    keys_match,
    name_key,
    same_person,
)
from bot.news.text._names import (
    NamePhrase,
    Token,
    is_initial,
    is_name_word,
    read_phrase,
    surname_of,
    tokenize,
)
from bot.news.text._sentences import mask_quotes, paragraphs, split_sentences
from bot.news.text._synonyms import NEWS_SYNONYMS, synonym_of

__all__ = [
    "ANONYMOUS_HEADS",
    "AUXILIARIES",
    "NAME_PARTICLES",
    "NEWS_SYNONYMS",
    "ORG_WORDS",
    "PARTICIPLE_CUES",
    "PERSON_PRONOUNS",
    "ROLE_HEADS",
    "ROLE_WORDS",
    "SPEECH_NOUNS",
    "SPEECH_VERBS",
    "TIME_WORDS",
    "TITLE_ABBREVIATIONS",
    "NamePhrase",
    "QuoteSpan",
    "Token",
    "find_quote_spans",
    "given_name",
    "given_names_agree",
    "is_initial",
    "is_name_word",
    "keys_match",
    "lower",
    "mask_quotes",
    "name_key",
    "paragraphs",
    "read_phrase",
    "same_person",
    "split_sentences",
    "surname_of",
    "synonym_of",
    "tokenize",
    "word_set",
]
