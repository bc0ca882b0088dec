"""The extractive answerer: verbatim sentences from the retrieved passages, each cited.

No LLM: sentences are scored by what they say about the question (their precomputed vectors
against the query, the share of the question's rare words they contain, the answer type the
question asks for), the best are kept, sources that say the same are cited together, and
sources that give different figures are shown side by side. When nothing scores high enough
the answer says the documents do not cover the question.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from citebot.settings import Settings
from retrieval.about import answer_about
from retrieval.clean import CONTACT_LINE, POSTCODE
from retrieval.search import LoadedIndex
from retrieval.textutil import (
    ANAPHOR_START, STOPWORDS, content_words, count_numbers, is_org, is_person, leans_on_previous, looks_like_injection,
    proper_names, quote_balance, remembered,
)
from retrieval.types import Answer, Citation, Hit

ABSTAIN_TEXT = "The documents do not answer this question."
HEDGE_TEXT = "The documents may not answer this exactly; the closest they come:"

# "what is the budget ...?", "what was the reported cost ...?": a sum asked for as "how much" is
_MONEY_Q = re.compile(r"\bwhat(?:'s|’s|\s+(?:is|was|are|were|will\s+be))\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?"
                      r"(?:budget|cost|costs|price|salary|pay|funding|spend|spending|bill|value)\b|"
                      r"\bwhat (?:salary|budget|price|sum|amount of money)\b|"
                      # "what does the plan cost?", "what's the plan costing?"
                      r"\bwhat\s+(?:does|did|will|would|do)\s+[^?]{2,60}?\s+cost\b|\bwhat(?:'s|’s|\s+is|\s+are)\s+[^?]{2,60}?\s+costing\b", re.I)
# "I've seen a different number quoted in another article": a count, the one another source gives
OTHER_FIGURE = re.compile(r"\b(?:different|another|other|second|alternative)\s+(?:number|figure|count|total|tally)\b", re.I)
_COUNT_Q = re.compile(r"\bhow (many|much|old|long|big|large)\b|\bwhat (number|percentage|proportion|share)\b|"
                      + OTHER_FIGURE.pattern + "|"
                      r"(?<!rise in the )(?<!fall in the )(?<!increase in the )(?<!drop in the )\bnumber of\b|"
                      + _MONEY_Q.pattern, re.I)
_YEAR_Q = re.compile(r"\b(?:what|which|since what|since which|in what|in which) (?:exact |precise |specific |actual )?"
                     r"(?:year|date|month|day)\b", re.I)
_WHEN_Q = re.compile(r"^\W*(?:and |but |so |since |until )?when\b|^[^?]*\bwhen\W*$|\bwhen (?:did|was|were|is|are|will|does|do|has|have|had)\b|\bwhat (year|date|month|day)\b|\bwhich (year|date|month)\b", re.I)
# "which candidate ...?": a person asked for by what they are
_PERSON_ASKED = r"candidate|person|individual|teacher|mp|politician|judge|home secretary|secretary|minister|commissioner|mayor"
_WHO_Q = re.compile(r"^\W*(?:and |but |so )?(?:who|whom|whose)\b|\bwhich (?:[\w-]+ )?(group|organisation|organization|people|body|bodies|charity|campaign|newspaper|paper|publication|outlet|commission|committee|watchdog|foundation|agency|"
                    + _PERSON_ASKED + r")\b", re.I)
_SPOKE_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:(?:at|from|for|of)\s+(?:the\s+)?(?P<body>(?:[\w’'-]+\s+){1,4}?))?"
                      r"(?:spoke|speaks|commented|comments|was quoted|is quoted|got quoted|"
                      r"responded|replied|said that|gave the quote)\b")
_SUCCESSION_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:replaced|succeeded|took over|has replaced|will replace|"
                           r"became|was appointed|was named|was elected|was hired|was chosen|was selected|got the job)\b")
_CHAIRS_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:chairs|chaired|is chairing|was chairing)\b")
_SOURCE_CLAUSE = re.compile(r"^\W*(?:according to|in|from)\s+(?:the|a|an|their|its|his|her)\s[^,?]{3,90},\s*|"
                            r",?\s+according to\s[^,?]{3,90}(?=\?|$)", re.I)
_BODY_Q = re.compile(r"\bwhich (?:[\w-]+ )?(commission|committee|foundation|agency|inquiry|tribunal|court|council)\b")
# "who was it drawn up with?", "who were the officers sacked by?": the agents of a passive act
_PASSIVE_WHO = re.compile(r"^\W*(?:and\s+|so\s+)?(?:who|whom)\s+(?:was|were|is|are|has been|have been|had been)\s+.+?\s+"
                          r"(?P<verb>[a-z]+(?:ed|en|de|wn|ne|lt|nt)|made|drawn up|set up|put together)\s+(?P<prep>with|by)\W*$")
_WHICH_BODY = re.compile(r"\b(?:which|what) (?:[\w-]+ )?(?:group|organi[sz]ation|charity|watchdog|regulator|inspectorate|"
                         r"campaign group|think tank|body)\b")
_PRESS_Q = re.compile(r"\bwhich (?:[\w-]+ )?(?:newspaper|paper|publication|outlet)\b")
# "Where did it happen?", "which part of London ...?": a place; not "where should the money go?"
_WHERE_Q = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?(?:where(?:'s|’s)?\b(?![^?]*\b(?:money|funds?|funding|cash|resources|"
                      r"budget|stand|go from here|next)\b)|(?:in\s+)?(?:which|what)\s+(?:part of london|boroughs?|city|cities|towns?|"
                      r"country|countries|areas?|districts?|county)\b)", re.I)
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ese|ish|ian|can|ch|i)")  # "Portuguese sprinter": where he is from
_WHICH_PERSON = re.compile(r"\b(?:which|what) (" + _PERSON_ASKED + r")\b")
_LIST_Q = re.compile(
    r"\b(which|what) (?!does\b|was\b|has\b|is\b|this\b|its\b|his\b|us\b)[a-z]{3,}s\b(?! \w+ (worth|cost))|"
    r"\b(which|what) (?:(?!does|did|do|was|were|is|are|has|have|had|will|would|can|could|should|the|this|its|his|her)[a-z]+ )?"
    r"(groups|organisations|organizations|people|individuals|bodies|measures|changes|practices|powers|areas|"
    r"incidents|demands|criticisms|concerns|tactics|technologies|issues|examples|steps|deaths|names)\b|"
    r"\bwho (signed|were|are)\b|\blist\b|\bname (the|all|some)\b|\bwhat (are|were) the\b|\bwhat did .* (call|demand|urge|ask)",
    re.I,
)
_ENUMERATION = re.compile(r"\w,\s+[^,.;:]+?\s(?:and|or)\s+\w")
_DATE = re.compile(
    r"\b(19|20)\d{2}\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)


@dataclass
class Candidate:
    """A sentence that might answer the question."""

    row: int
    doc_id: str
    start: int
    end: int
    text: str
    passage_id: str
    rank: int
    dense: float = 0.0
    coverage: float = 0.0
    prev_dense: float = 0.0
    prev_coverage: float = 0.0
    passage_dense: float = 0.0
    restates: bool = False  # a document's first sentence, when the question names the document: no answer to it
    score: float = 0.0
    vector: np.ndarray | None = field(default=None, repr=False)
    features: np.ndarray | None = field(default=None, repr=False)


_TYPED = ("count", "when", "who", "name", "where")
ABSTAIN_FEATURES = (
    "bias", "best_score", "best_dense", "unknown_words", "typed", "slot_best", "unknown_name", "name_missing",
)
# NOTE: fitted by `python -m eval.fit_answerer` (logistic regression: is the question answerable?)
# on eval/gold.jsonl; the decision threshold is Settings.abstain_threshold.
ABSTAIN_WEIGHTS = np.array([-1.916, 3.914, -0.551, -0.770, -4.363, 3.955, -3.369, -0.957], dtype=np.float32)

# "What was the name of the woman...", "What is Baroness Casey's first name?", "who is the other ...":
# the answer must hold a name the question does not already give.
_ASKS_NAME = re.compile(r"\b(?:first |full |last |sur)?names? (?:of|did|was|is|were)\b|\b(?:first|full|last|sur)\s?name\b|"
                        r"\bwhat (?:is|was|were|are) (?:the |his |her |their |its )?names?\b|\bwho is the other\b|"
                        r"\w(?:['’]s|s['’])\s+names?\b", re.I)  # "the officers' names"
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_TITLES = frozenset("dr sir dame lord lady baroness baron mr mrs ms prof commissioner chief the of and for".split())


@dataclass
class Judgement:
    """Why the answerer answered or abstained (for calibration and evaluation)."""

    features: np.ndarray
    answerable: float  # probability that the documents answer the question


def novel_names(text: str, question: str) -> list[str]:
    """Names in ``text`` none of whose words the question already uses."""
    q_words = {_possessive(w.lower()) for w in re.findall(r"[\w’']+", question)}
    out = []
    for name in proper_names(text):
        words = [_possessive(w.lower()) for w in name.split() if w.lower() not in _TITLES]
        if _DATE.fullmatch(name) or name.lower() in _WEEKDAYS:
            continue  # "October" is a date, not a name
        if words and not all(w in q_words for w in words) and name.lower() not in question.lower():
            out.append(name)
    return out


@functools.lru_cache(maxsize=8192)
def _possessive(word: str) -> str:
    return re.sub(r"['’]s$|['’]$", "", word)


_NAMED_THING = re.compile(r"\bname of (?:the |a |an |his |her |their |its )?(?:[\w’'-]+\s+){0,3}?"
                          r"(school|plan|report|review|hospital|station|street|road|estate|policy|operation|scheme|"
                          r"programme|unit|team|charter)\b", re.I)
_PEOPLE_NOUN = (r"(woman|women|man|men|girl|boy|officer|mother|father|son|daughter|person|people|constable|chief|"
                r"executive|head|leader|spokes\w+|commissioner|victim|suspect|teacher|pupil|student|nurse|doctor|"
                r"lawyer|journalist|reporter|candidate|minister|secretary|director|founder|campaigner|activist|"
                r"teenager|worker|witness|judge|coroner)")
_NAMED_PERSON = re.compile(r"\b(?:names?|who is the other)\b.*?\b" + _PEOPLE_NOUN + r"s?\b|"
                           r"\b" + _PEOPLE_NOUN + r"s?['’]?s?\s+(?:full\s+|first\s+|sur)?names?\b", re.I)
_PART_OF_NAME = re.compile(r"\b(?:first|last|full|sur|given|maiden)\s?name\b", re.I)


def _gives_name(text: str, question: str) -> bool:
    """Does ``text`` hold the kind of name a "what is the name of ..." question asks for?"""
    thing = _NAMED_THING.search(question)
    if thing:
        return any(thing.group(1).lower() in n.lower() for n in novel_names(text, question))
    if _PART_OF_NAME.search(question):
        # "Baroness Casey's first name": a fuller form of a name the question gives.
        q_words = set(re.findall(r"\w+", question.lower()))
        return any(
            len(words) >= 2 and q_words & set(words)
            for words in ([w.lower() for w in n.split() if w.lower() not in _TITLES] for n in proper_names(text))
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
            if other and any(_possessive(w.lower()) in q_words for w in name.split() if w.lower() not in _TITLES):
                continue  # "the other co-chief executive, not Begum": Shabna Begum is the one known
            n = re.escape(name)
            held = re.search(rf"\b{head}\w*,?\s+(?:(?!and\b|or\b)\w+\s+)?{n}|{n},?\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){{0,3}}[\w-]*{head}",
                             text, re.I)
            near = text[max(0, held.start() - 60) : held.end() + 60] if held else ""
            if held and (body is None or body.group(1).strip() in near):
                return True
        return False
    return bool(novel_names(text, question))


def judge(cands: list["Candidate"], unknown: float, kind: str = "other", unknown_name: bool = False,
          question: str = "") -> Judgement:
    """How likely the best candidates answer the question at all."""
    typed = 1.0 if kind in _TYPED else 0.0
    asks_name = bool(_ASKS_NAME.search(question))
    if not cands:
        features = np.array([1.0, 0.0, 0.0, unknown, typed, 0.0, float(unknown_name), float(asks_name)],
                            dtype=np.float32)
    else:
        top = max(cands, key=lambda c: c.score)
        leaders = sorted(cands, key=lambda c: -c.score)[:3]
        slot = max((c.score for c in leaders if c.features is not None and c.features[6] > 0), default=0.0)
        missing = asks_name and not any(_gives_name(c.text, question) for c in sorted(cands, key=lambda c: -c.score)[:2])
        features = np.array(
            [1.0, top.score, max(c.dense for c in cands), unknown, typed, slot * typed, float(unknown_name),
             float(missing)],
            dtype=np.float32,
        )
    return Judgement(features, float(1.0 / (1.0 + np.exp(-(features @ ABSTAIN_WEIGHTS)))))


# "How did Priti Patel respond to ...", "What did the Runnymede Trust say ...": a named agent's act.
_AGENT_Q = re.compile(
    r"\b(?i:did|does|do|has|have|will|would)\s+(?P<agent>(?:the\s+|an?\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|of|for|and))*?"
    r"(?P<role>\s+(?:spokes(?:person|woman|man)|chair\w*|chief|director|commissioner|secretary|minister|officer|"
    r"leader|head|lawyer|campaigner)s?)?)"
    r"(?:’s|'s)?\s+(?:(?:ever|actually|publicly|formally|officially|already|later|then|personally|directly|"
    r"specifically|really|first|initially)\s+)?(?P<verb>say|respond|react|reply|describe|think|call|propose|promise|announce|claim|tell|warn|express|voice|write|"
    r"admit|accept|reject|deny|recommend|conclude|argue|urge|demand|agree|refuse|apologi[sz]e|commit|justify|explain|"
    r"defend)\b"
)
# "Why did the commissioner say ...?": an agent named only by the post.
_POST_AGENT_Q = re.compile(
    r"\b(?i:did|does|do|has|have|will|would)\s+(?i:the|an?)\s+(?P<role>(?i:spokes(?:person|woman|man)|chair\w*|"
    r"commissioner|home secretary|secretary|minister|watchdog|regulator|inspectorate))(?:’s|'s)?\s+(?:(?:ever|actually|publicly|formally|officially|"
    r"already|later|then)\s+)?(?P<verb>" + _AGENT_Q.pattern.rsplit("(?P<verb>", 1)[1]
)
# "What did the woman from Runnymede say ...?": someone named only by the body they speak for.
_MEMBER_AGENT_Q = re.compile(
    r"\b(?i:did|does|do|has|have|will|would)\s+(?i:the|an?)\s+(?P<member>(?i:woman|man|person|lady|guy|bloke|someone|"
    r"spokes(?:person|woman|man)|rep|representative|boss|head|chief))\s+(?i:from|at|of)\s+"
    r"(?P<agent>(?i:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)(?:’s|'s)?\s+(?:(?:ever|actually|publicly|formally|"
    r"officially|already|later|then)\s+)?(?P<verb>" + _AGENT_Q.pattern.rsplit("(?P<verb>", 1)[1]
)
# "What did the mayor say ...?": a speaker typed in lower case, by a common noun (not a name)
_COMMON_AGENT_Q = re.compile(
    r"\b(?i:did|does|do|has|have|will|would)\s+(?:(?:the|an?|any|some)\s+)?(?P<agent>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)"
    r"(?:’s|'s)?\s+(?:(?:ever|actually|publicly|formally|officially|already|later|then)\s+)?(?P<verb>"
    + _AGENT_Q.pattern.rsplit("(?P<verb>", 1)[1]
)
# "who did the Casey review?", "who made the super-complaint?": the maker of a work, which a possessive
# gives ("Baroness Casey’s Review", "the CJA’s ongoing super-complaint")
_MAKER_Q = re.compile(
    r"^\W*(?:and\s+|so\s+)?who\s+(?:(?:has|have|had)\s+)?(?:wrote|written|writes|did|does|led|leads|carried out|"
    r"conducted|authored|produced|made|makes|brought|filed|lodged|launched|published|commissioned|ran|headed|"
    r"was behind|is behind)\s+(?:the|that|this)\s+(?P<work>(?:[\w’'-]+\s+){0,4}?(?P<noun>review|report|inquiry|"
    r"super-?complaint|complaint|study|investigation|petition|audit))\W*$", re.I)
# "who died?", "who was shot?": the one the act befell, whom a sentence names other than as its speaker
_BEFELL_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:died|dies|(?:was|were|got|has been|have been)\s+"
                       r"(?!quoted|cited|named|interviewed|asked|told|invited|appointed|elected|chosen)(?:[a-z]+ed|shot|"
                       r"killed|hurt|held|caught|struck|beaten|taken)\b)", re.I)
_SPEECH_AFTER = re.compile(r"^(?:,[^,]{0,60},)?\s+(?:said|says|told|added|stated|wrote)\b")


def _names_one_befallen(text: str) -> bool:
    """Does the sentence name a person other than as the one who speaks in it ("Lucy McKay said")?"""
    return any(is_person(m.group(0)) and not _SPEECH_AFTER.match(text[m.end():])
               for m in re.finditer(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)+", text))


_COMPLAINED_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:has\s+|had\s+)?(?:complained|(?:made|filed|lodged|brought)\s+"
                           r"(?:a|the)\s+(?:super-?)?complaint)\b", re.I)
# "What's Rowley's salary?": a thing of someone's that no document mentions (unless it is a way of
# asking what they said or do: their view, role, response)
_POSSESSED_Q = re.compile(r"\bwhat(?:’s|'s|\s+(?:is|was|are|were))\s+(?:the\s+)?[\w-]+(?:’s|'s|s’|s')\s+(?:[a-z][\w-]+\s+)?"
                          r"(?P<thing>[a-z][\w-]{2,})\W*$|\bwhat(?:’s|'s|\s+(?:is|was))\s+the\s+(?P<of>[a-z][\w-]{2,})\s+of\s+",
                          re.I)
_SAYING_WORDS = frozenset("view views stance position take opinion opinions response reaction reply answer role job title "
                          "name problem problems issue issues excuse reason reasons argument arguments point points "
                          "message line verdict conclusion conclusions finding findings aim aims goal goals plan plans "
                          "promise promises pledge target targets criticism complaint concern concerns "
                          # figures the documents give without the word ("£366 million", "15-year-old")
                          "cost costs price worth value spend spending age size length duration".split())
# "did the boss accept it?": slang for someone the documents name otherwise (the Commissioner)
_INFORMAL_AGENTS = frozenset("boss bosses gaffer guv guvnor cop cops copper coppers guy guys bloke blokes lady fella folks".split())
# "did Inquest spokeswoman Lucy McKay say ...?": the person ("Lucy McKay"), named after her body and post
_ROLE_BEFORE_NAME = re.compile(r"\b(?:[A-Z][\w’'.-]*\s+){1,4}(?:spokes(?:woman|man|person)|chair(?:wo)?(?:man)?|vice chair|"
                               r"chief executive|co-chief executive|director|campaigner|lawyer|head)\s+(?=[A-Z][\w’'.-]*\s+[A-Z])")
_DOCUMENT_NOUN = re.compile(r"\b(plan|report|review|letter|strategy|document|article|charter|statement|study)s?\W*$", re.I)
_RESPONSE_VERBS = frozenset({"respond", "react", "reply", "recommend", "conclude", "agree", "refuse", "write"})
_SPEAKS = re.compile(
    r"\b(said|says|responded|responds|replied|told|wrote|welcomed|rejected|accepted|acknowledged|dismissed|"
    r"defended|added|stated|insisted|argued|recommended|concluded|found|announced|promised|called|response|"
    r"saying|quoted|written|expressed|criticised|criticized|stating|hit out|according to)\b",
    re.I,
)

# "According to Sir Mark Rowley, what ...?", "Sir Mark Rowley says what ...?": a person as the source
_NAME_WORDS = r"(?P<agent>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
_ACCORDING_Q = re.compile(r"(?i:\baccording to)\s+" + _NAME_WORDS + r"(?:’s|'s)?\s*,(?P<verb>)")
_SAYS_WHAT_Q = re.compile(r"^\W*" + _NAME_WORDS + r"\s+(?P<verb>says|said)\s+(?:what|that)\b")


def _source_person(question: str) -> re.Match | None:
    """The person a question names as the source of what it asks (groups ``agent`` and ``verb``), or None
    (not for a body or a document: "according to the Guardian, ..." says where to look)."""
    m = _ACCORDING_Q.search(question) or _SAYS_WHAT_Q.search(question)
    return m if m and is_person(m.group("agent")) else None


def _agent_pattern(agent: str) -> re.Pattern | None:
    """A pattern for the words that name ``agent`` ("Baroness Casey" -> "Casey"), or None."""
    words = [w for w in re.findall(r"[\w’'-]+", agent) if w.lower() not in _TITLES and len(w) >= 3]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b") if words else None


def _asked_agent(question: str, cands: list["Candidate"] = ()) -> tuple[re.Pattern, str] | None:
    """For "how did Priti Patel respond ...": a pattern naming the agent, and the verb asked about.
    None when no named agent is asked about, or the agent is a document ("what does the plan say").
    The candidates' fuller names for the agent count too: "Sir Mark" is "Rowley"."""
    question = _ROLE_BEFORE_NAME.sub("", question)
    m = _MEMBER_AGENT_Q.search(question) or _AGENT_Q.search(question) or _POST_AGENT_Q.search(question)
    if not m:
        m = _source_person(question)
    if not m or "agent" in m.groupdict() and _DOCUMENT_NOUN.search(m.group("agent")):
        return None
    if m.groupdict().get("role"):
        # "a Met spokesperson", "the commissioner": named by the post (not by "Met"), or by the name
        # of whoever the candidates give that post ("Commissioner Sir Mark Rowley" -> "Sir Mark")
        # "a Met spokesperson" is not "Inquest spokeswoman Lucy McKay": the qualifier comes with the post
        post = m.group("role").split()[-1][:6]
        agent = m.groupdict().get("agent") or ""
        qualifier = [w for w in re.findall(r"[\w’'-]+", agent[: len(agent) - len(m.group("role"))])
                     if w.lower() not in ("the", "a", "an")]
        said = (r"\b" + r"\W+".join(map(re.escape, qualifier)) + r"\W+(?:[\w’'-]+\W+){0,2}?" if qualifier else r"\b") + \
            re.escape(post) + r"\w*"
        if post in ("spokes", "repres") and qualifier and " ".join(qualifier).lower() not in _UBIQUITOUS:
            # "the EQUAL spokesman": whoever speaks for EQUAL ("Jeremy Crook, Vice Chair of EQUAL said")
            said += r"|\b" + r"\W+".join(map(re.escape, qualifier)) + r"\b"
        holders = {n for c in cands for n in proper_names(c.text)
                   if is_person(n) and _holds_post(c.text, n, post) and re.search(said, c.text, re.I)}
        words = [w for n in sorted(holders) for w in re.findall(r"[\w’'-]+", n) if w.lower() not in _TITLES and len(w) >= 3]
        return re.compile(r"(?:" + "|".join([said, *(r"\b" + re.escape(w) + r"\b" for w in dict.fromkeys(words))]) + r")",
                          re.I), m.group("verb").lower()
    named = _agent_pattern(m.group("agent"))
    if named is None:
        return None
    # "Baroness Casey’s Review" gives "Baroness Casey", not "Review"
    fuller = {re.split(r"[’']s\b", n)[0] for c in cands for n in proper_names(c.text) if named.search(n) and is_person(n)}
    if fuller:
        named = _agent_pattern(" ".join([m.group("agent"), *sorted(fuller)])) or named
    return named, m.group("verb").lower()


