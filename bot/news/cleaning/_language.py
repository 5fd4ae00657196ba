"""Language identification from function words (no models): ISO 639-1 codes."""

from __future__ import annotations

import re
from collections import Counter

# The most frequent function words of each language. Shared words are fine: the distinctive
# ones decide, and scores are shares of the text's tokens.
_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to a in is that for on it with as was he said by at from his be have has are an not "
        "but this they were had which who their been will would its or after more one about also we i you her "
        "she there than up out new when first over into could our all other what can if no so do just",
        "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden "
        "aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder "
        "aber vor zur bis mehr durch man sein wurde sei ich wir ihr mich uns kann soll wenn schon",
        "fr": "le la les de des et à en un une du est que qui dans pour pas sur au par plus ne il se ce avec sont "
        "a été aux son sa ses mais ou elle nous vous leur cette comme ont fait être très entre sans tout aussi "
        "cela dont selon lors depuis après",
        "es": "el la los las de del y en que un una por con no es para se al lo como más pero sus le ya fue "
        "este ha sí porque esta entre cuando muy sin sobre también me hasta hay donde han desde todo nos "
        "durante ni contra otros ese eso había ante ellos según está están",
        "it": "il lo la i gli le di del della dei delle e è in che un una per con non si da al alla sono ha "
        "come anche più ma nel nella degli questo questa loro essere stato hanno dopo tra fra sul sulla ci se "
        "o suo sua dal dalla ad cui",
        "nl": "de het een en van in is dat op te zijn met voor niet aan er die maar om ook als bij dan nog naar "
        "door wordt was worden heeft hebben kan zich uit over tot werd dit deze wel geen meer zij hij ze we",
        "pt": "o a os as de do da dos das e em no na nos nas um uma para com não por que se ao é mais como mas "
        "foi ele ela seu sua são pelo pela também já entre quando muito sem sobre até está isso ou aos pelos "
        "pelas ser tem",
        "ru": "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне "
        "было вот от меня еще нет о из ему теперь когда даже ли если уже или ни быть был него до вас там "
        "потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам без будет тогда кто "
        "этот того потому этого какой здесь этом один мой тем чтобы сейчас были можно при после над больше "
        "тот через эти нас про всего них также который которые года заявил",
        "uk": "і й та в у на з із до що не як це він вона вони але за від для по про його її їх був була було є "
        "також ще вже або коли якщо щоб так тому бо при після через між під над де хто який яка яке які "
        "зазначив року",
        "pl": "i w z na się nie do to że jest o jak a po co ale od dla przez za są jego już tak było być może "
        "tym także który która które oraz gdy czy jej ich przy tylko bardzo roku został została",
        "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag sig från vi så "
        "kan man när år sin nu hade ska efter även under eller mot sina",
    }.items()
}
_ALL_STOPWORDS = frozenset().union(*_STOPWORDS.values())
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, words in _STOPWORDS.items() if word in words) for word in _ALL_STOPWORDS
}
_TOKEN = re.compile(r"[^\W\d_]+")
_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)
# Letters that only some of the Latin-script languages use break near ties (es/pt, de/nl...).
_LETTER_HINTS = (
    ("pt", re.compile(r"[ãõ]")),
    ("es", re.compile(r"[ñ¿¡]")),
    ("de", re.compile(r"[äöüß]")),
    ("pl", re.compile(r"[ąęłńśźż]")),
    ("sv", re.compile(r"[åä]")),
)
_ANY_SCRIPT = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u4e00-\u9fff\u0370-\u03ff\u0590-\u05ff\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
# Every letter the hints, _CYRILLIC and _UKRAINIAN_LETTERS look for (all within these).
_MARKED = re.compile(r"[ãõñ¿¡äöüßąęłńśźżå\u0400-\u04ff]")
_MIN_TOKENS = 3
_MIN_SHARE = 0.08
_SAMPLE_CHARS = 20_000  # the start of a long text decides; keeps the cost flat


def any_stopword_ratio(tokens: list[str]) -> float:
    """Share of tokens that are function words in any supported language."""
    if not tokens:
        return 0.0
    return sum(map(_ALL_STOPWORDS.__contains__, map(str.lower, tokens))) / len(tokens)


