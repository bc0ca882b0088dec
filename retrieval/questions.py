"""Reading the question: what kind of answer it asks for (a count, a date, a name, a list ...), its
parts and sides, and the person, act, thing or document it asks about."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.clean import POSTCODE
from retrieval.search import LoadedIndex
from retrieval.textutil import STOPWORDS, content_words, is_person, proper_names

if TYPE_CHECKING:
    from retrieval.scorer import Candidate

# "what is the budget ...?", "what was the reported cost ...?": a sum asked for as "how much" is
MONEY_Q = re.compile(r"\bwhat(?:'s|’s|\s+(?:is|was|are|were|will\s+be))\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?"
                     r"(?:budget|cost|costs|price|salary|pay|funding|spend|spending|bill|value)\b|"
                     r"\bwhat (?:salary|budget|price|sum|amount of money)\b|"
                     # "what does the plan cost?", "what's the plan costing?"
                     r"\bwhat\s+(?:does|did|will|would|do)\s+[^?]{2,60}?\s+cost\b|\bwhat(?:'s|’s|\s+is|\s+are)\s+[^?]{2,60}?\s+costing\b", re.I)
# "I've seen a different number quoted in another article": a count, the one another source gives
# "what figure does the other piece give?": a figure asked for, of what the conversation counted
FIGURE_Q = re.compile(r"\b(?:what|which)\s+(?:figure|number|total|count|tally)\b", re.I)
OTHER_FIGURE = re.compile(r"\b(?:different|another|other|second|alternative)\s+(?:number|figure|count|total|tally)\b", re.I)
_COUNT_Q = re.compile(r"\bhow (many|much|old|long|big|large)\b|\bwhat (number|percentage|proportion|share)\b|"
                      + OTHER_FIGURE.pattern + "|"
                      r"(?<!rise in the )(?<!fall in the )(?<!increase in the )(?<!drop in the )\bnumber of\b|"
                      + MONEY_Q.pattern, re.I)
_YEAR_Q = re.compile(r"\b(?:what|which|since what|since which|in what|in which) (?:exact |precise |specific |actual )?"
                     r"(?:year|date|month|day)\b", re.I)
_WHEN_Q = re.compile(r"^\W*(?:and |but |so |since |until )?when\b|^[^?]*\bwhen\W*$|\bwhen (?:did|was|were|is|are|will|does|do|has|have|had)\b|\bwhat (year|date|month|day)\b|\bwhich (year|date|month)\b", re.I)
# "which candidate ...?": a person asked for by what they are
PERSON_ASKED = r"candidate|person|individual|teacher|mp|politician|judge|home secretary|secretary|minister|commissioner|mayor"
_WHICH_AGENT = (r"which (?:[\w-]+ )?(group|organisation|organization|people|body|bodies|charity|campaign|newspaper|paper|"
                r"publication|outlet|commission|committee|watchdog|foundation|agency|" + PERSON_ASKED + r")\b")
_WHO_Q = re.compile(r"^\W*(?:and |but |so )?(?:who|whom|whose)\b|\b" + _WHICH_AGENT, re.I)
# "which body said the number of deaths had gone up?": who, though a count is named after it (one body; not
# "which two people are named among the deaths?", a list)
_LEADING_WHICH_AGENT = re.compile(r"^\W*(?:and |but |so )?which (?:[\w-]+ )?(?:group|organisation|organization|body|charity|"
                                  r"newspaper|paper|publication|outlet|commission|committee|watchdog|foundation|agency)\b",
                                  re.I)

# "Where did it happen?", "which part of London ...?": a place; not "where should the money go?"
_WHERE_Q = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?(?:where(?:'s|’s)?\b(?![^?]*\b(?:money|funds?|funding|cash|resources|"
                      r"budget|stand|go from here|next)\b)|(?:in\s+)?(?:which|what)\s+(?:part of london|boroughs?|city|cities|towns?|"
                      r"country|countries|areas?|districts?|county)\b)", re.I)

_LIST_Q = re.compile(
    r"\b(which|what) (?!does\b|was\b|has\b|is\b|this\b|its\b|his\b|us\b)[a-z]{3,}s\b(?! \w+ (worth|cost))|"
    r"\b(which|what) (?:(?!does|did|do|was|were|is|are|has|have|had|will|would|can|could|should|the|this|its|his|her)[a-z]+ )?"
    r"(groups|organisations|organizations|people|individuals|bodies|measures|changes|practices|powers|areas|"
    r"incidents|demands|criticisms|concerns|tactics|technologies|issues|examples|steps|deaths|names)\b|"
    r"\bwho (signed|were|are)\b|\blist\b|\bname (the|all|some)\b|\bwhat (are|were) the\b|\bwhat did .* (call|demand|urge|ask)",
    re.I,
)

# "What was the name of the woman...", "What is Baroness Casey's first name?", "who is the other ...":
# the answer must hold a name the question does not already give.
# places known by their names: "which school ...?" asks its name, not that it was a school
NAMED_PLACE = r"(school|hospital|station|street|road|estate|prison)"
ASKS_NAME = re.compile(r"\b(?:first |full |last |sur)?names? (?:of|did|was|is|were)\b|\b(?:first|full|last|sur)\s?name\b|"
                       r"\bwhat (?:is|was|were|are) (?:the |his |her |their |its )?names?\b|\bwho is the other\b|"
                       r"\w(?:['’]s|s['’])\s+names?\b|"  # "the officers' names"
                       r"\b(?:which|what) " + NAMED_PLACE + r"\b|"  # "which school was Child Q at?"
                       r"^\W*what(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+[^?]{3,80}?\s+(?:called|named|titled)\W*$", re.I)

TITLES = frozenset("dr sir dame lord lady baroness baron mr mrs ms prof commissioner chief the of and for".split())

# "How did Priti Patel respond to ...", "What did the Runnymede Trust say ...": a named agent's act.
AGENT_Q = re.compile(
    r"\b(?i:did|does|do|has|have|will|would)\s+(?P<agent>(?:the\s+|an?\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|of|for|and))*?"
    r"(?P<role>\s+(?:spokes(?:person|woman|man)|chair\w*|chief|director|commissioner|secretary|minister|officer|"
    r"leader|head|lawyer|campaigner)s?)?)"
    r"(?:’s|'s)?\s+(?:(?:ever|actually|publicly|formally|officially|already|later|then|personally|directly|"
    r"specifically|really|first|initially|herself|himself|themselves|itself)\s+)?"
    r"(?P<verb>say|respond|react|reply|send(?=\s+(?:a\s+|an\s+|any\s+)?(?:written\s+|formal\s+)?(?:reply|response|answer)\b)|"
    r"describe|think|make(?=\s+of\b)|feel|want|reckon|view|comment|have(?=\s+to\s+say\b)|"
    r"critici[sz]e|welcome|praise|call|propose|promise|announce|claim|tell|warn|express|voice|write|"
    r"admit|accept|reject|deny|recommend|conclude|argue|urge|demand|agree|refuse|apologi[sz]e|commit|justify|explain|"
    r"defend)\b"
)
# "Why did the commissioner say ...?": an agent named only by the post.
POST_AGENT_Q = re.compile(
    r"\b(?i:did|does|do|has|have|will|would)\s+(?i:the|an?)\s+(?P<role>(?i:spokes(?:person|woman|man)|chair\w*|"
    r"commissioner|home secretary|secretary|minister|watchdog|regulator|inspectorate))(?:’s|'s)?\s+(?:(?:ever|actually|publicly|formally|officially|"
    r"already|later|then)\s+)?(?P<verb>" + AGENT_Q.pattern.rsplit("(?P<verb>", 1)[1]
)
# "What did the woman from Runnymede say ...?": someone named only by the body they speak for.
MEMBER_AGENT_Q = re.compile(
    r"\b(?i:did|does|do|has|have|will|would)\s+(?i:the|an?)\s+(?P<member>(?i:woman|man|person|lady|guy|bloke|someone|"
    r"spokes(?:person|woman|man)|rep|representative|boss|head|chief))\s+(?i:from|at|of)\s+"
    r"(?P<agent>(?i:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)(?:’s|'s)?\s+(?:(?:ever|actually|publicly|formally|"
    r"officially|already|later|then)\s+)?(?P<verb>" + AGENT_Q.pattern.rsplit("(?P<verb>", 1)[1]
)
# "What did the mayor say ...?": a speaker typed in lower case, by a common noun (not a name)
COMMON_AGENT_Q = re.compile(
    r"\b(?i:did|does|do|has|have|will|would)\s+(?:(?:the|an?|any|some)\s+)?(?P<agent>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)"
    # ("what did deborah coles from Inquest say?": the person, whichever body she is from)
    r"(?:\s+(?:from|at|of)\s+(?:the\s+)?[\w’'-]+)?"
    r"(?:’s|'s)?\s+(?:(?:ever|actually|publicly|formally|officially|already|later|then)\s+)?(?P<verb>"
    + AGENT_Q.pattern.rsplit("(?P<verb>", 1)[1]
)

# "did Inquest spokeswoman Lucy McKay say ...?": the person ("Lucy McKay"), named after her body and post
ROLE_BEFORE_NAME = re.compile(r"\b(?:[A-Z][\w’'.-]*\s+){1,4}(?:spokes(?:woman|man|person)|chair(?:wo)?(?:man)?|vice chair|"
                              r"chief executive|co-chief executive|director|campaigner|lawyer|head)\s+(?=[A-Z][\w’'.-]*\s+[A-Z])")
_DOCUMENT_NOUN = re.compile(r"\b(plan|report|review|letter|strategy|document|article|charter|statement|study)s?\W*$", re.I)

# "According to Sir Mark Rowley, what ...?", "Sir Mark Rowley says what ...?": a person as the source
_NAME_WORDS = r"(?P<agent>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
_ACCORDING_Q = re.compile(r"(?i:\baccording to)\s+" + _NAME_WORDS + r"(?:’s|'s)?\s*,(?P<verb>)")
_SAYS_WHAT_Q = re.compile(r"^\W*" + _NAME_WORDS + r"\s+(?P<verb>says|said)\s+(?:what|that)\b")


def source_person(question: str) -> re.Match | None:
    """The person a question names as the source of what it asks (groups ``agent`` and ``verb``), or None
    (not for a body or a document: "according to the Guardian, ..." says where to look)."""
    m = _ACCORDING_Q.search(question) or _SAYS_WHAT_Q.search(question)
    return m if m and is_person(m.group("agent")) else None


def agent_pattern(agent: str) -> re.Pattern | None:
    """A pattern for the words that name ``agent`` ("Baroness Casey" -> "Casey"), or None."""
    words = [w for w in re.findall(r"[\w’'-]+", agent) if w.lower() not in TITLES and len(w) >= 3]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b") if words else None


def asked_agent(question: str, cands: list["Candidate"] = ()) -> tuple[re.Pattern, str] | None:
    """For "how did Priti Patel respond ...": a pattern naming the agent, and the verb asked about.
    None when no named agent is asked about, or the agent is a document ("what does the plan say").
    The candidates' fuller names for the agent count too: "Sir Mark" is "Rowley"."""
    question = ROLE_BEFORE_NAME.sub("", question)
    m = MEMBER_AGENT_Q.search(question) or AGENT_Q.search(question) or POST_AGENT_Q.search(question)
    if not m:
        m = source_person(question)
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
        if post in ("spokes", "repres") and qualifier and " ".join(qualifier).lower() not in UBIQUITOUS:
            # "the EQUAL spokesman": whoever speaks for EQUAL ("Jeremy Crook, Vice Chair of EQUAL said")
            said += r"|\b" + r"\W+".join(map(re.escape, qualifier)) + r"\b"
        holders = {n for c in cands for n in proper_names(c.text)
                   if is_person(n) and holds_post(c.text, n, post) and re.search(said, c.text, re.I)}
        words = [w for n in sorted(holders) for w in re.findall(r"[\w’'-]+", n) if w.lower() not in TITLES and len(w) >= 3]
        return re.compile(r"(?:" + "|".join([said, *(r"\b" + re.escape(w) + r"\b" for w in dict.fromkeys(words))]) + r")",
                          re.I), m.group("verb").lower()
    named = agent_pattern(m.group("agent"))
    if named is None:
        return None
    # "Baroness Casey’s Review" gives "Baroness Casey", not "Review"
    fuller = {re.split(r"[’']s\b", n)[0] for c in cands for n in proper_names(c.text) if named.search(n) and is_person(n)}
    if fuller:
        named = agent_pattern(" ".join([m.group("agent"), *sorted(fuller)])) or named
    return named, m.group("verb").lower()


