"""Refusal checks: the best sentences score well, yet do not answer the question (the person asked
about never speaks in them, the claim is not borne out, the act or count asked about is not reported
...). Each is True when the answerer should say the documents do not answer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.neighbours import LEAD_IN, previous_sentence, pronoun_antecedent, quotation_lead
from retrieval.questions import (
    AGENT_Q, CLAIM_Q, COMMON_AGENT_Q, DETAIL_Q, OUTCOME_Q, PARTICIPLE, POST_AGENT_Q, ROLE, ROLE_BEFORE_NAME, TITLES,
    UBIQUITOUS, agent_pattern, asked_event, detail_line, holds_post,
)
from retrieval.scorer import Candidate, best_first, fits_slot
from retrieval.search import LoadedIndex
from retrieval.slots import (
    DATE, GROUP, HEAD_ASKED, HEAD_OF_Q, SPEAKS, asks_share, counts_of_the_asked, gives_share, names_head,
    numbers_not_asked, reports_event, work_speaks, written_to,
)
from retrieval.textutil import STOPWORDS, content_words, is_person, proper_names, word_heads

if TYPE_CHECKING:
    from retrieval.answer import ExtractiveAnswerer

# "What's Rowley's salary?": a thing of someone's that no document mentions (unless it is a way of
# asking what they said or do: their view, role, response)
_POSSESSED_Q = re.compile(r"\bwhat(?:’s|'s|\s+(?:is|was|are|were))\s+(?:the\s+)?[\w-]+(?:’s|'s|s’|s')\s+(?:[a-z][\w-]+\s+)?"
                          r"(?P<thing>[a-z][\w-]{2,})\W*$|\bwhat(?:’s|'s|\s+(?:is|was))\s+the\s+(?P<of>[a-z][\w-]{2,})\s+of\s+",
                          re.I)
# "who was Rowley's predecessor?": a person named by their relation to someone
_WHO_POSSESSED_Q = re.compile(r"\bwho(?:’s|'s|\s+(?:is|was|are|were))\s+(?:the\s+)?[\w-]+(?:’s|'s|s’|s')\s+"
                              r"(?P<thing>[a-z][\w-]{2,})\b", re.I)
_SAYING_WORDS = frozenset("view views stance position take opinion opinions response reaction reply answer role job title "
                          "name problem problems issue issues excuse reason reasons argument arguments point points "
                          "message line verdict conclusion conclusions finding findings aim aims goal goals plan plans "
                          "promise promises pledge target targets criticism complaint concern concerns "
                          # figures the documents give without the word ("£366 million", "15-year-old")
                          "cost costs price worth value spend spending age size length duration".split())
# "did the boss accept it?": slang for someone the documents name otherwise (the Commissioner)
_INFORMAL_AGENTS = frozenset("boss bosses gaffer guv guvnor cop cops copper coppers guy guys bloke blokes lady fella folks".split())
# "does anyone say youth projects should get money?": whoever says it, not someone of that name
_ANYONE = frozenset("anyone anybody someone somebody everyone everybody nobody people".split())

_RESPONSE_VERBS = frozenset({"respond", "react", "reply", "send", "comment", "recommend", "conclude", "agree", "refuse",
                             "write"})

# Capitalised names ("the Runnymede Trust"), set aside when reading what an actor is asked to have done
_NAMES_IN = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of|for|and|the)?\s*[A-Z][\w’'-]*)*")

# "Has the IOPC opened ...?", "Did Priti Patel reply ...?": a yes-or-no question about what a named actor did
_YES_NO_ACTOR = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?(?i:has|have|had|did|does|do|is|was|were|will|would)\s+"
                           r"(?P<actor>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|of|for))*)\s+(?:ever\s+|already\s+)?[a-z]")

RESULT = re.compile(r"\b(?:found|finds|concluded|concludes|conclusions?|findings?|ruled|decided|decision|outcome|"
                    r"results?|resulted|verdict|upheld|rejected|cleared|dismissed|sacked|guilty|convicted|acquitted|"
                    r"amounted|ordered|fined)\b", re.I)


def about_another_group(cands: list["Candidate"], question: str) -> bool:
    """"What change in pass rates for Asian officers ...?": the best sentence speaks of another group
    ("pass rates for black officers") and not of the one asked about; the documents do not say."""
    # "Alongside the rise for black officers, what pass rate did white officers achieve?": the group the
    # question asks about, not the one its opening clause recalls
    main = re.search(r",\s*(?:and\s+)?(?:what|which|how|who|when|where)\b", question)
    asked = {g.lower() for g in GROUP.findall(question[main.start() :] if main else question)}
    if not asked or not cands:
        return False
    groups = {g.lower() for g in GROUP.findall(max(cands, key=lambda c: c.score).text)}
    return bool(groups) and not groups & asked


def no_outcome(cands: list["Candidate"], question: str) -> bool:
    """A question asking for an outcome whose best sentences report none (only that something is
    "ongoing" or was "highlighted"): the documents do not give it."""
    if not cands or not OUTCOME_Q.search(question):
        return False
    return not any(RESULT.search(c.text) for c in best_first(cands, 2))


# "who runs Operation Black Vote now?": the one in the post today, whom "the former chief executive" is not
_CURRENT_HEAD_Q = re.compile(HEAD_ASKED.format(was="", posts="head|chief|leader|director|boss|chief executive|chair") + r"\b",
                             re.I)
_FORMER = re.compile(r"\b(?:former|ex-|previous|outgoing|one-time)\s*(?:[\w-]+\s+){0,2}?(?:chief executive|chief|head|leader|"
                     r"director|chair(?:man|woman)?|boss|commissioner|secretary|president)\b", re.I)


def only_former_holders(cands: list["Candidate"], question: str) -> bool:
    """"Who runs Operation Black Vote now?" when the best sentences name only a former chief executive:
    the documents do not say who runs it."""
    if not cands or not _CURRENT_HEAD_Q.search(question):
        return False
    best = max(cands, key=lambda c: c.score).text
    return bool(_FORMER.search(best)) and not ROLE.search(_FORMER.sub(" ", best))


def no_detail(cands: list["Candidate"], question: str) -> bool:
    """A question asking for a phone number, an email address or a website whose best sentences give
    none (a press contact's name only): the documents do not give it."""
    if not cands or not DETAIL_Q.search(question):
        return False
    line = detail_line(question)
    return not any(line.search(c.text) for c in best_first(cands, 3))


def _topic_stems(index: LoadedIndex, text: str) -> list[set[str]]:
    """The stems of each word of ``text`` that says what it is about ("facial recognition", "the Met's
    area" -> "area"): the Met and London are everywhere in these documents and tell nothing."""
    return [set(index.bm25.tokens(w)) for w in content_words(text)
            if w not in UBIQUITOUS and w not in ("london", "metropolitan")]


# "... say in reply to the letter?", "... say back to it?": a response asked for
_REPLY = r"in (?:reply|response|answer)"
_IN_REPLY = re.compile(r"\b" + _REPLY + r"\b|^\s*back\b", re.I)
_SAID_ABOUT = re.compile(r"\b(?:about|of|on|regarding|" + _REPLY + r" to)\s+(?:the\s+)?([^?]{3,80})|"
                         # "what does Rowley think will rebuild trust?": what he says will do that
                         r"^\s*(?:will|would|could|can|should|must|is going to)\s+((?:[\w’'-]+\s+){0,6}[\w’'-]+)\W*$", re.I)

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


# "What did Child Q's family say about the plan?": someone known only as a named person's relative or lawyer
_RELATIVE_Q = re.compile(r"\b(?:did|does|do|has|have|had|will|would)\s+(?:the\s+)?"
                         r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*[’']s?\s+"
                         r"(?P<relative>family|families|mother|father|parents|mum|dad|relatives|lawyers?|solicitors?|"
                         r"friends?|son|daughter|husband|wife|partner|brother|sister)\s+(?:ever\s+|actually\s+)?"
                         r"(?:say|said|think|thought|respond|react|comment|make of|feel)\b")


def relative_silent(cands: list[Candidate], question: str) -> bool:
    """"What did Child Q's family say about the Race Action Plan?": unless one of the best sentences has
    that relative (or lawyer) speak, the documents do not give their words (the Commissioner's are not)."""
    m = _RELATIVE_Q.search(question)
    if m is None or not cands:
        return False
    relative = re.compile(r"\b" + re.escape(m.group("relative")[:4]), re.I)
    return not any(relative.search(c.text) and SPEAKS.search(c.text) for c in best_first(cands, 3))


def no_head_named(cands: list[Candidate], question: str) -> bool:
    """"Who runs the Criminal Justice Alliance?" when no sentence names whoever leads it."""
    return bool(cands) and HEAD_OF_Q.match(question) is not None and not any(names_head(c.text, question) for c in cands)


# "Who was commissioner before Rowley?", "who took over from him?", "who will replace Mark Rowley?": whoever held
# the post before or after the one named. Taking over, replacing, stepping down say so alone; "before", "after",
# "left" only with the post asked ("who spoke after Rowley?" is no succession).
_SUCCEEDS = r"took over from|take over from|taking over|take over|took over|replaced?s?|replacing|predecessor|successor|" \
            r"succeeded|steps? down|stepped down|stepping down"
_POSTS = r"commissioners?|heads?|chiefs?|leaders?|chair(?:man|woman|person)?|directors?|boss|secretary"
_SUCCESSION_Q = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?(?:who|whom)\b(?:[^?]*?\b(?:" + _SUCCEEDS + r")\b|"
                           r"(?=[^?]*\b(?:" + _POSTS + r")\b)[^?]*?\b(?:before|after|prior to|leaves|left|retired?s?)\b)", re.I)
_POST_WORD = re.compile(r"\b(?:" + _POSTS + r")\b", re.I)
_POST_NAMES = ("commissioner", "head", "chief", "leader", "chair", "director", "boss", "secretary")


def successor_unnamed(cands: list[Candidate], question: str) -> bool:
    """"Who was Met commissioner before Sir Mark Rowley?": unless one of the best sentences names another holder of
    the post asked (or, when none is, of the post the named person holds), the documents do not say who came before
    or after."""
    if not cands or _SUCCESSION_Q.search(question) is None:
        return False
    named = {n.split()[-1] for n in proper_names(question)}  # "Rowley", "Mark Rowley": by surname
    if not named:
        return False  # "who took over after the letter?": no holder named to tell apart
    people = [(c.text, n) for c in best_first(cands, 3) for n in proper_names(c.text) if is_person(n)]
    posts = {p.lower().rstrip("s") for p in _POST_WORD.findall(question)} or \
        {post for post in _POST_NAMES for text, n in people if n.split()[-1] in named and holds_post(text, n, post)}
    return not any(n.split()[-1] not in named and holds_post(text, n, post) for post in posts for text, n in people)


# "How do I make a complaint to the IOPC?", "what's the process for complaining?": how to complain, which only a
# sentence speaking of complaints can tell ("a super-complaint" is one body's, not a way for anyone to complain)
_HOW_TO_COMPLAIN = re.compile(r"\bhow\s+(?:do|can|could|should|would|does|to)\b[^?]{0,60}?\bcomplain|"
                              r"\b(?:process|procedure|way|steps?)\s+(?:for|to|of)\s+(?:making\s+a\s+|make\s+a\s+)?complain",
                              re.I)
_COMPLAINING = re.compile(r"(?<![\w-])complain", re.I)


def complaint_route_unknown(cands: list[Candidate], question: str) -> bool:
    """"How do I complain to the IOPC about a Met officer?" when none of the best sentences speaks of complaining:
    the documents do not say how."""
    return bool(cands) and _HOW_TO_COMPLAIN.search(question) is not None and \
        not any(_COMPLAINING.search(c.text) for c in best_first(cands, 3))


# "Who commissioned Baroness Casey's review?": who ordered the work, which its author ("Casey's") is not
_COMMISSIONED_Q = re.compile(r"^\W*(?:and\s+|so\s+)?(?:who|which\s+[\w-]+)\s+(?:had\s+|has\s+)?(?:commissioned|ordered|"
                             r"asked for|set up|requested)\s+(?:[\w’'-]+\s+){1,5}?"
                             r"(?:review|report|inquiry|investigation|study)\b", re.I)
_COMMISSIONING = re.compile(r"\b(?:commissioned|ordered|requested|set up)\b|\basked\s+(?:[\w’'-]+\s+){0,4}?to\s+"
                            r"(?:review|report|look|investigate|examine|lead)\b")


def commissioner_unnamed(cands: list[Candidate], question: str) -> bool:
    """"Who commissioned the Casey review?" when no sentence tells of anyone commissioning or ordering a work: the
    documents do not say who did."""
    return bool(cands) and _COMMISSIONED_Q.search(question) is not None and \
        not any(_COMMISSIONING.search(c.text) for c in cands)


# "the plan launched by the Met", "the letter which was coordinated by the Runnymede Trust", "ARE, EQUAL and
# the CJA have written a joint open letter", "the Met has set out plans": who made the work
_MADE_BY = r"(?:written|drawn up|drafted|launched|published|produced|unveiled|set out|released|issued|signed|" \
           r"co-?ordinated|commissioned|authored|created|developed|made|led|carried out|conducted)\s+by\b"
_HAS_MADE = r"\b(?:has|have|had)\s+(?:jointly\s+|now\s+)?(?:written|drawn up|drafted|published|set out|unveiled|" \
            r"released|issued|produced)\s+(?:[\w’'£-]+\s+){0,6}?"


def names_maker(text: str, noun: str) -> bool:
    """Does ``text`` say who made the ``noun`` (a plan, a letter): by whom, or who has written it?
    "They criticised the recently launched New Met for London plan" names the plan, not its maker."""
    work = re.escape(noun[:5]) + r"\w*"
    return bool(re.search(r"\b" + work + r"\b[^.;“”]{0,60}?\b" + _MADE_BY, text, re.I) or
                re.search(r"\b" + re.escape(noun) + r"s?\s+by\b", text, re.I) or  # "a report by the IOPC"
                re.search(_HAS_MADE + work, text, re.I))


def work_unwritten(cands: list[Candidate], m: re.Match | None, maker: re.Pattern | None) -> bool:
    """"Who wrote the Race Action Plan?" (``m``, from ``WROTE_WORK_Q``) when no sentence says who made
    such a work (the writers of a letter do not write a plan): the documents do not say who wrote it."""
    if m is None or not cands or maker is not None and any(maker.search(c.text) for c in cands):
        return False
    return not any(names_maker(c.text, m.group("noun")) for c in cands)


def agent_silent(answerer: ExtractiveAnswerer, index: LoadedIndex, cands: list[Candidate], question: str,
                 asked: tuple[re.Pattern, str] | None) -> bool:
    """"How did Baroness Casey respond to the plan?": the best sentences must have the person
    asked about (``asked``, from ``asked_agent``) speak or act (named in the sentence or the one
    before it; for a response, as the one who said or did something), else the documents do not say."""
    question = ROLE_BEFORE_NAME.sub("", question)
    agent = AGENT_Q.search(question) or POST_AGENT_Q.search(question)
    if asked is None or not cands or agent is None:
        return False  # "the commissioner" may be quoted by name alone ("Sir Mark said"): no proof of silence
    named, verb = asked
    if agent.groupdict().get("agent") and agent.group("agent").lower().strip() in UBIQUITOUS:
        return False  # what "the Met" does is mostly told of it ("criticised the Met for refusing ...")
    # "what did he say in reply to the letter?" asks for a response as "how did he respond?" does
    acts = verb in _RESPONSE_VERBS or bool(_IN_REPLY.search(question[agent.end() :]))
    # "what did the home secretary say?": a post's holder named only as the one written to has said nothing
    acts = acts or "agent" not in agent.groupdict()
    # a named person must speak in the best two sentences; a post ("a Met spokesperson") anywhere
    best = best_first(cands, None if agent.group("role") else 2)
    speaking = [c for c in best if answerer.names_agent(index, c, named, speaks=acts)]
    if not speaking:
        return True
    topic = _SAID_ABOUT.search(question[agent.end():])
    if topic is None or not topic.group(1) or agent.group("role"):
        return False  # (what he says will rebuild trust is looked for by ``says_what_will``)
    # "What did Jeremy Crook say about facial recognition?": he speaks, but never of that
    # the topic's words, or their first five letters ("racism" is what "anti-racist" is about); most of
    # them, in what one of them says ("the plan" alone is not "the Runnymede Trust's open letter
    # criticising the plan")
    words = [w for w in content_words(topic.group(1)) if w not in UBIQUITOUS and w not in ("london", "metropolitan")]
    # a word no passage holds ("afterwards") is the asker's phrasing, not what he is asked to speak of
    words = [w for w, df in answerer.doc_freqs(index, words, None)[1].items() if df]
    stemmed = _stemmed(index, words)
    return bool(words) and not any(_says_the_words(index, c, stemmed) for c in speaking)


def _stemmed(index: LoadedIndex, words: list[str]) -> list[tuple[str, set[str]]]:
    """Each of ``words`` with its stems as BM25 sees them."""
    return [(w, set(index.bm25.tokens(w))) for w in words]


def _says_the_words(index: LoadedIndex, c: Candidate, words: list[tuple[str, set[str]]]) -> bool:
    """Does ``c`` (with what leads into its quotation) hold most of ``words`` (each with its stems, from
    ``_stemmed``), or their first five letters?"""
    text = c.text + " " + _said_by_lead(index, c)
    said, heads = index.bm25.tokens.stem_set(text), word_heads(text)
    return sum(bool(st) and st <= said or w[:5] in heads for w, st in words) * 2 >= len(words)


def what_will(question: str) -> list[str]:
    """"What does Rowley think will rebuild trust?": the words of what he is asked to say will happen ("rebuild",
    "trust"); none for any other question."""
    agent = AGENT_Q.search(question)
    topic = _SAID_ABOUT.search(question[agent.end():]) if agent else None
    if topic is None or not topic.group(2) or agent.group("role"):
        return []
    return [w for w in content_words(topic.group(2)) if w not in UBIQUITOUS]


def says_what_will(answerer: ExtractiveAnswerer, index: LoadedIndex, cands: list[Candidate], question: str,
                   asked: tuple[re.Pattern, str] | None) -> list[Candidate]:
    """"What does Rowley think will rebuild trust?": the sentences where he says what will ("Action, not words, will
    rebuild trust"), wherever they rank."""
    words = _stemmed(index, what_will(question)) if asked else []
    return [c for c in cands if words and answerer.names_agent(index, c, asked[0], speaks=True, own_words=True) and
            _says_the_words(index, c, words)]


def claim_unsupported(index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
    """"Is it true that the Met sacked officers over the Child Q strip search?", "Did Lucy McKay
    really call the plan a 'missed opportunity'?": a claim to check is supported only by a sentence
    (with the one before it) that has all it names: the people and things, dates and figures, the
    words it quotes and the act it reports. Without one, the documents do not confirm it."""
    m = CLAIM_Q.match(question)
    if m is None or not cands:
        return False
    claim = question[m.end() :] if m.group("lead") else question
    named_in = claim if m.group("lead") else claim[1:]  # a question's capitalised first word is not a name
    names = [n for n in proper_names(named_in)
             if n.lower().removeprefix("the ") not in UBIQUITOUS and n.lower() not in TITLES]
    named = [(n, p) for n, p in ((n, agent_pattern(n)) for n in names) if p is not None]
    pieces = [re.compile(r"(?<![\w.,])" + re.escape(x.group(0)) + r"(?!\w)", re.I) for x in DATE.finditer(claim)]
    quoted = [q.strip() for q in re.findall(r"[‘'“\"]([^’'”\"]{3,60})[’'”\"]", claim)]
    either = _EITHER_QUOTE.search(claim)  # "did Casey find it 'sexist' or 'misogynistic'?": one of them will do
    options = [either.group(1).strip(), either.group(2).strip()] if either else []
    pieces += [re.compile(re.escape(q), re.I) for q in quoted if q not in options]
    if options:
        pieces.append(re.compile("|".join(re.escape(o) for o in options), re.I))
    acts = PARTICIPLE.findall(claim)
    if not named and not pieces and not acts:
        return False
    # "Is it true Child Q was strip searched at a school in Croydon?": a sentence with all else and another
    # place ("at her school in Hackney") contradicts the claim, which the answer then shows
    places = {n for n in names if re.search(r"\b(?:in|at|from)\s+(?:the\s+)?" + re.escape(n), claim)}
    for c in best_first(cands, 5):
        text = pronoun_antecedent(index, c) + c.text
        missing = [n for n, p in named if not p.search(text)]
        other_place = len(missing) == 1 and missing[0] in places and \
            any(n not in claim for n in _PLACE_NAMED.findall(c.text))
        if (not missing or other_place) and all(p.search(text) for p in pieces) and \
                (not acts or reports_event(text, acts)):
            return False
    return True


_EITHER_QUOTE = re.compile(r"[‘'“\"]([^’'”\"]{3,60})[’'”\"]\s+or\s+[‘'“\"]([^’'”\"]{3,60})[’'”\"]")
_PLACE_NAMED = re.compile(r"\b(?:in|at|from)\s+(?:the\s+)?([A-Z][\w’'-]+)")


def _thing_asked(question: str, of_form: bool = True) -> str | None:
    """The thing "what's Rowley's salary?" (or, with ``of_form``, "what is the salary of ...?") asks of
    someone, in lower case; None for none, or for a word for what someone thinks or a figure given without
    the word (view, cost, age)."""
    m = _POSSESSED_Q.search(question)
    thing = m and (m.group("thing") or of_form and m.group("of"))
    if not thing or thing.lower() in _SAYING_WORDS or thing.lower() in STOPWORDS:
        return None
    return thing.lower()


def thing_unknown(answerer: ExtractiveAnswerer, index: LoadedIndex, question: str) -> bool:
    """"What's Rowley's salary?", "who was Rowley's predecessor?": what is asked of someone is a thing
    no document mentions."""
    who = _WHO_POSSESSED_Q.search(question)
    thing = who.group("thing").lower() if who else _thing_asked(question)
    if not thing or not index.bm25.tokens(thing):
        return False
    _n, dfs = answerer.doc_freqs(index, [thing], None)
    return dfs[thing] == 0


def thing_unmentioned(cands: list[Candidate], question: str) -> bool:
    """"What is the Met's annual budget?" when the best sentences do not mention a budget (the cost of its
    £366 million plan is not the force's budget): the documents do not give it. Words for what someone
    thinks and figures given without the word (view, cost, age) are not looked for."""
    thing = _thing_asked(question, of_form=False)  # (not "the budget of the scheme": its cost)
    if not cands or not thing:
        return False
    word = re.compile(r"\b" + re.escape(thing[:5]), re.I)
    return not any(word.search(c.text) for c in best_first(cands, 2))


# "what are my rights if I'm stopped?": rights in law, which "a step in the right direction" is not
_RIGHTS_Q = re.compile(r"\b(?:my|your|their|his|her|our|what|any|legal)\s+rights\b", re.I)
_RIGHTS = re.compile(r"\brights\b", re.I)
# "what's the number to call if ...?": a telephone number
_PHONE_Q = re.compile(r"\b(?:(?:phone|telephone|contact|helpline)\s+number|number\s+(?:to|i can|you can|we can|people can)\s+"
                      r"(?:call|ring|phone)|helpline|hotline)\b", re.I)
_PHONE = re.compile(r"\b\d{3,5}\s?\d{3}\s?\d{3,4}\b|\b(?:tel|telephone|phone)\b\W*[+\d(]", re.I)
# "is there a protest this weekend?": a time told from today, which dated documents do not reach
_FROM_NOW = re.compile(r"\b(?:this|next|coming)\s+(?:weekend|week|month|saturday|sunday|monday|tuesday|wednesday|thursday|"
                       r"friday)\b|\btonight\b|\btomorrow\b", re.I)


def detail_absent(cands: list[Candidate], question: str) -> bool:
    """"What are my rights if I'm stopped under Section 60?", "what's the number to call?", "is there a
    protest this weekend?": unless one of the best sentences holds rights, a telephone number or that
    time, the documents do not give it."""
    best = best_first(cands, 3)
    for asked, given in ((_RIGHTS_Q, _RIGHTS), (_PHONE_Q, _PHONE)):
        if asked.search(question) and not any(given.search(c.text) for c in best):
            return True
    when = _FROM_NOW.search(question)
    return bool(when) and not any(when.group(0).lower() in c.text.lower() for c in best)


def speaker_unknown(answerer: ExtractiveAnswerer, index: LoadedIndex, question: str) -> bool:
    """"What did the mayor say about the plan?", "what did sadiq khan say?": a speaker no document
    mentions has said nothing in them (whatever the best sentences say, someone else says it)."""
    m = COMMON_AGENT_Q.search(question)
    if m is None:
        return False
    words = [w for w in content_words(m.group("agent"))
             if w not in UBIQUITOUS and w not in _INFORMAL_AGENTS and w not in _ANYONE and index.bm25.tokens(w)]
    _n, dfs = answerer.doc_freqs(index, words, None)
    return bool(words) and all(df == 0 for df in dfs.values())


def _names(index: LoadedIndex, c: Candidate, named: re.Pattern, before: str) -> bool:
    """Does ``c`` (or ``before``, the text before it) name the agent ``named``, or call them "you" in a
    letter written to them ("did Rowley apologise?": "… that you have persisted in offering an apology …")?"""
    return bool(named.search(c.text) or named.search(before) or (
        re.search(r"\byou\b", c.text) and written_to(index.documents[c.doc_id].text, named)))


def actor_absent(index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
    """"Has the IOPC opened an investigation into the Croydon arrest?": when neither of the best two
    sentences names the actor asked about (nor, for one opening with "he" or "it", the sentence
    before it), they tell of something else. The actor's work telling it counts as the actor ("did Casey
    say ...?": "The review called for ...")."""
    m = _YES_NO_ACTOR.match(question)
    if m is None or not cands or m.group("actor").lower().removeprefix("the ") in UBIQUITOUS or \
            re.search(r"[’']s$", m.group("actor")):
        return False  # "did the Met's workshops ...?": the workshops, not the Met, are asked about
    named = agent_pattern(m.group("actor"))
    if named is None:
        return False
    # "Did Simon Woolley attend the meeting ...?": a sentence naming him must also tell of the act
    # (a word of what the question says he did, names aside), not only that he signed a letter
    rest = question[m.end("actor") :]
    act = [set(index.bm25.tokens(w)) for w in content_words(_NAMES_IN.sub(" ", rest)) if w not in UBIQUITOUS]
    act = [a for a in act if a]
    for c in best_first(cands, 2):
        before = pronoun_antecedent(index, c)
        # ("Jeremy Crook ... said: “... This means rejecting ...”": the one whose quotation it goes on with)
        text = index.documents[c.doc_id].text
        if _names(index, c, named, before + " " + quotation_lead(text, c.start)) or work_speaks(text, c.text, named, True):
            said = index.bm25.tokens.stem_set(c.text + " " + before)
            if not act or any(a <= said for a in act):
                return False
    return True


def _said_by_lead(index: LoadedIndex, c: Candidate) -> str:
    """For "Jeremy Crook said:", the quotation it opens (what he said), else nothing."""
    if not LEAD_IN.search(c.text):
        return ""
    text = index.documents[c.doc_id].text
    return text[c.end : c.end + 700].split("\n\n\n")[0]


def event_unreported(index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
    """"Were any officers sacked over the Child Q strip search?": unless one of the best sentences
    reports that act, naming what the question names (or the sentence before it does), the
    documents do not say it happened (a sacking over another stop, Child Q's search with no sacking)."""
    participles = asked_event(question)
    if not participles or not cands:
        return False
    # (not "the Met": nearly every sentence is about it, and it is also "the Metropolitan Police Service")
    names = [n for n in proper_names(question) if n.lower() not in TITLES and n.lower() not in UBIQUITOUS]
    named = agent_pattern(" ".join(names)) if names else None
    for c in best_first(cands, 3):
        if not reports_event(c.text, participles):
            continue
        before = previous_sentence(index, c.doc_id, c.row)  # "He was charged": who "he" is
        if named is None or _names(index, c, named, index.documents[c.doc_id].text[before[0] : c.start] if before else ""):
            return False
    return True


# "What's the false match rate on the facial recognition cameras?": a rate of something named
_RATE_Q = re.compile(r"\bwhat(?:’s|'s|\s+is|\s+was|\s+are|\s+were)\s+the\s+(?P<of>(?:[a-z-]+\s+){1,4}?)(?:rates?|ratio)\b", re.I)


def rate_unmentioned(cands: list[Candidate], question: str) -> bool:
    """"What's the false match rate on the Met's facial recognition cameras?": unless one of the best two
    sentences names what the rate is of ("false", "match"), it gives another rate (pass rates)."""
    m = _RATE_Q.search(question)
    words = [w[:5] for w in content_words(m.group("of"))] if m else []
    if not cands or not words:
        return False
    # (and a figure: "disproportionately being used on blacks" gives no ratio)
    return not any(set(words) <= word_heads(c.text) and re.search(r"\d", c.text) for c in best_first(cands, 2))


def share_not_given(cands: list[Candidate], question: str) -> bool:
    """"What percentage of Met officers are black?": unless one of the best sentences gives a share (a
    percentage or fraction, not a pass rate), the documents do not give it."""
    if not cands or not asks_share(question):
        return False
    return not any(gives_share(c.text, question) for c in best_first(cands, 3))


def count_out_of_place(index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
    """"How many of the deaths were in the Met's area?", "how many was it the year before?", "what
    was the pass rate in 2018?": a count narrowed to a place (``_COUNT_WHERE``) or another time
    (``_COUNT_WHEN``, ``_FIGURE_IN_YEAR``) that the best sentence's passage never names is a count
    the documents do not give, however close the figure they do give."""
    where, when = _COUNT_WHERE.search(question), _COUNT_WHEN.search(question) or _FIGURE_IN_YEAR.search(question)
    if cands and _TOTAL_Q.search(question):
        # "how many officers does the Met have?": "moving 240 officers" counts those moved, not all of them
        counting = [c for c in cands if fits_slot(c)]
        if not counting:
            return False
        best = max(counting, key=lambda c: c.score)
        counts = counts_of_the_asked(best.text, question, numbers_not_asked(best.text, question.lower()))
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