def lowered_stopword_ratio(lowered: list[str]) -> float:
    """`any_stopword_ratio` of tokens already lower-cased (a line key's words)."""
    if not lowered:
        return 0.0
    return sum(map(_ALL_STOPWORDS.__contains__, lowered)) / len(lowered)


def detect_language(text: str, line_keys: list[str] | None = None) -> str | None:
    """The text's language as an ISO 639-1 code, or None when it is too short or unknown.

    `line_keys`: the `line_key` of each of the text's lines, when the caller has them (the words
    are then counted from them, not found again)."""
    sample = text[:_SAMPLE_CHARS]
    counted = _count_keys(text, line_keys) if line_keys is not None else None
    if counted is None:
        found = _TOKEN.findall(sample)
        n_letters, n_tokens = sum(map(len, found)), len(found)
    else:
        counts, n_letters, n_tokens = counted
    if n_letters < 8:
        return None
    script = _script(sample, n_letters)
    if script is not None:
        return script
    if n_tokens < _MIN_TOKENS:
        return None
    if counted is None:
        counts = Counter(map(str.lower, found))
    # Each language's count of its function words, from the text's distinct words (a few hundred)
    # rather than from every word of every list.
    hits = dict.fromkeys(_STOPWORDS, 0)
    for word in counts.keys() & _ALL_STOPWORDS:  # the few function words among them
        count = counts[word]
        for lang in _LANGUAGES_OF[word]:
            hits[lang] += count
    scores = {lang: hits[lang] / n_tokens for lang in _STOPWORDS}
    # The letters below, each once: the one-letter patterns look in them, not in the whole sample.
    marked = "".join(set(_MARKED.findall(sample)))
    for lang, letters_re in _LETTER_HINTS:
        if lang in scores and letters_re.search(marked):
            scores[lang] += 0.05
    if _CYRILLIC.search(marked):
        cyr = {k: v for k, v in scores.items() if k in ("ru", "uk")}
        if _UKRAINIAN_LETTERS.search(marked):
            cyr["uk"] += 0.1
        scores = cyr
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < _MIN_SHARE:
        return None
    return best


def _count_keys(text: str, line_keys: list[str]) -> tuple[Counter[str], int, int] | None:
    """The lower-cased letter runs of `text` counted, their letters and their number, from the
    `line_key`s of its lines; None where they may differ from `_TOKEN` over the text's sample.

    A key is its line's words (letters and digits, joined inside a word by ' ’ . -) lower-cased
    and single-spaced; every letter of a line is in one of its words, so the text's letter runs
    are the keys' runs between those joiners, digits and spaces (and lowering a letter gives one
    letter, tested for every character). The counts are what `Counter` of the lower-cased runs
    gives, but for order, which the sums below never see."""
    # Not the same letters lowered one for one in a key and in a run: a dotted capital I lowers
    # to two characters; a capital sigma's lower case depends on the next letter, which a word's
    # apostrophe or full stop hides in a letter run but not in a key.
    if len(text) > _SAMPLE_CHARS or "\u0130" in text or "\u03a3" in text:
        return None
    joined = " ".join(line_keys)
    for joiner in "'’.-":
        if joiner in joined:
            joined = joined.replace(joiner, " ")
    runs = joined.split()
    counts = Counter(runs)
    n_tokens, n_letters = len(runs), len(joined) - joined.count(" ")
    for piece in [piece for piece in counts if not piece.isalpha()]:  # digits (few pieces)
        times = counts.pop(piece)
        letters = _TOKEN.findall(piece)
        n_tokens += times * (len(letters) - 1)
        n_letters -= times * (len(piece) - sum(map(len, letters)))
        for run in letters:
            counts[run] += times
    return counts, n_letters, n_tokens


def _script(sample: str, n_letters: int) -> str | None:
    """A language told by its writing system alone, when the text is mostly in that script."""
    if not _ANY_SCRIPT.search(sample):
        return None  # no letter of any of them (most texts): one scan instead of six
    for lang, pattern in _SCRIPTS:
        hits = len(pattern.findall(sample))
        if hits / n_letters >= 0.3:
            if lang == "zh" and len(_SCRIPTS[0][1].findall(sample)) > 0:
                return "ja"
            return lang
    return None