# "the 2022 letter", "the July 2023 piece": a document named by the year it is dated
DATED_DOCUMENT = re.compile(r"\b(?:the|a|an|this|that)\s+(?:[A-Z][a-z]+\s+)?((?:19|20)\d{2})\s+(?:open\s+)?"
                             r"(letter|article|piece|story|report|coverage)\b", re.I)


def dated_documents(question: str, index: LoadedIndex, other_years: bool = False) -> set[str]:
    """The documents "the 2022 letter" or "the July 2023 piece" in ``question`` names: those dated that
    year, letters for a letter and other kinds for a piece, article or report (empty when none is named).
    With ``other_years``, the documents of that kind dated another year, which it does not name: a letter
    dated 2022 is not "the 2023 letter", which the documents may know only from reports of it."""
    dated = DATED_DOCUMENT.search(question)
    if dated is None:
        return set()
    year, letter = dated.group(1), dated.group(2).lower() == "letter"
    documents = index.documents

    def named(d: str) -> bool:
        dated_in = (documents.meta(d).date or "")[:4]
        return dated_in not in ("", year) if other_years else dated_in == year

    return {d for d in documents if named(d) and ("letter" in (documents.meta(d).kind or "").lower()) == letter}


# "Is it true that ...?", "Did X really ...?": a claim to check
CLAIM_Q = re.compile(r"^\W*(?:so\s+|and\s+|but\s+)?(?:(?P<lead>(?:is|was)\s+it\s+(?:really\s+)?(?:true|correct|right|accurate|"
                     r"the case)(?:\s+that)?)|(?:did|does|do|has|have|had|is|was|were)\s+[^?]{2,80}?\s+(?:really|actually)\b|"
                     r"(?:did|does|do|has|have|had|is|was|were)\b(?=[^?]*\s[‘'“\"][^’'”\"]{3,60}[’'”\"]))", re.I)
