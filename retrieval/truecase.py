"""Questions typed in lower case, written as the documents write their words.

Staff type "what does rowley reckon ..." or "who from runnymede got quoted"; the answerer finds
people, organisations and posts by their capitals ("Rowley", "Runnymede", "IOPC"). Each word typed
in lower case is given the capitals the documents nearly always give it, counted away from the
start of sentences, so "rowley" reads "Rowley" and "iopc" "IOPC", while "met" stays a verb unless
the documents use it almost only as "Met".
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from retrieval.textutil import POSTS, STOPWORDS

_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;“”\"‘\n•–—-])\s*$")  # not "(": "(IOPC)" is written as used
_LOWER = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*(?![\w’'-])")


def case_table(texts: Iterable[str], share: float = 0.8, min_count: int = 2) -> dict[str, str]:
    """lower-case word -> the form the documents give it in at least ``share`` of its uses (away
    from a sentence's first word), when that form has capitals."""
    forms: dict[str, Counter] = {}
    starts: Counter = Counter()  # uses as a sentence's first word, where any word has a capital
    in_prose: set[str] = set()  # capitalised beside a lower-case word ("in Croydon in front"): not a headline's
    for text in texts:
        tokens = list(_TOKEN.finditer(text))
        for i, m in enumerate(tokens):
            word = m.group(0).strip("’'-")
            if _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
                starts[word.lower()] += 1
                continue
            if _shouted(text, tokens, i):
                continue  # "NO WARRANTY ... QUALITY AND PERFORMANCE": capitals for emphasis, not the word's own
            forms.setdefault(word.lower(), Counter())[word] += 1
            if not word.islower() and _in_prose(text, tokens[max(0, i - 2) : i + 3]):
                in_prose.add(word)
    table = {}
    for low, counts in forms.items():
        # a name written with capitals in more than one way ("StopWatch", "Stopwatch") is a name: it
        # takes the form used most; the uses with a capital are counted together
        capitalised = Counter({w: k for w, k in counts.items() if w[:1].isupper()})
        if not capitalised:
            continue
        best = capitalised.most_common(1)[0][0]
        n, total = sum(capitalised.values()), sum(counts.values())
        # an abbreviation or a name in mixed case ("IOPC", "StopWatch") needs no second use, nor a
        # name never written in lower case that also starts a sentence ("Dr Shabna Begum", "Begum said")
        # and a name used once in running prose ("detained ... in Croydon in front of her son")
        seen = n >= min_count or not best[1:].islower() or n == total and (
            n + starts[low] >= min_count or any(w in in_prose for w in capitalised))
        if seen and n >= share * total:
            table[low] = best
    return table


def _shouted(text: str, tokens: list[re.Match], i: int) -> bool:
    """Is word ``i`` written in capitals beside another word of two or more capitals on the same line:
    a heading or a clause shouted ("NO WARRANTY ... QUALITY AND PERFORMANCE"), not an abbreviation?"""
    word = tokens[i].group(0)
    if len(word) < 2 or not word.isupper():
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens):
            other, a, b = tokens[j].group(0), min(i, j), max(i, j)
            if len(other) >= 2 and other.isupper() and "\n" not in text[tokens[a].end() : tokens[b].start()]:
                return True
    return False


# Words a title written in capitals keeps in lower case ("Review into the Metropolitan Police")
_TITLE_LOWER = frozenset("a an the of for and or nor in on at to by into with from as but per via".split())


def _in_prose(text: str, near: list[re.Match]) -> bool:
    """Is a word within two of a capitalised word, on the same line, a lower-case word a title would
    capitalise ("officers", "front")? Then the capitalised word is a name used in prose."""
    if any("\n" in text[a.end() : b.start()] for a, b in zip(near, near[1:])):
        return False
    return any(m.group(0).islower() and m.group(0) not in _TITLE_LOWER for m in near)


# A post or title typed in lower case is the post ("the commissioner"), not part of a name.
_POSTS_AND_TITLES = POSTS | frozenset("sir dame lord lady baroness home vice deputy interim".split())


