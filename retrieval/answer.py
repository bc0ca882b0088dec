"""The extractive answerer: verbatim sentences from the retrieved passages, each cited.

No LLM: sentences are scored by what they say about the question (their precomputed vectors
against the query, the share of the question's rare words they contain, the answer type the
question asks for), the best are kept, sources that say the same are cited together, and
sources that give different figures are shown side by side. When nothing scores high enough
the answer says the documents do not cover the question.

Reading the question is in ``retrieval.questions``, whether a sentence holds what is asked in
``retrieval.slots``, the fitted scorer and the answer-or-abstain judgement in ``retrieval.scorer``,
the checks that refuse an answer the best sentences do not bear out in ``retrieval.refusals``, and
the sentences around a sentence in ``retrieval.neighbours``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import numpy as np

from citebot.settings import Settings
from retrieval import scorer
from retrieval.about import answer_about
from retrieval.clean import CONTACT_LINE
from retrieval.neighbours import LEAD_IN, PRONOUN_START, next_sentence, previous_sentence, quotation_lead
from retrieval.questions import (
    AGENT_Q, CLAIM_Q, DATED_DOCUMENT, DETAIL, DETAIL_Q, ELSE_Q, FIGURE_Q, FOCUS_KIN, HOW_MANY, MEMBER_AGENT_Q, OPINION_Q,
    OUTCOME_Q, TITLES,
    UBIQUITOUS, WORK_KINDS, WROTE_WORK_Q, YES_NO_Q, agent_pattern, alternatives, asked_agent, asked_event, asked_focus,
    dated_documents, detail_line, possessed_work, question_kind, question_sides, source_person, split_question, work_finding,
)
from retrieval.refusals import (
    RESULT, about_another_group, actor_absent, agent_silent, claim_unsupported, commissioner_unnamed, complaint_route_unknown,
    count_out_of_place, detail_absent,
    event_unreported,
    names_maker, no_detail, no_head_named, no_outcome, only_former_holders, rate_unmentioned, relative_silent, share_not_given,
    says_what_will, speaker_unknown, successor_unnamed, thing_unknown, thing_unmentioned, what_will, work_unwritten,
)
from retrieval.scorer import (
    Candidate, FEATURES, Judgement, TERMINAL, TYPED, best_first, candidate_features, fits_slot, judge,
)
from retrieval.search import LoadedIndex
from retrieval.slots import (
    DATE, DATELINE, HEAD_OF_Q, INPUT, INPUT_Q, PRESS_Q, SERVES, SERVES_Q, SPEAKS, SUM, WEEKDAYS, agent_speaks,
    asked_figures, asks_thing_name, gives_name, names_head, pronoun_speaker, reports_event, slot_match, slot_values, stem,
    TITLED_WORK, work_speaks,
)
from retrieval.textutil import (
    content_words, is_person, leans_on_previous, looks_like_injection, proper_names, quote_balance, remembered,
    word_heads,
)
from retrieval.types import Answer, Citation, Hit

ABSTAIN_TEXT = "The documents do not answer this question."
HEDGE_TEXT = "The documents may not answer this exactly; the closest they come:"
OPINION_TEXT = ABSTAIN_TEXT + " I give no opinions of my own, only what the documents say."

_SOURCE_CLAUSE = re.compile(r"^\W*(?:according to|in|from)\s+(?:the|a|an|their|its|his|her)\s[^,?]{3,90},\s*|"
                            r",?\s+according to\s[^,?]{3,90}(?=\?|$)", re.I)

# "who died?", "who was shot?": the one the act befell, whom a sentence names other than as its speaker
_BEFELL_Q = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:died|dies|(?:was|were|got|has been|have been)\s+"
                       r"(?!quoted|cited|named|interviewed|asked|told|invited|appointed|elected|chosen)(?:[a-z]+ed|shot|"
                       r"killed|hurt|held|caught|struck|beaten|taken)\b)", re.I)
_SPEECH_AFTER = re.compile(r"^(?:,[^,]{0,60},)?\s+(?:said|says|told|added|stated|wrote)\b")


def _names_one_befallen(text: str) -> bool:
    """Does the sentence name a person other than as the one who speaks in it ("Lucy McKay said")?"""
    return any(is_person(m.group(0)) and not _SPEECH_AFTER.match(text[m.end():])
               for m in re.finditer(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)+", text))


# "What two-word phrase did they use for the plan?": words quoted (of that many words, if said)
_PHRASE_Q = re.compile(r"\b(?:what|which)\s+(?:(?P<n>one|single|two|three|four|five|[1-5])[- ]word\s+)?"
                       r"(?:phrase|words?|term|expression|label|slogan)\b(?!\s+(?:of|for)\s+(?:the\s+)?(?:letter|report|plan))",
                       re.I)
_QUOTED_SPAN = re.compile(r"[‘“\"]([^’”\"]{2,80})[’”\"]|(?<!\w)'([^']{2,80})'(?!\w)")
# "How did the IOPC describe the rise?", "what word did it use to describe ...?": a word used of something
_DESCRIBED_Q = re.compile(r"\bhow\s+(?:did|does|do|has|have)\s+(?:[\w’'-]+\s+){1,4}?(?:describe|characteri[sz]e|label)\b|"
                          r"\bwhat\s+(?:word|term|adjective)\s+(?:did|does|do|has|have)\b", re.I)
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


def _another_speaks(text: str, named: re.Pattern) -> bool:
    """"Inquest spokeswoman Lucy McKay said: ...": a person other than the one asked about is quoted
    speaking in the sentence itself (whoever the sentence before it quotes)."""
    if agent_speaks(text, named):
        return False
    others = [p for p in (agent_pattern(n) for n in proper_names(text) if is_person(n) and not named.search(n)) if p]
    return any(agent_speaks(text, p) for p in others)


# Letter furniture and calls to action: never the answer to a question.
_NOT_AN_ANSWER = re.compile(
    r"\s*(?:dear|yours (?:sincerely|faithfully|truly)|kind regards|best wishes|with thanks|find out more|read more|"
    r"learn more|click here|sign up|subscribe|download|share this|follow us)\b",
    re.I,
)
# "Find out more about Criminal Justice Alliance’s Supercomplaint against Section 60 Stop and Search.":
# a link that names what it links to says something; "Find out more" alone does not
_NAMING_LINK = re.compile(r"\s*(?:find out|read|learn) more about\s+(?:\S+\s+){5,}", re.I)

# "Press queries contact: Payal Bhavsar, Communications Officer": a label with its value, a fact.
_LABELLED = re.compile(r"\s*[A-Z][\w’' -]{2,40}:\s+[A-Z][\w’'.-]+(?:\s+[\w’'.,-]+){1,}")

# "which names did it mention?", "who were the named people in it?": the people it names
_NAMED_PEOPLE_Q = re.compile(r"\b(?:which|what)\s+(?:\d+\s+|two\s+|other\s+)?(?:names|people|individuals|persons|victims)\b[^?]*?"
                             r"\b(?:name[sd]?|mention(?:ed|s)?|include[sd]?|cite[sd]?)\b|"
                             r"\bwho\s+(?:were|are)\s+(?:the\s+)?(?:people\s+|ones\s+|individuals\s+|victims\s+)?"
                             r"(?:named|mentioned)\b|"
                             r"\bthe\s+named\s+(?:people|individuals|victims)\b|\bwhich\s+names\b", re.I)


def _names_people(c: Candidate) -> bool:
    """Does the sentence name someone other than whoever speaks in it ("and include Chris Kaba ...")?"""
    return any(is_person(n) and not re.search(re.escape(n) + r"\W+(?:[\w’'-]+\W+){0,2}?(?:said|says|added|told)\b", c.text)
               for n in proper_names(c.text))


# "had they met with the campaigners?": the verb (in lower case), not the force
_MET_WITH_Q = re.compile(r"\b(?:met|meet|meeting|meetings)\s+(?:up\s+)?with\b")
_MET_WITH = re.compile(r"\b(?:met|meet|meeting|meetings)\s+(?:up\s+)?with\b|\bmeetings?\b")


def _tells_of_meeting(c: Candidate) -> bool:
    """Does the sentence tell of a meeting ("recently met with the Runnymede Trust")?"""
    return bool(_MET_WITH.search(c.text))


_REPORT_VERB = re.compile(r"\b(?:did|does|do|will|would|has|have|had)\s+(?:[\w’'-]+\s+){1,3}?report\b", re.I)
_DOCUMENT_NAMED = re.compile(r"\b(?:letter|report|article|statement|complaint|super-complaint|petition)\b", re.I)
# "Who wrote the letter?", "who was it sent to?", "which groups signed it?": about the writing itself
_ABOUT_THE_WRITING = re.compile(r"\b(?:wrote|written|write|writing|sent|send|addressed|signed|sign|signatories|authors?|"
                                r"co-?ordinated|organised|behind|published|dated)\b|\babout\W*$|"
                                r"\bwhat (?:is|was) (?:the|that|this) [^?]*\b(?:letter|report|article|statement)\W*$", re.I)

_SAYS_THE_SAME = 0.8  # cosine above which two sentences say the same; the second adds nothing
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")

_UNITS = {"m": "million", "bn": "billion", "k": "thousand"}
_SHORT_AMOUNT = re.compile(r"[£$€]?(\d+(?:\.\d+)?)(m|bn|k)")  # "£366m"

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
_WHY_Q = re.compile(r"^\W*(?:and\s+|so\s+|but\s+)?why\b|\bwhat (?:was|is|were|are) (?:his|her|their|its|the|"
                    r"(?:[\w.-]+\s+){0,3}?[\w.-]+(?:’s|'s)) reason(?:s|ing)?\b|\bwhat reasons? (?:did|does|do|has|have)\b|"
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

# "When did it become public?": the sentence telling when it came to light, not when it happened.
_PUBLIC_Q = re.compile(r"\b(?:become|became|made|go|went|come|came|get|got)\s+(?:public|known|out)\b|\bpublic knowledge\b|"
                       r"\b(?:come|came|coming)\s+to\s+light\b|\b(?:emerge|surface|leak)(?:d)?\b", re.I)
_MADE_KNOWN = re.compile(r"\b(?:came|come|coming)\s+to\s+light\b|\b(?:emerged|revealed|surfaced|leaked|disclosed|exposed)\b|"
                         r"\b(?:made|became|went)\s+public\b|\bpublic(?:ly)?\s+(?:known|reported)\b", re.I)

_MULTI_Q = re.compile(r"[,;]?\s+and\s+(what|who|which|when|how|where|why|does|did|is|was|are)\b", re.I)


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


# "What did the Met say ...?": the force itself asked to have spoken
_MET_ASKED = re.compile(r"\b(?:did|does|do|has|have|will|would)\s+(?:the\s+)?(?:Met|Metropolitan Police(?: Service)?|MPS|"
                        r"Met Police|police|force)\s+(?:(?:ever|actually|publicly|formally|officially|at least)\s+)?"
                        r"(?:say|said|respond(?:ed)?|react(?:ed)?|reply|replied|comment(?:ed)?|tell|told|answer(?:ed)?|"
                        r"admit(?:ted)?|acknowledge(?:d)?|concede(?:d)?)\b"
                        # ("how does the Met say it'll make searches rarer?": what its plan says it will do)
                        r"(?!\s+(?:it|they)(?:['’]ll|\s+will|\s+would|\s+is going to|\s+plans?)\b)|"
                        r"\bwhat(?:’s|'s|\s+was|\s+is) the (?:Met(?:’s|'s)?|police|force(?:’s|'s)?) (?:response|reply|answer|reaction)\b|"
                        r"\bwhat the (?:Met|police|force) said\b", re.I)
# "does the Met accept it's institutionally racist?": the force's stance, which others may tell otherwise
_MET_STANCE_Q = re.compile(r"^\W*(?:so\s+|and\s+|but\s+)?(?:does|did|has|have|is|was)\s+(?:the\s+)?(?:Met|Metropolitan Police|"
                           r"Met Police|MPS|force)\s+(?:(?:ever|actually|now|finally|publicly|really)\s+)?(?:accept|admit|"
                           r"acknowledg|agree|recognis|recogniz|den(?:y|ies|ied)|reject)\w*\b", re.I)
_FORCE_WORDS = frozenset({"force", "forces", "metropolitan", "london", "police", "policing"})
_MET_TOPIC = re.compile(r"\b(?:about|of|on|regarding|over|to)\s+(?:the\s+)?([^?]{3,80})", re.I)
_MET_SPEAKS = re.compile(r"\b(?:Met|police|force|MPS) spokes(?:person|woman|man)\b|\baccording to (?:the (?:Met|police|force)|Sir Mark)\b|"
                         r"\bthe (?:Met|force|police) (?:said|says|told|responded|added|stated)\b|"
                         r"\b(?:Sir Mark(?: Rowley)?|Rowley|Commissioner)\b[^.“‘]{0,40}\b(?:said|says|added|told)\b", re.I)


def _paragraph(index: LoadedIndex, c: "Candidate") -> tuple[int, int]:
    """(start, end) in its document of the paragraph holding the sentence."""
    text = index.documents[c.doc_id].text
    end = text.find("\n\n", c.end)
    return text.rfind("\n\n", 0, c.start) + 1, len(text) if end < 0 else end


def _met_speaks(index: LoadedIndex, c: "Candidate", paragraph: tuple[int, int]) -> bool:
    """Is the sentence in a paragraph (``paragraph``: its span) the Met is said to have spoken ("..., a Met
    spokesperson told The Guardian"), or in the quotation going on in the paragraph after it (opening with
    a quotation mark)?"""
    text = index.documents[c.doc_id].text
    start, end = paragraph
    if _MET_SPEAKS.search(text, start, end):
        return True
    before = text.rfind("\n\n", 0, max(0, start - 1)) + 1
    return start > 1 and text[start:].lstrip()[:1] in "“\"" and bool(_MET_SPEAKS.search(text, before, start))


# "what's the New Met plan?", "what is section 60?": what a thing is
_DEFINE_Q = re.compile(r"^\W*(?:so\s+|and\s+|ok\s+)?what(?:’s|'s|\s+is|\s+are)\s+(?:the\s+|a\s+|an\s+)?"
                       r"(?P<thing>[\w’'-]+(?:\s+[\w’'-]+){0,6}?)\s*\?*\s*$", re.I)
_SAYS_WHAT_IT = re.compile(r"[’']s?\s|\b(?:of|for|about|in|on|to|with)\b|[’']$", re.I)  # "the Met's budget": a thing of it
# "what did Rowley say ...?": verbs asking for someone's own words
_SAYING_VERBS = frozenset({"say", "tell", "think", "make", "feel", "want", "reckon", "view", "comment", "have", "claim",
                           "warn", "argue", "describe", "call", "admit", "promise"})
# "what's (actually) in the plan?", "what does the scheme include?": what it holds, not that it was launched
_CONTENTS_Q = re.compile(r"\bwhat(?:’s|'s|\s+is|\s+are)\s+(?:actually\s+|really\s+)?in\s+(?:the|this|that|their|its)\b|"
                         r"\bwhat\s+(?:does|do|did|will)\s+(?:the|this|that|it|they)\b[^?]{0,60}?\b(?:include|contain|"
                         r"involve|cover|consist of)\b", re.I)
_CONTENTS = re.compile(r"\b(?:includes?|contains?|focus(?:es)? on|sets? out|involv(?:es?|ing)|consists? of|"
                       r"measures|commit(?:s|ted)? to)\b", re.I)
# "The 2022 letter said ... Who is the commissioner now?": a question going beyond the one document it names
_BEYOND_ONE = re.compile(r"[.?!;]\s+\S|\b(?:both|each|also|later|now|then|since|compare|compared|other)\b", re.I)
# "who did the groups write to in 2022?": the year of what is asked about
_IN_YEAR = re.compile(r"\b(?:in|during|back in|throughout)\s+((?:19|20)\d{2})\b(?![-–/]\d)", re.I)
_SAME_MATTER = 0.35  # cosine under which two sentences counting something tell of different matters


def _tells_the_story(index: LoadedIndex, c: Candidate, question: str) -> bool:
    """Is ``c``'s document about what ``question`` asks of: every name and figure it gives (not "the Met")
    and a third of its other words there? "Which paper reported the Race Action Plan?" is not told by an
    article on a letter."""
    text = index.documents[c.doc_id].text
    names = [agent_pattern(n) for n in proper_names(question[1:]) if n.lower() not in UBIQUITOUS]
    words = [w for w in content_words(_PRESS_WORDS.sub(" ", question)) if w not in UBIQUITOUS]
    heads = word_heads(text)
    figures = _FIGURE_WORD.findall(question)  # "the thirty groups' letter" is not the article on 26 groups
    return all(n is None or n.search(text) for n in names) and all(re.search(rf"\b{f}\b", text, re.I) for f in figures) \
        and 3 * sum(w[:5] in heads for w in words) >= len(words)


_FIGURE_WORD = re.compile(r"\b(?:\d[\d,.]*\d|\d|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b", re.I)
_PRESS_WORDS = re.compile(r"\b(?:which|newspapers?|papers?|publications?|outlets?|reported|reports?|covered|broke|"
                          r"first|source|story|stories|original(?:ly)?)\b", re.I)
# "where should the money go instead?" and the sentences putting money somewhere
_MONEY_WHERE_Q = re.compile(r"\bwhere\b[^?]*\b(?:money|funds|funding|cash|budget|investment|resources)\b|"
                            r"\b(?:money|funds|funding|cash|budget|investment|resources)\b[^?]*\b(?:go|going|spent|put|"
                            r"directed|channelled|invested)\b[^?]*\binstead\b", re.I)
_MONEY_PUT = re.compile(r"\b(?:fund\w*|money|invest\w*|spend\w*|spent|resourc\w*)\b[^.;]{0,40}?\b(?:towards|into|on|to)\b|"
                        r"\b(?:direct\w*|channel\w*|put|invest\w*)\s+(?:the\s+)?(?:funds|money|resources|investment)\b", re.I)


_REFUSED = 0.05  # the judgement a refusal rule leaves (the documents do not say)
# "when was the plan launched?", "what year did it come out?" (not "on what date exactly?"): a report saying
# "launched last week" or "recently launched" dates it only against its own date
_ROUGHLY_WHEN_Q = re.compile(r"^\W*(?:and\s+|so\s+)?(?:when\b|(?:what|which)\s+year\b|how\s+long\s+ago\b)", re.I)
_EXACT_DAY_Q = re.compile(r"\b(?:date|day|exact|exactly|precisely|officially)\b", re.I)
_PUT_OUT = r"(?:launch|announc|unveil|publish|releas|introduc)\w*"
_WHAT_YEAR = re.compile(r"\b(?:what|which)\s+(?:year|month)\b", re.I)  # "when was it brought in? what year?"
_PUT_OUT_Q = re.compile(r"\b" + _PUT_OUT + r"|\b(?:come|came|coming)\s+out\b|\b(?:set|bring|brought)\s+in\b|"
                        r"\b(?:bring|brought|bringing|roll|rolled|rolling|put|putting)\s+out\b|"
                        r"\b(?:sent|send|written|wrote|reported)\b", re.I)
# "launched last week", "the recently announced scheme", and the news's "have written an open letter"
_RELATIVE_PUT_OUT = re.compile(r"\b(?:recently|newly|just)\s+" + _PUT_OUT + r"|\b" + _PUT_OUT +
                               r"\s+(?:(?:last|this|earlier\s+this)\s+(?:week|month|year)|yesterday|today)\b|"
                               r"\b(?:has|have)\s+(?:\w+\s+)?(?:written|sent|" + _PUT_OUT + r")\b", re.I)
# cosine to the question a sentence holding the name or the span asked for (or, for a name, the sentence before it)
# needs, to be about what is asked
_ON_THE_NAMED = 0.5
_ON_THE_TOPIC = 0.35  # a listing sentence's cosine with the question
# "... and tackle issues such as facial recognition technology, suspicion-less searches, taser use, strip searching and
# ...": items listed after what the question asks of them ("what issues must the commissioner tackle?")
_ENUMERATION = re.compile(r"\b((?:[\w’'-]+\s+){1,3})(?:such as|including|like)\s+([^;.]*)")


_WHO_ACTED_Q = re.compile(r"^\W*(?:and\s+|so\s+|yo\s+)?who\s+(?P<verb>[a-z]{4,}ed)\s+(?:the|that|this|their|its)\b", re.I)
_PAGES_Q = re.compile(r"\bpages?\b", re.I)
_PAGED = re.compile(r"\b(?:\d+|[a-z]+(?:-[a-z]+)?)-page\s+(?P<noun>[a-z-]+)", re.I)


def _pages_of_the_named(index: LoadedIndex, cands: list[Candidate], question: str) -> list[Candidate] | None:
    """For "how many pages is the New Met for London plan?": the best sentence giving the pages of a work of the kind
    asked ("an 80-page plan") in a document that names the work; None when the question names no work and none is found."""
    names = [n for n in proper_names(question[1:]) if re.sub(r"[’']s$", "", n).lower() not in UBIQUITOUS and len(n) > 3]
    # ("the reform document": a work of any kind)
    asked = re.findall(r"\b(report|review|study|inquiry|plan|scheme|strategy|charter|complaint|super-complaint|article|"
                       r"letter|petition|statement|leaflet|book)s?\b", question, re.I)
    nouns = [] if re.search(r"\bdoc(?:ument)?s?\b", question, re.I) else \
        [next((k for k in WORK_KINDS if w.lower() in k), (w.lower(),)) for w in asked]
    # ("Dr Begum" is named where "Dr Shabna Begum" is)
    words = {w for n in names for w in (re.sub(r"[’']s$", "", w).lower() for w in n.split()) if w not in TITLES and len(w) > 2}

    lowered: dict[str, str] = {}  # each document's text in lower case, once

    def fits(c: Candidate) -> bool:
        m = _PAGED.search(c.text)
        if not m or nouns and not any(m.group("noun").lower() in k for k in nouns):
            return False
        if c.doc_id not in lowered:
            lowered[c.doc_id] = index.documents[c.doc_id].text.lower()
        return all(w in lowered[c.doc_id] for w in words)
    paged = [c for c in best_first(cands, None) if fits(c)][:1]
    # ("how many pages is the Met's reform document?": a work named by no name is refused by no rule here)
    return paged if names or paged else None


def _listing(cands: list[Candidate], heads: set[str]) -> list[Candidate]:
    """The candidates on the topic that list what is asked (none without ``heads``)."""
    return [c for c in cands if c.dense >= _ON_THE_TOPIC and _lists_what_is_asked(c.text, heads)] if heads else []


def _lists_what_is_asked(text: str, heads: set[str]) -> bool:
    """Does ``text`` list three or more items after words whose heads (first five letters) the question has?"""
    return any(m.group(2).count(",") >= 2 and heads & {w[:5].lower() for w in m.group(1).split()}
               for m in _ENUMERATION.finditer(text))


# "what goes wrong when people don't trust the police?", "why does low confidence matter?": what something leads to,
# which "We know that lack of trust ... damages ... As the CJA's ... highlights, it means victims do not report
# crimes ..." tells, in a sentence leaning on the one before for what "it" is
_CONSEQUENCE_Q = re.compile(r"\b(?:goes|go|went)\s+wrong\b|\bwhat\s+happens\s+(?:when|if)\b|\bwhy\b[^?]*\bmatters?\b|"
                            r"\b(?:knock-on\s+)?(?:effects?|consequences?|impacts?)\s+(?:of|when|if|are)\b|"
                            r"\bwhat\s+(?:does|do|can|will)\s+[^?]{2,40}?\s+(?:cause|lead\s+to|result\s+in)\b", re.I)
_SOURCE_HEADS = frozenset({"lette", "repor", "artic", "revie", "says", "said", "accor", "write", "wrote"})  # where it is said
_CONSEQUENCE = re.compile(r"\b(?:it|this|that)\s+means\b|\bmeaning\s+that\b|\bleads?\s+to\b|\bresults?\s+in\b|"
                          r"\bas\s+a\s+result\b", re.I)


# "what did the banner at the Hackney protest say?": the words on a thing that bears them, where the sentence names it
# ("... holding a banner stating: Wake up and smell the racism")
_WRITTEN_ON_Q = re.compile(r"\bwhat\s+(?:did|does|do)\s+(?:the|that|this|their|its|a|one)\s+(?:[\w-]+\s+)?(?P<thing>banner|sign|"
                           r"placard|slogan|poster|headline|caption|t-shirt|plaque|tweet|leaflet|billboard)s?\b"
                           r"(?=[^?]*\b(?:say|said|read|state|show)\b)", re.I)


# "the letter to Rowley about New Met for London": what a work is about, after whom it went to
_ABOUT_WHAT = re.compile(r"\b(?:about|on|regarding|over|criticising|criticizing|slamming|attacking)\s+(?:the\s+)?[^?,;]*", re.I)


# "how much money is the Met throwing at this big overhaul?": a sum spent on a thing the question calls by a common
# noun ("overhaul"), which a sentence giving a sum answers when its document speaks of that thing
_SPENT_ON_Q = re.compile(r"\bhow\s+much\b[^?]*?\b(?:on|at|into|behind|for)\s+(?:this|that|the|its|their|his|her)\s+"
                         r"(?:(?:whole|big|new|huge|massive|latest)\s+)*(?P<thing>[a-z][\w-]{3,})\b", re.I)
# "how many officers are they moving to local teams?": "moving 240 officers from central to local teams", the
# act asked of the counted, told with the count
_COUNTED_ACT = r"(?:{act})\w*\s+(?:up\s+to\s+|some\s+|about\s+|around\s+|nearly\s+|over\s+)?\d[\d,]*\s+(?:{noun})"
# "how long will it run?", "how many years is it meant to last?": a span of time, which "a two-year scheme" gives
_DURATION_Q = re.compile(r"\bhow\s+long\b[^?]*\b(?:run|last|go\s+on|continue|take)\b|\bhow\s+many\s+(?:years|months|weeks)\b",
                         re.I)
_DURATION_OF = re.compile(r"\bhow\s+long\s+(?:does|did|will|is|was)\s+(?:the|this|that|their|its)\s+(?:whole\s+|new\s+|entire\s+)?"
                          r"(?P<thing>[a-z]{4,})\s+(?:run|last|go\s+on|continue|take|meant|supposed|going)\b", re.I)
_DURATION = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[- ](?:years?|months?|weeks?)\b(?![- ]old)",
                       re.I)
# "what month ...?", "on what date exactly ...?": more than a year; a month's name or a day's date gives it
_MONTH_ASKED = re.compile(r"\b(?:what|which)\s+(?:month|day|date)\b|\bexact(?:ly)?\s+(?:date|day|when)\b|"
                          r"\bon\s+what\s+(?:date|day)\b", re.I)
_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_DAY_ASKED = re.compile(r"\b(?:what|which)\s+(?:exact\s+)?(?:day|date)\b|\bexact(?:ly)?\s+(?:date|day)\b|\bon\s+what\s+(?:date|day)\b",
                        re.I)
_DAY_GIVEN = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"\b|\b" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?\b|"
                        r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b", re.I)
_MONTH_GIVEN = re.compile(r"\b(?:" + _MONTHS + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|"
                          r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b", re.I)
_ON_THE_THING = 0.6  # coverage of the question's words a sentence needs to be about what it asks the date of
_OF_THE_FIRST = re.compile(r"\b(?:they|them|their|he|him|his|she|her)\b", re.I)


def _prefer(cands: list[Candidate], fits: Callable[[Candidate], bool], penalty: float) -> None:
    """Take ``penalty`` off each candidate that does not ``fit`` what is asked, when some do."""
    fitting = [fits(c) for c in cands]
    if any(fitting):
        for c, f in zip(cands, fitting):
            if not f:
                c.score -= penalty


def _to_the_top(cands: list[Candidate], chosen: list[Candidate], margin: float = 1e-3) -> None:
    """Lift each of ``chosen`` to ``margin`` above the best of ``cands`` (a sentence a rule finds answers, however it
    scored; a margin of 0 puts it level with the best, to be read beside it)."""
    if chosen:
        top = max(c.score for c in cands)
        for c in chosen:
            c.score = max(c.score, top + margin)


def opening_row(index: LoadedIndex, doc_id: str) -> int:
    """The sentence row of a document's first full sentence (not its title, a dateline or a label)."""
    doc = index.documents[doc_id]
    table = index.sentences
    title = (doc.meta.title or "").strip()
    for row, start, end in zip(table.rows[doc_id], table.starts[doc_id], table.ends[doc_id]):
        text = doc.text[int(start) : int(end)]
        if text.strip() != title and len(text.split()) >= 8 and TERMINAL.search(text):
            return int(row)
    return -1