# (the chat cleaner drops "really": a yes-or-no question quoting words is a claim to check too)
# "more?", "tell me more", "go on": "what else?" about what the conversation is on
MORE_Q = re.compile(r"^\W*(?:and\s+|ok\s+|so\s+)?(?:(?:(?:can|could) you\s+)?tell me\s+|anything\s+|any\s*)?more"
                    r"(?:\s+(?:please|pls|info|detail|details))?\W*$|^\W*(?:go on|keep going|continue)\W*$", re.I)
# "what else did it find?", "who else signed it?", "more?": something the conversation has not said yet ("the
# other one" is often named in the same sentence)
ELSE_Q = re.compile(r"\belse\b|" + MORE_Q.pattern, re.I)
# "In your view, was Rowley right to ...?", "do you think the plan will work?", "is Rowley a good commissioner?",
# "should he resign?": the bot's own opinion or a verdict on someone, which no document gives ("would you tell
# me who signed it?" is a request, not an opinion asked)
OPINION_Q = re.compile(
    r"\b(?:in your (?:own |honest )?(?:view|opinion|judge?ment)|your (?:own |honest )?(?:view|opinion|take|verdict)\b|"
    r"(?:do|would) you (?:personally |honestly )?(?:think|reckon|believe|feel|say|recommend|advise|tell|trust|join)\b"
    r"(?!\s+(?:me|us)\b)|"
    r"(?:^|[,:]\s*)(?:is|was|are|were)\s+(?!it\b|that\b|this\b)(?:[\w'’.-]+\s+){1,4}?(?:an?\s+)?(?:good|bad|decent|fit|"
    r"great|terrible|competent|right|wrong)\s+(?:to\b|commissioner|leader|boss|plan|choice|idea|person|man|woman|job)|"
    r"\bshould\s+(?:[\w'’.-]+\s+){1,4}?(?:resign|quit|step down|be sacked|be fired|go)\b)", re.I)