# "had he met with them?": the verb, not the force, where a verb's particle follows
_VERBS_LIKE_NAMES = frozenset({"met"})
_VERB_AFTER = re.compile(r"\s+(?:with|up)\b")


def truecase(question: str, table: dict[str, str]) -> str:
    """``question`` with each lower-case word written as the documents write it."""
    def cased(m: re.Match) -> str:
        word = m.group(0)
        if word in _POSTS_AND_TITLES or word in _VERBS_LIKE_NAMES and _VERB_AFTER.match(question, m.end()):
            return word
        # "the met's response", "rowley’s view": the name, with its possessive as typed
        stem, mark = _POSSESSIVE.fullmatch(word).groups()
        return table.get(word) or (table[stem] + mark if stem in table else word)
    # "baroness Casey", "sir Mark Rowley": a title before a name is part of it
    return _TITLE_BEFORE_NAME.sub(lambda m: m.group(1).capitalize(), _LOWER.sub(cased, question))


def force_names(question: str, known: Callable[[str], bool]) -> str:
    """"is greater manchester police doing ...?": words no document uses, typed in lower case before
    "police" or "constabulary", name a force ("Manchester Police"), which the answerer can then see is
    one the documents do not cover."""
    def unknown(word: str) -> bool:
        return not (word in STOPWORDS or known(word) or _DESCRIBING.search(word))

    def named(m: re.Match) -> str:
        words = list(re.finditer(r"[a-z]+", m.group(1)))
        # the words right before "police" that no document uses ("manchester", not "greater")
        n = _trailing([w.group(0) for w in words], unknown)
        if not n:
            return m.group(0)
        start = words[-n].start()
        return m.group(1)[:start] + m.group(1)[start:].title() + m.group(2).capitalize()

    def body(m: re.Match) -> str:
        # "the met officers federation": a body whose kind no document names ("federation"), with the
        # words describing it
        if not unknown(m.group(2)):
            return m.group(0)
        words = m.group(1).split()
        keep = _trailing(words, lambda w: w not in STOPWORDS)
        lead = " ".join(words[: len(words) - keep])
        named_words = " ".join(w.capitalize() for w in words[len(words) - keep :] + [m.group(2)])
        return f"{lead} {named_words}".strip()
    # "has police scotland admitted ...?": a force named after "police"
    question = _FORCE_AFTER.sub(lambda m: m.group(0).title().replace(" Of ", " of "), question)
    return _BODY.sub(body, _FORCE.sub(named, question))


def _trailing(words: list[str], fits: Callable[[str], bool]) -> int:
    """How many of ``words``, counted back from the last, ``fits``."""
    n = 0
    while n < len(words) and fits(words[-1 - n]):
        n += 1
    return n


_DESCRIBING = re.compile(r"(?:ic|al|ive|ous|ful|less|able|ible|ed|ing|ly|est)$")  # "specific", "latest" police ...
_BODY = re.compile(r"\b((?:[a-z]{2,}\s+){0,3}?)(federation|union|association|society|institute|council|board|authority|"
                   r"network|forum)\b")
_FORCE = re.compile(r"\b((?:[a-z]{3,}\s+){1,3}?)(police|constabulary)\b")
_FORCE_AFTER = re.compile(r"\bpolice\s+(?:service\s+of\s+)?(?:scotland|wales|(?:northern\s+)?ireland)\b")
_POSSESSIVE = re.compile(r"(.+?)((?:['’]s|s['’])?)")
_TITLE_BEFORE_NAME = re.compile(r"\b(sir|dame|lord|lady|baroness|baron|dr|mr|mrs|ms)(?=\.?\s+[A-Z])")


def save_case_table(path: Path, texts: Iterable[str]) -> None:
    """Write the case table of ``texts`` (every document of an index build) as JSON."""
    path.write_text(json.dumps(case_table(texts), ensure_ascii=False, sort_keys=True), encoding="utf-8")


def load_case_table(path: Path) -> dict[str, str]:
    """The case table saved with an index; empty for an index built before there was one."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