# "the 2022 letter", "the July 2023 piece": a document named by the year it is dated
_DATED_DOCUMENT = re.compile(r"\b(?:the|a|an|this|that)\s+(?:[A-Z][a-z]+\s+)?((?:19|20)\d{2})\s+(?:open\s+)?"
                             r"(letter|article|piece|story|report|coverage)\b", re.I)


def dated_documents(question: str, index: LoadedIndex) -> set[str]:
    """The documents "the 2022 letter" or "the July 2023 piece" in ``question`` names: those dated that
    year, letters for a letter and other kinds for a piece, article or report (empty when none is named)."""
    dated = _DATED_DOCUMENT.search(question)
    if dated is None:
        return set()
    year, letter = dated.group(1), dated.group(2).lower() == "letter"
    documents = index.documents
    return {d for d in documents if (documents.meta(d).date or "").startswith(year)
            and ("letter" in (documents.meta(d).kind or "").lower()) == letter}


# Capitalised names ("the Runnymede Trust"), set aside when reading what an actor is asked to have done
_NAMES_IN = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of|for|and|the)?\s*[A-Z][\w’'-]*)*")
# "Is it true that ...?", "Did X really ...?": a claim to check
_CLAIM_Q = re.compile(r"^\W*(?:so\s+|and\s+|but\s+)?(?:(?P<lead>(?:is|was)\s+it\s+(?:really\s+)?(?:true|correct|right|accurate|"
                      r"the case)(?:\s+that)?)|(?:did|does|do|has|have|had|is|was|were)\s+[^?]{2,80}?\s+(?:really|actually)\b|"
                      r"(?:did|does|do|has|have|had|is|was|were)\b(?=[^?]*\s[‘'“\"][^’'”\"]{3,60}[’'”\"]))", re.I)
# (the chat cleaner drops "really": a yes-or-no question quoting words is a claim to check too)
# "Has the IOPC opened ...?", "Did Priti Patel reply ...?": a yes-or-no question about what a named actor did
_YES_NO_ACTOR = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?(?i:has|have|had|did|does|do|is|was|were|will|would)\s+"
                           r"(?P<actor>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|of|for))*)\s+(?:ever\s+|already\s+)?[a-z]")
_ADDRESSEE = re.compile(r"(?<!according )\b(?:to|addressed to|written to)\s+(?:[\w’'.-]+[\s,]+){0,5}$", re.I)
# "What was the outcome of the super-complaint?", "What did the investigation conclude?": a result.
_OUTCOME_Q = re.compile(r"\bwhat (?:was|were|is|are) the (?:outcome|result|verdict|findings?|conclusions?|ruling|decision)s?\b|"
                        r"\bwhat (?:came|has come|became) of\b|"
                        r"\bwhat (?:happened|has happened|happens|will happen) to (?:the |those |these |any |both )?"
                        r"(?:two |\w+ )?(?:officers?|constables?|policem[ae]n|police officers?)\b|"
                        r"\bwhat did .{3,120}? (?:conclude|find|decide|rule)\b", re.I)
_RESULT = re.compile(r"\b(?:found|finds|concluded|concludes|conclusions?|findings?|ruled|decided|decision|outcome|"
                     r"results?|resulted|verdict|upheld|rejected|cleared|dismissed|sacked|guilty|convicted|acquitted|"
                     r"amounted|ordered|fined)\b", re.I)


_GROUP = re.compile(r"\b(black|asian|white|mixed heritage|muslim|jewish|sikh|hindu|irish|traveller|gypsy|roma|disabled|"
                    r"gay|lesbian|lgbt\w*|trans)\b", re.I)


def _about_another_group(cands: list["Candidate"], question: str) -> bool:
    """"What change in pass rates for Asian officers ...?": the best sentence speaks of another group
    ("pass rates for black officers") and not of the one asked about; the documents do not say."""
    # "Alongside the rise for black officers, what pass rate did white officers achieve?": the group the
    # question asks about, not the one its opening clause recalls
    main = re.search(r",\s*(?:and\s+)?(?:what|which|how|who|when|where)\b", question)
    asked = {g.lower() for g in _GROUP.findall(question[main.start() :] if main else question)}
    if not asked or not cands:
        return False
    groups = {g.lower() for g in _GROUP.findall(max(cands, key=lambda c: c.score).text)}
    return bool(groups) and not groups & asked


def _no_outcome(cands: list["Candidate"], question: str) -> bool:
    """A question asking for an outcome whose best sentences report none (only that something is
    "ongoing" or was "highlighted"): the documents do not give it."""
    if not cands or not _OUTCOME_Q.search(question):
        return False
    return not any(_RESULT.search(c.text) for c in sorted(cands, key=lambda c: -c.score)[:2])


# "who runs Operation Black Vote now?": the one in the post today, whom "the former chief executive" is not
_CURRENT_HEAD_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who(?:’s|'s|\s+is)?\s+(?:(?:currently|now)\s+)?(?:runs|leads|heads|running|leading|"
                             r"heading|in charge of|(?:the\s+)?(?:current\s+)?(?:head|chief|leader|director|boss|chief executive|"
                             r"chair)\s+(?:of|at))\b", re.I)
_FORMER = re.compile(r"\b(?:former|ex-|previous|outgoing|one-time)\s*(?:[\w-]+\s+){0,2}?(?:chief executive|chief|head|leader|"
                     r"director|chair(?:man|woman)?|boss|commissioner|secretary|president)\b", re.I)


def _only_former_holders(cands: list["Candidate"], question: str) -> bool:
    """"Who runs Operation Black Vote now?" when the best sentences name only a former chief executive:
    the documents do not say who runs it."""
    if not cands or not _CURRENT_HEAD_Q.search(question):
        return False
    best = max(cands, key=lambda c: c.score).text
    return bool(_FORMER.search(best)) and not _ROLE.search(_FORMER.sub(" ", best))


def _no_detail(cands: list["Candidate"], question: str) -> bool:
    """A question asking for a phone number, an email address or a website whose best sentences give
    none (a press contact's name only): the documents do not give it."""
    if not cands or not _DETAIL_Q.search(question):
        return False
    line = _detail_line(question)
    return not any(line.search(c.text) for c in sorted(cands, key=lambda c: -c.score)[:3])


# "Has the officer ... been charged?", "Were any officers sacked or disciplined over ...?", "... - was it
# upheld?": whether something was done. The participles say what; a relative clause's verb ("who shot",
# "who stopped them") says who, not what is asked.
_EVENT_Q = re.compile(r"(?:^|[?;:,]\s*|\s[-–—]\s*)(?:and\s+|but\s+|so\s+)?(?:has|have|had|was|were|is|are|"
                      r"(?:did|do|does)\s+(?:[\w’'-]+\s+){1,7}?(?:ever\s+)?(?:get|got))\s+(?P<rest>[^?]*)",
                      re.I)
# Only acts with consequences: "were any individuals named ...?" asks who, not whether an act happened.
_PARTICIPLE = re.compile(r"(?<!\bwho )(?<!\bthat )(?<!\bwhich )\b(?:charged|prosecuted|convicted|acquitted|cleared|"
                         r"sacked|dismissed|fired|disciplined|suspended|sanctioned|reinstated|arrested|jailed|fined|"
                         r"investigated|upheld|overturned|rejected|accepted|withdrawn|apologi[sz]ed|compensated|paid|"
                         r"published|launched|implemented|adopted|approved|scrapped|banned|appointed|elected|resigned|"
                         r"signed|criticised|criticized|condemned|punished|removed)\b")


# What a question's word for the thing asked is also called: "which familiar justification ...?" is an "excuse"
_FOCUS_KIN = {"justification": ("excuse", "narrative"), "explanation": ("excuse", "narrative"),
              "line": ("excuse", "narrative"), "defence": ("excuse", "narrative"), "excuse": ("narrative",)}
# "What excuse did he ...?", "what kind of leadership ...?", "who's the press contact ...?": the thing asked for.
_FOCUS_Q = (
    re.compile(r"\b(?:what|which)\s+(?:kinds?|sorts?|types?|forms?)\s+of\s+([a-z]{4,})\b", re.I),
    re.compile(r"\b(?:what|which)\s+([a-z]{4,})\s+(?:did|does|do|was|is|were|are|has|have|had|will|would|should|could|"
               r"must|can)\b", re.I),
    re.compile(r"\bwho(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?(?:[a-z]+\s+)?([a-z]{4,})\s+(?:on|for|of|at|in|to|behind)\b",
               re.I),
    # "which commonly offered explanation for police misconduct ...?"
    re.compile(r"\b(?:what|which)\s+(?:[a-z]+\s+){1,2}?(" + "|".join(_FOCUS_KIN) + r")\b", re.I),
)
# "What two-word phrase did they use for the plan?": words quoted (of that many words, if said)
_PHRASE_Q = re.compile(r"\b(?:what|which)\s+(?:(?P<n>one|single|two|three|four|five|[1-5])[- ]word\s+)?"
                       r"(?:phrase|words?|term|expression|label|slogan)\b(?!\s+(?:of|for)\s+(?:the\s+)?(?:letter|report|plan))",
                       re.I)
_QUOTED_SPAN = re.compile(r"[‘“\"]([^’”\"]{2,80})[’”\"]|(?<!\w)'([^']{2,80})'(?!\w)")
_NUMBER_WORDS = {"one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def _quotes_phrase(text: str, words: int) -> bool:
    """Does ``text`` quote a phrase of ``words`` words?"""
    spans = [(m.group(1) or m.group(2)).strip(" .,…") for m in _QUOTED_SPAN.finditer(text)]
    return any(len(re.findall(r"[\w’'-]+", span)) == words for span in spans)


# A finite verb, for telling a sentence from a fragment ("Increasing the presence ... as ‘not the solution’")
_FINITE = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|should|must|may|might|do|does|did|"
                     r"said|says|\w{3,}ed)\b", re.I)