# "Were the officers sacked?", "and has the Met apologised?": a yes-or-no question
YES_NO_Q = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?(?:has|have|had|did|does|do|is|was|were|are|will|would|can|could|"
                      r"should)\b", re.I)

# "What was the outcome of the super-complaint?", "What did the investigation conclude?": a result.
OUTCOME_Q = re.compile(r"\bwhat (?:was|were|is|are) the (?:outcome|result|verdict|findings?|conclusions?|ruling|decision)s?\b|"
                       r"\bwhat (?:came|has come|became) of\b|"
                       r"\bwhat (?:happened|has happened|happens|will happen) to (?:the |those |these |any |both )?"
                       r"(?:two |\w+ )?(?:officers?|constables?|policem[ae]n|police officers?)\b(?!['’])"  # (not "officers' pass rates")
                       # ("what happens to officers who call out ...?": what is done for any who do, not an outcome)
                       r"(?<!happens to officers)(?<!happens to constables)|"
                       r"\bwhat did .{3,120}? (?:conclude|find|decide|rule)\b", re.I)

# "Has the officer ... been charged?", "Were any officers sacked or disciplined over ...?", "... - was it
# upheld?": whether something was done. The participles say what; a relative clause's verb ("who shot",
# "who stopped them") says who, not what is asked.
# ("why were the officers in the Child Q case sacked?": the act it takes as told)
_EVENT_Q = re.compile(r"(?:^|[?;:,]\s*|\s[-–—]\s*)(?:and\s+|but\s+|so\s+)?(?:why\s+)?(?:has|have|had|was|were|is|are|"
                      r"(?:did|do|does)\s+(?:[\w’'-]+\s+){1,7}?(?:ever\s+)?(?:get|got))\s+(?P<rest>[^?]*)",
                      re.I)