class ExtractiveAnswerer:
    """Composes short cited answers from the sentences of the retrieved passages."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._tainted: dict[tuple[str, str], bool] = {}

    # ----------------------------------------------------------------- candidates
    @staticmethod
    def doc_freqs(index: LoadedIndex, words: Iterable[str], among: np.ndarray | None) -> tuple[int, dict[str, int]]:
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
        """Inverse document frequency of each word over the passages (``doc_freqs``)."""
        n, dfs = self.doc_freqs(index, words, among)
        return {w: math.log(1 + (n - df + 0.5) / (df + 0.5)) for w, df in dfs.items()}

    def unknown_share(self, index: LoadedIndex, question: str, among: np.ndarray | None = None) -> float:
        """Share of the question's meaningful words that no passage (of ``among``, when given) contains."""
        words = set(content_words(question))
        if not words:
            return 0.0
        known = {w for w in words if index.bm25.tokens(w)}  # a word of stop words alone is neither
        _n, dfs = self.doc_freqs(index, known, among)
        # "who was it sent to?" is answered by "have written ... to": a word's family counts as the word
        unseen = [w for w, df in dfs.items() if df == 0]
        _n, kin = self.doc_freqs(index, [_FAMILY[w] for w in unseen if w in _FAMILY], among)
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
                if word.lower() in TITLES or len(word) < 3 or DATE.fullmatch(word) or word.lower() in WEEKDAYS:
                    continue
                stems = index.bm25.tokens(word)
                if stems and index.bm25.doc_freq(stems[0]) == 0:
                    return True
        return False

    @staticmethod
    def _own_detail_first(index: LoadedIndex, cands: list[Candidate], question: str) -> bool:
        """"What is ARE's charity number?", "where is Action for Race Equality based?": a line giving a
        number or an address in a document that body published (its footer) answers; it goes first."""
        if not cands or not DETAIL_Q.search(question):
            return False
        asked = detail_line(question)
        # ("Action for Race Equality's HQ": the body, not its office)
        names = [re.split(r"[’']s\b", n)[0].lower() for n in proper_names(question[1:]) if n.lower() not in UBIQUITOUS]
        own = [c for c in cands if asked.search(c.text) and any(
            n in (index.documents.meta(c.doc_id).source or "").lower() for n in names)]
        if not own:
            return False
        best = max(own, key=lambda c: c.score)
        best.score = max(c.score for c in cands) + 0.01
        cands.sort(key=lambda c: -c.score)
        return True

    def _prefer_the_speaker(self, index: LoadedIndex, cands: list[Candidate],
                            asked: tuple[re.Pattern, str] | None) -> None:
        """"What did Sir Mark Rowley say ...?": a sentence naming him only as the one written to or
        spoken of ("an open letter to Sir Mark Rowley") is not what he said, nor is someone else speaking."""
        if asked is None:
            return
        penalty, named = self.settings.answer_not_speaking_penalty, asked[0]
        for c in cands:
            if named.search(c.text) and not self.names_agent(index, c, named, speaks=True):
                c.score -= penalty
            elif SPEAKS.search(c.text) and (not self.names_agent(index, c, named, speaks=False) or
                                            _another_speaks(c.text, named)):
                c.score -= penalty  # "They said they find it regrettable ...": someone else speaking

    def _prefer_the_speakers_words(self, index: LoadedIndex, cands: list[Candidate], query: str,
                                   source: re.Match | None, asked: tuple[re.Pattern, str] | None) -> None:
        """The sentences where the person asked about speaks first: before judging silence."""
        self._prefer_the_speaker(index, cands, asked)  # whoever speaks in the best
        agent = AGENT_Q.search(query)
        person = agent is not None and not agent.group("role") and agent.group("verb").lower() in _SAYING_VERBS \
            and (is_person(agent.group("agent")) or any(  # "Rowley": a person the documents name in full
                is_person(n) and agent.group("agent") in n.split() for c in cands for n in proper_names(c.text)))
        if (source and agent is None or person) and asked is not None:  # ... where he says it, not no one
            # "what did Rowley say would rebuild trust?": his words ("He said: “Action, not words, will
            # rebuild trust ...”"), over a sentence of the plan he launched that says the same
            _prefer(cands, lambda c: self.names_agent(index, c, asked[0], speaks=True, own_words=bool(person)),
                    1.0 if person else self.settings.answer_not_speaking_penalty)

    def _prefer_the_asked_act(self, index: LoadedIndex, cands: list[Candidate], question: str) -> None:
        """"Were the officers who stopped them sacked?": a sentence that does not report a sacking is
        not the answer, nor, for "how often", one that gives no frequency; "what excuse ...?" wants
        the word, "what did they want?" a demand, "why?" a reason."""
        penalty = self.settings.answer_not_speaking_penalty
        kind = question_kind(question)
        participles = asked_event(question)
        if participles:
            for c in cands:
                if not reports_event(c.text, participles):
                    c.score -= penalty
        s = self.settings
        focus = asked_focus(question)
        if focus:
            # "what excuse ...?": the sentence naming an excuse, not the scene; the word itself, singular
            # or plural (stems confuse "position" with "positive")
            forms = [re.escape(re.sub(r"(?<=[^s])s$", "", f)) for f in (focus, *FOCUS_KIN.get(focus, ()))]
            word = re.compile(r"\b(?:" + "|".join(forms) + r")(?:s|es)?\b", re.I)
            _prefer(cands, lambda c: bool(word.search(c.text)), s.answer_focus_penalty)
        subject = _DOER_Q.search(question)
        if subject and subject.group(1).lower() not in _AGENT_NOUNS:
            # "what do victims stop doing?": a sentence where victims do something ("victims do not report crimes")
            doer = re.compile(r"\b" + re.escape(subject.group(1)[:-1]) + r"(?:s|es)?\b", re.I)
            _prefer(cands, lambda c: bool(doer.search(c.text)), s.answer_focus_penalty)
        if _NAMED_PEOPLE_Q.search(question):
            # "which names did it mention?": a sentence naming people, not one where someone speaks of them
            _prefer(cands, _names_people, s.answer_focus_penalty)
        if _MET_WITH_Q.search(question):
            # "had the Met sat down with the campaigners?": a sentence telling of a meeting ("recently met with the
            # Runnymede Trust"), whose verb is no name of the force
            _prefer(cands, _tells_of_meeting, 1.0)
        described = _DESCRIBED_Q.search(question)
        if described:
            # "how did the IOPC describe the rise in deaths?": a word it used of that, quoted ("a “concerning” increase")
            of = {w[:5] for w in content_words(question[described.end() :]) if w not in UBIQUITOUS}
            _prefer(cands, lambda c: any(_quotes_phrase(c.text, n) for n in (1, 2)) and bool(of & word_heads(c.text)),
                    s.answer_focus_penalty)
        phrase = _PHRASE_Q.search(question)
        if phrase and phrase.group("n"):  # "what two-word phrase did they use?": a sentence quoting one that long
            # (not any "what words ...?": the words asked for are often not in quotation marks)
            n = phrase.group("n").lower()
            words = _NUMBER_WORDS[n] if n in _NUMBER_WORDS else int(n)
            _prefer(cands, lambda c: _quotes_phrase(c.text, words), s.answer_focus_penalty)
        dated = dated_documents(question, index)
        if dated:  # "the 2022 letter": a sentence of the letter of that year (not of a report of a letter)
            # only from it when nothing else is asked of ("... and who is the commissioner now?")
            only = len(DATED_DOCUMENT.findall(question)) == 1 and not _MULTI_Q.search(question) and \
                not _BEYOND_ONE.search(question)
            _prefer(cands, lambda c: c.doc_id in dated, 1.0 if only else s.answer_focus_penalty)
        elif DATED_DOCUMENT.search(question):  # "the 2023 letter", of which no letter is dated: not the 2022 one
            others = dated_documents(question, index, other_years=True)
            _prefer(cands, lambda c: c.doc_id not in others, s.answer_focus_penalty)
        year = _IN_YEAR.search(question)
        if year and kind != "when" and len(set(re.findall(r"\b(?:19|20)\d{2}\b", question))) == 1:
            # "who did the groups write to in 2022?": a sentence giving that year, or of a document dated then
            _prefer(cands, lambda c: year.group(1) in c.text or (index.documents.meta(c.doc_id).date or "").startswith(
                year.group(1)), s.answer_focus_penalty)
        define = _DEFINE_Q.match(question)
        if define and not _SAYS_WHAT_IT.search(define.group("thing")):
            # "what's the new Met plan?": a sentence telling what it is (the plan its subject), not what
            # someone said of it ("Begum expressed her deep ‘disappointment’ with the New Met for London plan")
            head = re.compile(r"\b" + re.escape(define.group("thing").split()[-1][:5]), re.I)
            _prefer(cands, lambda c: bool(head.search(c.text[:60])) and not SPEAKS.search(c.text), s.answer_focus_penalty)
        if _FIND_Q.search(question):  # "what did the Casey review find?": a sentence saying what it found
            _prefer(cands, lambda c: bool(_FOUND.search(c.text)), s.answer_focus_penalty)
        if _DEMAND_Q.search(question):  # "what did they want?": a sentence asking for something
            # "what did he want the new chief to reject?": or one that has the thing wanted done ("rejecting")
            wanted = _WANTED_ACT.search(question)
            done = re.compile(r"\b" + re.escape(wanted.group(1)[:5].lower()), re.I) if wanted else None
            _prefer(cands, lambda c: bool(_DEMAND.search(c.text) or done and done.search(c.text)), s.answer_demand_penalty)
        if _CONTENTS_Q.search(question):  # "what's in the New Met plan?": a sentence telling what it holds
            _prefer(cands, lambda c: bool(_CONTENTS.search(c.text)), s.answer_focus_penalty)
        if _WHY_Q.search(question):  # "why did he refuse ...?": a sentence giving a reason
            _prefer(cands, lambda c: bool(_REASON.search(c.text)), s.answer_focus_penalty)
        if OUTCOME_Q.search(question):  # "what was the outcome of the Bianca Williams case?": a sentence giving one
            _prefer(cands, lambda c: bool(RESULT.search(c.text)), s.answer_focus_penalty)
        if DETAIL_Q.search(question):  # "what is ARE's charity number?": the line giving one
            line = detail_line(question)
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

    def names_agent(self, index: LoadedIndex, c: Candidate, named: re.Pattern, speaks: bool,
                    own_words: bool = False) -> bool:
        """Is the agent ``named`` in the sentence or the one before it (with ``speaks``: as the one
        who said or did something, not as the one written to; with ``own_words`` too, the sentence
        before counts only for a sentence going on with what was said: a pronoun or a quotation)?"""
        before = previous_sentence(index, c.doc_id, c.row)
        text = index.documents[c.doc_id].text
        prev = text[before[0] : c.start] if before else ""
        lead = quotation_lead(text, c.start)  # "Jeremy Crook said: “... This means rejecting ...”"
        if work_speaks(text, c.text, named, titled=not speaks):
            # "The review called for a 'fundamental reset'" in a report on the Casey review; "The Casey review
            # found ..." too, but as what she said, not as her response to something since
            return True
        author = index.documents[c.doc_id].meta.author
        if author and named.search(author) and not lead and not SPEAKS.search(c.text):
            return True  # the writers of a letter speak through it, where it reports no one else's words
        # "the Casey review found ..." names the review, not Baroness Casey
        spans = [TITLED_WORK.sub(" ", span) for span in (c.text, prev, lead)]
        if not speaks and any(named.search(span) for span in spans):
            return True
        if speaks and (agent_speaks(spans[0], named) or agent_speaks(spans[2], named)):
            return True
        if speaks and agent_speaks(spans[1], named) and (not own_words or PRONOUN_START.search(c.text) or
                                                         c.text.lstrip()[:1] in "“\"‘'"):
            # with ``own_words``, "Sir Mark Rowley said ... He added ...", not the report's next sentence
            return True
        whole = self._with_quotation_end(index, c)
        if whole is not c and agent_speaks(text[c.end : whole.end], named):
            # "“We are at an absolute crisis point ... Our communities face ...,” Dr Shabna Begum ... was quoted as
            # saying": the quotation's speaker, named where it closes
            return True
        # "He said: “... Action, not words, will rebuild trust ...”": he is whoever was named before
        lead_at = text.rfind(lead, 0, c.start) if lead else -1
        tellers = [pronoun_speaker(text, a, b) for a, b in ((c.start, c.end), (before[0], c.start) if before else (0, 0),
                                                           (lead_at, lead_at + len(lead)) if lead_at >= 0 else (0, 0))]
        return any(t and named.search(t) for t in tellers)

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
        kind = question_kind(query)
        # "how many people died?" is answered by "the 23 deaths", "which people who died are named?" by "the 23
        # deaths ... include Chris Kaba": a word's family counts as the word
        kin = {w: set(index.bm25.tokens(_FAMILY[w])) for w in words if w in _FAMILY} \
            if kind in ("count", "who", "list") else {}  # (not "how did he die?": the manner, not the toll)
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
        details = bool(DETAIL_Q.search(query))  # a footer's address or number answers nothing else
        dated = kind == "when"
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
                        not TERMINAL.search(doc.text[start:end]):
                    continue  # an address or registration line (a footer's) tells of nothing asked
                seen.add((p.doc_id, start))
                text = doc.text[start:end]
                value = self._label_value(table, p.doc_id, row, doc.text, start, end)
                if value is not None and not dated and DATELINE.match(text):
                    continue  # "Published on: 28/04/2022" tells when, not what a letter said about young people
                if value is not None:
                    # "Published on:" + "28/04/2022": a label is read with the value under it.
                    seen.add((p.doc_id, value[0]))
                    end, text = value[1], doc.text[start : value[1]]
                elif len(_ALPHA_WORD.findall(text)) < 3 or _NOT_AN_ANSWER.match(text) and not _NAMING_LINK.match(text) or (
                    len(text.split()) < 8 and not TERMINAL.search(text) and "\n" not in text.strip()
                    and not DATE.search(text) and not _LABELLED.match(text) and not DETAIL.search(text)
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
            leaning = [j for j, i in enumerate(has_prev) if PRONOUN_START.search(out[i].text)]
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
        logits = features @ scorer.SCORER_WEIGHTS  # read from the module: eval.fit_answerer swaps in new weights
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
        if kind == "other" and FIGURE_Q.search(question) and HOW_MANY.search(query):
            kind = "count"  # "and what figure does the other piece give?", resolved as the count the last question asked
        member = MEMBER_AGENT_Q.search(query)
        if member and not speaker:
            speaker = member.group("member")  # "the woman from Runnymede": "woman" says who, not what
        source = source_person(query)
        if source and not speaker:
            speaker = source.group("agent")  # "According to Sir Mark Rowley, what ...?": his words, on what is asked
        # "According to the report of the letter ..., how many officers ...?": the source named says where
        # to look, not what is asked; its words weigh less in coverage (as words a follow-up's resolution adds)
        typed_words = _SOURCE_CLAUSE.sub("", question).strip() or question
        among = index.neighbourhood(query, query_vector)  # where word frequencies are counted
        more = self.settings.answer_passages < len(hits)  # retrieved passages beyond the best

        built: dict[int | None, list[Candidate]] = {}

        def scored(passages: int | None = None) -> list[Candidate]:
            """The sentences of the best passages (of every retrieved passage, with ``passages``), scored afresh;
            each list is built once."""
            if passages not in built:
                built[passages] = self.candidates(index, hits, query_vector, query, typed_words, speaker,
                                                  passages=passages, among=among)
            self.score(built[passages], kind, query)
            return built[passages]
        share, unknown = self.unknown_share(index, query, among), self.unknown_name(index, query)
        cands = scored()
        widened = (kind in TYPED or kind == "often") and more and not any(fits_slot(c) for c in cands)
        if widened:
            # "How often will the public be told ...?": no sentence of the best passages gives a frequency;
            # the rest of the retrieved passages may
            cands = scored(len(hits))
        judgement = judge(cands, share, kind, unknown, query)
        if self._own_detail_first(index, cands, query):
            judgement = judgement.at_least(self.settings.answer_hedge)
        asked = asked_agent(query, cands)  # the person asked about, parsed once for both uses below
        self._prefer_the_speakers_words(index, cands, query, source, asked)

        def widen(found: Callable[[list[Candidate]], Any]) -> Any:
            """What is asked may be in a passage ranked below the best: take every retrieved passage's sentences
            when ``found`` finds it there (the widened list is judged afresh); what ``found`` returned."""
            nonlocal cands, widened, judgement
            wider = scored(len(hits))
            got = found(wider)
            if got:
                cands, widened, judgement = wider, True, judge(wider, share, kind, unknown, query)
            return got

        def speaks_in(wider: list[Candidate]) -> bool:
            self._prefer_the_speakers_words(index, wider, query, source, asked)
            return not agent_silent(self, index, wider, query, asked)
        if asked is not None and more and not widened and agent_silent(self, index, cands, query, asked):
            # "what did Rowley say about rebuilding trust?": his words ("Action, not words, will rebuild
            # trust") may be in a passage ranked below the best
            widen(speaks_in)
        saying = says_what_will(self, index, cands, query, asked)
        if not saying and asked is not None and more and not widened and what_will(query):
            # "what does Rowley think will rebuild trust?": "He said: ... “Action, not words, will rebuild trust ...”"
            saying = widen(lambda wider: says_what_will(self, index, wider, query, asked))
        list_heads = {w[:5] for w in content_words(query) if w not in UBIQUITOUS} if kind == "list" else set()
        if list_heads and more and not widened and not _listing(cands, list_heads):
            # "which practices did the letter say the commissioner must tackle?": the sentence listing them
            widen(lambda wider: bool(_listing(wider, list_heads)))

        def widen_to(fits: Callable[[Candidate], bool]) -> None:
            """Every retrieved passage's sentences, when none of the best passages' ``fits`` and one of theirs does."""
            if more and not widened and not any(fits(c) for c in cands):
                widen(lambda wider: any(fits(c) for c in wider))
        if _NAMED_PEOPLE_Q.search(query):
            widen_to(_names_people)  # "who were the named people in the IOPC report?": the sentence naming them
        if _MET_WITH_Q.search(query):
            widen_to(_tells_of_meeting)  # "had the Met sat down with the campaigners?": the sentence telling of a meeting
        # "what does Rowley think will rebuild trust?": where he says what will, over where he speaks of other things
        _to_the_top(cands, saying)
        met = _MET_ASKED.search(query)
        met_silent = False
        if met:
            # "what did the Met say about the letter?": what its spokesperson said, not what was said of it,
            # on what is asked; when it says nothing on that ("about Child Q"), the documents do not say
            topic = _MET_TOPIC.search(query[met.end() :])
            # the topic's words by their first five letters ("racism" is what "anti-racist" is about), not
            # the force's own names; a name the topic gives must be there too ("the IOPC report" is not
            # "the report in March")
            heads = {w[:5] for w in content_words(topic.group(1)) if w not in UBIQUITOUS and w not in _FORCE_WORDS} \
                if topic else set()
            names = [agent_pattern(n) for n in proper_names(topic.group(1)) if n.lower() not in UBIQUITOUS] if topic else []

            def said(c: Candidate) -> bool:
                # what it says is on the topic when its statement is: "As we have set out in the plan they are
                # responding to, ..." goes on from "... met with ... signatories of this letter"
                paragraph = _paragraph(index, c)
                if not _met_speaks(index, c, paragraph):
                    return False
                statement = index.documents[c.doc_id].text[slice(*paragraph)]
                return (not heads or bool(heads & word_heads(statement))) and \
                    all(n.search(statement) for n in names if n is not None)
            met_silent = bool(heads) and not any(said(c) for c in cands)
            _prefer(cands, said, 1.0)
        if met_silent or agent_silent(self, index, cands, query, asked) or \
                actor_absent(index, cands, query) or speaker_unknown(self, index, query) or \
                thing_unknown(self, index, query) or thing_unmentioned(cands, query) or \
                claim_unsupported(index, cands, query) or \
                no_outcome(cands, query) or no_detail(cands, query) or \
                about_another_group(cands, query) or only_former_holders(cands, query) or no_head_named(cands, query) or \
                relative_silent(cands, query) or share_not_given(cands, query) or rate_unmentioned(cands, query) or \
                event_unreported(index, cands, query) or count_out_of_place(index, cands, query) or \
                successor_unnamed(cands, query) or complaint_route_unknown(cands, query) or detail_absent(cands, query):
            judgement = judgement.at_most(_REFUSED)
        self._prefer_the_asked_act(index, cands, query)
        bearer = _WRITTEN_ON_Q.search(query)
        if bearer:
            thing = re.compile(r"\b" + re.escape(bearer.group("thing")) + r"s?\b", re.I)
            _prefer(cands, lambda c: bool(thing.search(c.text)), self.settings.answer_focus_penalty)
        doer = _WHO_ACTED_Q.match(query)
        if doer:
            # "who coordinated the open letter to Rowley about ...?": the sentence telling by whom ("... co-ordinated by
            # the Runnymede Trust"), over those about the letter
            stem = doer.group("verb")[:5].lower()
            by = re.compile(r"\b" + "-?".join(map(re.escape, stem)) + r"\w*\s+by\b", re.I)
            _prefer(cands, lambda c: bool(by.search(c.text)), self.settings.answer_focus_penalty)
        if INPUT_Q.search(query):
            # "who did the Met get input from when making the plan?": "made with input from black communities ..."
            _prefer(cands, lambda c: bool(INPUT.search(c.text)), self.settings.answer_focus_penalty)
        paged = _pages_of_the_named(index, cands, query) if kind == "count" and _PAGES_Q.search(query) else None
        if paged:
            # "how many pages is the New Met for London plan?": "an 80-page plan for reform", in a report on it
            _to_the_top(cands, paged)
            judgement = judgement.at_least(self.settings.answer_hedge)
        elif paged is not None:
            judgement = judgement.at_most(_REFUSED)  # "how many pages is the Race Action Plan?": no report on it says
        serves = SERVES_Q.match(query)
        served = agent_pattern(serves.group("org") or serves.group("whose")) if serves else None
        own = [c for c in best_first(cands, 3) if SERVES.search(c.text) and
               served.search(index.documents[c.doc_id].meta.source or "")] if served is not None else []
        if own and judgement.answerable > _REFUSED:
            # "who does Action for Race Equality mainly work for?": whom it serves, as its own page says ("Empowering
            # Young People who are Black, Asian and of Mixed Heritage")
            _to_the_top(cands, own)
            judgement = judgement.at_least(self.settings.answer_hedge)
        if _BEFELL_Q.search(query):
            _prefer(cands, lambda c: _names_one_befallen(c.text), self.settings.answer_focus_penalty)
        maker = possessed_work(query)
        written = WROTE_WORK_Q.search(query)
        if work_unwritten(cands, written, maker) or commissioner_unnamed(cands, query):
            # (who commissioned a work is not its author, whom "Casey's review" names)
            judgement = judgement.at_most(_REFUSED)
        elif written and maker is None:
            # a sentence not naming the work does not say who wrote it ("have written a joint open letter")
            _prefer(cands, lambda c: names_maker(c.text, written.group("noun")), 1.0)
        elif maker is not None and any(maker.search(c.text) for c in cands):
            # the possessive states the maker; a sentence naming the work otherwise names others ("26
            # organisations criticised ... the Casey review")
            _prefer(cands, lambda c: bool(maker.search(c.text)), 1.0)
            judgement = judgement.at_least(self.settings.answer_hedge)
        if _MONEY_WHERE_Q.search(query):
            # "where should the money go instead?": a sentence putting funds somewhere ("directing funds
            # towards evidence-based strategies"), over those that only speak of the spending
            _prefer(cands, lambda c: bool(_MONEY_PUT.search(c.text)), self.settings.answer_focus_penalty)
            if cands and _MONEY_PUT.search(max(cands, key=lambda c: c.score).text):
                judgement = judgement.at_least(self.settings.answer_hedge)
        work = work_finding(query)
        if work is not None:
            # "what did the Casey report say ...?": where the review itself finds or says it, not where
            # others say something of it
            finding, named = work
            _prefer(cands, lambda c: bool(finding.search(c.text)) and bool(named.search(index.documents[c.doc_id].text)),
                    self.settings.answer_focus_penalty)
        press = PRESS_Q.search(query) and [c for c in best_first(cands, 3)
                                           if slot_match(c.text, query, "who") and _tells_the_story(index, c, query)]
        if press:
            # "which paper reported it?": "..., reported The Guardian" tells it, though the sentence is about
            # what was reported, not the paper (in an article on the story asked about)
            _prefer(cands, lambda c: c in press, 1.0)
            judgement = judgement.at_least(self.settings.answer_hedge)
        if HEAD_OF_Q.match(query) and any(names_head(c.text, query) for c in cands):
            # "who runs the Met?": the sentence naming its commissioner answers, though "runs" is no word of theirs
            _prefer(cands, lambda c: bool(names_head(c.text, query)), 1.0)
            judgement = judgement.at_least(self.settings.answer_hedge)
        thing_named = kind == "name" and asks_thing_name(query)
        named = [c for c in best_first(cands, 3) if max(c.dense, c.prev_dense) >= _ON_THE_NAMED and
                 gives_name(c.text, query)] if thing_named else []
        # "what is the name of the Met plan that includes the new stop and search charter?": "It includes a new stop
        # and search charter ..." says it of the plan the sentence before it names
        linked = [b for c in best_first(cands, 3) if c.dense >= _ON_THE_NAMED and PRONOUN_START.search(c.text)
                  for b in cands if b.doc_id == c.doc_id and b.row == c.row - 1 and gives_name(b.text, query)] \
            if thing_named else []
        if named or linked:
            # "what's the name of the Met plan to rebuild trust ...?": "... added the Race Action Plan “was a step in
            # the right direction”" names it, in a sentence about something else after one about the plan; of
            # two plans named, the one whose sentence, or the one before, is more about what is asked
            best = linked[0] if linked else max(named, key=lambda c: max(c.dense + c.coverage, c.prev_dense + c.prev_coverage))
            _prefer(cands, lambda c: c is best, 1.0)
            judgement = judgement.at_least(self.settings.answer_hedge)
        # "how long does the whole scheme run for?": a sentence giving the span of the thing named ("two-year ...
        # scheme"), however far it is from the question in meaning
        thing = _DURATION_OF.search(query)
        spans = re.compile(_DURATION.pattern + r"[^.;]{0,40}?\b" + re.escape(thing.group("thing")), re.I) if thing else None
        lasting = [c for c in best_first(cands, 2) if _DURATION.search(c.text) and (
            c.dense >= _ON_THE_NAMED or spans is not None and spans.search(c.text))] \
            if kind == "count" and _DURATION_Q.search(query) else []
        if lasting:
            # "how long is the New Met for London plan meant to run?": "the £366 million two-year ... scheme"
            _prefer(cands, lambda c: c in lasting, 1.0)
            judgement = judgement.at_least(self.settings.answer_hedge)
        spent = _SPENT_ON_Q.search(query) if kind == "count" else None
        if spent and any(n.lower() not in UBIQUITOUS for n in proper_names(query[spent.start():])):
            spent = None  # "how much is the Met spending on the Race Action Plan?": a work named, the sum's or not
        priced = [c for c in best_first(cands, 2) if SUM.search(c.text) and
                  re.search(r"\b" + re.escape(spent.group("thing").lower()), index.documents[c.doc_id].text.lower())] \
            if spent and spent.group("thing").lower() not in UBIQUITOUS and judgement.answerable > _REFUSED else []
        if priced:
            # "how much money is the Met throwing at this big overhaul?": "The £366 million two-year ... scheme", in the
            # article on "the recently announced plans to overhaul the force" (a work the question names must be named)
            _prefer(cands, lambda c: c in priced, 1.0)
            judgement = judgement.at_least(self.settings.answer_hedge)
        counted = HOW_MANY.search(query) if kind == "count" else None
        # ("moving", and "moved" in "how many are being moved ...?")
        acts = [w[:-3] if w.endswith("ing") else w[:-2] for w in content_words(query[counted.start():])
                if len(w) > 4 and (w.endswith("ing") or w.endswith("ed"))] \
            if counted and content_words(counted.group(1)) and judgement.answerable > _REFUSED else []
        if acts:
            told = re.compile(_COUNTED_ACT.format(act="|".join(re.escape(w) for w in acts),
                                                  noun="|".join(re.escape(w[:5]) for w in content_words(counted.group(1)))),
                              re.I)
            acted = [c for c in best_first(cands, 2) if told.search(c.text)]
            if acted:
                _prefer(cands, lambda c: c in acted, 1.0)
                judgement = judgement.at_least(self.settings.answer_hedge)
        listing = _listing(cands, list_heads)
        # "which practices did the letter say the commissioner must tackle?": the sentence listing them, among the
        # best, however long and however it opens ("To reduce racial inequality, they will need to ...")
        _to_the_top(cands, listing, margin=0.0)
        if kind == "count":
            # "how many signed the letter?": a sentence giving a count of them, over one naming some of them
            _prefer(cands, fits_slot, self.settings.answer_focus_penalty)
        if avoid:
            # The sentence the pronoun's antecedent came from is what the follow-up asks about,
            # rarely its answer.
            subject = [part for n in proper_names(query) if n.lower() not in question.lower()
                       for part in n.split(" and ")]
            asked = {t for w in content_words(question) for t in index.bm25.tokens(w)}
            for c in cands:
                if (c.doc_id, c.start) in avoid and ELSE_Q.search(question):
                    c.score -= 1.0  # "what else did it find?": anything but what the last answer quoted
                    continue
                if (c.doc_id, c.start) not in avoid or subject and not any(n in c.text for n in subject):
                    continue
                if asked and len(asked & index.bm25.tokens.stem_set(c.text)) >= 0.8 * len(asked):
                    continue  # it says just what the follow-up asks ("what did she say ... uncover?")
                # A follow-up wants something new: the last answer again only when it holds
                # what this question asks for (the partner named beside the athlete).
                holds_slot = fits_slot(c)
                c.score -= self.settings.followup_repeat_penalty * (0.25 if holds_slot else 1.0)
        if _CONSEQUENCE_Q.search(query):
            # (last: what the question asks of the work it names is what the work says follows)
            asked_heads = {w[:5] for w in content_words(query) if w not in UBIQUITOUS}

            def leads_to(c: Candidate) -> bool:
                before = previous_sentence(index, c.doc_id, c.row)
                told = c.text + " " + (index.documents[c.doc_id].text[before[0] : c.start] if before else "")
                return bool(_CONSEQUENCE.search(c.text)) and bool(asked_heads & word_heads(told) - _SOURCE_HEADS)
            _to_the_top(cands, [c for c in cands if leads_to(c)])
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
        if OPINION_Q.search(query):
            # "in your view, was Rowley right ...?": what the documents report others saying is no verdict of ours
            return self.abstain(question, index, hits, OPINION_TEXT), judgement.at_most(_REFUSED)
        if encode is not None:
            encode = functools.lru_cache(maxsize=8)(encode)  # a part judged below is encoded once, not again to answer it
        parts = split_question(query) if encode is not None else []
        if cands and len(parts) > 1 and judgement.answerable < self.settings.abstain_threshold:
            # "how much is it costing and how many pages is it?": each part judged on its own sentences
            judged = [self.assess(part, part, index, hits, encode(part))[2] for part in parts]
            if judged[0].answerable <= _REFUSED:
                # "who was his predecessor, and why did they leave?": a part saying "they" of what the
                # first asks for is not answered when the documents do not say what the first asks
                judged = judged[:1] + [j for part, j in zip(parts[1:], judged[1:]) if not _OF_THE_FIRST.search(part)]
            judgement = max(judged, key=lambda j: j.answerable)
        if cands and HOW_MANY.search(query) and 0.3 <= judgement.answerable < self.settings.abstain_threshold:
            conflict = self._counted_apart(index, hits, query_vector, query, cands)
            if conflict:  # sources counting what "how many X" asks differently: they do answer it, apart
                return self._render(question, index, hits, [[c] for c in conflict], True), judgement
        if not cands or judgement.answerable < self.settings.abstain_threshold:
            dated = self._dated_by_their_reports(question, query, index, hits, cands) if kind == "when" else None
            return dated or self.abstain(question, index, hits), judgement

        options = alternatives(query)
        sides = self._sides(cands, options) if options else None
        if sides:
            answer = self._render(question, index, hits, [[c] for c in sides], conflict=len(sides) > 1)
            return self._hedged(answer, judgement), judgement
        if kind == "brief":
            cands = self._on_the_named_topic(index, cands, query)
        chosen = self._select(cands, kind, question, unsure=judgement.answerable < self.settings.answer_hedge)
        if _MET_STANCE_Q.search(query) and not any(_met_speaks(index, c, _paragraph(index, c)) for c in chosen):
            # "does the Met accept it's institutionally racist?": what its critics say, and what it says itself
            own = next((c for c in cands if c not in chosen and c.score > 0 and _met_speaks(index, c, _paragraph(index, c))),
                       None)
            if own is not None:
                chosen = [*chosen, own]
        if len(parts) > 1:
            chosen = self._per_part(parts, index, hits, encode, chosen, sides=question_sides(query))
        groups = [[c] + self._corroborating(c, cands, chosen) for c in chosen]
        whole = kind not in TYPED  # a name, date or figure needs no more than its sentence
        for g in groups:
            # "who criticised it?": "..., they criticised the plan" needs the sentence saying who "they" are
            reach = 100 if kind == "who" else 70
            g[0] = self._with_what_follows(index, self._with_antecedent(index, g[0], whole, max_words=reach,
                                                                        speaker=kind == "who"))
            if whole:
                g[0] = self._with_quotation_end(index, g[0])
        groups = _without_overlaps(groups, index)
        if kind == "when" and _DAY_ASKED.search(query) and _MONTH_GIVEN.search(query) and \
                not any(_DAY_GIVEN.search(g[0].text) for g in groups):
            # "what exact day in March was the Casey review published?": "published in March 2023" does not say
            return self.abstain(question, index, hits), judgement.at_most(_REFUSED)
        if kind == "when" and _MONTH_ASKED.search(query) and not any(_MONTH_GIVEN.search(g[0].text) for g in groups):
            # "what month was Child Q strip searched?": "in 2020" does not say
            return self.abstain(question, index, hits), judgement.at_most(_REFUSED)
        if kind == "when" and not any(DATE.search(g[0].text) for g in groups):
            # "when were the athletes stopped?": sentences giving no date do not say when
            dated = self._dated_by_their_reports(question, query, index, hits, cands)
            if dated is not None:
                return dated, judgement
            return self.abstain(question, index, hits), judgement.at_most(_REFUSED)
        conflict = self._counted_apart(index, hits, query_vector, query, cands) if kind == "count" else None
        if conflict:
            groups = [[c] for c in conflict]
        answer = self._render(question, index, hits, groups, conflict is not None)
        if conflict:
            return answer, judgement  # sources giving the asked-for figure differently: that is the finding
        return self._hedged(answer, judgement), judgement

    def _dated_by_their_reports(self, question: str, query: str, index: LoadedIndex, hits: list[Hit],
                                cands: list[Candidate]) -> Answer | None:
        """"When was the New Met for London plan launched?" when no sentence dates it, but dated reports say
        it was "launched last week" or "recently launched": each report's words with its own date, the
        best such sentence of each; none for "on what date exactly?" (that the documents do not give)."""
        if not _ROUGHLY_WHEN_Q.search(query) or _EXACT_DAY_Q.search(question) or not _PUT_OUT_Q.search(query):
            return None  # (not "when did Rowley take over?": "the recently launched plan" says nothing of that)
        # what is dated: the question's words but for its "when" and its verb ("the letter to Rowley")
        # ("the letter to Rowley about New Met for London": the letter to Rowley; what it is about need not be said, when
        # a name says which)
        named = _PUT_OUT_Q.sub(" ", _ROUGHLY_WHEN_Q.sub(" ", _WHAT_YEAR.sub(" ", query)))
        if any(n.lower() not in UBIQUITOUS for n in proper_names(_ABOUT_WHAT.sub(" ", named))):
            named = _ABOUT_WHAT.sub(" ", named)  # (not "the open letter criticising the plan": that says which letter)
        thing = [index.bm25.tokens(w) for w in content_words(named)]
        thing = [t for t in thing if t]

        # ("the New Met for London plan" is named by its name in "... scheme, launched last week under the banner of
        # ‘A New Met for London’")
        titles = [n for n in proper_names(named) if n.lower() not in UBIQUITOUS and len(n.split()) > 1]

        def names_the_thing(c: Candidate) -> bool:
            have = index.bm25.tokens.stem_set(c.text)
            return c.coverage >= _ON_THE_THING or bool(thing) and all(set(t) <= have for t in thing) or \
                any(t.lower() in c.text.lower() for t in titles)
        chosen: dict[str, Candidate] = {}
        for c in cands:
            if c.doc_id not in chosen and _RELATIVE_PUT_OUT.search(c.text) and index.documents[c.doc_id].meta.date \
                    and names_the_thing(c):
                chosen[c.doc_id] = c
        if not chosen:
            return None
        picked = sorted(chosen.values(), key=lambda c: index.documents[c.doc_id].meta.date)
        answer = self._render(question, index, hits, [[c] for c in picked], conflict=False)
        sides = [f"{cited.quote} [{cited.n}] (a report dated {cited.date})" for cited in answer.citations]
        answer.answer = "No document gives the date; the reports date it only by their own: " + "; ".join(sides)
        answer.notes.append("dated by the reports that tell of it")
        return answer

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
        if speaker and "\n" in text[end : c.start] and SPEAKS.search(text, start, end) and \
                any(is_person(n) for n in proper_names(text[start:end])) and len(text[start : c.end].split()) <= max_words:
            return replace(c, start=start, text=text[start : c.end])  # "“Despite publishing ...”" after "..., Dr Shabna Begum ... was quoted as saying"
        if not leans and not LEAD_IN.search(text[start:end]):
            return c  # a quotation opening without "Jeremy Crook, Vice Chair of EQUAL said:" before it
        if not TERMINAL.search(text[start:end]):
            return c  # a heading or a label: not what the pronoun points to
        if len(text[start : c.end].split()) > max_words:
            return c
        return replace(c, start=start, text=text[start : c.end])

    @staticmethod
    def _with_what_follows(index: LoadedIndex, c: Candidate, max_words: int = 70) -> Candidate:
        """"Jeremy Crook, Vice Chair of EQUAL said:" says nothing by itself: it is quoted on to the
        first sentence of what it introduces, even in the next paragraph."""
        if not LEAD_IN.search(c.text):
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
                named = agent_pattern(sides[i])
                # the side speaking (not written to, not spoken of), else from a source not yet quoted
                speaking = [c for c in close if named is not None and self.names_agent(index, c, named, speaks=True)]
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
            prefix = stem(option)[:6]
            pattern = re.compile(r"\b" + re.escape(prefix), re.I)
            holder = next((c for c in cands[:12] if pattern.search(c.text)
                           and not any(pattern.search(o) for o in options if o != option and o.lower().startswith(prefix.lower()))), None)
            if holder is not None and holder not in found:
                found.append(holder)
        if not found:
            return None
        return found

    def _select(self, cands: list[Candidate], kind: str, question: str, unsure: bool = False) -> list[Candidate]:
        """The best sentence, and more only for lists, overviews and two-part questions; when
        ``unsure`` (a hedged answer), the runner-up too, so the reader can judge."""
        s = self.settings
        if kind in TYPED and cands and not fits_slot(cands[0]):
            # "who is the commissioner?": on a near tie, the sentence naming one ("Commissioner Sir Mark
            # Rowley") leads, not one that only has the word ("charged the Commissioner with ...")
            fit = next((c for c in cands[1:] if fits_slot(c) and c.score >= cands[0].score - s.answer_tie_margin), None)
            if fit is not None:
                cands = [fit] + [c for c in cands if c is not fit]
        if unsure and kind not in ("brief", "list"):
            other = next((c for c in cands[1:] if float(c.vector @ cands[0].vector) <= _SAYS_THE_SAME), None)
            return self._in_reading_order([cands[0]] + ([other] if other is not None else []))
        # a yes-or-no question is answered by one sentence and what bears on it: the closer margin
        margin = s.answer_margin if YES_NO_Q.match(question) else s.answer_open_margin
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
            if kind in TYPED or CLAIM_Q.match(question):
                # one name, date or count, or the sentence bearing out a claim: a second only on a near tie
                margin = s.answer_tie_margin
        best = cands[0]
        chosen = [best]
        best_values = slot_values(best.text, question) if kind in TYPED and limit == 2 else set()
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
        third = min(margin, s.answer_third_margin)
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
            if kind == "list" and c.coverage == 0:
                continue  # a list's item has some word of the question ("The Casey review found ..." after the signatories)
            if skipped_next and c.restates:
                continue  # past a skipped sentence, not a document's first sentence restating what names it
            if kind == "other" and len(chosen) - finished >= 2 and c.score < best.score - third:
                break  # an open question's third sentence only when nearly as good as the best
            if kind == "other" and best.score >= self.settings.answer_confident and not going_on:
                break  # a confident best sentence stands alone, unless the next one goes on about it ("She was ...")
            if any(float(c.vector @ x.vector) > _SAYS_THE_SAME for x in chosen):
                continue  # says the same again
            if best_values and slot_values(c.text, question) & best_values:
                continue  # a near tie that agrees with the best on a name, date or figure adds nothing
            chosen.append(c)
        if LEAD_IN.search(best.text) and len(chosen) < limit + 1:
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
        names = [n for n in names if len(n.split()) >= 2 and n.lower() not in UBIQUITOUS]
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
        if conflict or len(hits) <= self.settings.answer_passages:
            return conflict
        # the rest of the retrieved passages, then as many again: only the passages not yet read (a
        # sentence of two passages is read once, as the first had it)
        read = {h.passage.passage_id for h in hits[: self.settings.answer_passages]}

        def wider():
            yield hits
            yield index.search(query, query_vector, 2 * len(hits))  # searched only when the rest tell no disagreement

        for deeper in wider():
            rest = [h for h in deeper if h.passage.passage_id not in read]
            read |= {h.passage.passage_id for h in rest}
            seen = {(c.doc_id, c.start) for c in cands}
            more = [c for c in self.candidates(index, rest, query_vector, query, passages=len(rest)) if (c.doc_id, c.start) not in seen]
            if not more:
                continue
            self.score(more, "count", query)
            cands = sorted(cands + more, key=lambda c: -c.score)
            conflict = self._disagreement(cands, query)
            if conflict:
                return conflict
        return None

    def _disagreement(self, cands: list[Candidate], query: str) -> list[Candidate] | None:
        """The best sentence per source giving the asked-for count, when the sources' counts differ.
        An age is about the person the question names ("how old was Oladeji Omishore?"): each side
        must name them too, or two unrelated ages look like a disagreement."""
        names = [n for n in proper_names(query) if is_person(n)] if re.search(r"\bhow old\b", query, re.I) else []
        subject = agent_pattern(" ".join(names)) if names else None
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
        money = [bool(SUM.search(c.text)) for c in per_doc.values()]
        if re.search(r"\bhow much\b", query, re.I) and len(set(money)) > 1:
            return None  # "how much ...?": a sum of money against a count of officers is no disagreement
        if any(not v for v in values) or all(v == values[0] for v in values) or set.intersection(*values):
            return None
        sides = list(per_doc.values())[:3]
        if min(float(a.vector @ b.vector) for i, a in enumerate(sides) for b in sides[i + 1 :]) < _SAME_MATTER:
            return None  # "two constables were sacked", "moving 240 officers": counts of different matters
        return sides

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

    def abstain(self, question: str, index: LoadedIndex, hits: list[Hit], text: str = ABSTAIN_TEXT) -> Answer:
        nearest = []
        for hit in hits[:3]:
            meta = index.documents[hit.passage.doc_id].meta
            label = f"“{meta.title}”" + (f" ({meta.date})" if meta.date else "")
            if label not in nearest:
                nearest.append(label)
        if nearest:
            text += " The nearest passages are in " + ", ".join(nearest) + "."
        return Answer(question, text, True, [], hits)