_GERUND_START = re.compile(r"^[A-Z][a-z]{2,}ing\b")


def _fragment(text: str) -> bool:
    """A sentence opening with a gerund that has no finite verb outside its quotations: a fragment
    that carries on the sentence before it."""
    return bool(_GERUND_START.match(text)) and not _FINITE.search(_QUOTED_SPAN.sub(" ", text))


# "What do victims stop doing?": what a kind of people (plural, not a pronoun, not the writers) does
_DOER_Q = re.compile(r"\bwhat\s+(?:do|did|does|will|would|can|could|should|must)\s+((?-i:[a-z]{4,}s))\s+(?!say\b|think\b|want\b|"
                     r"call\b|make\b|mean\b)[a-z]", re.I)
_AGENT_NOUNS = frozenset("campaigners groups organisations organizations charities letters reports plans documents "
                         "signatories authors writers critics officials police".split())
_FIND_Q = re.compile(r"\bwhat\s+(?:did|does|do|has|have)\s+[^?]{2,60}?\s+(?:find|conclude|reveal|show|uncover|identify)\b", re.I)
_FOUND = re.compile(r"\b(?:found|finds|concluded|concludes|revealed|reveals|showed|shows|uncovered|uncovers|identified|"
                    r"identifies)\b", re.I)
# Words whose stems differ from their family's ("died" / "deaths"), for word coverage
_FAMILY = {"die": "death", "died": "death", "dies": "death", "dying": "death", "dead": "death", "death": "died",
           "deaths": "died", "killed": "killing", "kill": "killing", "sacked": "dismissed", "fired": "dismissed",
           "dismissed": "sacked", "signatory": "signed", "signatories": "signed", "signed": "signatories",
           # a letter sent is one written to someone
           "wrote": "written", "write": "written", "sent": "written", "send": "written",
           "complained": "complaint", "complain": "complaint", "complaining": "complaint"}
_VAGUE_FOCUS = frozenset("thing kind sort type part word other else exactly date year month day time "
                         "organisation organization group body person charity campaign".split())


def asked_focus(question: str) -> str | None:
    """The word for what a question asks for ("excuse", "leadership", "contact"), if it names one."""
    for i, pattern in enumerate(_FOCUS_Q):
        m = pattern.search(question)
        word = m.group(1).lower() if m else ""
        # "which groups", "what measures": a list of things the sentences name without the word; but
        # "which kinds of searches" are named with it ("suspicion-less searches and strip searches")
        # "what kind of organisation ...?" describes one ("an inclusive organisation"), where "which
        # organisation ...?" asks for a name
        if word and (word not in _VAGUE_FOCUS or i == 0) and (i == 0 or not re.search(r"[^s]s$", word)):
            return word
    return None


# "How many officers were disciplined over the strip search of Child Q?": a count of something done to,
# or over, what it names.
_COUNT_EVENT_Q = re.compile(r"\bhow many\b[^?]{0,40}?\b(?:were|was|have been|has been|had been|got)\s+(?!being\b)(?P<rest>[^?]*)",
                            re.I)


def _asked_event(question: str) -> list[str]:
    """The participles of a yes/no question about whether something was done ("charged", "sacked",
    "disciplined"), or of a count of what was done about something named; or none."""
    if _ACTION_TAKEN_Q.search(question):
        return list(_DISCIPLINARY_ACTS)
    m = _EVENT_Q.search(question)
    if m is None and proper_names(question):
        m = _COUNT_EVENT_Q.search(question)
    return _PARTICIPLE.findall(m.group("rest")) if m else []


# "What disciplinary action was taken against the officers who searched Child Q?": whether they were disciplined
_ACTION_TAKEN_Q = re.compile(r"\b(?:disciplinary\s+)?(?:action|measures|steps)\s+(?:was|were|has been|have been|had been)\s+"
                             r"taken\s+against\b", re.I)
_DISCIPLINARY_ACTS = ("disciplined", "sacked", "charged")  # each stands for its group in _SAME_ACT ("suspended", "dismissed")


# Words for the same act: "Were the officers dismissed?" is answered by "two constables were sacked".
_SAME_ACT = (
    ("sacked", "dismissed", "fired", "removed"), ("charged", "prosecuted", "convicted"),
    ("criticised", "criticized", "condemned", "attacked", "challenged"), ("launched", "published", "unveiled", "announced"),
    ("signed", "backed", "supported", "endorsed"), ("disciplined", "suspended", "sanctioned"),
    ("investigated", "examined", "reviewed"), ("accepted", "acknowledged", "admitted"),
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


_AFTER_QUOTE = re.compile(r"[,.!?…][”\"]\s+(?:[A-Z][\w’'.-]*\s+){0,3}$")


def _topic_stems(index: LoadedIndex, text: str) -> list[set[str]]:
    """The stems of each word of ``text`` that says what it is about ("facial recognition", "the Met's
    area" -> "area"): the Met and London are everywhere in these documents and tell nothing."""
    return [set(index.bm25.tokens(w)) for w in content_words(text)
            if w not in _UBIQUITOUS and w not in ("london", "metropolitan")]


def _another_speaks(text: str, named: re.Pattern) -> bool:
    """"Inquest spokeswoman Lucy McKay said: ...": a person other than the one asked about is quoted
    speaking in the sentence itself (whoever the sentence before it quotes)."""
    if agent_speaks(text, named):
        return False
    others = [p for p in (_agent_pattern(n) for n in proper_names(text) if is_person(n) and not named.search(n)) if p]
    return any(agent_speaks(text, p) for p in others)


def agent_speaks(text: str, named: re.Pattern) -> bool:
    """Does ``text`` have the agent ``named`` say or do something ("Sir Mark Rowley said"), rather
    than be written to ("an open letter to Sir Mark Rowley") or spoken of?"""
    for hit in named.finditer(text):
        if _ADDRESSEE.search(text[max(0, hit.start() - 50) : hit.start()]):
            continue
        if _SPEAKS.search(text[max(0, hit.start() - 40) : hit.end() + 60]):
            return True
        if _AFTER_QUOTE.search(text[max(0, hit.start() - 30) : hit.start()]):
            return True  # "“... consent,” Dr Shabna Begum, the interim co-chief executive, ...": the speaker
    return False


# Letter furniture and calls to action: never the answer to a question.
_NOT_AN_ANSWER = re.compile(
    r"\s*(?:dear|yours (?:sincerely|faithfully|truly)|kind regards|best wishes|with thanks|find out more|read more|"
    r"learn more|click here|sign up|subscribe|download|share this|follow us)\b",
    re.I,
)
# "Find out more about Criminal Justice Alliance’s Supercomplaint against Section 60 Stop and Search.":
# a link that names what it links to says something; "Find out more" alone does not
_NAMING_LINK = re.compile(r"\s*(?:find out|read|learn) more about\s+(?:\S+\s+){5,}", re.I)
_UBIQUITOUS = frozenset({"met", "police", "metropolitan police", "the met", "met police", "metropolitan police service", "mps"})
_AGENTS = re.compile(r"\b(communities|groups|organisations|organizations|officers|constables|campaigners|charities|"
                     r"members|residents|families|people|activists|lawyers|peers|bodies|leaders|experts|victims)\b", re.I)
# "made with input from black communities", "arrested by Met officers": people described as who did it
_BY_AGENTS = re.compile(r"\b(?:by|from)\s+(?:the\s+|some\s+|many\s+)?(?:[\w’'-]+,?\s+){0,5}?" + _AGENTS.pattern[2:], re.I)
# "Press queries contact: Payal Bhavsar, Communications Officer": a label with its value, a fact.
_LABELLED = re.compile(r"\s*[A-Z][\w’' -]{2,40}:\s+[A-Z][\w’'.-]+(?:\s+[\w’'.,-]+){1,}")
_PRONOUN_START = re.compile(r"^[\"'“‘]?(?:she|he|they|it|these|this|those|their|his|her|its)\b", re.I)
_WHO_IS_NAME = re.compile(r"^\W*(?:and\s+|so\s+)?(?:who|whom)\s+(?:is|was|are|were)\s+(?P<rest>.+?)\W*$", re.I)
_DESCRIBED_PERSON = re.compile(r"\b(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:girl|boy|man|woman|child|athlete|sprinter|runner|"
                               r"teenager|student|pupil|mother|father|activist|journalist|peer|politician|academic|"
                               r"victim|survivor)\b|\bknown as\b", re.I)
_DATELINE = re.compile(r"\s*(?:published|posted|updated|last updated|date|dated)(?:\s+on)?\s*:", re.I)
_LENGTH = re.compile(r"[\s-]?(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|pages?|miles?|km|kilometres?|metres?)\b",
                     re.I)
_SINCE_BEFORE = re.compile(r"\b(?:since|as far back as)\s+(?:the\s+)?(?:end of\s+|start of\s+)?$", re.I)
_WORK_SAYS = re.compile(r"\b(?:the|her|his|their)\s+(review|report|inquiry)\s+(?:\w+\s+){0,2}?(?:called|calls|found|finds|"
                        r"said|says|concluded|concludes|recommended|recommends|urged|urges|demanded)\b", re.I)
_REPORT_VERB = re.compile(r"\b(?:did|does|do|will|would|has|have|had)\s+(?:[\w’'-]+\s+){1,3}?report\b", re.I)
_DOCUMENT_NAMED = re.compile(r"\b(?:letter|report|article|statement|complaint|super-complaint|petition)\b", re.I)
# "Who wrote the letter?", "who was it sent to?", "which groups signed it?": about the writing itself
_ABOUT_THE_WRITING = re.compile(r"\b(?:wrote|written|write|writing|sent|send|addressed|signed|sign|signatories|authors?|"
                                r"co-?ordinated|organised|behind|published|dated)\b|\babout\W*$|"
                                r"\bwhat (?:is|was) (?:the|that|this) [^?]*\b(?:letter|report|article|statement)\W*$", re.I)
# "... say in reply to the letter?", "... say back to it?": a response asked for
_REPLY = r"in (?:reply|response|answer)"
_IN_REPLY = re.compile(r"\b" + _REPLY + r"\b|^\s*back\b", re.I)
_SAID_ABOUT = re.compile(r"\b(?:about|of|on|regarding|" + _REPLY + r" to)\s+(?:the\s+)?([^?]{3,80})", re.I)
_TITLED_WORK = re.compile(r"\b[A-Z][\w-]*(?:’s|'s)?\s+(?:[Rr]eview|[Rr]eport|[Ii]nquiry|[Pp]lan)\b")
_SAYS_THE_SAME = 0.8  # cosine above which two sentences say the same; the second adds nothing
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")
_LEAD_IN = re.compile(r":\s*$")  # "The letter states:", "... Vice Chair of EQUAL said:"
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")

FEATURES = (
    "bias", "dense", "coverage", "passage_rank", "heading", "log_words", "type_match", "type_missing",
    "novel_names", "prev_dense", "prev_coverage", "anaphor_start", "role_mention", "dense_rank",
    "passage_dense",
)
_ROLE = re.compile(
    r"\b(chief|executive|director|chair|chairman|chairwoman|head|leader|spokes(?:person|woman|man)|president|"
    r"secretary|minister|commissioner|founder|editor|manager|ceo|officer|coordinator|campaigner|lawyer)\b",
    re.I,
)
# NOTE: fitted by `python -m eval.fit_answerer` (logistic regression: does the sentence contain a gold
# answer?) on eval/gold.jsonl; refit when features change. Order follows FEATURES.
SCORER_WEIGHTS = np.array([-1.398, 4.563, 3.580, 1.130, -0.495, -0.604, 0.270, -2.090, 1.167, -0.002, 2.486, -0.111, 0.558, 0.805, 0.323], dtype=np.float32)


def _asked_role(q_lower: str) -> str | None:
    """The role a "who is the ...?" question asks about ("commissioner", "chair"), if any."""
    m = re.search(r"\bwho(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?((?:[\w-]+\s+){0,2}[\w-]+)", q_lower)
    role = _ROLE.search(m.group(1)) if m else None
    if role is None:
        return None
    under = _UNDER_POST.search(m.group(1)[: role.start()])  # "who is the vice chair?": that post, not the chair
    return (under.group(0) if under else "") + role.group(1)[:6]


# "Vice Chair", "deputy commissioner", "former chief executive": another post than the one named after it
_UNDER_POST = re.compile(r"\b(?:vice|deputy|assistant|acting|interim|former)[\s-]+$", re.I)


_ANOTHER = re.compile(r"\s(?:and|or|but|while)\s|[—–;]")


def _holds_post(text: str, name: str, post: str) -> bool:
    """Is ``name`` given as holding ``post`` in ``text`` ("Met commissioner, Sir Mark Rowley"): the
    word for the post within 25 characters of the name?"""
    posts = [m.start() for m in re.finditer(r"\b" + re.escape(post), text, re.I)
             if _UNDER_POST.match(post) or not _UNDER_POST.search(text[max(0, m.start() - 12) : m.start()])]
    names = [i for m in re.finditer(re.escape(name), text) for i in (m.start(), m.end())]
    # "shot by a Met officer — and Oladeji Omishore": another person, not the officer
    return any(abs(p - i) <= 25 and not _ANOTHER.search(text[min(p, i) : max(p, i)]) for p in posts for i in names)


_COUNT_WHERE = re.compile(r"\bhow many\b[^?]*?\b(?:were|was|are|is|came|come|happened)\s+(?:in|inside|outside|within|across|"
                          r"from)\s+(?:the\s+)?(?P<where>[^?,;]{3,30}?)\s*\?*\s*$", re.I)
_COUNT_WHEN = re.compile(r"\bhow many\b[^?]*?\b(?P<when>the (?:year|month|week) before|the previous (?:year|month|week)|"
                         r"a (?:year|month) (?:earlier|before)|the year after)\b", re.I)
# "What was the promotion pass rate for black officers back in 2018?": a figure asked of one year
_FIGURE_IN_YEAR = re.compile(r"\b(?:how many|how much|(?:rate|number|figure|percentage|proportion|share|total)s?\b)"
                             r"[^?]*?\b(?:in|back in|during|for|as of)\s+(?P<when>(?:19|20)\d\d)\b", re.I)
# "How many officers does the Met have?": a total, which a count of some acted on ("moving 240 officers") is not
_TOTAL_Q = re.compile(r"\bhow many\s+(?:[\w’'-]+\s+){1,2}(?:does|do|did)\s+(?:[\w’'-]+\s+){1,3}?(?:have|has|employ|employs|"
                      r"got|number)\b(?!\s+(?:been|to))|\bhow many\s+(?:[\w’'-]+\s+){1,2}(?:are there|work (?:for|at|in))\b", re.I)
_ACTED_ON = re.compile(r"\b(?:[a-z]+ing|[a-z]+ed|sacked|hired|recruited|moved|cut|axed)\s+(?:up to\s+|some\s+|about\s+)?$", re.I)
_UNITS = {"m": "million", "bn": "billion", "k": "thousand"}
_SHORT_AMOUNT = re.compile(r"[£$€]?(\d+(?:\.\d+)?)(m|bn|k)")  # "£366m"
# "how many signed ...?", "how many were there?": the word after "how many" is a verb, not what is counted
_NO_COUNTED_NOUN = re.compile(r"(?:were|was|are|is|have|has|had|did|do|does|will|would|can|could|got|[a-z]+ed)\b", re.I)
_HOW_MANY = re.compile(r"\bhow many ((?:[\w’'-]+\s+){0,2}[\w’'-]+)", re.I)
_OFTEN_Q = re.compile(r"\bhow (?:often|frequently|regularly)\b|\bat what (?:intervals?|frequency)\b", re.I)
_FREQUENCY = re.compile(r"\b(?:once|twice|three times|\w+ times) (?:a|an|per|each|every) \w+|\b(?:every|each) (?:\w+ )?"
                        r"(?:day|week|fortnight|month|quarter|year)s?\b|\b(?:daily|weekly|fortnightly|monthly|quarterly|"
                        r"annually|yearly|biannually|biennially)\b|\b(?:bi-?)?annual\b", re.I)
# "What did they want instead?", "what were they asking her to commit to?", "where did they say the
# money should go?": what someone asked for. The answer is a sentence asking for something.
_DEMAND_Q = re.compile(r"\b(?:wanted|wants?|wanting)\b(?! to know)|\bask(?:ed|ing|s)?\s+(?:[\w’'-]+\s+){0,3}?(?:for|to|that)\b|"
                       r"\bcall(?:ed|ing|s)?\s+(?:for|on)\b|\bdemand|\burg(?:e|ed|es|ing)\b|\b(?:press|push)(?:ed|ing|es)?\s+for\b|"
                       r"\bcommit(?:ment)? to\b|\bsay\b[^?]{0,40}\bshould\b|\brecommend", re.I)
_DEMAND = re.compile(r"\b(?:urg(?:e|ed|es|ing)|call(?:ed|s|ing)?\s+(?:for|on)|demand(?:ed|s|ing)?|ask(?:ed|s|ing)?\s+(?:for|that)|"
                     r"would like|commitment|recommend(?:ed|s|ations?)?|insist(?:ed|s)?|"
                     r"(?:press|push)(?:ed|es|ing)?\s+for|appeal(?:ed|s)?\s+(?:for|to)|request(?:ed|s)?)\b", re.I)
# "What did he want the new chief to reject?": the act wanted ("reject")
_WANTED_ACT = re.compile(r"\bwant(?:s|ed)?\s+(?:[\w’'-]+\s+){1,5}?to\s+(?!be\b|have\b|do\b|get\b|make\b)([a-z]{4,})\b", re.I)
# "Why did he refuse ...?", "what was his reason?", "how did he justify ...?": a sentence giving a reason.
_WHY_Q = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?why\b|\bwhat (?:was|is|were|are) (?:his|her|their|its|the) reasons?\b|"
                    r"\bhow did .{1,60}\bjustify\b|\bon what grounds\b|"
                    r"\bwhat (?:reasons?|justification|rationale) (?:did|does|do|has|have|had)\b", re.I)