# Only acts with consequences: "were any individuals named ...?" asks who, not whether an act happened.
PARTICIPLE = re.compile(r"(?<!\bwho )(?<!\bthat )(?<!\bwhich )\b(?:charged|prosecuted|convicted|acquitted|cleared|"
                        r"sacked|dismissed|fired|disciplined|suspended|sanctioned|reinstated|arrested|jailed|fined|"
                        r"investigated|upheld|overturned|rejected|accepted|withdrawn|apologi[sz]ed|compensated|paid|"
                        r"published|launched|implemented|adopted|approved|scrapped|banned|appointed|elected|resigned|"
                        r"signed|criticised|criticized|condemned|punished|removed|agreed(?=\s+to\b))\b")


# What a question's word for the thing asked is also called: "which familiar justification ...?" is an "excuse"
FOCUS_KIN = {"justification": ("excuse", "narrative"), "explanation": ("excuse", "narrative"),
             "line": ("excuse", "narrative"), "defence": ("excuse", "narrative"), "excuse": ("narrative",),
             "aim": ("ambition", "goal"), "goal": ("aim", "ambition"), "ambition": ("aim", "goal")}
# "What excuse did he ...?", "what kind of leadership ...?", "who's the press contact ...?": the thing asked for.
_FOCUS_Q = (
    re.compile(r"\b(?:what|which)\s+(?:kinds?|sorts?|types?|forms?)\s+of\s+([a-z]{4,})\b", re.I),
    re.compile(r"\b(?:what|which)\s+([a-z]{4,})\s+(?:did|does|do|was|is|were|are|has|have|had|will|would|should|could|"
               r"must|can)\b", re.I),
    re.compile(r"\bwho(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?(?:[a-z]+\s+)?([a-z]{4,})\s+(?:on|for|of|at|in|to|behind)\b",
               re.I),
    # "which commonly offered explanation for police misconduct ...?"
    re.compile(r"\b(?:what|which)\s+(?:[a-z]+\s+){1,2}?(" + "|".join(FOCUS_KIN) + r")\b", re.I),
    # "which section of stop and search ...?": the sentence naming a section
    re.compile(r"\b(?:what|which)\s+([a-z]{4,})\s+of\s+", re.I),
    # "what is Sir Mark Rowley's stated aim for the Met?": the sentence naming the aim
    re.compile(r"\bwhat(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*['’]s?\s+"
               r"(?:stated\s+|declared\s+|main\s+|overall\s+|own\s+|end\s+|ultimate\s+|long-term\s+|real\s+)?"
               r"(aims?|goals?|ambitions?|vision|mission|pledges?)\b", re.I),
)

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


# "Did the Met ever apologise to ...?", "will they scrap it?": the act asked about, by the participle
# PARTICIPLE knows it by; "did the family get compensation?": the act the noun names
_ACT_BASES = {
    "charge": "charged", "prosecute": "prosecuted", "convict": "convicted", "sack": "sacked", "dismiss": "dismissed",
    "fire": "fired", "discipline": "disciplined", "suspend": "suspended", "sanction": "sanctioned",
    "reinstate": "reinstated", "arrest": "arrested", "jail": "jailed", "fine": "fined", "investigate": "investigated",
    "uphold": "upheld", "overturn": "overturned", "reject": "rejected", "accept": "accepted", "withdraw": "withdrawn",
    "apologise": "apologised", "apologize": "apologized", "compensate": "compensated", "pay": "paid",
    "publish": "published", "implement": "implemented", "adopt": "adopted", "approve": "approved",
    "scrap": "scrapped", "ban": "banned", "appoint": "appointed", "resign": "resigned", "condemn": "condemned",
    "punish": "punished", "remove": "removed", "agree to": "agreed", "carry out": "carried out", "conduct": "conducted",
    "compensation": "compensated", "apology": "apologised",
}
_DID_ACT_Q = re.compile(r"(?:^|[?;:,]\s*|\bor\s+)(?:and\s+|but\s+|so\s+)?(?:did|do|does|will|would)\s+(?:[\w’'-]+\s+){1,7}?"
                        r"(?:ever\s+)?(?:get\s+(?:an?\s+|any\s+)?)?(?P<act>" + "|".join(_ACT_BASES) + r")\b", re.I)


# Words for works of one kind: "the report" may be "the review"
WORK_KINDS = (("report", "review", "study", "inquiry"), ("plan", "scheme", "strategy", "charter"),
              ("complaint", "super-complaint"), ("article", "document", "report"))


