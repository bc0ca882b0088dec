"""Does a sentence hold what the question asks for: a count of the right thing, a date, a name the
question does not give, a place, a frequency; and the figures, names and acts a sentence reports."""

from __future__ import annotations

import functools
import re

from retrieval.questions import (
    ANOTHER, HOW_MANY, MONEY_Q, NAMED_PLACE, PERSON_ASKED, ROLE, TITLES, UBIQUITOUS, agent_pattern, asked_role, holds_post,
)
from retrieval.textutil import STOPWORDS, content_words, count_numbers, is_org, is_person, proper_names

_SPOKE_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:(?:at|from|for|of)\s+(?:the\s+)?(?P<body>(?:[\w’'-]+\s+){1,4}?))?"
                      r"(?:spoke|speaks|commented|comments|was quoted|is quoted|got quoted|"
                      r"responded|replied|said that|gave the quote)\b")
_SUCCESSION_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:replaced|succeeded|took over|has replaced|will replace|"
                           r"became|was appointed|was named|was elected|was hired|was chosen|was selected|got the job)\b")
_CHAIRS_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:chairs|chaired|is chairing|was chairing)\b")

_BODY_Q = re.compile(r"\bwhich (?:[\w-]+ )?(commission|committee|foundation|agency|inquiry|tribunal|court|council|watchdog|"
                     r"regulator)\b")
# "which watchdog ...?": a body named as one that oversees ("the Independent Office for Police Conduct")
_OVERSIGHT = r"(?:office for police conduct|inspectorate|ombudsman|iopc|hmicfrs)"
# "who was it drawn up with?", "who were the officers sacked by?": the agents of a passive act
# "who did the groups write to in 2022?", "who was the letter sent to?", "who was it addressed to?"
_WRITTEN_TO_Q = re.compile(r"^\W*(?:and\s+|so\s+)?(?:who|whom)\s+(?:did|do|does|was|were|is|has|have)\s+(?:[\w’'-]+\s+){0,4}?"
                           r"(?:write|wrote|written|send|sent|address|addressed)\s+(?:it\s+|that\s+|this\s+|them\s+)?to\b"
                           r"(?:\s+in\s+\d{4})?\W*$")
# "have written a joint open letter to the Home Secretary, Priti Patel", "an open letter to Commissioner Sir Mark Rowley"
_ADDRESSED = re.compile(r"\b(?:wrote|written|writing|write|letter|sent|send|addressed)\b[^.;“”]{0,80}?\bto\s+(?:the\s+)?"
                        r"(?:[a-z]+\s+){0,2}(?:of\s+the\s+)?[A-Z]")
_PASSIVE_WHO = re.compile(r"^\W*(?:and\s+|so\s+)?(?:who|whom)\s+(?:was|were|is|are|has been|have been|had been)\s+.+?\s+"
                          r"(?P<verb>[a-z]+(?:ed|en|de|wn|ne|lt|nt)|made|drawn up|set up|put together)\s+(?P<prep>with|by)\W*$")
# "who was she with when it happened?": whom someone was with ("in front of her young son")
_WITH_WHOM_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:was|were|is|are)\s+(?:.+?\s+with\s*(?:$|[?,.]|when\b|at the time\b)|"
                          r"with\b)")
_COMPANION = re.compile(r"\b(?:with|in front of|alongside|beside|and)\s+(?:(?:her|his|their|a|an|the)\s+)?(?:[a-z-]+\s+)?"
                        r"(?:sons?|daughters?|child|children|kids?|mother|father|mum|dad|husband|wife|partner|family|"
                        r"friends?|brother|sister|baby|grandchild(?:ren)?|grand(?:son|daughter))\b", re.I)
INPUT = re.compile(r"\b(?:input|consultation|consulted|consulting)\s+(?:from|with)\b|\b(?:made|drawn up|developed|"
                    r"designed|written)\s+(?:together\s+)?with\b", re.I)
SERVES_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:(?:is|are)\s+(?P<whose>.+?)(?:’s|'s)\s+work\s+(?:mainly\s+|mostly\s+)?"
                       r"(?:aimed|targeted)\s+at|(?:do|does|did)\s+(?P<org>.+?)\s+(?:say\s+(?:it|they)\s+)?"
                       r"(?:mainly\s+|mostly\s+|primarily\s+|actually\s+)?"
                       r"(?:works?\s+(?:with|for)|helps?|supports?|serves?|represents?|campaigns?\s+for|empowers?|"
                       r"stands?\s+up\s+for))\b", re.I)
SERVES = re.compile(r"\b(?:empower\w*|support(?:s|ing)?|work(?:s|ing)?\s+with|help(?:s|ing)?|serv(?:e|es|ing)|represent(?:s|ing)?|"
                     r"champion(?:s|ing)?|campaign(?:s|ing)?\s+for)\b[^.;]{0,40}?\b(?:young people|children|families|"
                     r"communities|people|women|girls|boys|victims|londoners)\b", re.I)