_REASON = re.compile(r"\b(?:because|so that|in order to|due to|owing to|reasons?|grounds|justif\w+|to avoid|for fear|"
                     r"as a result|(?:said|says|argued|argues|explained|insisted) (?:that )?(?:he|she|they|it) (?:needed|wanted|"
                     r"had|has|have|need|want|would) to|since (?!\d|January|February|March|April|May|June|July|August|"
                     r"September|October|November|December|the \d))", re.I)
# "Who should journalists get in touch with?": the press contact line.
_CONTACT_Q = re.compile(r"\b(?:get in touch|(?:press|media) (?:queries|enquiries|inquiries|office|contact)|"
                        r"who (?:\w+ ){0,4}contact\b(?!\s+with)|contact (?:for|about|regarding))\b", re.I)
_CONTACT = re.compile(r"\b(?:contact|queries|enquiries|inquiries|press office|email|e-mail|tel|telephone|phone)\b\s*:?", re.I)
# "What's the phone number or email for the press officer?": a number, an address or a link to reach them by
_DETAIL_Q = re.compile(r"\b(?:(?:tele)?phone|mobile|contact|fax|charity|company|registration|registered)\s+(?:number|no\b)|"
                       r"\b(?:e-?mail|web)\s+address\b|"
                       r"\be-?mail\s+(?:for|of)\b|\bwebsite\b|\b(?:twitter|x) handle\b|"
                       r"(?:’s|'s|\btheir|\bits|\bthe|\ban|\bpostal|\boffice|\bstreet)\s+address\b|\baddress\s+(?:of|for)\b|"
                       r"\bwhere\s+(?:is|are)\s+[^?]{2,60}?\s+based\b", re.I)
_DETAIL = re.compile(r"(?i:\d[\d ()-]{5,}\d|[\w.+-]+@[\w-]+\.\w|\bwww\.|https?://|(?<!\w)@\w{2,})|" + POSTCODE.pattern)
# The detail asked for, and the line that gives it: "charity number" is not answered by a phone number
_DETAIL_KINDS = [
    (re.compile(r"\bcharity\b", re.I), re.compile(r"\bcharit(?:y|able)\b.*\d{5}", re.I)),
    (re.compile(r"\bcompany\b|\bregistration\b", re.I), re.compile(r"\bcompany\b.*\d{5}", re.I)),
    (re.compile(r"\be-?mail\b", re.I), re.compile(r"[\w.+-]+@[\w-]+\.\w")),
    (re.compile(r"\b(?:tele)?phone\b|\bmobile\b|\bfax\b|\bcontact number\b", re.I),
     re.compile(r"(?i:\b(?:tel|telephone|phone|fax|mobile)\b)\W*[+\d(]")),
    (re.compile(r"\bweb(?:site| address)\b", re.I), re.compile(r"\bwww\.|https?://", re.I)),
    (re.compile(r"\baddress\b|\bbased\b", re.I), POSTCODE),
]


def _detail_line(question: str) -> re.Pattern:
    """What a line giving the detail a question asks for looks like (any detail when it names none)."""
    return next((line for word, line in _DETAIL_KINDS if word.search(question)), _DETAIL)


# "When did it become public?": the sentence telling when it came to light, not when it happened.
_PUBLIC_Q = re.compile(r"\b(?:become|became|made|go|went|come|came|get|got)\s+(?:public|known|out)\b|\bpublic knowledge\b|"
                       r"\b(?:come|came|coming)\s+to\s+light\b|\b(?:emerge|surface|leak)(?:d)?\b", re.I)
_MADE_KNOWN = re.compile(r"\b(?:came|come|coming)\s+to\s+light\b|\b(?:emerged|revealed|surfaced|leaked|disclosed|exposed)\b|"
                         r"\b(?:made|became|went)\s+public\b|\bpublic(?:ly)?\s+(?:known|reported)\b", re.I)
_AGE = re.compile(r"\b(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)[- ]years?[- ]old\b|\baged \d{1,3}\b", re.I)
_SHARE_Q = re.compile(r"\bwhat (?:percentage|proportion|share|fraction|per ?cent)\b|\bhow many (?:per ?cent|percent)\b")
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