def asked_event(question: str) -> list[str]:
    """The participles of a yes/no question about whether something was done ("charged", "sacked",
    "disciplined"), or of a count of what was done about something named; or none."""
    if _ACTION_TAKEN_Q.search(question):
        return list(_DISCIPLINARY_ACTS)
    m = _EVENT_Q.search(question)
    if m is None and proper_names(question):
        m = _COUNT_EVENT_Q.search(question)
    found = [p.group(0) for p in PARTICIPLE.finditer(m.group("rest"))
             if not _RELATIVE_BEFORE.search(m.group("rest")[: p.start()])] if m else []
    if m and re.match(r"\W*(?:and\s+|but\s+|so\s+)?why\b", m.group(0), re.I):
        # "why were they sacked?" takes a sanction as told; "why was the plan published?" asks a reason
        found = [f for f in found if f.lower() in _SANCTIONS]
    if "punished" in found:  # "were any officers punished?": sacked, disciplined or charged
        found = [*found, *_DISCIPLINARY_ACTS]
    if not found and (act := _DID_ACT_Q.search(question)):
        return [_ACT_BASES[act.group("act").lower()]]
    return found


# "... the Met's reform plan that Dr Begum criticised?": a relative clause describes what is asked about, it does
# not ask whether that was done ("is it true that he was sacked?" does: no noun before "that")
_RELATIVE_BEFORE = re.compile(r"\b(?!(?:true|correct|right|accurate|case|say|says|said|claim|claims|claimed|heard|read|"
                              r"reported|think|thinks|believe|sure|known|news)\b)[a-z][\w’'-]*\s+(?:that|which|whom)\s+"
                              r"(?:(?![\w’'.-]+(?:ed|en)\s)[\w’'.-]+\s+){1,3}$", re.I)  # ("that searched Child Q": the clause has its verb)
# "What disciplinary action was taken against the officers who searched Child Q?": whether they were disciplined
_ACTION_TAKEN_Q = re.compile(r"\b(?:disciplinary\s+)?(?:action|measures|steps)\s+(?:was|were|has been|have been|had been)\s+"
                             r"taken\s+against\b|\bfac(?:e|ed|es|ing)\s+(?:any\s+)?(?:disciplinary\s+)?(?:action|proceedings|"
                             r"sanctions?|consequences)\b", re.I)
_SANCTIONS = frozenset("charged prosecuted convicted sacked dismissed fired disciplined suspended sanctioned arrested jailed "
                       "fined punished".split())
_DISCIPLINARY_ACTS = ("disciplined", "sacked", "charged")  # each stands for its group in slots._SAME_ACT ("suspended", "dismissed")

UBIQUITOUS = frozenset({"met", "police", "metropolitan police", "the met", "met police", "metropolitan police service", "mps"})

ROLE = re.compile(
    r"\b(chief|executive|director|chair|chairman|chairwoman|head|leader|spokes(?:person|woman|man)|president|"
    r"secretary|minister|commissioner|founder|editor|manager|ceo|officer|coordinator|campaigner|lawyer)\b",
    re.I,
)


def asked_role(q_lower: str) -> str | None:
    """The role a "who is the ...?" question asks about ("commissioner", "chair"), if any."""
    m = re.search(r"\bwho(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?((?:[\w-]+\s+){0,2}[\w-]+)", q_lower)
    role = ROLE.search(m.group(1)) if m else None
    if role is None:
        return None
    under = _UNDER_POST.search(m.group(1)[: role.start()])  # "who is the vice chair?": that post, not the chair
    return (under.group(0) if under else "") + role.group(1)[:6]


# "Vice Chair", "deputy commissioner", "former chief executive": another post than the one named after it
_UNDER_POST = re.compile(r"\b(?:vice|deputy|assistant|acting|interim|former)[\s-]+$", re.I)


ANOTHER = re.compile(r"\s(?:and|or|but|while)\s|[—–;]")


def holds_post(text: str, name: str, post: str) -> bool:
    """Is ``name`` given as holding ``post`` in ``text`` ("Met commissioner, Sir Mark Rowley"): the
    word for the post within 25 characters of the name?"""
    posts = [m.start() for m in re.finditer(r"\b" + re.escape(post), text, re.I)
             if _UNDER_POST.match(post) or not _UNDER_POST.search(text[max(0, m.start() - 12) : m.start()])]
    names = [i for m in re.finditer(re.escape(name), text) for i in (m.start(), m.end())]
    # "shot by a Met officer — and Oladeji Omishore": another person, not the officer
    return any(abs(p - i) <= 25 and not ANOTHER.search(text[min(p, i) : max(p, i)]) for p in posts for i in names)


HOW_MANY = re.compile(r"\bhow many ((?:[\w’'-]+\s+){0,2}[\w’'-]+)", re.I)
_OFTEN_Q = re.compile(r"\bhow (?:often|frequently|regularly)\b|\bat what (?:intervals?|frequency)\b", re.I)