INPUT_Q = re.compile(r"\b(?:get|got|gets|getting|gave|give|given|asked for)\s+input\b|\bconsult|"
                     r"\bwho\s+did\s+.{2,60}?\s+(?:make|made|develop|design|write|put\s+together)\s+.{0,40}?\bwith\W*$", re.I)
_WHICH_BODY = re.compile(r"\b(?:which|what) (?:[\w-]+ )?(?:group|organi[sz]ation|charity|watchdog|regulator|inspectorate|"
                         r"campaign group|think tank|body)\b")
PRESS_Q = re.compile(r"\bwhich (?:[\w-]+ )?(?:newspaper|paper|publication|outlet)\b", re.I)

_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ese|ish|ian|can|ch|i)")  # "Portuguese sprinter": where he is from
_WHICH_PERSON = re.compile(r"\b(?:which|what) (" + PERSON_ASKED + r")\b")

_ENUMERATION = re.compile(r"\w,\s+[^,.;:]+?\s(?:and|or)\s+\w")
DATE = re.compile(
    r"\b(19|20)\d{2}\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)

WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


# "The review called for ...", "The Casey review found ...": a report, review or inquiry speaking
_WORK_SAYS = re.compile(r"\b(?:the|her|his|their)\s+(?P<titled>[A-Z][\w’'-]*(?:’s|'s)?\s+)?(review|report|inquiry)\s+(?:\w+\s+){0,2}?"
                        r"(?:called|calls|found|finds|said|says|concluded|concludes|recommended|recommends|urged|urges|"
                        r"demanded)\b", re.I)
# "Baroness Casey’s Review", "the Casey review": a work named by its maker
TITLED_WORK = re.compile(r"\b[A-Z][\w-]*(?:’s|'s)?\s+(?:[Rr]eview|[Rr]eport|[Ii]nquiry|[Pp]lan)\b")


def work_speaks(document: str, sentence: str, named: re.Pattern, titled: bool = False) -> bool:
    """"What did Casey say ...?": her review speaking ("The review called for ...", with ``titled``
    "The Casey review found ...") is her word, when the document names the review as hers ("the Casey review")."""
    said = _WORK_SAYS.search(sentence)
    if said is None or said.group("titled") and not titled:
        return False
    work = said.group(2).lower()
    return any(named.search(m.group(0)) and m.group(0).lower().endswith(work) for m in TITLED_WORK.finditer(document))

def novel_names(text: str, question: str) -> list[str]:
    """Names in ``text`` none of whose words the question already uses."""
    q_words = {_possessive(w.lower()) for w in re.findall(r"[\w’']+", question)}
    out = []
    for name in proper_names(text):
        words = [_possessive(w.lower()) for w in name.split() if w.lower() not in TITLES]
        if DATE.fullmatch(name) or name.lower() in WEEKDAYS:
            continue  # "October" is a date, not a name
        if words and not all(w in q_words for w in words) and name.lower() not in question.lower():
            out.append(name)
    return out


@functools.lru_cache(maxsize=8192)
def _possessive(word: str) -> str:
    return re.sub(r"['’]s$|['’]$", "", word)


_NAMED_THING = re.compile(r"\bname of (?:the |a |an |his |her |their |its )?(?:[\w’'-]+\s+){0,3}?"
                          r"(school|plan|report|review|hospital|station|street|road|estate|policy|operation|scheme|"
                          r"programme|unit|team|charter)\b(?!\s+(?-i:[A-Z]{2,}\b))|\b(?:which|what) " + NAMED_PLACE + r"\b", re.I)
# "what's the Met's plan for black Londoners called?": the name of a plan
_CALLED_THING = re.compile(r"^\W*what(?:['’]s|\s+is|\s+was)\s+(?:[\w’'-]+\s+){0,4}?(plan|report|review|policy|operation|"
                           r"scheme|programme|charter|strategy)\b[^?]*\s(?:called|named|titled)\W*$", re.I)
_PEOPLE_NOUN = (r"(woman|women|man|men|girl|boy|officer|mother|father|son|daughter|person|people|constable|chief|"
                r"executive|head|leader|spokes\w+|commissioner|victim|suspect|teacher|pupil|student|nurse|doctor|"
                r"lawyer|journalist|reporter|candidate|minister|secretary|director|founder|campaigner|activist|"
                r"teenager|worker|witness|judge|coroner)")
_NAMED_PERSON = re.compile(r"\b(?:names?|who is the other)\b.*?\b" + _PEOPLE_NOUN + r"s?\b|"
                           r"\b" + _PEOPLE_NOUN + r"s?['’]?s?\s+(?:full\s+|first\s+|sur)?names?\b", re.I)
_PART_OF_NAME = re.compile(r"\b(?:first|last|full|sur|given|maiden)\s?name\b", re.I)


_PLAN_WORDS = frozenset({"plan", "scheme", "strategy", "programme"})


def asks_thing_name(question: str) -> bool:
    """"What's the name of the Met plan ...?", "what is their plan called?": the name of a plan, review, school ..."""
    return bool(_NAMED_THING.search(question) or _CALLED_THING.search(question))


def gives_name(text: str, question: str) -> bool:
    """Does ``text`` hold the kind of name a "what is the name of ..." question asks for?"""
    thing = _NAMED_THING.search(question) or _CALLED_THING.search(question)
    if thing:
        noun = next(g for g in thing.groups() if g).lower()
        # "the Race Action Plan", and "the New Met for London plan", "“A New Met for London” scheme"
        kind = "|".join(_PLAN_WORDS) if noun in _PLAN_WORDS else re.escape(noun)
        # (a name the question does not give as it stands: "the Met's new plan for London" is not "New Met for London")
        named = [n for n in proper_names(text) if n.lower() not in question.lower() and not DATE.fullmatch(n)]
        return any(noun in n.lower() or re.search(re.escape(n) + r"[’'”\"]?\s+(?:" + kind + r")\b", text, re.I)
                   for n in named)
    if _PART_OF_NAME.search(question):
        # "Baroness Casey's first name": a fuller form of a name the question gives.
        q_words = set(re.findall(r"\w+", question.lower()))
        return any(
            len(words) >= 2 and q_words & set(words)
            for words in ([w.lower() for w in n.split() if w.lower() not in TITLES] for n in proper_names(text))
        )
    person = _NAMED_PERSON.search(question)
    if person:
        # "the name of the Met officer who ...": a name given to the officer ("PC Jane Doe",
        # "Jane Doe, the officer"), not any name in the sentence.
        head = re.escape((person.group(1) or person.group(2))[:5])  # "the officers' names": their names
        # "the other co-chief executive of the Runnymede Trust": the post at that body, not at another
        body = re.search(rf"{head}\w*(?:\s+[\w-]+){{0,2}}?\s+(?:of|at)\s+(?:the\s+)?((?:[A-Z][\w’'-]*\s*)+)", question)
        other = re.search(r"\bother\b", question, re.I)
        if other and not any(is_person(n) for n in proper_names(question)):
            return False  # "the other co-chief executive": which one is the other, when the question names neither?
        q_words = {_possessive(w.lower()) for w in re.findall(r"[\w’']+", question)}
        for name in (n for n in novel_names(text, question) if is_person(n)):
            if other and any(_possessive(w.lower()) in q_words for w in name.split() if w.lower() not in TITLES):
                continue  # "the other co-chief executive, not Begum": Shabna Begum is the one known
            n = re.escape(name)
            held = re.search(rf"\b{head}\w*,?\s+(?:(?!and\b|or\b)\w+\s+)?{n}|{n},?\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){{0,3}}[\w-]*{head}",
                             text, re.I)
            near = text[max(0, held.start() - 60) : held.end() + 60] if held else ""
            if held and (body is None or body.group(1).strip() in near):
                return True
        return False
    return bool(novel_names(text, question))


SPEAKS = re.compile(
    r"\b(said|says|responded|responds|replied|told|wrote|welcomed|rejected|accepted|acknowledged|dismissed|"
    r"defended|added|stated|insisted|argued|recommended|concluded|found|announced|promised|called|response|"
    r"saying|quoted|written|expressed|criticised|criticized|stating|hit out|according to)\b",
    re.I,
)

_ADDRESSEE = re.compile(r"(?<!according )\b(?:to|addressed to|written to)\s+(?:[\w’'.-]+[\s,]+){0,5}$", re.I)

GROUP = re.compile(r"\b(black|asian|white|mixed heritage|muslim|jewish|sikh|hindu|irish|traveller|gypsy|roma|disabled|"
                   r"gay|lesbian|lgbt\w*|trans)\b", re.I)

# Words for the same act: "Were the officers dismissed?" is answered by "two constables were sacked".
_SAME_ACT = (
    ("sacked", "dismissed", "fired", "removed"), ("charged", "prosecuted", "convicted"),
    ("criticised", "criticized", "condemned", "attacked", "challenged"), ("launched", "published", "unveiled", "announced"),
    ("signed", "backed", "supported", "endorsed"), ("disciplined", "suspended", "sanctioned"),
    ("investigated", "examined", "reviewed"), ("accepted", "acknowledged", "admitted"),
    ("apologised", "apologized", "apology"),  # "did he apologise?": "offering an apology"
)


@functools.lru_cache(maxsize=1024)
def _event_roots(participles: tuple[str, ...]) -> tuple[str, ...]:
    """The word roots that report any of ``participles`` or an act of the same kind ("moved" -> "mov")."""
    acts = [q for p in participles for q in next((g for g in _SAME_ACT if p.lower() in g), (p,))]
    roots = (re.sub(r"e$", "", re.sub(r"(?:ied|ed|en|d)$", "", p))[:7] for p in acts)
    return tuple(r for r in roots if len(r) >= 3)


def reports_event(text: str, participles: list[str]) -> bool:
    """Does ``text`` use one of the words for the event ("disciplinary" for "disciplined", "sacked"
    for "dismissed")?"""
    roots = _event_roots(tuple(participles))
    text = _ACCUSED_OF.sub(" ", text)  # "charged the Commissioner with being in denial": a reproach, not a charge
    return any(w.startswith(root) for w in re.findall(r"[a-z]+", text.lower()) for root in roots)


_ACCUSED_OF = re.compile(r"\bcharg(?:ed|es|ing)\s+(?:[\w’'-]+\s+){1,3}?with\s+(?:being|having|failing|not|an?\s+)", re.I)


# "have written an open letter to the recently appointed Metropolitan Police Commissioner, Sir Mark Rowley"
_LETTER_TO = re.compile(r"\b(?:letter|wrote|written|writing|addressed)\b[^.;“”‘’]{0,20}?\bto\b[^.;“”‘’]{0,70}$", re.I)


def written_to(text: str, named: re.Pattern) -> bool:
    """Is the agent ``named`` someone ``text`` tells of a letter written to (the "you" of its quotations)?"""
    return any(_LETTER_TO.search(text[max(0, hit.start() - 100) : hit.start()]) for hit in named.finditer(text))


_AFTER_QUOTE = re.compile(r"[,.!?…][”\"]\s+(?:[A-Z][\w’'.-]*\s+){0,3}$")


def agent_speaks(text: str, named: re.Pattern) -> bool:
    """Does ``text`` have the agent ``named`` say or do something ("Sir Mark Rowley said"), rather
    than be written to ("an open letter to Sir Mark Rowley") or spoken of?"""
    for hit in named.finditer(text):
        if _ADDRESSEE.search(text[max(0, hit.start() - 50) : hit.start()]):
            continue
        if SPEAKS.search(text[max(0, hit.start() - 40) : hit.end() + 60]):
            return True
        if _AFTER_QUOTE.search(text[max(0, hit.start() - 30) : hit.start()]):
            return True  # "“... consent,” Dr Shabna Begum, the interim co-chief executive, ...": the speaker
    return False


# "He said: “Black Londoners have been let down ...": a speaker named by a pronoun, named sentences before
_PRONOUN_SAYS = re.compile(r"\b(?:He|She)\s+(?:also\s+|later\s+|then\s+|further\s+)?(?:said|says|added|adds|told|tells|"
                           r"continued|went on|warned|insisted)\b")


def pronoun_speaker(text: str, start: int, end: int) -> str:
    """The person a "He said"/"She added" between ``start`` and ``end`` of ``text`` stands for: the last
    person named in the 600 characters before it ("... according to Sir Mark. He said: ..."), or ""."""
    said = _PRONOUN_SAYS.search(text, start, end)
    if said is None:
        return ""
    people = [n for n in proper_names(text[max(0, said.start() - 600) : said.start()]) if is_person(n)]
    return people[-1] if people else ""


_AGENTS = re.compile(r"\b(communities|groups|organisations|organizations|officers|constables|campaigners|charities|"
                     r"members|residents|families|people|activists|lawyers|peers|bodies|leaders|experts|victims)\b", re.I)
# "made with input from black communities", "arrested by Met officers": people described as who did it
_BY_AGENTS = re.compile(r"\b(?:by|from)\s+(?:the\s+|some\s+|many\s+)?(?:[\w’'-]+,?\s+){0,5}?" + _AGENTS.pattern[2:], re.I)

_WHO_IS_NAME = re.compile(r"^\W*(?:and\s+|so\s+)?(?:who|whom)\s+(?:is|was|are|were)\s+(?P<rest>.+?)\W*$", re.I)
_DESCRIBED_PERSON = re.compile(r"\b(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:girl|boy|man|woman|child|athlete|sprinter|runner|"
                               r"teenager|student|pupil|mother|father|activist|journalist|peer|politician|academic|"
                               r"victim|survivor)\b|\bknown as\b", re.I)
DATELINE = re.compile(r"\s*(?:published|posted|updated|last updated|date|dated)(?:\s+on)?\s*:", re.I)
_LENGTH = re.compile(r"[\s-]?(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|pages?|miles?|km|kilometres?|metres?)\b",
                     re.I)
_SINCE_BEFORE = re.compile(r"\b(?:since|as far back as)\s+(?:the\s+)?(?:end of\s+|start of\s+)?$", re.I)

# "how many signed ...?", "how many were there?": the word after "how many" is a verb, not what is counted
_NO_COUNTED_NOUN = re.compile(r"(?:were|was|are|is|have|has|had|did|do|does|will|would|can|could|got|[a-z]+ed)\b", re.I)

_FREQUENCY = re.compile(r"\b(?:once|twice|three times|\w+ times) (?:a|an|per|each|every) \w+|\b(?:every|each) (?:\w+ )?"
                        r"(?:day|week|fortnight|month|quarter|year)s?\b|\b(?:daily|weekly|fortnightly|monthly|quarterly|"
                        r"annually|yearly|biannually|biennially)\b|\b(?:bi-?)?annual\b", re.I)

_AGE = re.compile(r"\b(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)[- ]years?[- ]old\b|\baged \d{1,3}\b", re.I)
# "pass rates for black officers from 68% to 75%": a rate of something, not a share of people
_RATE_BEFORE = re.compile(r"\brates?\b(?:\s+\S+){0,8}?\s+(?:from|of|to|at|by)?\s*$", re.I)


def asks_share(question: str) -> bool:
    """Does the question ask what share of something is so ("what percentage of Met officers are black?")?"""
    return bool(_SHARE_Q.search(question.lower()))


def gives_share(text: str, question: str) -> bool:
    """Does ``text`` give a percentage or fraction the question does not already give, and not as a rate
    of something (unless a rate is what is asked)?"""
    q_lower = question.lower()
    return any(m.group(0).lower() not in q_lower and ("rate" in q_lower or not _RATE_BEFORE.search(
        text[max(0, m.start() - 60) : m.start()])) for m in _SHARE.finditer(text))


_SHARE_Q = re.compile(r"\bwhat (?:percentage|proportion|share|fraction|per ?cent)\b|\bhow many (?:per ?cent|percent)\b|"
                      r"\bwhat\s?%")
_SHARE = re.compile(r"\d+(?:\.\d+)?\s?(?:%|per ?cent\b)|\b(?:one|two|three|four|five|\d+) in (?:every )?(?:\w+)\b|"
                    r"\b(?:half|a third|two thirds|a quarter|three quarters|a fifth|majority|minority) of\b|"
                    r"\b\w+ times (?:more|less) likely\b", re.I)
_MONEY = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s?(million|billion|bn|m)\b|\bper ?cent\b|\d%", re.I)
# NOTE: a few collective nouns that stand for each other in counts ("26 organisations" / "thirty bodies").
_COUNT_SYNONYMS = [
    {"organis", "organiz", "group", "bodi", "bodie", "charit", "institut", "signatori"},
    {"offic", "constabl", "polic"},
    {"peopl", "person", "individu", "londoner", "resid"},
    {"death", "died", "die", "dead", "fatal"},  # "how many people died" is counted in deaths
]


def stem(word: str) -> str:
    word = word.lower().strip("'’")
    for suffix in ("ations", "ation", "ers", "ies", "es", "s", "er", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _same_noun(a: str, b: str) -> bool:
    sa, sb = stem(a), stem(b)
    if sa[:5] == sb[:5] and min(len(sa), len(sb)) >= 4:
        return True
    return any(any(sa.startswith(x) for x in group) and any(sb.startswith(x) for x in group) for group in _COUNT_SYNONYMS)


_VERB_AFTER_COUNT = re.compile(r"\b(?:has|have|had|was|were|is|are|will|would|said|says)\b")


def counts_of_the_asked(text: str, question: str, numbers: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """Of ``numbers`` in ``text``, those counting what "how many X" asks about (all, without an X)."""
    head = HOW_MANY.search(question)
    if not head:
        return numbers
    head_words = [w for w in re.findall(r"[A-Za-z]+", head.group(1))
                  if w.lower() not in ("more", "additional", "new") and w.lower() not in STOPWORDS]  # not "were" in "were sacked"
    # "how many black Londoners ...?" counts Londoners: "two black athletes" shares only who they are
    head_words = [w for w in head_words if not GROUP.fullmatch(w)] or head_words
    # "how many signed it?", "how many were there?": no counted noun, so a count of people or bodies
    # ("26 racial justice organisations", "Thirty of London's ... bodies") counts too
    people = bool(_NO_COUNTED_NOUN.match(head.group(1)))

    def counts_asked(number: tuple[float, int, int]) -> bool:
        # what the number counts comes before the verb: "26 racial justice organisations has criticised the
        # Met police" counts organisations, not police
        after = _VERB_AFTER_COUNT.split(text[number[2] : number[2] + 110], maxsplit=1)[0]
        # (a name is not what is counted: "Hundreds protested ... after the Child Q incident" counts no children)
        return any(_same_noun(f, h) for f in re.findall(r"[A-Za-z’']+", after)[:10] if not f[0].isupper()
                   for h in head_words) or \
            people and bool(_AGENTS.search(" ".join(after.split()[:10])))
    return [n for n in numbers if counts_asked(n)]


def asked_figures(text: str, question: str) -> set[float]:
    """The figures ``text`` gives for what a count question asks: sums of money for "how much" when
    it gives any, numbers of the thing counted for "how many X"; not figures the question gives."""
    q_lower = question.lower()
    if re.search(r"\bhow much\b", q_lower):
        sums = {_amount(m.group(0)) for m in SUM.finditer(text) if m.group(0).lower() not in q_lower}
        if sums:
            return sums
    return {v for v, _a, _b in counts_of_the_asked(text, question, numbers_not_asked(text, q_lower))}


def numbers_not_asked(text: str, q_lower: str) -> list[tuple[float, int, int]]:
    """The numbers (value, start, end) of ``text`` that the question (lower case) does not itself give."""
    # as a whole number: "23" is not given by "2023"
    return [(v, a, b) for v, a, b in count_numbers(text)
            if not re.search(r"(?<![\w.,])" + re.escape(text[a:b].lower()) + r"(?!\w)", q_lower)]


# "how much ...?" without money: a share or a quantity ("75 per cent", "two tonnes"), not "a two year scheme"
_QUANTITY = re.compile(r"\s?(?:%|per ?cent\b|percent\b|million\b|billion\b|bn\b|thousand\b|pounds\b|tonnes?\b|"
                       r"kilo\w*\b|hours\b|days\b|weeks\b|months\b|years\b)", re.I)
_FIGURE = re.compile(r"\d[\d,.]*\d|\d")
SUM = re.compile(r"[£$€]\s?\d[\d,.]*(?:\s?(?:million|billion|bn|m|k)\b)?", re.I)


def _amount(money: str) -> float:
    """"£366 million" and "£366m" -> 366000000.0."""
    digits = re.search(r"\d[\d,.]*", money).group(0).replace(",", "").rstrip(".")
    scale = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "k": 1e3}
    unit = re.search(r"(million|billion|bn|m|k)\b", money[money.find(digits[0]):], re.I)
    return float(digits) * (scale[unit.group(1).lower()] if unit else 1.0)


# "Who is the head of the Met?", "who leads the Runnymede Trust?": whoever holds its leading post, by
# whatever name the post goes by there (the Met's head is its commissioner)
# (``was``: "who was in charge of ..." too; ``posts``: the posts named as leading one)
HEAD_ASKED = (r"^\W*(?:and\s+|so\s+)?who(?:’s|'s|\s+is{was})?\s+(?:(?:currently|now)\s+)?(?:runs|leads|heads|running|leading|"
              r"heading|in charge (?:of|at)|(?:the\s+)?(?:current\s+)?(?:{posts})\s+(?:of|at))")
HEAD_OF_Q = re.compile(HEAD_ASKED.format(was=r"|\s+was", posts="head|chief|leader|boss") +
                       r"\s+(?:the\s+)?(?P<body>[^?,;]{2,60}?)(?:\s+(?:now|currently|today|these days))?\W*$", re.I)
_NOT_THE_HEAD = re.compile(r"\b(?:former|ex|previous|outgoing|one-time|deputy|vice|assistant)[\s-]*$", re.I)
_LEAD_POST = r"(?:co-)?chief executive|commissioner|director|chair(?:man|woman)?|head|leader|president|general secretary"


def names_head(text: str, question: str) -> bool | None:
    """For a question asking who heads a body: does ``text`` name a person holding its leading post
    ("Commissioner Sir Mark Rowley" for the Met; "Dr Shabna Begum, the interim co-chief executive of the
    Runnymede Trust")? None for other questions. A person beside the body's name in another role
    ("Commissioner Sir Mark Rowley co-ordinated by the Runnymede Trust") does not count."""
    asked = HEAD_OF_Q.match(question)
    if asked is None:
        return None
    body = re.sub(r"^(?:the\s+)", "", asked.group("body").strip(), flags=re.I)
    people = [n for n in novel_names(text, question) if is_person(n)]
    if body.lower() in UBIQUITOUS or body.lower() in ("metropolitan police", "force", "police force"):
        return any(holds_post(text, n, "commissioner") for n in people)
    named = re.escape(body)
    posts = re.compile(r"\b(?:" + _LEAD_POST + r")\s+(?:of|at|for)\s+(?:the\s+)?" + named + r"\b|\b" + named +
                       r"(?:’s|'s)?\s+(?:[\w-]+\s+)?(?:" + _LEAD_POST + r")\b", re.I)
    # "the former chief executive of Operation Black Vote", "Deputy Commissioner": not who heads it now
    spans = [m.span() for m in posts.finditer(text) if not _NOT_THE_HEAD.search(text[max(0, m.start() - 20) : m.start()])]
    if not spans:
        return False
    return any(abs(a - i) <= 40 or abs(b - i) <= 40 for n in people for m in re.finditer(re.escape(n), text)
               for i in (m.start(), m.end()) for a, b in spans if not ANOTHER.search(text[min(a, i) : max(b, i)]))


def slot_match(text: str, question: str, kind: str) -> bool:
    """Does the sentence hold what the question asks for (a count of the right thing, a date, a name)?"""
    q_lower = question.lower()
    if kind == "count":
        if re.search(r"\bhow old\b", q_lower):  # an age, not any number near the person
            return bool(_AGE.search(text))
        if asks_share(q_lower):  # "what share of searches ...?": a percentage or a fraction
            return gives_share(text, q_lower)
        numbers = numbers_not_asked(text, q_lower)
        years = [m.group(0) for m in re.finditer(r"\b(?:19|20)\d{2}\b", q_lower)]
        said = list(re.finditer("|".join(map(re.escape, years)), text)) if years else []
        if said and all(_SINCE_BEFORE.search(text[: m.start()]) for m in said):
            return False  # "how many in 2017-18?": "the 23 deaths are the highest since 2017-18" counts another year
        if re.search(r"\bhow long\b", q_lower):
            # "how long did the review take?": a length of time (or pages), not "26 organisations"; "how
            # long is it, pages wise?": pages, not "two-year"
            pages = "page" in q_lower
            return any(_LENGTH.match(text[b:]) and (not pages or re.match(r"\W{0,2}pages?\b", text[b:], re.I))
                       for _v, _a, b in numbers)
        if re.search(r"\bhow much\b", q_lower) or MONEY_Q.search(q_lower):
            # a sum or figure the question does not already give ("how much of the £366m ...?")
            # "two tonnes" counts; "two-year" (a describing word) does not
            amounts = [n for n in numbers if _QUANTITY.match(text[n[2] :])]
            # (by its figure: "the 366 million" is the "£366 million" a sentence gives)
            asked = set(_FIGURE.findall(q_lower))
            figures = (_FIGURE.search(text, m.start()) for m in _MONEY.finditer(text))
            return any(f is not None and f.group(0) not in asked for f in figures) or bool(amounts)
        return bool(counts_of_the_asked(text, question, numbers))
    if kind == "name":
        return gives_name(text, question)
    if kind == "where":
        # "where is the Runnymede Trust based?": a place (or where someone is from) the question does not name
        return any(not is_person(n) and not is_org(n) and n.lower() not in UBIQUITOUS and not re.search(r"-[a-z]", n) and (
            re.search(r"\b(?:in|into|at|from|across|near|outside|around|throughout|within)\s+(?:the\s+)?" + re.escape(n), text)
            or _DEMONYM.fullmatch(n)) for n in novel_names(text, question))
    if kind == "often":
        return any(m.group(0).lower() not in q_lower for m in _FREQUENCY.finditer(text))
    if kind == "when":
        if DATELINE.match(text):
            return False  # "Published on: 28/04/2022" dates the page (read by answer_about), not what it tells of
        # "the highest since 2017-18" dates a comparison, not the event asked about (unless "since when?")
        since = "since" in q_lower
        return any(m.group(0).lower() not in q_lower and (since or not _SINCE_BEFORE.search(text[: m.start()]))
                   for m in DATE.finditer(text))
    if kind == "who":
        head = names_head(text, question)
        if head is not None:
            return head
        novel = novel_names(text, question)  # "Commissioner Sir Mark Rowley" is not new beside "Sir Mark Rowley"
        described = _WHO_IS_NAME.match(question)
        if described and " ".join(proper_names(described.group("rest"))) == described.group("rest").strip():
            # "who is Dr Shabna Begum?": what she is ("the interim co-chief executive of the Runnymede Trust")
            named = agent_pattern(described.group("rest"))
            return bool(named and named.search(text)) and (bool(ROLE.search(text) or _DESCRIBED_PERSON.search(text))
                                                           or any(is_org(n) and n.lower() not in UBIQUITOUS for n in novel))
        if _WRITTEN_TO_Q.match(q_lower):
            # "who did the groups write to?", "who was it sent to?": the one a writing is addressed to
            return bool(_ADDRESSED.search(text))
        passive = _PASSIVE_WHO.match(q_lower)
        if passive:
            # "who was the plan made with?": the sentence telling it was made with someone ("made with input
            # from black communities"), not anyone who spoke of it
            return bool(re.search(r"\b" + re.escape(passive.group("verb")[:4]) + r"\w*\s+(?:[\w’'-]+\s+){0,3}?" +
                                  passive.group("prep") + r"\b", text, re.I))
        if SERVES_Q.match(q_lower):
            # "who does Action for Race Equality mainly work for?": whom it serves ("Empowering Young People who are
            # Black, Asian and of Mixed Heritage"), not anyone it speaks of
            return bool(SERVES.search(text))
        if INPUT_Q.search(q_lower) and INPUT.search(text):
            return True  # "who did the Met get input from when making the plan?": "made with input from black communities"
        if _WITH_WHOM_Q.match(q_lower) and _COMPANION.search(text):
            return True
        if re.search(r"(?:^|[.?!]\s+)\s*(who|whom|whose)\s+(is|was|are|were)\b", q_lower):
            role = asked_role(q_lower)
            if role is None:
                return any(is_person(n) for n in novel)  # "who is the EQUAL vice chair?": a person
            # "who is the commissioner ...?": a person named as one ("Commissioner Sir Mark Rowley"),
            # not any person beside the word ("charged the Commissioner ... Baroness Casey's Review")
            return any(is_person(n) and holds_post(text, n, role) for n in novel)
        spoke = _SPOKE_Q.match(q_lower)
        if spoke:
            # "who spoke for the Runnymede Trust?": a person quoted speaking, not one who signed; "who at
            # Inquest ...?": someone the sentence places there
            body = [w for w in (spoke.group("body") or "").split()
                    if len(w) >= 3 and w not in TITLES and w not in UBIQUITOUS]
            return (not body or any(re.search(r"\b" + re.escape(w), text, re.I) for w in body)) and any(
                (is_person(n) or is_org(n)) and agent_speaks(text, agent_pattern(n) or re.compile(re.escape(n)))
                for n in novel)
        if _SUCCESSION_Q.match(q_lower):
            # "who replaced Priti Patel as Home Secretary?": a person, not the groups writing to her
            return any(is_person(n) for n in novel)
        if _CHAIRS_Q.match(q_lower):
            # "who chairs EQUAL?": its chair, not its vice chair
            return any(is_person(n) and holds_post(text, n, "chair") and not re.search(
                r"\b(?:vice|deputy|former|ex)[\s-]+chair", text, re.I) for n in novel)
        body = _BODY_Q.search(q_lower)
        if body:
            # "response to which commission?": a body named as one ("the Commission on Race and Ethnic Disparities")
            noun = body.group(1)
            if noun in ("watchdog", "regulator"):
                # "which watchdog ...?": one named as a body that oversees, or the one the report calls "the watchdog"
                return any(re.search(r"\b" + _OVERSIGHT + r"\b", n, re.I) for n in novel) or bool(
                    re.search(r"\bthe\s+" + noun + r"\b", text, re.I))
            return any(re.search(r"\b" + noun + r"\b", n, re.I) for n in novel) or bool(
                re.search(r"\b" + noun + r"\s+(?:on|for|of|into)\s+(?:the\s+)?[A-Z]", text, re.I))
        if PRESS_Q.search(q_lower):
            # "which newspaper reported it?": a title written "The Guardian" mid-sentence, or told or reported to
            return any(re.search(r"(?:\S\s+The|\b(?:told|reported|reports|according to))\s+" + re.escape(n) + r"\b", text)
                       for n in novel)
        if _WHICH_BODY.search(q_lower):
            # "which watchdog warned ...?": a body named ("the Independent Office for Police Conduct"), not
            # the people its report names ("the watchdog said, and include Chris Kaba")
            return any(n.lower() not in UBIQUITOUS and not is_person(n) and (is_org(n) or re.search(
                re.escape(n) + r"\s+(?:spokes\w+|(?:vice\s+)?chair\w*|director|chief|head|lawyer|campaigner)", text))
                for n in novel)  # or a body by its post-holder ("Inquest spokeswoman"); not "London’s"
        which = _WHICH_PERSON.search(q_lower)
        if which:
            # "which candidate did they recommend?": someone named, as a candidate (not the Home Secretary)
            noun = which.group(1)
            return any(is_person(n) for n in novel) and (
                noun in ("person", "individual") or bool(re.search(r"\b" + noun, text, re.I)))
        if re.match(r"\s*(who|whom|whose)\b", q_lower):
            # "who gave input?": a person, or people described ("black communities", "two constables");
            # "who wrote to Priti Patel?": an organisation too
            return any(is_person(n) or is_org(n) and n.lower() not in UBIQUITOUS for n in novel) or \
                bool(_AGENTS.search(text)) and (_says_what_was_done(text, question) or bool(_BY_AGENTS.search(text)))
        return bool(novel)
    if kind == "list":
        # "a new charter, an overhaul of its policy and measures to help victims": A, B and C
        return len(proper_names(text)) >= 2 or text.count(",") >= 2 or bool(_ENUMERATION.search(text))
    return False


def slot_values(text: str, question: str) -> set[str]:
    """The names, dates and figures ``text`` gives that the question does not (what a typed question asks)."""
    values = {n.lower() for n in novel_names(text, question)}
    values |= {m.group(0).lower() for m in DATE.finditer(text)}
    values |= {text[a:b].lower() for _v, a, b in count_numbers(text)}
    return {v for v in values if v not in question.lower()}


def _says_what_was_done(text: str, question: str) -> bool:
    """Does the sentence use the question's own action words ("who gave input" / "with input from")?"""
    rest = re.sub(r"^\W*(who|whom|whose)\b", "", question, flags=re.I)
    action = [w for w in re.findall(r"\b[a-z][\w’'-]+", rest)][:3]  # lower case: not part of a name
    words = [w[:4] for w in content_words(" ".join(action)) if len(w) >= 4]
    lowered = text.lower()
    return any(re.search(r"\b" + re.escape(w), lowered) for w in words)