def _stem(word: str) -> str:
    word = word.lower().strip("'’")
    for suffix in ("ations", "ation", "ers", "ies", "es", "s", "er", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _same_noun(a: str, b: str) -> bool:
    sa, sb = _stem(a), _stem(b)
    if sa[:5] == sb[:5] and min(len(sa), len(sb)) >= 4:
        return True
    return any(any(sa.startswith(x) for x in group) and any(sb.startswith(x) for x in group) for group in _COUNT_SYNONYMS)


def _counts_of_the_asked(text: str, question: str, numbers: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """Of ``numbers`` in ``text``, those counting what "how many X" asks about (all, without an X)."""
    head = _HOW_MANY.search(question)
    if not head:
        return numbers
    head_words = [w for w in re.findall(r"[A-Za-z]+", head.group(1))
                  if w.lower() not in ("more", "additional", "new") and w.lower() not in STOPWORDS]  # not "were" in "were sacked"
    # "how many black Londoners ...?" counts Londoners: "two black athletes" shares only who they are
    head_words = [w for w in head_words if not _GROUP.fullmatch(w)] or head_words
    # "how many signed it?", "how many were there?": no counted noun, so a count of people or bodies
    # ("26 racial justice organisations", "Thirty of London's ... bodies") counts too
    people = bool(_NO_COUNTED_NOUN.match(head.group(1)))

    def counts_asked(number: tuple[float, int, int]) -> bool:
        after = text[number[2] : number[2] + 110]
        return any(_same_noun(f, h) for f in re.findall(r"[A-Za-z’']+", after)[:10] for h in head_words) or \
            people and bool(_AGENTS.search(" ".join(after.split()[:10])))
    return [n for n in numbers if counts_asked(n)]


def asked_figures(text: str, question: str) -> set[float]:
    """The figures ``text`` gives for what a count question asks: sums of money for "how much" when
    it gives any, numbers of the thing counted for "how many X"; not figures the question gives."""
    q_lower = question.lower()
    if re.search(r"\bhow much\b", q_lower):
        sums = {_amount(m.group(0)) for m in _SUM.finditer(text) if m.group(0).lower() not in q_lower}
        if sums:
            return sums
    return {v for v, _a, _b in _counts_of_the_asked(text, question, _numbers_not_asked(text, q_lower))}


def _numbers_not_asked(text: str, q_lower: str) -> list[tuple[float, int, int]]:
    """The numbers (value, start, end) of ``text`` that the question (lower case) does not itself give."""
    # as a whole number: "23" is not given by "2023"
    return [(v, a, b) for v, a, b in count_numbers(text)
            if not re.search(r"(?<![\w.,])" + re.escape(text[a:b].lower()) + r"(?!\w)", q_lower)]


# "how much ...?" without money: a share or a quantity ("75 per cent", "two tonnes"), not "a two year scheme"
_QUANTITY = re.compile(r"\s?(?:%|per ?cent\b|percent\b|million\b|billion\b|bn\b|thousand\b|pounds\b|tonnes?\b|"
                       r"kilo\w*\b|hours\b|days\b|weeks\b|months\b|years\b)", re.I)
_SUM = re.compile(r"[£$€]\s?\d[\d,.]*(?:\s?(?:million|billion|bn|m|k)\b)?", re.I)


def _amount(money: str) -> float:
    """"£366 million" and "£366m" -> 366000000.0."""
    digits = re.search(r"\d[\d,.]*", money).group(0).replace(",", "").rstrip(".")
    scale = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "k": 1e3}
    unit = re.search(r"(million|billion|bn|m|k)\b", money[money.find(digits[0]):], re.I)
    return float(digits) * (scale[unit.group(1).lower()] if unit else 1.0)


def slot_match(text: str, question: str, kind: str) -> bool:
    """Does the sentence hold what the question asks for (a count of the right thing, a date, a name)?"""
    q_lower = question.lower()
    if kind == "count":
        if re.search(r"\bhow old\b", q_lower):  # an age, not any number near the person
            return bool(_AGE.search(text))
        if _SHARE_Q.search(q_lower):  # "what share of searches ...?": a percentage or a fraction
            return any(m.group(0).lower() not in q_lower for m in _SHARE.finditer(text))
        numbers = _numbers_not_asked(text, q_lower)
        years = [m.group(0) for m in re.finditer(r"\b(?:19|20)\d{2}\b", q_lower)]
        said = list(re.finditer("|".join(map(re.escape, years)), text)) if years else []
        if said and all(_SINCE_BEFORE.search(text[: m.start()]) for m in said):
            return False  # "how many in 2017-18?": "the 23 deaths are the highest since 2017-18" counts another year
        if re.search(r"\bhow long\b", q_lower):
            # "how long did the review take?": a length of time (or pages), not "26 organisations"
            return any(_LENGTH.match(text[b:]) for _v, _a, b in numbers)
        if re.search(r"\bhow much\b", q_lower) or _MONEY_Q.search(q_lower):
            # a sum or figure the question does not already give ("how much of the £366m ...?")
            # "two tonnes" counts; "two-year" (a describing word) does not
            amounts = [n for n in numbers if _QUANTITY.match(text[n[2] :])]
            return any(m.group(0).lower() not in q_lower for m in _MONEY.finditer(text)) or bool(amounts)
        return bool(_counts_of_the_asked(text, question, numbers))
    if kind == "name":
        return _gives_name(text, question)
    if kind == "where":
        # "where is the Runnymede Trust based?": a place (or where someone is from) the question does not name
        return any(not is_person(n) and not is_org(n) and n.lower() not in _UBIQUITOUS and not re.search(r"-[a-z]", n) and (
            re.search(r"\b(?:in|into|at|from|across|near|outside|around|throughout|within)\s+(?:the\s+)?" + re.escape(n), text)
            or _DEMONYM.fullmatch(n)) for n in novel_names(text, question))
    if kind == "often":
        return any(m.group(0).lower() not in q_lower for m in _FREQUENCY.finditer(text))
    if kind == "when":
        if _DATELINE.match(text):
            return False  # "Published on: 28/04/2022" dates the page (read by answer_about), not what it tells of
        # "the highest since 2017-18" dates a comparison, not the event asked about (unless "since when?")
        since = "since" in q_lower
        return any(m.group(0).lower() not in q_lower and (since or not _SINCE_BEFORE.search(text[: m.start()]))
                   for m in _DATE.finditer(text))
    if kind == "who":
        novel = novel_names(text, question)  # "Commissioner Sir Mark Rowley" is not new beside "Sir Mark Rowley"
        described = _WHO_IS_NAME.match(question)
        if described and " ".join(proper_names(described.group("rest"))) == described.group("rest").strip():
            # "who is Dr Shabna Begum?": what she is ("the interim co-chief executive of the Runnymede Trust")
            named = _agent_pattern(described.group("rest"))
            return bool(named and named.search(text)) and (bool(_ROLE.search(text) or _DESCRIBED_PERSON.search(text))
                                                           or any(is_org(n) and n.lower() not in _UBIQUITOUS for n in novel))
        passive = _PASSIVE_WHO.match(q_lower)
        if passive:
            # "who was the plan made with?": the sentence telling it was made with someone ("made with input
            # from black communities"), not anyone who spoke of it
            return bool(re.search(r"\b" + re.escape(passive.group("verb")[:4]) + r"\w*\s+(?:[\w’'-]+\s+){0,3}?" +
                                  passive.group("prep") + r"\b", text, re.I))
        if re.search(r"(?:^|[.?!]\s+)\s*(who|whom|whose)\s+(is|was|are|were)\b", q_lower):
            role = _asked_role(q_lower)
            if role is None:
                return any(is_person(n) for n in novel)  # "who is the EQUAL vice chair?": a person
            # "who is the commissioner ...?": a person named as one ("Commissioner Sir Mark Rowley"),
            # not any person beside the word ("charged the Commissioner ... Baroness Casey's Review")
            return any(is_person(n) and _holds_post(text, n, role) for n in novel)
        spoke = _SPOKE_Q.match(q_lower)
        if spoke:
            # "who spoke for the Runnymede Trust?": a person quoted speaking, not one who signed; "who at
            # Inquest ...?": someone the sentence places there
            body = [w for w in (spoke.group("body") or "").split()
                    if len(w) >= 3 and w not in _TITLES and w not in _UBIQUITOUS]
            return (not body or any(re.search(r"\b" + re.escape(w), text, re.I) for w in body)) and any(
                (is_person(n) or is_org(n)) and agent_speaks(text, _agent_pattern(n) or re.compile(re.escape(n)))
                for n in novel)
        if _SUCCESSION_Q.match(q_lower):
            # "who replaced Priti Patel as Home Secretary?": a person, not the groups writing to her
            return any(is_person(n) for n in novel)
        if _CHAIRS_Q.match(q_lower):
            # "who chairs EQUAL?": its chair, not its vice chair
            return any(is_person(n) and _holds_post(text, n, "chair") and not re.search(
                r"\b(?:vice|deputy|former|ex)[\s-]+chair", text, re.I) for n in novel)
        body = _BODY_Q.search(q_lower)
        if body:
            # "response to which commission?": a body named as one ("the Commission on Race and Ethnic Disparities")
            noun = body.group(1)
            return any(re.search(r"\b" + noun + r"\b", n, re.I) for n in novel) or bool(
                re.search(r"\b" + noun + r"\s+(?:on|for|of|into)\s+(?:the\s+)?[A-Z]", text, re.I))
        if _PRESS_Q.search(q_lower):
            # "which newspaper reported it?": a title written "The Guardian" mid-sentence, or told or reported to
            return any(re.search(r"(?:\S\s+The|\b(?:told|reported|reports|according to))\s+" + re.escape(n) + r"\b", text)
                       for n in novel)
        if _WHICH_BODY.search(q_lower):
            # "which watchdog warned ...?": a body named ("the Independent Office for Police Conduct"), not
            # the people its report names ("the watchdog said, and include Chris Kaba")
            return any(n.lower() not in _UBIQUITOUS and not is_person(n) and (is_org(n) or re.search(
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
            return any(is_person(n) or is_org(n) and n.lower() not in _UBIQUITOUS for n in novel) or \
                bool(_AGENTS.search(text)) and (_says_what_was_done(text, question) or bool(_BY_AGENTS.search(text)))
        return bool(novel)
    if kind == "list":
        # "a new charter, an overhaul of its policy and measures to help victims": A, B and C
        return len(proper_names(text)) >= 2 or text.count(",") >= 2 or bool(_ENUMERATION.search(text))
    return False


def _slot_values(text: str, question: str) -> set[str]:
    """The names, dates and figures ``text`` gives that the question does not (what a typed question asks)."""
    values = {n.lower() for n in novel_names(text, question)}
    values |= {m.group(0).lower() for m in _DATE.finditer(text)}
    values |= {text[a:b].lower() for _v, a, b in count_numbers(text)}
    return {v for v in values if v not in question.lower()}


def _says_what_was_done(text: str, question: str) -> bool:
    """Does the sentence use the question's own action words ("who gave input" / "with input from")?"""
    rest = re.sub(r"^\W*(who|whom|whose)\b", "", question, flags=re.I)
    action = [w for w in re.findall(r"\b[a-z][\w’'-]+", rest)][:3]  # lower case: not part of a name
    words = [w[:4] for w in content_words(" ".join(action)) if len(w) >= 4]
    lowered = text.lower()
    return any(re.search(r"\b" + re.escape(w), lowered) for w in words)


def candidate_features(c: "Candidate", kind: str, question: str) -> list[float]:
    """The scorer's inputs for one candidate sentence (the last, dense_rank, is filled in later)."""
    words = len(c.text.split())
    names = proper_names(c.text)
    q_lower = question.lower()
    novel = [n for n in names if n.lower() not in q_lower]
    match = slot_match(c.text, question, kind)
    return [
        1.0,
        c.dense,
        c.coverage,
        1.0 / c.rank,
        0.0 if _TERMINAL.search(c.text) else 1.0,
        math.log1p(words),
        1.0 if match else 0.0,
        1.0 if kind in _TYPED and not match else 0.0,
        min(len(novel), 3) / 3.0,
        c.prev_dense,
        c.prev_coverage,
        1.0 if ANAPHOR_START.search(c.text) else 0.0,
        1.0 if kind == "who" and _ROLE.search(c.text) and any(is_person(n) for n in novel) else 0.0,
        0.0,
        c.passage_dense,
    ]


_BRIEF_Q = re.compile(r"^\s*(brief me|give me (an|a) (overview|summary|briefing)|summari[sz]e|overview of|tell me about)", re.I)
_MULTI_Q = re.compile(r"[,;]?\s+and\s+(what|who|which|when|how|where|why|does|did|is|was|are)\b", re.I)


_ALTERNATIVES = re.compile(r"(?:[:,]|\bbe|\bis it|\bwas it)\s+(?:the\s+|a\s+)?([\w’'-]+)\s+or\s+(?:the\s+|a\s+)?([\w’'-]+)\s*\?\s*$", re.I)
_PART_SPLIT = re.compile(r"[,;]?\s+and\s+(?=(?:what|who|whom|which|when|where|why|how|does|did|do|is|was|are|were|has|have)\b)", re.I)


def alternatives(question: str) -> list[str]:
    """The two options of "... to be: sexist or misogynistic?", else nothing."""
    m = _ALTERNATIVES.search(question)
    if not m:
        return []
    options = [m.group(1), m.group(2)]
    if any(o.lower() in STOPWORDS or len(o) < 3 and not o.isdigit() for o in options):
        return []
    return options


_AGREE_Q = re.compile(
    r"^\s*(?:do|does|did)\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s+(?:agree|disagree|differ|concur)\s+(?:on|about|over)\s+(?P<topic>.+?)\s*\??\s*$",
    re.I,
)
# "How do Sir Mark Rowley and the Runnymede Trust each characterise the plans?"
_EACH_Q = re.compile(
    r"^\s*(?:how|what)\s+(?:do|does|did)\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s+(?:each|both|respectively)\s+"
    r"(?P<verb>[a-z]+)\s+(?P<topic>.+?)\s*\??\s*$",
    re.I,
)
_PART_ANAPHOR = re.compile(r"\b(it|its|they|their|them|he|his|she|her|this|that|these|those)\b", re.I)


def _last_asked(question: str) -> str:
    """"Is expanding neighbourhood policing the answer? What does the plan propose, and what do the
    campaigners say about it?": the first question frames it, the last one asks."""
    asked = [q.strip() for q in re.findall(r"[^?]+\?", question) if len(content_words(q)) >= 2]
    return asked[-1] if len(asked) > 1 else question


def question_sides(question: str) -> list[str]:
    """The two sides a question asks the same thing of ("Do A and B agree on X?"), else none."""
    asked = _last_asked(question)
    m = _AGREE_Q.match(asked) or _EACH_Q.match(asked)
    return [m.group("a"), m.group("b")] if m else []


def split_question(question: str) -> list[str]:
    """The parts of a two-part question ("How much is it worth, and how many pages long is it?").

    "Do the campaigners and the Met agree on X?" is asked of each side; a later part that leans
    on the first ("and does its commissioner accept that description?") carries the first's words.
    """
    asked = _last_asked(question)
    framing = [w for w in dict.fromkeys(content_words(question[: len(question) - len(asked)]))
               if w not in asked.lower()]
    return [f"{p[:-1]} ({' '.join(framing[:8])})?" if framing else p for p in _split_asked(asked)]


def _split_asked(question: str) -> list[str]:
    agree = _AGREE_Q.match(question)
    if agree:
        topic = agree.group("topic")
        return [f"What do {agree.group('a')} say about {topic}?", f"What do {agree.group('b')} say about {topic}?"]
    each = _EACH_Q.match(question)
    if each:
        verb, topic = each.group("verb"), each.group("topic")
        return [f"How does {each.group(side)} {verb} {topic}?" for side in ("a", "b")]
    parts = [p.strip(" ,;?") for p in _PART_SPLIT.split(question)]
    parts = [p for p in parts if len(content_words(p)) >= (1 if _PART_ANAPHOR.search(p) else 2)]
    if len(parts) < 2:
        return []
    out = [parts[0] + "?"]
    for part in parts[1:]:
        if _PART_ANAPHOR.search(part):
            context = [w for w in content_words(parts[0]) if w not in part.lower()]
            part = f"{part} ({' '.join(context[:8])})" if context else part
        out.append(part + "?")
    return out


# "When the job was advertised in 2022, what kind of leadership ...?": the clause before the comma
# sets the scene; what is asked comes after it.
# "Who was Home Secretary when ARE sent their letter?": a person asked for; "when" sets the scene.
# "quick one - who coordinated it?", "sorry: when was it?": a few words of chat before the question
_CHAT_LEAD = re.compile(r"^\s*(?:[\w’']+[\s,]+){0,3}?[\w’']+\s*(?:[-–—:]|\.{3}|…)\s+"
                        r"(?=(?:and\s+|so\s+|but\s+)?(?:who|whom|whose|what|when|where|which|how|why)\b)", re.I)
_LEADING_WHO = re.compile(r"^\W*(?:and |but |so )?(?:who|whom|whose)\b", re.I)
_SCENE = re.compile(r"^\W*(?:when|after|before|since|while|once|following|back in|in|during)\b"
                    r"(?!\s+(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could)\b)[^?]{3,150}?,\s*"
                    r"(?=(?:and\s+)?(?:what|which|who|whom|whose|why|how|where|did|does|do|is|are|was|were|has|have)\b)",
                    re.I)


def question_kind(question: str) -> str:
    """What the question asks for: brief, name, when, count, often, list, who, or other (first match wins)."""
    question = _CHAT_LEAD.sub("", _SCENE.sub("", question, count=1), count=1)
    kinds = ((_BRIEF_Q, "brief"), (_ASKS_NAME, "name"), (_YEAR_Q, "when"), (_COUNT_Q, "count"), (_OFTEN_Q, "often"),
             (_WHERE_Q, "where"),
             (_LIST_Q, "list"), (_LEADING_WHO, "who"), (_WHEN_Q, "when"), (_WHO_Q, "who"))
    return next((kind for pattern, kind in kinds if pattern.search(question)), "other")


def _without_overlaps(groups: list[list[Candidate]], index: LoadedIndex) -> list[list[Candidate]]:
    """Groups whose quotes overlap (a sentence read with its neighbour that was chosen too) become one,
    quoting both spans together, in the place of the first."""
    kept: list[list[Candidate]] = []
    for group in groups:
        c = group[0]
        for k in kept:
            if k[0].doc_id == c.doc_id and k[0].start < c.end and c.start < k[0].end:
                start, end = min(k[0].start, c.start), max(k[0].end, c.end)
                k[0] = replace(k[0], start=start, end=end, text=index.documents[c.doc_id].text[start:end])
                break
        else:
            kept.append(group)
    return kept


def quotation_lead(text: str, start: int, reach: int = 900) -> str:
    """For a sentence inside a quotation that opened sentences earlier ("Jeremy Crook said: “The next
    Commissioner must ... This means rejecting ..."), the words just before the quotation opened: who
    speaks. Empty when the sentence is not inside a quotation."""
    before = text[max(0, start - reach) : start]
    opened = before.rfind("“")
    if opened < 0 or "”" in before[opened:]:
        return ""
    return before[max(0, opened - 150) : opened + 1]


def _fits_slot(c: Candidate) -> bool:
    """Does the scored candidate hold what a name, date or count question asks for?"""
    return c.features is not None and c.features[FEATURES.index("type_match")] > 0


# "What did the Met say ...?": the force itself asked to have spoken
_MET_ASKED = re.compile(r"\b(?:did|does|do|has|have|will|would)\s+(?:the\s+)?(?:Met|Metropolitan Police(?: Service)?|MPS|"
                        r"Met Police|police|force)\s+(?:(?:ever|actually|publicly|formally|officially)\s+)?"
                        r"(?:say|said|respond(?:ed)?|react(?:ed)?|reply|replied|tell|told|answer(?:ed)?)\b|"
                        r"\bwhat(?:’s|'s|\s+was|\s+is) the (?:Met(?:’s|'s)?|police|force(?:’s|'s)?) (?:response|reply|answer|reaction)\b|"
                        r"\bwhat the (?:Met|police|force) said\b", re.I)
_FORCE_WORDS = frozenset({"force", "forces", "metropolitan", "london", "police", "policing"})
_WORD_PARTS = re.compile(r"[a-z0-9]+")
_MET_TOPIC = re.compile(r"\b(?:about|of|on|regarding|over|to)\s+(?:the\s+)?([^?]{3,80})", re.I)
_MET_SPEAKS = re.compile(r"\b(?:Met|police|force|MPS) spokes(?:person|woman|man)\b|\baccording to (?:the (?:Met|police|force)|Sir Mark)\b|"
                         r"\bthe (?:Met|force|police) (?:said|says|told|responded|added|stated)\b|"
                         r"\b(?:Sir Mark(?: Rowley)?|Rowley|Commissioner)\b[^.“‘]{0,40}\b(?:said|says|added|told)\b", re.I)


def _met_speaks(index: LoadedIndex, c: "Candidate") -> bool:
    """Is the sentence in a paragraph the Met is said to have spoken ("..., a Met spokesperson told The
    Guardian"), or in the quotation going on in the paragraph after it (opening with a quotation mark)?"""
    text = index.documents[c.doc_id].text
    start = text.rfind("\n\n", 0, c.start) + 1
    end = text.find("\n\n", c.end)
    if _MET_SPEAKS.search(text, start, len(text) if end < 0 else end):
        return True
    before = text.rfind("\n\n", 0, max(0, start - 1)) + 1
    return start > 1 and text[start:].lstrip()[:1] in "“\"" and bool(_MET_SPEAKS.search(text, before, start))


def _possessed_work(question: str) -> re.Pattern | None:
    """For "who did the Casey review?": a pattern for the work named as someone's ("Baroness Casey’s
    Review", with "Casey" as the owner); None for any other question."""
    if _COMPLAINED_Q.search(question):  # "who complained about section 60?": whose complaint it is
        return re.compile(r"\b[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*[’']s\s+(?:[\w-]+\s+){0,2}?(?i:(?:super-?)?complaint)\b")
    m = _MAKER_Q.search(question)
    if m is None:
        return None
    noun = m.group("noun").lower().replace("super-complaint", "supercomplaint")
    noun = r"super-?complaint" if noun == "supercomplaint" else re.escape(noun)
    names = [w for w in re.findall(r"[\w’'-]+", m.group("work")[: m.start("noun") - m.start("work")])
             if w[0].isupper() and w.lower() not in _UBIQUITOUS]
    owner = r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*" if not names else \
        r"(?:[A-Z][\w.-]*\s+)*(?:" + "|".join(map(re.escape, names)) + r")"
    return re.compile(r"\b" + owner + r"[’']s\s+(?:[\w-]+\s+){0,2}?(?i:" + noun + r")\b")


# "who wrote the Race Action Plan?": the writers of that work, which a sentence giving them names
_WROTE_WORK_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:has\s+|had\s+)?(?:wrote|written|authored|drew up|drafted|produced|"
                           r"put together|came up with)\s+(?:the|that|this|its|their)\s+(?:[\w’'-]+\s+){0,4}?"
                           r"(?P<noun>plan|letter|report|review|article|strategy|charter|statement|study|document|piece|story)\b", re.I)


def _work_unwritten(cands: list[Candidate], m: re.Match | None, maker: re.Pattern | None) -> bool:
    """"Who wrote the Race Action Plan?" (``m``, from ``_WROTE_WORK_Q``) when the best sentence names no
    plan (the writers of a letter): the documents do not say who wrote it."""
    if m is None or not cands or maker is not None and any(maker.search(c.text) for c in cands):
        return False
    best = max(cands, key=lambda c: c.score)
    return not re.search(r"\b" + re.escape(m.group("noun")[:5]), best.text, re.I)


def _prefer(cands: list[Candidate], fits: Callable[[Candidate], bool], penalty: float) -> None:
    """Take ``penalty`` off each candidate that does not ``fit`` what is asked, when some do."""
    fitting = [fits(c) for c in cands]
    if any(fitting):
        for c, f in zip(cands, fitting):
            if not f:
                c.score -= penalty


def opening_row(index: LoadedIndex, doc_id: str) -> int:
    """The sentence row of a document's first full sentence (not its title, a dateline or a label)."""
    doc = index.documents[doc_id]
    table = index.sentences
    title = (doc.meta.title or "").strip()
    for row, start, end in zip(table.rows[doc_id], table.starts[doc_id], table.ends[doc_id]):
        text = doc.text[int(start) : int(end)]
        if text.strip() != title and len(text.split()) >= 8 and _TERMINAL.search(text):
            return int(row)
    return -1


def previous_sentence(index: LoadedIndex, doc_id: str, row: int) -> tuple[int, int] | None:
    """(start, end) in the document's text of the sentence before sentence ``row``, if any."""
    table = index.sentences
    i = row - table.rows[doc_id][0] - 1
    return None if i < 0 else (int(table.starts[doc_id][i]), int(table.ends[doc_id][i]))


def _pronoun_antecedent(index: LoadedIndex, c: Candidate) -> str:
    """The sentence before ``c`` when ``c`` opens with a pronoun ("He was charged": who "he" is), else ""."""
    before = previous_sentence(index, c.doc_id, c.row) if _PRONOUN_START.search(c.text) else None
    return index.documents[c.doc_id].text[before[0] : c.start] if before else ""


def next_sentence(index: LoadedIndex, doc_id: str, row: int) -> tuple[int, int] | None:
    """(start, end) in the document's text of the sentence after sentence ``row``, if any."""
    table = index.sentences
    i = row - table.rows[doc_id][0] + 1
    return None if i >= len(table.starts[doc_id]) else (int(table.starts[doc_id][i]), int(table.ends[doc_id][i]))


class ExtractiveAnswerer:
    """Composes short cited answers from the sentences of the retrieved passages."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._tainted: dict[tuple[str, str], bool] = {}

    # ----------------------------------------------------------------- candidates
    @staticmethod
    def _doc_freqs(index: LoadedIndex, words: Iterable[str], among: np.ndarray | None) -> tuple[int, dict[str, int]]:
        """How many passages there are, and how many of them hold each word (stemmed as BM25 sees it):
        the passages ``among`` marks (the question's neighbourhood), or all when None. Counted near the
        question, "London" stays a common word in a collection that also holds documents on other matters."""
        bm25 = index.bm25
        n = len(index.passages) if among is None else int(among.sum())
        out = {}
        for word in words:
            stems = bm25.tokens(word)
            out[word] = (bm25.doc_freq(stems[0]) if among is None else bm25.doc_freq_among(stems[0], among)) if stems else 0
        return max(1, n), out

    def _idf(self, index: LoadedIndex, words: list[str], among: np.ndarray | None = None) -> dict[str, float]:
        """Inverse document frequency of each word over the passages (``_doc_freqs``)."""
        n, dfs = self._doc_freqs(index, words, among)
        return {w: math.log(1 + (n - df + 0.5) / (df + 0.5)) for w, df in dfs.items()}

    def unknown_share(self, index: LoadedIndex, question: str, among: np.ndarray | None = None) -> float:
        """Share of the question's meaningful words that no passage (of ``among``, when given) contains."""
        words = set(content_words(question))
        if not words:
            return 0.0
        known = {w for w in words if index.bm25.tokens(w)}  # a word of stop words alone is neither
        _n, dfs = self._doc_freqs(index, known, among)
        # "who was it sent to?" is answered by "have written ... to": a word's family counts as the word
        unseen = [w for w, df in dfs.items() if df == 0]
        _n, kin = self._doc_freqs(index, [_FAMILY[w] for w in unseen if w in _FAMILY], among)
        return sum(not kin.get(_FAMILY.get(w, ""), 0) for w in unseen) / len(words)

    @staticmethod
    def _label_value(table, doc_id: str, row: int, text: str, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) of the short value line under a short label line ("Published on:"), if any."""
        label = text[start:end].rstrip()
        if not label.endswith(":") or len(label.split()) > 6:
            return None
        i = row - table.rows[doc_id][0] + 1
        if i >= len(table.starts[doc_id]) or table.starts[doc_id][i] - end > 4:
            return None
        v_start, v_end = table.starts[doc_id][i], table.ends[doc_id][i]
        if len(text[v_start:v_end].split()) > 12:
            return None
        return v_start, v_end

    def _addresses_model(self, index: LoadedIndex, doc_id: str) -> bool:
        """Does the document hold a prompt injection? Checked once per document and index generation."""
        return remembered(self._tainted, (index.generation.name, doc_id),
                          lambda key: looks_like_injection(index.documents[key[1]].text), limit=100_000)

    def unknown_name(self, index: LoadedIndex, question: str) -> bool:
        """Does the question name someone or something no passage mentions ("the Mayor of London")?
        A lone capitalised first word is how the question starts ("Roughly how many ..."), not a name."""
        first = question.split()[0].strip("\"'“‘(") if question.split() else ""
        for name in proper_names(question):
            if name == first:
                continue
            for word in name.split():
                if word.lower() in _TITLES or len(word) < 3 or _DATE.fullmatch(word) or word.lower() in _WEEKDAYS:
                    continue
                stems = index.bm25.tokens(word)
                if stems and index.bm25.doc_freq(stems[0]) == 0:
                    return True
        return False

    def _agent_silent(self, index: LoadedIndex, cands: list[Candidate], question: str,
                      asked: tuple[re.Pattern, str] | None) -> bool:
        """"How did Baroness Casey respond to the plan?": the best sentences must have the person
        asked about (``asked``, from ``_asked_agent``) speak or act (named in the sentence or the one
        before it; for a response, as the one who said or did something), else the documents do not say."""
        question = _ROLE_BEFORE_NAME.sub("", question)
        agent = _AGENT_Q.search(question) or _POST_AGENT_Q.search(question)
        if asked is None or not cands or agent is None:
            return False  # "the commissioner" may be quoted by name alone ("Sir Mark said"): no proof of silence
        named, verb = asked
        if agent.groupdict().get("agent") and agent.group("agent").lower().strip() in _UBIQUITOUS:
            return False  # what "the Met" does is mostly told of it ("criticised the Met for refusing ...")
        # "what did he say in reply to the letter?" asks for a response as "how did he respond?" does
        acts = verb in _RESPONSE_VERBS or bool(_IN_REPLY.search(question[agent.end() :]))
        # "what did the home secretary say?": a post's holder named only as the one written to has said nothing
        acts = acts or "agent" not in agent.groupdict()
        # a named person must speak in the best two sentences; a post ("a Met spokesperson") anywhere
        best = sorted(cands, key=lambda c: -c.score)[: None if agent.group("role") else 2]
        speaking = [c for c in best if self._names_agent(index, c, named, speaks=acts)]
        if not speaking:
            return True
        topic = _SAID_ABOUT.search(question[agent.end():])
        if topic is None or agent.group("role"):
            return False
        # "What did Jeremy Crook say about facial recognition?": he speaks, but never of that
        stems = _topic_stems(index, topic.group(1))
        said = [index.bm25.tokens.stem_set(c.text + " " + self._said_by_lead(index, c)) for c in speaking]
        return bool(stems) and not any(st and st <= s for st in stems for s in said)

    def _claim_unsupported(self, index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
        """"Is it true that the Met sacked officers over the Child Q strip search?", "Did Lucy McKay
        really call the plan a 'missed opportunity'?": a claim to check is supported only by a sentence
        (with the one before it) that has all it names: the people and things, dates and figures, the
        words it quotes and the act it reports. Without one, the documents do not confirm it."""
        m = _CLAIM_Q.match(question)
        if m is None or not cands:
            return False
        claim = question[m.end() :] if m.group("lead") else question
        named_in = claim if m.group("lead") else claim[1:]  # a question's capitalised first word is not a name
        names = [n for n in proper_names(named_in)
                 if n.lower().removeprefix("the ") not in _UBIQUITOUS and n.lower() not in _TITLES]
        pieces = [p for p in (_agent_pattern(n) for n in names) if p is not None]
        pieces += [re.compile(r"(?<![\w.,])" + re.escape(x.group(0)) + r"(?!\w)", re.I)
                   for x in _DATE.finditer(claim)]
        pieces += [re.compile(re.escape(q.strip()), re.I) for q in re.findall(r"[‘'“\"]([^’'”\"]{3,60})[’'”\"]", claim)]
        acts = _PARTICIPLE.findall(claim)
        if not pieces and not acts:
            return False
        for c in sorted(cands, key=lambda c: -c.score)[:5]:
            text = _pronoun_antecedent(index, c) + c.text
            if all(p.search(text) for p in pieces) and (not acts or reports_event(text, acts)):
                return False
        return True

    @staticmethod
    def _own_detail_first(index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
        """"What is ARE's charity number?", "where is Action for Race Equality based?": a line giving a
        number or an address in a document that body published (its footer) answers; it goes first."""
        if not cands or not _DETAIL_Q.search(question):
            return False
        asked = _detail_line(question)
        names = [n.lower() for n in proper_names(question[1:]) if n.lower() not in _UBIQUITOUS]
        own = [c for c in cands if asked.search(c.text) and any(
            n in (index.documents.meta(c.doc_id).source or "").lower() for n in names)]
        if not own:
            return False
        best = max(own, key=lambda c: c.score)
        best.score = max(c.score for c in cands) + 0.01
        cands.sort(key=lambda c: -c.score)
        return True

    def _thing_unknown(self, index: LoadedIndex, question: str) -> bool:
        """"What's Rowley's salary?": what is asked of someone is a thing no document mentions."""
        m = _POSSESSED_Q.search(question)
        thing = m and (m.group("thing") or m.group("of")).lower()
        if not thing or thing in _SAYING_WORDS or thing in STOPWORDS or not index.bm25.tokens(thing):
            return False
        _n, dfs = self._doc_freqs(index, [thing], None)
        return dfs[thing] == 0

    def _speaker_unknown(self, index: LoadedIndex, question: str) -> bool:
        """"What did the mayor say about the plan?", "what did sadiq khan say?": a speaker no document
        mentions has said nothing in them (whatever the best sentences say, someone else says it)."""
        m = _COMMON_AGENT_Q.search(question)
        if m is None:
            return False
        words = [w for w in content_words(m.group("agent"))
                 if w not in _UBIQUITOUS and w not in _INFORMAL_AGENTS and index.bm25.tokens(w)]
        _n, dfs = self._doc_freqs(index, words, None)
        return bool(words) and all(df == 0 for df in dfs.values())

    def _actor_absent(self, index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
        """"Has the IOPC opened an investigation into the Croydon arrest?": when neither of the best two
        sentences names the actor asked about (nor, for one opening with "he" or "it", the sentence
        before it), they tell of something else."""
        m = _YES_NO_ACTOR.match(question)
        if m is None or not cands or m.group("actor").lower().removeprefix("the ") in _UBIQUITOUS or \
                re.search(r"[’']s$", m.group("actor")):
            return False  # "did the Met's workshops ...?": the workshops, not the Met, are asked about
        named = _agent_pattern(m.group("actor"))
        if named is None:
            return False
        # "Did Simon Woolley attend the meeting ...?": a sentence naming him must also tell of the act
        # (a word of what the question says he did, names aside), not only that he signed a letter
        rest = question[m.end("actor") :]
        act = [set(index.bm25.tokens(w)) for w in content_words(_NAMES_IN.sub(" ", rest)) if w not in _UBIQUITOUS]
        act = [a for a in act if a]
        for c in sorted(cands, key=lambda c: -c.score)[:2]:
            before = _pronoun_antecedent(index, c)
            if named.search(c.text) or named.search(before):
                said = index.bm25.tokens.stem_set(c.text + " " + before)
                if not act or any(a <= said for a in act):
                    return False
        return True

    @staticmethod
    def _said_by_lead(index: LoadedIndex, c: Candidate) -> str:
        """For "Jeremy Crook said:", the quotation it opens (what he said), else nothing."""
        if not _LEAD_IN.search(c.text):
            return ""
        text = index.documents[c.doc_id].text
        return text[c.end : c.end + 700].split("\n\n\n")[0]

    def _event_unreported(self, index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
        """"Were any officers sacked over the Child Q strip search?": unless one of the best sentences
        reports that act, naming what the question names (or the sentence before it does), the
        documents do not say it happened (a sacking over another stop, Child Q's search with no sacking)."""
        participles = _asked_event(question)
        if not participles or not cands:
            return False
        # (not "the Met": nearly every sentence is about it, and it is also "the Metropolitan Police Service")
        names = [n for n in proper_names(question) if n.lower() not in _TITLES and n.lower() not in _UBIQUITOUS]
        named = _agent_pattern(" ".join(names)) if names else None
        for c in sorted(cands, key=lambda c: -c.score)[:3]:
            if not reports_event(c.text, participles):
                continue
            before = previous_sentence(index, c.doc_id, c.row)  # "He was charged": who "he" is
            if named is None or named.search(c.text) or before and named.search(index.documents[c.doc_id].text[before[0] : c.start]):
                return False
        return True

    def _count_out_of_place(self, index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
        """"How many of the deaths were in the Met's area?", "how many was it the year before?", "what
        was the pass rate in 2018?": a count narrowed to a place (``_COUNT_WHERE``) or another time
        (``_COUNT_WHEN``, ``_FIGURE_IN_YEAR``) that the best sentence's passage never names is a count
        the documents do not give, however close the figure they do give."""
        where, when = _COUNT_WHERE.search(question), _COUNT_WHEN.search(question) or _FIGURE_IN_YEAR.search(question)
        if cands and _TOTAL_Q.search(question):
            # "how many officers does the Met have?": "moving 240 officers" counts those moved, not all of them
            counting = [c for c in cands if _fits_slot(c)]
            if not counting:
                return False
            best = max(counting, key=lambda c: c.score)
            counts = _counts_of_the_asked(best.text, question, _numbers_not_asked(best.text, question.lower()))
            return bool(counts) and all(_ACTED_ON.search(best.text[: a]) for _v, a, _b in counts)
        if not cands or where is None and when is None:
            return False
        best = max(cands, key=lambda c: c.score)
        passage = index.passages[index.row_of[best.passage_id]].text
        if when:
            return not re.search(re.escape(when.group("when")), passage, re.I)
        stems = _topic_stems(index, where.group("where"))
        said = index.bm25.tokens.stem_set(passage)
        return bool(stems) and any(st and not st <= said for st in stems)

    def _prefer_the_speaker(self, index: LoadedIndex, cands: list[Candidate],
                            asked: tuple[re.Pattern, str] | None) -> None:
        """"What did Sir Mark Rowley say ...?": a sentence naming him only as the one written to or
        spoken of ("an open letter to Sir Mark Rowley") is not what he said, nor is someone else speaking."""
        if asked is None:
            return
        penalty, named = self.settings.answer_not_speaking_penalty, asked[0]
        for c in cands:
            if named.search(c.text) and not self._names_agent(index, c, named, speaks=True):
                c.score -= penalty
            elif _SPEAKS.search(c.text) and (not self._names_agent(index, c, named, speaks=False) or
                                             _another_speaks(c.text, named)):
                c.score -= penalty  # "They said they find it regrettable ...": someone else speaking

    def _prefer_the_asked_act(self, index: LoadedIndex, cands: list[Candidate], question: str) -> None:
        """"Were the officers who stopped them sacked?": a sentence that does not report a sacking is
        not the answer, nor, for "how often", one that gives no frequency; "what excuse ...?" wants
        the word, "what did they want?" a demand, "why?" a reason."""
        penalty = self.settings.answer_not_speaking_penalty
        participles = _asked_event(question)
        if participles:
            for c in cands:
                if not reports_event(c.text, participles):
                    c.score -= penalty
        s = self.settings
        focus = asked_focus(question)
        if focus:
            # "what excuse ...?": the sentence naming an excuse, not the scene; the word itself, singular
            # or plural (stems confuse "position" with "positive")
            forms = [re.escape(re.sub(r"(?<=[^s])s$", "", f)) for f in (focus, *_FOCUS_KIN.get(focus, ()))]
            word = re.compile(r"\b(?:" + "|".join(forms) + r")(?:s|es)?\b", re.I)
            _prefer(cands, lambda c: bool(word.search(c.text)), s.answer_focus_penalty)
        subject = _DOER_Q.search(question)
        if subject and subject.group(1).lower() not in _AGENT_NOUNS:
            # "what do victims stop doing?": a sentence where victims do something ("victims do not report crimes")
            doer = re.compile(r"\b" + re.escape(subject.group(1)[:-1]) + r"(?:s|es)?\b", re.I)
            _prefer(cands, lambda c: bool(doer.search(c.text)), s.answer_focus_penalty)
        phrase = _PHRASE_Q.search(question)
        if phrase and phrase.group("n"):  # "what two-word phrase did they use?": a sentence quoting one that long
            # (not any "what words ...?": the words asked for are often not in quotation marks)
            n = phrase.group("n").lower()
            words = _NUMBER_WORDS[n] if n in _NUMBER_WORDS else int(n)
            _prefer(cands, lambda c: _quotes_phrase(c.text, words), s.answer_focus_penalty)
        dated = dated_documents(question, index)
        if dated:  # "the 2022 letter": a sentence of the letter of that year (not of a report of a letter)
            _prefer(cands, lambda c: c.doc_id in dated, s.answer_focus_penalty)
        if _FIND_Q.search(question):  # "what did the Casey review find?": a sentence saying what it found
            _prefer(cands, lambda c: bool(_FOUND.search(c.text)), s.answer_focus_penalty)
        if _DEMAND_Q.search(question):  # "what did they want?": a sentence asking for something
            # "what did he want the new chief to reject?": or one that has the thing wanted done ("rejecting")
            wanted = _WANTED_ACT.search(question)
            done = re.compile(r"\b" + re.escape(wanted.group(1)[:5].lower()), re.I) if wanted else None
            _prefer(cands, lambda c: bool(_DEMAND.search(c.text) or done and done.search(c.text)), s.answer_demand_penalty)
        if _WHY_Q.search(question):  # "why did he refuse ...?": a sentence giving a reason
            _prefer(cands, lambda c: bool(_REASON.search(c.text)), s.answer_focus_penalty)
        kind = question_kind(question)
        if _OUTCOME_Q.search(question):  # "what was the outcome of the Bianca Williams case?": a sentence giving one
            _prefer(cands, lambda c: bool(_RESULT.search(c.text)), s.answer_focus_penalty)
        if _DETAIL_Q.search(question):  # "what is ARE's charity number?": the line giving one
            line = _detail_line(question)
            _prefer(cands, lambda c: bool(line.search(c.text)), s.answer_focus_penalty)
        if _CONTACT_Q.search(question):  # "who should journalists get in touch with?": the press contact line
            _prefer(cands, lambda c: bool(_CONTACT.search(c.text)), s.answer_focus_penalty)
        if kind == "when" and _PUBLIC_Q.search(question):  # "when did the search become public?": when it came to light
            _prefer(cands, lambda c: bool(_MADE_KNOWN.search(c.text)), s.answer_focus_penalty)
        if kind == "often":  # "How often ...?": a sentence giving a frequency
            _prefer(cands, lambda c: slot_match(c.text, question, "often"), penalty)
        if _DOCUMENT_NAMED.search(_REPORT_VERB.sub("", question)) and not _ABOUT_THE_WRITING.search(question) and \
                kind not in ("who", "when", "name", "brief"):
            # "What practice did the joint letter to the Home Secretary say ...?": the letter's first
            # sentence ("Today, three charities have written a joint open letter to the Home Secretary
            # ...") restates what names the letter, not what it says
            openings = {d: opening_row(index, d) for d in {c.doc_id for c in cands}}
            for c in cands:
                if c.row == openings[c.doc_id]:
                    c.score -= s.answer_opening_penalty
                    c.restates = True

    def _names_agent(self, index: LoadedIndex, c: Candidate, named: re.Pattern, speaks: bool) -> bool:
        """Is the agent ``named`` in the sentence or the one before it (with ``speaks``: as the one
        who said or did something, not as the one written to)?"""
        before = previous_sentence(index, c.doc_id, c.row)
        text = index.documents[c.doc_id].text
        prev = text[before[0] : c.start] if before else ""
        lead = quotation_lead(text, c.start)  # "Jeremy Crook said: “... This means rejecting ...”"
        if self._work_speaks(text, c.text, named):
            return True  # "The review called for a 'fundamental reset'" in a report on the Casey review
        author = index.documents[c.doc_id].meta.author
        if author and named.search(author) and not lead and not _SPEAKS.search(c.text):
            return True  # the writers of a letter speak through it, where it reports no one else's words
        # "the Casey review found ..." names the review, not Baroness Casey
        spans = [_TITLED_WORK.sub(" ", span) for span in (c.text, prev, lead)]
        if not speaks:
            return any(named.search(span) for span in spans)
        return any(agent_speaks(span, named) for span in spans)

    @staticmethod
    def _work_speaks(document: str, sentence: str, named: re.Pattern) -> bool:
        """"What did Casey say ...?": her review speaking ("The review called for ...") is her word,
        when the document names the review as hers ("the Casey review")."""
        said = _WORK_SAYS.search(sentence)
        if said is None:
            return False
        work = said.group(1).lower()
        return any(named.search(m.group(0)) and m.group(0).lower().endswith(work)
                   for m in _TITLED_WORK.finditer(document))

    def candidates(self, index: LoadedIndex, hits: list[Hit], query_vector: np.ndarray, query: str,
                   asked: str | None = None, speaker: str | None = None, passages: int | None = None,
                   among: np.ndarray | None = None) -> list[Candidate]:
        """Every sentence of the top passages, with the features the scorer reads. ``asked`` is the
        follow-up as typed when ``query`` is it resolved against the conversation: the words the
        resolution added say where to look, not what is asked, and weigh less in coverage."""
        seen: set[tuple[str, int]] = set()
        out: list[Candidate] = []
        words = sorted(set(content_words(query)))
        idf = self._idf(index, words, among)
        if asked is not None and asked != query:
            own = set(content_words(asked))
            idf = {w: v * (1.0 if w in own else self.settings.resolved_word_weight) for w, v in idf.items()}
        if speaker:
            # "How does Shabna Begum characterise the plans?": who speaks is checked on its own; the
            # sentence is chosen by what it says
            named = {w.lower() for w in re.findall(r"[\w’'-]+", speaker)}
            idf = {w: v * (0.0 if w in named else 1.0) for w, v in idf.items()}
        total = sum(idf.values()) or 1.0
        stems = {w: set(index.bm25.tokens(w)) for w in words}
        # "how many people died?" is answered by "the 23 deaths": a word's family counts as the word
        kin = {w: set(index.bm25.tokens(_FAMILY[w])) for w in words if w in _FAMILY} \
            if question_kind(query) in ("count", "who") else {}  # (not "how did he die?": the manner, not the toll)
        # "the £366m thing" is "the £366 million scheme"
        kin.update({w: set(index.bm25.tokens(f"{m.group(1)} {_UNITS[m.group(2)]}")) for w in words
                    if (m := _SHORT_AMOUNT.fullmatch(w))})

        covered: dict[tuple[str, int], float] = {}

        def coverage(doc_id: str, start: int, text: str) -> float:
            key = (doc_id, start)  # a sentence is often also the one before another candidate
            if key not in covered:
                sent_stems = index.bm25.tokens.stem_set(text)
                covered[key] = sum(idf[w] for w in words if stems[w] and stems[w] <= sent_stems or
                                   w in kin and kin[w] and kin[w] <= sent_stems) / total
            return covered[key]

        table = index.sentences
        top = hits[: passages or self.settings.answer_passages]
        details = bool(_DETAIL_Q.search(query))  # a footer's address or number answers nothing else
        dated = question_kind(query) == "when"
        rows = [index.row_of[h.passage.passage_id] for h in top]
        sims = np.asarray(index.passage_vectors[rows], dtype=np.float32) @ query_vector if rows else []
        passage_dense = {h.passage.passage_id: float(x) for h, x in zip(top, sims)}
        prev_rows: list[int] = []  # row of the sentence before each candidate, -1 for none
        for hit in top:
            p = hit.passage
            doc = index.documents[p.doc_id]
            if self._addresses_model(index, p.doc_id):
                continue  # a document that talks to a language model is not quoted as evidence
            title = (doc.meta.title or "").strip()
            spans = table.in_span(p.doc_id, p.start, p.end)
            for k, (row, start, end) in enumerate(spans):
                if (p.doc_id, start) in seen:
                    continue
                if doc.text[start:end].strip() == title:
                    continue  # the heading names the document; it answers nothing in it
                if not details and end - start <= 120 and CONTACT_LINE.search(doc.text, start, end) and \
                        not _TERMINAL.search(doc.text[start:end]):
                    continue  # an address or registration line (a footer's) tells of nothing asked
                seen.add((p.doc_id, start))
                text = doc.text[start:end]
                value = self._label_value(table, p.doc_id, row, doc.text, start, end)
                if value is not None and not dated and _DATELINE.match(text):
                    continue  # "Published on: 28/04/2022" tells when, not what a letter said about young people
                if value is not None:
                    # "Published on:" + "28/04/2022": a label is read with the value under it.
                    seen.add((p.doc_id, value[0]))
                    end, text = value[1], doc.text[start : value[1]]
                elif len(_ALPHA_WORD.findall(text)) < 3 or _NOT_AN_ANSWER.match(text) and not _NAMING_LINK.match(text) or (
                    len(text.split()) < 8 and not _TERMINAL.search(text) and "\n" not in text.strip()
                    and not _DATE.search(text) and not _LABELLED.match(text) and not _DETAIL.search(text)
                ):
                    # a dateline, a label or menu line ("Criminal Justice Alliance"), "Dear ...",
                    # "Find out more about ...": none of them answers anything
                    continue
                c = Candidate(row, p.doc_id, start, end, text, p.passage_id, hit.rank,
                              coverage=coverage(p.doc_id, start, text))
                before = spans[k - 1][1:] if k > 0 else previous_sentence(index, p.doc_id, row)
                prev_rows.append(-1 if before is None else row - 1)
                if before is not None:
                    c.prev_coverage = coverage(p.doc_id, before[0], doc.text[before[0] : before[1]])
                c.passage_dense = passage_dense[hit.passage.passage_id]
                out.append(c)
        if out:
            # One read of the sentence vectors for all candidates (and the sentences before them).
            vectors = np.asarray(table.vectors[[c.row for c in out]], dtype=np.float32)
            # A long quotation can hide who is speaking: the words outside it count too.
            dense = np.maximum(vectors @ query_vector, table.attributions.dot([c.row for c in out], query_vector))
            has_prev = [i for i, r in enumerate(prev_rows) if r >= 0]
            prev = np.asarray(table.vectors[[prev_rows[i] for i in has_prev]], dtype=np.float32) @ query_vector \
                if has_prev else np.zeros(0, dtype=np.float32)
            # "It includes a new stop and search charter ...": what "it" is stands in the sentence
            # before; read together (the mean of their vectors), they may match the question better.
            lift = self.settings.answer_anaphor_context
            leaning = [j for j, i in enumerate(has_prev) if _PRONOUN_START.search(out[i].text)]
            if lift and leaning:
                rows = [has_prev[j] for j in leaning]
                together = vectors[rows] + np.asarray(table.vectors[[prev_rows[i] for i in rows]], dtype=np.float32)
                together /= np.maximum(np.linalg.norm(together, axis=1, keepdims=True), 1e-9)
                gain = np.maximum(0.0, together @ query_vector - dense[rows])
                dense[rows] = dense[rows] + lift * gain
            for c, vec, d in zip(out, vectors, dense.tolist()):
                c.vector, c.dense = vec, d
            for i, d in zip(has_prev, prev.tolist()):
                out[i].prev_dense = d
        return out

    def score(self, cands: list[Candidate], kind: str, question: str = "") -> None:
        """Score each candidate with the fitted linear model over its features."""
        if not cands:
            return
        features = np.array([candidate_features(c, kind, question) for c in cands], dtype=np.float32)
        dense_order = np.argsort(-features[:, 1], kind="stable")
        dense_rank = np.empty(len(cands))
        dense_rank[dense_order] = np.arange(1, len(cands) + 1)
        features[:, FEATURES.index("dense_rank")] = 1.0 / dense_rank
        logits = features @ SCORER_WEIGHTS
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        for c, p, f in zip(cands, probabilities, features):
            c.score = float(p)
            c.features = f

    # ----------------------------------------------------------------- compose
    def assess(
        self,
        question: str,
        query: str,
        index: LoadedIndex,
        hits: list[Hit],
        query_vector: np.ndarray,
        avoid: set[tuple[str, int]] | None = None,
        speaker: str | None = None,
    ) -> tuple[str, list[Candidate], Judgement]:
        """The question's kind, its candidate sentences best first, and whether to answer at all.
        ``speaker``: whose words are asked for (a side of "how do A and B each ...?")."""
        kind = question_kind(question)
        member = _MEMBER_AGENT_Q.search(query)
        if member and not speaker:
            speaker = member.group("member")  # "the woman from Runnymede": "woman" says who, not what
        source = _source_person(query)
        if source and not speaker:
            speaker = source.group("agent")  # "According to Sir Mark Rowley, what ...?": his words, on what is asked
        # "According to the report of the letter ..., how many officers ...?": the source named says where
        # to look, not what is asked; its words weigh less in coverage (as words a follow-up's resolution adds)
        asked = _SOURCE_CLAUSE.sub("", question).strip() or question
        among = index.neighbourhood(query, query_vector)  # where word frequencies are counted
        cands = self.candidates(index, hits, query_vector, query, asked, speaker, among=among)
        self.score(cands, kind, query)
        if (kind in _TYPED or kind == "often") and len(hits) > self.settings.answer_passages and \
                not any(_fits_slot(c) for c in cands):
            # "How often will the public be told ...?": no sentence of the best passages gives a frequency;
            # the rest of the retrieved passages may
            cands = self.candidates(index, hits, query_vector, query, asked, speaker, passages=len(hits), among=among)
            self.score(cands, kind, query)
        judgement = judge(cands, self.unknown_share(index, query, among), kind, self.unknown_name(index, query), query)
        if self._own_detail_first(index, cands, query):
            judgement = Judgement(judgement.features, max(judgement.answerable, self.settings.answer_hedge))
        asked = _asked_agent(query, cands)  # the person asked about, parsed once for both uses below
        self._prefer_the_speaker(index, cands, asked)  # before judging silence: whoever speaks in the best
        if source and asked is not None and not _AGENT_Q.search(query):  # ... where he says it, not no one
            _prefer(cands, lambda c: self._names_agent(index, c, asked[0], speaks=True), self.settings.answer_not_speaking_penalty)
        met = _MET_ASKED.search(query)
        met_silent = False
        if met:
            # "what did the Met say about the letter?": what its spokesperson said, not what was said of it,
            # on what is asked; when it says nothing on that ("about Child Q"), the documents do not say
            topic = _MET_TOPIC.search(query[met.end() :])
            # the topic's words by their first five letters ("racism" is what "anti-racist" is about), not
            # the force's own names; a name the topic gives must be there too ("the IOPC report" is not
            # "the report in March")
            heads = {w[:5] for w in content_words(topic.group(1)) if w not in _UBIQUITOUS and w not in _FORCE_WORDS} \
                if topic else set()
            names = [_agent_pattern(n) for n in proper_names(topic.group(1)) if n.lower() not in _UBIQUITOUS] if topic else []

            def said(c: Candidate) -> bool:
                return _met_speaks(index, c) and (not heads or bool(heads & {w[:5] for w in _WORD_PARTS.findall(
                    c.text.lower())})) and all(n.search(c.text) for n in names if n is not None)
            met_silent = bool(heads) and not any(said(c) for c in cands)
            _prefer(cands, said, 1.0)
        if met_silent or self._agent_silent(index, cands, query, asked) or self._actor_absent(index, cands, query) or \
                self._speaker_unknown(index, query) or self._thing_unknown(index, query) or \
                self._claim_unsupported(index, cands, query) or \
                _no_outcome(cands, query) or _no_detail(cands, query) or \
                _about_another_group(cands, query) or _only_former_holders(cands, query) or \
                self._event_unreported(index, cands, query) or self._count_out_of_place(index, cands, query):
            judgement = Judgement(judgement.features, min(judgement.answerable, 0.05))
        self._prefer_the_asked_act(index, cands, query)
        if _BEFELL_Q.search(query):
            _prefer(cands, lambda c: _names_one_befallen(c.text), self.settings.answer_focus_penalty)
        maker = _possessed_work(query)
        written = _WROTE_WORK_Q.search(query)
        if _work_unwritten(cands, written, maker):
            judgement = Judgement(judgement.features, min(judgement.answerable, 0.05))
        elif written and maker is None:
            # a sentence not naming the work does not say who wrote it ("have written a joint open letter")
            noun = re.compile(r"\b" + re.escape(written.group("noun")[:5]), re.I)
            _prefer(cands, lambda c: bool(noun.search(c.text)), 1.0)
        elif maker is not None and any(maker.search(c.text) for c in cands):
            # the possessive states the maker; a sentence naming the work otherwise names others ("26
            # organisations criticised ... the Casey review")
            _prefer(cands, lambda c: bool(maker.search(c.text)), 1.0)
            judgement = Judgement(judgement.features, max(judgement.answerable, self.settings.answer_hedge))
        if kind == "count":
            # "how many signed the letter?": a sentence giving a count of them, over one naming some of them
            _prefer(cands, _fits_slot, self.settings.answer_focus_penalty)
        if avoid:
            # The sentence the pronoun's antecedent came from is what the follow-up asks about,
            # rarely its answer.
            subject = [part for n in proper_names(query) if n.lower() not in question.lower()
                       for part in n.split(" and ")]
            asked = {t for w in content_words(question) for t in index.bm25.tokens(w)}
            for c in cands:
                if (c.doc_id, c.start) not in avoid or subject and not any(n in c.text for n in subject):
                    continue
                if asked and len(asked & index.bm25.tokens.stem_set(c.text)) >= 0.8 * len(asked):
                    continue  # it says just what the follow-up asks ("what did she say ... uncover?")
                # A follow-up wants something new: the last answer again only when it holds
                # what this question asks for (the partner named beside the athlete).
                holds_slot = _fits_slot(c)
                c.score -= self.settings.followup_repeat_penalty * (0.25 if holds_slot else 1.0)
        cands.sort(key=lambda c: -c.score)
        return kind, cands, judgement

    def answer(
        self,
        question: str,
        query: str,
        index: LoadedIndex,
        hits: list[Hit],
        query_vector: np.ndarray,
        avoid: set[tuple[str, int]] | None = None,
        encode: Callable[[str], np.ndarray] | None = None,
    ) -> tuple[Answer, Judgement]:
        """An Answer for ``question`` (``query`` is the question resolved against the conversation).

        ``encode`` (text -> vector) lets a two-part question be answered part by part.
        """
        kind, cands, judgement = self.assess(question, query, index, hits, query_vector, avoid)
        about = answer_about(query, index, hits)
        if about is not None:
            return about, judgement
        if encode is not None:
            encode = functools.lru_cache(maxsize=8)(encode)  # a part judged below is encoded once, not again to answer it
        parts = split_question(query) if encode is not None else []
        if cands and len(parts) > 1 and judgement.answerable < self.settings.abstain_threshold:
            # "how much is it costing and how many pages is it?": each part judged on its own sentences
            judgement = max((self.assess(part, part, index, hits, encode(part))[2] for part in parts),
                            key=lambda j: j.answerable)
        if cands and _HOW_MANY.search(query) and 0.3 <= judgement.answerable < self.settings.abstain_threshold:
            conflict = self._counted_apart(index, hits, query_vector, query, cands)
            if conflict:  # sources counting what "how many X" asks differently: they do answer it, apart
                return self._render(question, index, hits, [[c] for c in conflict], True), judgement
        if not cands or judgement.answerable < self.settings.abstain_threshold:
            return self.abstain(question, index, hits), judgement

        options = alternatives(query)
        sides = self._sides(cands, options) if options else None
        if sides:
            answer = self._render(question, index, hits, [[c] for c in sides], conflict=len(sides) > 1)
            return self._hedged(answer, judgement), judgement
        if kind == "brief":
            cands = self._on_the_named_topic(index, cands, query)
        chosen = self._select(cands, kind, question, unsure=judgement.answerable < self.settings.answer_hedge)
        if len(parts) > 1:
            chosen = self._per_part(parts, index, hits, encode, chosen, sides=question_sides(query))
        groups = [[c] + self._corroborating(c, cands, chosen) for c in chosen]
        whole = kind not in _TYPED  # a name, date or figure needs no more than its sentence
        for g in groups:
            # "who criticised it?": "..., they criticised the plan" needs the sentence saying who "they" are
            reach = 100 if kind == "who" else 70
            g[0] = self._with_what_follows(index, self._with_antecedent(index, g[0], whole, max_words=reach,
                                                                        speaker=kind == "who"))
            if whole:
                g[0] = self._with_quotation_end(index, g[0])
        groups = _without_overlaps(groups, index)
        conflict = self._counted_apart(index, hits, query_vector, query, cands) if kind == "count" else None
        if conflict:
            groups = [[c] for c in conflict]
        answer = self._render(question, index, hits, groups, conflict is not None)
        if conflict:
            return answer, judgement  # sources giving the asked-for figure differently: that is the finding
        return self._hedged(answer, judgement), judgement

    def _hedged(self, answer: Answer, judgement: Judgement) -> Answer:
        """An answer the answerer is unsure of says so first (about half of these are wrong)."""
        if judgement.answerable >= self.settings.answer_hedge:
            return answer
        answer.answer = f"{HEDGE_TEXT} {answer.answer}"
        answer.notes.append("low confidence")
        return answer

    def _with_antecedent(self, index: LoadedIndex, c: Candidate, whole_quotes: bool = True,
                         max_words: int = 70, speaker: bool = False) -> Candidate:
        """"They criticised the plan ..." quoted with the sentence before it, which says who "they" are;
        with ``whole_quotes``, "... consent,” Dr Shabna Begum said" with the sentence opening the quotation;
        with ``speaker`` (who said it?), a paragraph going on with a quotation with the sentence before,
        which names who said it."""
        leans = leans_on_previous(c.text) or whole_quotes and quote_balance(c.text) < 0
        if not (leans or c.text.startswith(("“", '"'))):
            return c
        before = previous_sentence(index, c.doc_id, c.row)
        if before is None:
            return c
        text = index.documents[c.doc_id].text
        start, end = before
        if speaker and "\n" in text[end : c.start] and _SPEAKS.search(text, start, end) and \
                any(is_person(n) for n in proper_names(text[start:end])) and len(text[start : c.end].split()) <= max_words:
            return replace(c, start=start, text=text[start : c.end])  # "“Despite publishing ...”" after "..., Dr Shabna Begum ... was quoted as saying"
        if not leans and not _LEAD_IN.search(text[start:end]):
            return c  # a quotation opening without "Jeremy Crook, Vice Chair of EQUAL said:" before it
        if not _TERMINAL.search(text[start:end]):
            return c  # a heading or a label: not what the pronoun points to
        if len(text[start : c.end].split()) > max_words:
            return c
        return replace(c, start=start, text=text[start : c.end])

    @staticmethod
    def _with_what_follows(index: LoadedIndex, c: Candidate, max_words: int = 70) -> Candidate:
        """"Jeremy Crook, Vice Chair of EQUAL said:" says nothing by itself: it is quoted on to the
        first sentence of what it introduces, even in the next paragraph."""
        if not _LEAD_IN.search(c.text):
            return c
        after = next_sentence(index, c.doc_id, c.row)
        if after is None:
            return c
        text = index.documents[c.doc_id].text
        if len(text[c.start : after[1]].split()) > max_words:
            return c
        return replace(c, end=after[1], text=text[c.start : after[1]])

    def _with_quotation_end(self, index: LoadedIndex, c: Candidate, max_words: int = 70) -> Candidate:
        """"“The next Commissioner must rebuild ..." quoted on to the sentence that closes the quotation,
        when that is near enough."""
        if quote_balance(c.text) <= 0:
            return c
        table, text = index.sentences, index.documents[c.doc_id].text
        first = table.rows[c.doc_id][0]
        end = c.end
        for i in range(c.row - first + 1, len(table.starts[c.doc_id])):
            if "\n" in text[end : int(table.starts[c.doc_id][i])]:
                return c  # the paragraph ended with the quotation still open
            end = int(table.ends[c.doc_id][i])
            if len(text[c.start : end].split()) > max_words:
                return c
            if quote_balance(text[c.start : end]) <= 0:
                return replace(c, end=end, text=text[c.start : end])
        return c

    def _per_part(self, parts: list[str], index: LoadedIndex, hits: list[Hit], encode, chosen: list[Candidate],
                  sides: list[str] | None = None):
        """The best sentence for each part of "What did X say, and what does Y aim for?"; for
        "Do A and B agree on X?" (``sides`` A and B), each side in its own words."""
        out: list[Candidate] = []
        sides = sides if sides and len(sides) == len(parts) else None
        for i, part in enumerate(parts):
            _kind, cands, _judgement = self.assess(part, part, index, hits, encode(part),
                                                   speaker=sides[i] if sides else None)
            taken = {(x.doc_id, x.start) for x in out}
            fresh = [c for c in cands if (c.doc_id, c.start) not in taken]
            best = fresh[0] if fresh else None
            if sides and best is not None:
                close = [c for c in fresh if c.score >= best.score - 0.3]
                named = _agent_pattern(sides[i])
                # the side speaking (not written to, not spoken of), else from a source not yet quoted
                speaking = [c for c in close if named is not None and self._names_agent(index, c, named, speaks=True)]
                own = [c for c in close if c.doc_id not in {x.doc_id for x in out}]
                best = (speaking or own or [best])[0]
            if best is not None:
                out.append(best)
        if not out:
            return chosen
        return self._in_reading_order(out)

    def _sides(self, cands: list[Candidate], options: list[str]) -> list[Candidate] | None:
        """For "sexist or misogynistic?": the best sentence holding each option, when the sources hold them."""
        found: list[Candidate] = []
        for option in options:
            stem = _stem(option)[:6]
            pattern = re.compile(r"\b" + re.escape(stem), re.I)
            holder = next((c for c in cands[:12] if pattern.search(c.text)
                           and not any(pattern.search(o) for o in options if o != option and o.lower().startswith(stem.lower()))), None)
            if holder is not None and holder not in found:
                found.append(holder)
        if not found:
            return None
        return found

    def _select(self, cands: list[Candidate], kind: str, question: str, unsure: bool = False) -> list[Candidate]:
        """The best sentence, and more only for lists, overviews and two-part questions; when
        ``unsure`` (a hedged answer), the runner-up too, so the reader can judge."""
        s = self.settings
        if kind in _TYPED and cands and not _fits_slot(cands[0]):
            # "who is the commissioner?": on a near tie, the sentence naming one ("Commissioner Sir Mark
            # Rowley") leads, not one that only has the word ("charged the Commissioner with ...")
            fit = next((c for c in cands[1:] if _fits_slot(c) and c.score >= cands[0].score - s.answer_tie_margin), None)
            if fit is not None:
                cands = [fit] + [c for c in cands if c is not fit]
        if unsure and kind not in ("brief", "list"):
            other = next((c for c in cands[1:] if float(c.vector @ cands[0].vector) <= _SAYS_THE_SAME), None)
            return self._in_reading_order([cands[0]] + ([other] if other is not None else []))
        margin = s.answer_margin
        if kind == "brief":
            return self._overview(cands, s.answer_max_sentences_list + 1, 2 * s.answer_margin)
        if kind == "list":
            # a list one sentence gives with confidence ("two black athletes, Team GB runner Bianca
            # Williams and her partner ...") is joined only by sentences nearly as good
            limit = s.answer_max_sentences_list
            margin = s.answer_margin if cands[0].score >= s.answer_confident else 2 * s.answer_margin
        elif _MULTI_Q.search(question):
            limit = s.answer_max_sentences
        else:
            limit = 3 if kind == "other" else 2
            if kind in _TYPED or _CLAIM_Q.match(question):
                # one name, date or count, or the sentence bearing out a claim: a second only on a near tie
                margin = s.answer_tie_margin
        best = cands[0]
        chosen = [best]
        best_values = _slot_values(best.text, question) if kind in _TYPED and limit == 2 else set()
        rest = cands[1:]

        def follows(c: Candidate) -> bool:
            """Is ``c`` the sentence right after the best one?"""
            return c.doc_id == best.doc_id and c.row == best.row + 1

        def goes_on(c: Candidate) -> bool:
            """Is ``c`` the next sentence, going on about the best one ("She was ...")?"""
            return follows(c) and leans_on_previous(c.text)

        if kind == "other":
            # "We know that lack of trust damages ... . As the CJA's super-complaint highlights, it means
            # victims do not report crimes ...": the sentence going on about the best one comes next.
            rest.sort(key=lambda c: not goes_on(c))
            # "The letter challenged the idea that ‘expanding ... PCSOs’. Increasing the presence ... as
            # ‘clearly not [being] the solution’": a verbless fragment after it finishes its thought
            after = next((c for c in rest if follows(c)), None)
            if after is not None and _fragment(after.text):
                chosen.append(after)
                rest.remove(after)
        finished = len(chosen) - 1  # a fragment finishing the best sentence is part of it, not another sentence
        skipped_next = False
        for c in rest:
            if len(chosen) - finished >= limit:
                break
            going_on = kind == "other" and goes_on(c)
            if c.score < best.score - margin and not (going_on and c.dense >= best.dense):
                # "the woman who was arrested in front of her son" names the scene; "She was falsely
                # accused of ..." after it, matching the question as closely, says what happened
                if going_on:
                    skipped_next = True
                    continue  # (it was tried first, out of score order; the rest are in score order)
                break
            if skipped_next and c.restates:
                continue  # past a skipped sentence, not a document's first sentence restating what names it
            if kind == "other" and len(chosen) - finished >= 2 and c.score < best.score - s.answer_third_margin:
                break  # an open question's third sentence only when nearly as good as the best
            if kind == "other" and best.score >= self.settings.answer_confident and not going_on:
                break  # a confident best sentence stands alone, unless the next one goes on about it ("She was ...")
            if any(float(c.vector @ x.vector) > _SAYS_THE_SAME for x in chosen):
                continue  # says the same again
            if best_values and _slot_values(c.text, question) & best_values:
                continue  # a near tie that agrees with the best on a name, date or figure adds nothing
            chosen.append(c)
        if _LEAD_IN.search(best.text) and len(chosen) < limit + 1:
            # "Jeremy Crook, Vice Chair of EQUAL said:" needs the best of what he then said.
            said = [c for c in cands if c.doc_id == best.doc_id and 0 <= c.start - best.end < 700 and c not in chosen]
            if said:
                chosen.append(max(said, key=lambda c: c.score))
        # Read in document order within a source, best source first.
        return self._in_reading_order(chosen)

    @staticmethod
    def _in_reading_order(chosen: list[Candidate]) -> list[Candidate]:
        """In document order within a source, the best source first."""
        order = {doc: i for i, doc in enumerate(dict.fromkeys(c.doc_id for c in chosen))}
        return sorted(chosen, key=lambda c: (order[c.doc_id], c.start))

    @staticmethod
    def _on_the_named_topic(index: LoadedIndex, cands: list[Candidate], question: str) -> list[Candidate]:
        """"Give me an overview of the Met's Race Action Plan": sentences from documents that name
        the Race Action Plan, when some do; not a letter about recruiting a commissioner."""
        names = [re.sub(r"^.*?['’]s\s+", "", n) for n in proper_names(question)]  # "Met's Race Action Plan"
        names = [n for n in names if len(n.split()) >= 2 and n.lower() not in _UBIQUITOUS]
        texts = {c.doc_id: index.documents[c.doc_id].text.lower() for c in cands} if names else {}
        naming = [{d for d, text in texts.items() if n.lower() in text} for n in names]
        naming = [found for found in naming if found]
        if not naming:
            return cands
        narrowest = min(naming, key=len)  # the most telling name: "Race Action Plan", not "Home Secretary"
        return [c for c in cands if c.doc_id in narrowest]

    def _overview(self, cands: list[Candidate], limit: int, margin: float) -> list[Candidate]:
        """For "brief me on ...": full sentences, not headings, at most two from any one source (any
        number when one source alone is on the topic)."""
        full = [c for c in cands if c.features is None or c.features[FEATURES.index("heading")] == 0] or cands
        per_source = 2 if len({c.doc_id for c in full}) > 1 else limit
        chosen: list[Candidate] = []
        for c in full:
            if len(chosen) >= limit or c.score < full[0].score - margin:
                break
            if sum(x.doc_id == c.doc_id for x in chosen) >= per_source or \
                    any(float(c.vector @ x.vector) > _SAYS_THE_SAME for x in chosen):
                continue
            chosen.append(c)
        return self._in_reading_order(chosen)

    def _corroborating(self, c: Candidate, cands: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
        """Sentences in other documents that say the same thing."""
        out = []
        used = {x.doc_id for x in chosen}
        for other in cands:
            if other.doc_id == c.doc_id or other.doc_id in used or other in chosen:
                continue
            if float(other.vector @ c.vector) >= self.settings.corroboration_similarity:
                out.append(other)
                used.add(other.doc_id)
        return out

    def _counted_apart(self, index: LoadedIndex, hits: list[Hit], query_vector: np.ndarray, query: str,
                       cands: list[Candidate]) -> list[Candidate] | None:
        """``_disagreement`` among the candidates, else among the sentences of every retrieved passage:
        "how many organisations signed the letter?" finds "26" in the tenth passage, "Thirty" in the eighth."""
        conflict = self._disagreement(cands, query)
        rest = hits[self.settings.answer_passages :]
        if conflict or not rest:
            return conflict
        # only the passages not yet read (a sentence of two passages is read once, as the first had it)
        seen = {(c.doc_id, c.start) for c in cands}
        more = [c for c in self.candidates(index, rest, query_vector, query, passages=len(rest)) if (c.doc_id, c.start) not in seen]
        if not more:
            return None
        self.score(more, "count", query)
        return self._disagreement(sorted(cands + more, key=lambda c: -c.score), query)

    def _disagreement(self, cands: list[Candidate], query: str) -> list[Candidate] | None:
        """The best sentence per source giving the asked-for count, when the sources' counts differ.
        An age is about the person the question names ("how old was Oladeji Omishore?"): each side
        must name them too, or two unrelated ages look like a disagreement."""
        names = [n for n in proper_names(query) if is_person(n)] if re.search(r"\bhow old\b", query, re.I) else []
        subject = _agent_pattern(" ".join(names)) if names else None
        per_doc: dict[str, Candidate] = {}
        for c in cands:  # best first
            if c.score < self.settings.disagreement_min_score:
                break
            if c.doc_id not in per_doc and slot_match(c.text, query, "count") and (
                    subject is None or subject.search(c.text)):
                per_doc[c.doc_id] = c
        if len(per_doc) < 2:
            return None
        values = [asked_figures(c.text, query) for c in per_doc.values()]
        money = [bool(_SUM.search(c.text)) for c in per_doc.values()]
        if re.search(r"\bhow much\b", query, re.I) and len(set(money)) > 1:
            return None  # "how much ...?": a sum of money against a count of officers is no disagreement
        if any(not v for v in values) or all(v == values[0] for v in values) or set.intersection(*values):
            return None
        return list(per_doc.values())[:3]

    def _render(
        self, question: str, index: LoadedIndex, hits: list[Hit], groups: list[list[Candidate]], conflict: bool
    ) -> Answer:
        citations: list[Citation] = []
        numbers: dict[tuple[str, int], int] = {}
        parts: list[str] = []
        for group in groups:
            markers = ""
            for c in group:
                key = (c.doc_id, c.start)
                if key not in numbers:
                    numbers[key] = len(citations) + 1
                    meta = index.documents[c.doc_id].meta
                    citations.append(
                        Citation(numbers[key], c.doc_id, meta.title, meta.source, meta.date, c.text, c.start,
                                 c.end, c.passage_id)
                    )
                markers += f"[{numbers[key]}]"
            parts.append(f"{group[0].text} {markers}")
        if conflict:
            sides = "; ".join(parts)
            text = f"The sources disagree: {sides}"
        else:
            text = " ".join(parts)
        notes = ["sources disagree"] if conflict else []
        return Answer(question, text, False, citations, hits, notes=notes)

    def abstain(self, question: str, index: LoadedIndex, hits: list[Hit]) -> Answer:
        nearest = []
        for hit in hits[:3]:
            meta = index.documents[hit.passage.doc_id].meta
            label = f"“{meta.title}”" + (f" ({meta.date})" if meta.date else "")
            if label not in nearest:
                nearest.append(label)
        text = ABSTAIN_TEXT
        if nearest:
            text += " The nearest passages are in " + ", ".join(nearest) + "."
        return Answer(question, text, True, [], hits)