# "What's the phone number or email for the press officer?": a number, an address or a link to reach them by
DETAIL_Q = re.compile(r"\b(?:(?:tele)?phone|mobile|contact|fax|charity|company|registration|registered)\s+(?:number|no\b)|"
                      r"\b(?:e-?mail|web)\s+address\b|"
                      r"\be-?mail\s+(?:for|of)\b|\bwebsite\b|\b(?:twitter|x) handle\b|"
                      r"(?:’s|'s|\btheir|\bits|\bthe|\ban|\bpostal|\boffice|\bstreet)\s+address\b|\baddress\s+(?:of|for)\b|"
                      r"\bwhere(?:’s|'s|\s+is|\s+are)\s+[^?]{2,60}?\s+(?:based|located)\b|"
                      # "where is Action for Race Equality's office?"
                      r"\bwhere(?:’s|'s|\s+is|\s+are)\s+[^?]{2,60}?\b(?:office|offices|headquarters|hq)\b", re.I)
DETAIL = re.compile(r"(?i:\d[\d ()-]{5,}\d|[\w.+-]+@[\w-]+\.\w|\bwww\.|https?://|(?<!\w)@\w{2,})|" + POSTCODE.pattern)
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


def detail_line(question: str) -> re.Pattern:
    """What a line giving the detail a question asks for looks like (any detail when it names none)."""
    return next((line for word, line in _DETAIL_KINDS if word.search(question)), DETAIL)


BRIEF_Q = re.compile(r"^\s*(brief me|give me (an|a) (overview|summary|briefing)|summari[sz]e|overview of|tell me about)", re.I)

# "... to be: sexist or misogynistic?", "did Casey call the Met sexist or misogynistic? need it for a slide"
_ALTERNATIVES = re.compile(r"(?:[:,]|\bbe|\bis it|\bwas it|\b(?:say|said|call|called|find|found)(?:\s+(?:it|them|the\s+Met)"
                           r"(?:\s+(?:was|is|were|as))?)?)"
                           r"\s+(?:the\s+|a\s+)?([\w’'-]+)\s+or\s+(?:the\s+|a\s+)?([\w’'-]+)\s*\?(?:\s+[^?]{0,80})?$", re.I)
_PART_SPLIT = re.compile(r"[,;]?\s+and\s+(?=(?:what|who|whom|which|when|where|why|how|does|did|do|is|was|are|were|has|have)\b)", re.I)


# "did Casey find the Met 'sexist' or 'misogynistic'?": two quoted words, each a side
_QUOTED_ALTERNATIVES = re.compile(r"[‘'“\"]([^’'”\"]{3,40})[’'”\"]\s+or\s+[‘'“\"]([^’'”\"]{3,40})[’'”\"]\s*\?\s*$")


# "Casey said the Met was racist, sexist and homophobic, right? or was it misogynistic": the claim's last word, or the other
_OR_WAS_IT = re.compile(r"\b([\w’'-]+)(?:,?\s+(?:right|yeah|no|innit))?\s*\?\s*or\s+(?:was|is|were|are)\s+(?:it|they|that)\s+"
                        r"(?:the\s+|a\s+)?([\w’'-]+)\s*\??\s*$", re.I)


def alternatives(question: str) -> list[str]:
    """The two options of "... to be: sexist or misogynistic?", else nothing."""
    m = _ALTERNATIVES.search(question) or _QUOTED_ALTERNATIVES.search(question) or _OR_WAS_IT.search(question)
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
    # "when did that happen, and when did it come out? (Child Q)": the conversation's topic, for each part
    topic = _TOPIC_ADDED.search(question)
    if topic:
        question = question[: topic.start()].rstrip() + "?"
    asked = _last_asked(question)
    framing = [w for w in dict.fromkeys(content_words(question[: len(question) - len(asked)]))
               if w not in asked.lower()]
    parts = [f"{p[:-1]} ({' '.join(framing[:8])})?" if framing else p for p in _split_asked(asked)]
    return [f"{p[:-1]} ({topic.group(1)})?" for p in parts] if topic else parts


_TOPIC_ADDED = re.compile(r"\s*\(([^()]+)\)\W*$")


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
    kinds = ((BRIEF_Q, "brief"), (ASKS_NAME, "name"), (_YEAR_Q, "when"), (_LEADING_WHICH_AGENT, "who"),
             (_COUNT_Q, "count"), (_OFTEN_Q, "often"),
             (_WHERE_Q, "where"),
             (_LIST_Q, "list"), (_LEADING_WHO, "who"), (_CONDITION_Q, "other"), (_WHEN_Q, "when"), (_WHO_Q, "who"))
    return next((kind for pattern, kind in kinds if pattern.search(question)), "other")


# "when should intimate searches be allowed to happen?": in what circumstances, not at what time
_CONDITION_Q = re.compile(r"\bwhen\s+(?:should|can|could|may|must|are|is)\b[^?]*\b(?:allowed|permitted|justified)\b|"
                          r"\bwhen\s+(?:should|can|could|may|must)\b[^?]*\b(?:happen|occur|take\s+place|be\s+used|"
                          r"be\s+carried\s+out)\b", re.I)


# "who did the Casey review?", "who made the super-complaint?": the maker of a work, which a possessive
# gives ("Baroness Casey’s Review", "the CJA’s ongoing super-complaint")
_MAKER_Q = re.compile(
    r"^\W*(?:and\s+|so\s+)?who\s+(?:(?:has|have|had)\s+)?(?:wrote|written|writes|did|does|led|leads|carried out|"
    r"conducted|authored|produced|made|makes|brought|filed|lodged|launched|published|commissioned|ran|headed|"
    r"was behind|is behind)\s+(?:the|that|this)\s+(?P<work>(?:[\w’'-]+\s+){0,4}?(?P<noun>review|report|inquiry|"
    r"super-?complaint|complaint|study|investigation|petition|audit))\W*$", re.I)

_COMPLAINED_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:has\s+|had\s+)?(?:complained|(?:made|filed|lodged|brought)\s+"
                           r"(?:a|the)\s+(?:super-?)?complaint)\b", re.I)


def possessed_work(question: str) -> re.Pattern | None:
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
             if w[0].isupper() and w.lower() not in UBIQUITOUS]
    owner = r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*" if not names else \
        r"(?:[A-Z][\w.-]*\s+)*(?:" + "|".join(map(re.escape, names)) + r")"
    return re.compile(r"\b" + owner + r"[’']s\s+(?:[\w-]+\s+){0,2}?(?i:" + noun + r")\b")


# "what did the Casey report say was wrong with the Met?": what a named review or report found
_WORK_SAID_Q = re.compile(
    r"\b(?:what|how)\s+(?:did|does|do|has|had)\s+(?:the\s+)?(?P<name>(?:[A-Z][\w’'-]*\s+){1,3})"
    r"(?:report|review|inquiry|investigation)\s+(?:say|said|find|found|conclude|call|describe|identify|label|show|decide)\b")
_WORK_NOUN = r"(?i:report|review|inquiry|investigation)"
_FINDING_VERB = r"(?i:found|finds|said|says|concluded|concludes|identified|identifies|called|calls|described|describes|" \
                r"labelled|labels|showed|shows|declared)"


def work_finding(question: str) -> tuple[re.Pattern, re.Pattern] | None:
    """For "what did the Casey report say ...?": a pattern for a sentence led by that work finding or saying
    something ("The Casey review found the Met ...", "The review called for ..."), not one in which others
    speak of it, and a pattern for the work's name (which a document speaking of "the review" must give);
    None for any other question."""
    m = None if _SOURCES_COMPARED.search(question) else _WORK_SAID_Q.search(question)
    names = [w for w in m.group("name").split() if w.lower() not in UBIQUITOUS] if m else []
    if not names:
        return None
    owner = "|".join(re.escape(_POSSESSIVE_END.sub("", w)) for w in names)
    led = rf"^\W*(?:(?:[\w’'-]+\W+){{0,4}}?(?:{owner})(?:[’']s)?\s+(?:[\w-]+\s+){{0,3}}?|(?i:the|this|her|his)\s+)"
    return re.compile(rf"{led}{_WORK_NOUN}\b[^.;]{{0,80}}?\b{_FINDING_VERB}\b"), re.compile(rf"\b(?:{owner})\b")


_POSSESSIVE_END = re.compile(r"[’']s$")
# "what does each report say the review found?": the sources' accounts of it, each in its own words
_SOURCES_COMPARED = re.compile(r"\b(?:differently|different(?:ly)? (?:words|ways)|each|both|reports|articles|sources|"
                               r"accounts|according to|compare|disagree|differ|vary|versions?)\b", re.I)


# "who wrote the Race Action Plan?": the writers of that work, which a sentence giving them names
WROTE_WORK_Q = re.compile(r"^\W*(?:and\s+|so\s+)?(?:who|which\s+(?:body|organi[sz]ation|group|watchdog|agency))\s+"
                          r"(?:has\s+|had\s+)?(?:wrote|written|authored|drew up|drafted|produced|put together|came up with|"
                          r"published|put out|released|issued)\s+(?:the|that|this|its|their)\s+(?:[\w’'-]+\s+){0,4}?"
                          r"(?P<noun>plan|letter|report|review|article|strategy|charter|statement|study|document|piece|story)\b", re.I)
