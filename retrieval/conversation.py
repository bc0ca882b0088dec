"""Follow-up questions: resolve "it", "they", "who signed it?" against the conversation so far."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from retrieval.answer import ABSTAIN_TEXT
from retrieval.questions import FIGURE_Q, MORE_Q, OTHER_FIGURE, WORK_KINDS
from retrieval.textutil import content_words, is_org as _is_org, is_person as _is_person, proper_names

_ANAPHORA = re.compile(
    r"\b(it|its|they|them|their|theirs|he|him|his|she|her|hers|this|that|these|those|(?<!\bout )there|the same)\b", re.I
)  # ("putting more PCSOs out there": no place named before)
_PRONOUN_SLOT = re.compile(r"\b(it|them|they|him|her|he|she)\b(?=[\s?.!,]|$)", re.I)


@dataclass
class Turn:
    """One exchange: the user's question and what the bot answered."""

    question: str
    answer: str = ""
    quotes: list[tuple[str, int]] = field(default_factory=list)  # (doc_id, start) of cited sentences


def is_followup(question: str) -> bool:
    """A question that leans on earlier turns (a pronoun, or too short to stand alone)."""
    return bool(_ANAPHORA.search(question)) or len(content_words(question)) <= 1


_ORG_QUESTION = re.compile(r"\b(group|organi[sz]ation|body|bodies|charity|campaign|trust|newspaper|force|agency|"
                           r"co-?ordinated|signed)", re.I)
_PLURAL = re.compile(r"\b(they|them|their|theirs|these|those)\b", re.I)


_FIRST_PRONOUN = re.compile(r"\b(it|its|they|them|their|theirs|he|him|his|she|her|hers|these|those)\b", re.I)
_PERSON_PRONOUN = re.compile(r"\b(she|her|hers|he|him|his)\b", re.I)
_THING_PRONOUN = re.compile(r"\b(it|its)\b", re.I)
# "What is the New Met for London plan?", "Who is Jeremy Crook?", "What happened to the girl known
# as Child Q?": the thing asked about is what "it", "she" or "he" most likely points to next.
_TOPIC_QUESTION = re.compile(
    r"^\s*(?:(?:what|who)\s+(?:is|was|are|were)|what\s+happened\s+to|tell\s+me\s+about|what\s+about)\s+"
    r"(?P<topic>.+?)\s*[?.!]*\s*$",
    re.I,
)
_ASKS_FOR_NAME = re.compile(r"^\s*(?:who|whom|which|what\s+(?:group|organi[sz]ation|body|person|name))\b", re.I)
_WHO_WROTE = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?:wrote|signed|sent|penned|authored)\b", re.I)
_THING_HEAD = re.compile(r"\s(?:case|incident|affair|scandal|row|search|review|inquiry|investigation|report|plan|"
                         r"letter|trial|hearing|death)\W*$", re.I)
_POSSESSIVE = re.compile(r"\b(his|its|their|her)\s+(?=[a-z])(?!(?:own|and|or|to|of|in|on|at|by|for|with|when|while|after|"
                         r"before|then|now|about|at the time)\b)", re.I)  # ("who was with her when ...?": not hers)
_PERSON_NOUN = re.compile(r"\b(girl|boy|woman|man|mother|father|son|daughter|child|person|officer|runner|athlete|"
                          r"commissioner|secretary|chief|executive|spokes\w+|chair\w*|director|minister|mayor)\b", re.I)


def _fits(name: str, want: str) -> bool:
    if want == "person":
        return _is_person(name)
    if want == "thing":
        return not _is_person(name) or _is_org(name)
    return True


def _without_markers(answer: str) -> str:
    """An answer's text without its citation markers ("[1]")."""
    return re.sub(r"\[\d+\]", " ", answer)


# An answer about a document opens with its title ("“Rebuilding Londoners’ trust: ...”: Today, ..."): not a name
_TITLE_LEAD = re.compile(r"^\s*“[^”]{3,200}”:\s")


def antecedents(turn: Turn, want: str = "any", plural: bool = False) -> list[str]:
    """Names a pronoun most likely points to, best first.

    Names of the right kind score for being the agent of the answer ("co-ordinated by the
    Runnymede Trust"), for the kind the last question asked about (a group, a person), for
    recurring, and for being the last question's own subject ("the girl known as Child Q").
    """
    # a refusal lists the nearest documents' titles: no one in them is what a pronoun means
    text = "" if turn.answer.startswith(ABSTAIN_TEXT) else _without_markers(_TITLE_LEAD.sub("", turn.answer))
    asked_org = bool(_ORG_QUESTION.search(turn.question))
    asks_name = bool(_ASKS_FOR_NAME.search(turn.question))
    # ("what is Dr Shabna Begum's position?" names "Dr Shabna Begum")
    q_names = list(dict.fromkeys(re.sub(r"[’']s$", "", n) for n in proper_names(turn.question) if len(n) >= 3))
    # "who wrote the letter to Priti Patel?" ... "what did they say?": not the one written to
    addressees = {n for n in q_names if re.search(r"\b(?:to|addressed to)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}?"
                                                  + re.escape(n), turn.question)} if plural else set()
    scored: dict[str, tuple[float, int]] = {}
    for position, name in enumerate(q_names + proper_names(text)):
        if len(name) < 3 or not _fits(name, want) or name in scored or name in addressees:
            continue
        score = 0.5 * text.count(name)
        if asked_org and _is_org(name) or not asked_org and _is_person(name):
            score += 2.0
        if re.search(r"\bby (the )?" + re.escape(name), text):
            score += 1.5
        if name not in q_names and re.search(r"\b(?:letter|wrote|written|writing|addressed)\s+to\s+(?:the\s+)?(?:[\w’'-]+,?\s+){0,3}?"
                                             + re.escape(name), text):
            score -= 1.0  # "an open letter addressed to Met commissioner, Sir Mark Rowley": written to, not the one asked for
        if name in q_names:
            score += 1.0
        elif asks_name:
            score += 1.5  # the name the last answer supplied ("Priti Patel" for "who was it addressed to?")
        scored[name] = (-score, position)
    return sorted(scored, key=lambda n: scored[n])


_FEMALE = re.compile(r"\b(she|her|hers)\b", re.I)
_MALE = re.compile(r"\b(he|him|his)\b", re.I)
_FEMALE_TITLE = re.compile(r"(?:^|\s)(?:Dame|Baroness|Lady|Mrs|Ms|Miss)\b")  # "Commissioner Sir Mark Rowley" too
_MALE_TITLE = re.compile(r"(?:^|\s)(?:Sir|Lord|Mr)\b")
_FEMALE_NOUN = re.compile(r"\b(?:a|the)\s+(?:[a-z-]+\s+){0,2}?(?:woman|girl|mother|daughter|sister|wife|spokeswoman|"
                          r"chairwoman)\b", re.I)
_MALE_NOUN = re.compile(r"\b(?:a|the)\s+(?:[a-z-]+\s+){0,2}?(?:man|boy|father|son|brother|husband|spokesman|chairman)\b",
                        re.I)


def _gendered(question: str, names: list[str], answer: str) -> list[str]:
    """For "she" or "he": the names that may be that person (not "Sir Mark Rowley" for "she"), and
    failing those, the person the last answer describes ("a black woman")."""
    if _FEMALE.search(question) and not _MALE.search(question):
        other, noun = _MALE_TITLE, _FEMALE_NOUN
    elif _MALE.search(question) and not _FEMALE.search(question):
        other, noun = _FEMALE_TITLE, _MALE_NOUN
    else:
        return names
    fitting = [n for n in names if not other.search(n)]
    if fitting:
        return fitting
    described = noun.search(_without_markers(answer))
    return ["the " + described.group(0).split(None, 1)[1]] if described else []


def _names_the_last_subject(question: str, last_question: str) -> bool:
    """"What were the officers' names?" after "What happened to the officers who stopped ...?": a
    short question whose "the ..." is what the last question was about."""
    words = content_words(question)
    if len(words) > 2:
        return False
    earlier = {w.rstrip("s’'") for w in content_words(last_question)}
    return any(m.group(1).lower().rstrip("s’'") in earlier
               for m in re.finditer(r"\bthe\s+([a-z][\w-]+?)(?:['’]s|s['’]|s)?\b", question, re.I))


# "What about the letter to the Home Secretary - which searches did that one want tackled?": the
# question names what its pronoun means.
_WHAT_ABOUT = re.compile(r"^\W*(?:and\s+|so\s+)?(?:what|how)\s+about\s+(?P<subject>[^?;:,–—]+?)\s*(?:\s[-–—]\s|[?;:,–—])\s*"
                         r"(?P<rest>\S.*)$", re.I)
_THAT_ONE = re.compile(r"\b(?:that|this|the same) one\b", re.I)


_BARE = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?(?:(?:over|for|in|by|at|from|until|since)\s+)?"
                   r"(?:why|when|where|how|who|what|since when|how come|how (?:long|much|many|often|old|big)|"
                   r"(?:what|which) (?:year|date|month|period)|from what to what|from when)\s*(?:then|exactly|though|tho)?\W*$",
                   re.I)
# "what kind of plan did they want instead?" after "what did the racial justice groups call ...?": the
# plural the last question named is what "they" most likely means
_PLURAL_GROUP = re.compile(r"\b(?:the|these|those|how many)\s+(?:[\w’'-]+\s+){0,3}?(?:groups|campaigners|organi[sz]ations|charities|"
                           r"officers|constables|signatories|bodies|activists|protesters|protestors|critics|families|"
                           r"athletes|campaign groups|coalition|letter-writers|writers)\b", re.I)
# "what effects does that complaint show?": the complaint, letter or report the last question named
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|the same)\s+(letter|report|complaint|super-complaint|plan|review|"
                            r"investigation|scheme|charter|strategy|statement|advert)\b", re.I)
_THOSE_THINGS = re.compile(r"\b(those|these)\s+([a-z]{3,}s)\b", re.I)
_THE_EVENT = re.compile(r"\bthe (?:incident|case|event|episode|affair|attack|shooting|killing|arrest|search|stop|row|"
                        r"scandal|death|protest|hearing|trial|inquest)\b", re.I)
_WHEN_WAS_THAT = re.compile(r"^\W*(?:and\s+|so\s+)?(?:when|where)\s+(?:was|is|were)\s+(?:that|this)\W*$", re.I)
# ("the cops who did it, and when?": the act the last question told of, not a name its answer gave)
_THAT_HAPPENED = re.compile(r"\b(?:that|this|it)\s+(?:happen|happened|take place|took place|occur|occurred|go on|went on)\b|"
                            r"\b(?:did|done|doing)\s+(?:it|that|this)\s*(?:[,?.!]|and\b|$)|"
                            # "is that higher than in previous years?", "since when is that the highest figure?": the figure
                            # the last question asked for, compared
                            r"\b(?:is|was|are|were)\s+(?:that|this|it)\s+(?:the\s+)?(?:highest|lowest|higher|lower|biggest|"
                            r"worst|most|fewest|a\s+record|up|down)\b", re.I)
_WROTE = re.compile(r"\b(?:write|wrote|written|writing)\b", re.I)
_SAID_THROUGH = re.compile(r"\b(?:want|wanted|say|said|demand|demanded|call|called|ask|asked|urge|urged|argue|argued|"
                           r"propose|proposed|recommend|recommended)\b", re.I)
_WRITTEN_THING = re.compile(r"\b(?:letter|complaint|super-complaint|petition|statement)\b", re.I)
_INVOLVED = re.compile(r"\bthe\s+(?:[\w-]+\s+){0,2}?(?:involved|concerned|responsible|in question)\b", re.I)  # "the officers involved"
_MORE_PRECISELY = re.compile(r"\b(?:exactly|precisely|specifically|in particular)\W*$", re.I)
# "since when is that improvement measured?": a thing the last question told of, named by what it is
# ("that goes", "that said": a verb; "that organisation": a name the last answer gave, found below)
_THAT_THING = re.compile(r"\b(?:(?:that|this)\s+(?![a-z]*(?:[^s]s|ed)\b)|(?:these|those)\s+)"
                         r"(?!(?:is|was|were|are|has|have|had|will|would|can|could|did|does|do|the|a|an|he|she|they|it|we|"
                         r"you|i|who|which|one|ones|man|woman|person|people|guy|lady|organi[sz]ations?|groups?|bod(?:y|ies)|"
                         r"charit(?:y|ies)|campaigns?|trusts?|newspapers?|papers?|forces?|agenc(?:y|ies)|watchdogs?|"
                         r"commissions?|committees?|coalitions?|alliances?|outlets?|publications?)\b)[a-z]{3,}\b", re.I)
# "26 racial justice organisations", "Thirty of London's most established ... bodies": a group an answer counts
_COUNTED_GROUP = re.compile(r"\b(?:\d+|(?:twenty|thirty|forty|fifty)(?:-[a-z]+)?|three|four|five|six|seven|eight|nine|ten|"
                            r"several|dozens of)\s+(?:[\w’'-]+\s+){0,6}?(?:groups|campaigners|organi[sz]ations|charities|"
                            r"bodies|signatories|activists)\b", re.I)
# "the officers", "the two constables": people of the story the conversation is about
_THE_PEOPLE = re.compile(r"\bthe\s+(?:two\s+|[\w-]+\s+)?(?:officers|constables|policemen|policewomen|athletes|victims|families|"
                         r"protesters|protestors|parents|boys|girls|men|women|children|campaigners|signatories)\b", re.I)
_FROM_THERE = re.compile(r"\b(?:from|at|of|in) (there)\b", re.I)
_THE_MET = re.compile(r"\b(?:the\s+)?Met(?:['’]s)?\b(?!\s+(?:for London|with)\b)")
_BOUND_PLURAL = re.compile(r"\b(?:how many|which|what)\s+(?:[\w-]+\s+){0,2}?[a-z]+s\s+(?:[\w-]+\s+){0,2}?(their|them)\b", re.I)
_AMONG_THEM = re.compile(r"\b(?:among|amongst|of|between)\s+(them|those)\s*\W*$", re.I)
# "name any of them", "who were some of those?": people or things of the count the last question asked for
_SOME_OF_THEM = re.compile(r"\b(?:any|some|all|each|one|two|both|either|none|which)\s+of\s+(them|those)\b|\bname\s+(them|those)\b", re.I)
_HOW_MANY_NOUN = re.compile(r"\bhow many\s+([a-z][a-z-]+)\b(?<!\bwere)(?<!\bwas)", re.I)  # (a noun, not "how many were")
_ANY_OF_THAT = re.compile(r"\b(?:any|all|some|none)\s+of\s+(?:that|this)\b", re.I)
_HOW_MANY_OF_THEM = re.compile(r"\bhow many of (?:them|those|these)\b", re.I)
_HOW_MANY_WAS_IT = re.compile(r"\bhow many(?=(?:\s+[a-z]+s)?\s+(?:was|were|is|are)\s+(?:it|that|this|there|they)\b)", re.I)
_HOW_MANY_Q = re.compile(r"\bhow many\b", re.I)
_ONE_SOURCE = re.compile(r",?\s*\b(?:according to|in|from|per)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?(?:report|article|piece|"
                         r"write-?up|story|coverage|paper)\b", re.I)
# "is that the same as the other report says?", "and the other write-up says how many?": the count again
_OTHER_SOURCE = re.compile(r"\b(?:the\s+)?(?:other|second)\s+(?:report|article|piece|write-?up|source|story|paper|"
                           r"coverage|one|account)s?\b(?=[^?]*(?:\bsays?\b|\bsaid\b|\bgives?\b|\bhow many\b|\bsame\b|"
                           r"\bagree|\bnumber\b|\bfigure\b))|\bsame\s+as\s+(?:the\s+)?(?:other|second)\b", re.I)
# "and what figure does the £366m makeover piece give?": the count asked again, of that source among the rest
_A_SOURCE = re.compile(r"\b(?:report|article|piece|write-?up|story|coverage|paper|source)s?\b", re.I)
_WHICH_ONES = re.compile(r"\b(?:which|what|the)\s+(ones)\b", re.I)
_WHICH_WORK = re.compile(r"^\W*(?:and\s+|so\s+)?(?:which|what)\s+(letter|report|review|plan|document|article|scheme|"
                         r"strategy|complaint|super-complaint|charter)\b(?!\s+(?:did|does|do|say|said|says)\b)", re.I)
_WHICH_PAPER = re.compile(r"\b(?:which|what)\s+(?:paper|newspaper|outlet|publication|media)\b[^?]*\b(?:it|that|this)\W*$", re.I)
_WHAT_ABOUT_IT = re.compile(r"^\W*(?:and\s+|so\s+)?what(?:['’]s|\s+is|\s+was)\s+(?:it|that|this)\s+(?:all\s+)?about\W*$", re.I)
_NOT_PLURAL = frozenset("was has is does its this his as us thus plus yes always perhaps".split()
                        # "the IOPC figures on deaths in custody": the deaths are what is counted, not the figures
                        + "figures numbers statistics stats details things facts".split())
_ORDINALS = {"first": 0, "former": 0, "second": 1, "latter": 1, "other": 1, "third": 2, "last": -1}
_ORDINAL = re.compile(r"\bthe (?:(first|second|third|last|other) (?:one|person|man|woman|guy|bloke|lad|girl|boy|victim|"
                      r"officer|athlete|case)|(former|latter))\b", re.I)
_ELLIPSIS = re.compile(r"^\W*(?:and\s+|so\s+)?(?:what|how)\s+about\s+(?P<subject>[^?]+?)\s*\??\s*$|"
                       r"^\W*and\s+(?:about|regarding)\s+(?P<topic>[^?]+?)\s*\??\s*$|"  # "and about trust?"
                       r"^\W*(?:and|but)\s+(?P<name>(?:the\s+)?(?-i:[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}))\s*\?\s*$",  # "and Rowley?"
                       re.I)


def _asked_of(last_question: str, subject: str) -> str:
    """"What about Shabna Begum?" after "What did Sir Mark Rowley say about the plan?": the last
    question asked of the new subject, in place of the old one of its kind (a person, a group, a
    letter or plan), else with the new subject added."""
    new = proper_names(subject)
    for kind in (_is_person, _is_org):
        if new and kind(new[0]):
            old = [n for n in proper_names(last_question) if kind(n)]
            if old:
                return last_question.replace(old[0], subject, 1)
    doer = _ASKED_DOER.search(last_question) if new else None
    if doer and not _DOCUMENT_PHRASE.search(doer.group("doer")):
        # "and Rowley?" after "what did Shabna Begum call the plan?": the one asked what they did
        return last_question[: doer.start("doer")] + subject + last_question[doer.end("doer") :]
    old_doc = _document_asked_about(last_question) if _DOCUMENT_PHRASE.search(subject) else None
    if old_doc:
        head = _DOCUMENT_PHRASE.search(last_question)
        described = old_doc.split(None, 1)[1]  # what follows "the": as the last question put it
        end = last_question.find(described, head.start()) + len(described)
        return last_question[: head.start()] + subject + last_question[end:]
    # "What about Asian officers?" after "... did black officers reach ...?": the same head noun, another kind
    words = re.sub(r"^the\s+", "", subject.strip(), flags=re.I).split()
    if 2 <= len(words) <= 3:
        kind = r"\s+".join([r"(?!(?:the|a|an|did|do|does|was|were|is|are|of|for|to|by|in|on|what|which|how)\b)[\w’'-]+"]
                           * (len(words) - 1))
        same = re.search(r"\b" + kind + r"\s+" + re.escape(words[-1]) + r"\b", last_question, re.I)
        if same and same.group(0).lower() != " ".join(words).lower():
            return last_question[: same.start()] + " ".join(words) + last_question[same.end() :]
    # "What about black victims of crime?" after "what does the plan change about intimate searches of
    # children?": the same question about the new topic
    topic = _ENDING_TOPIC.search(last_question)
    if topic and not new:
        return last_question[: topic.start("topic")] + subject + last_question[topic.end("topic") :]
    return f"{last_question.rstrip(' ?')} ({subject})?"


_ENDING_TOPIC = re.compile(r"\b(?:about|regarding|concerning)\s+(?P<topic>[^?]{3,60}?)\s*\?*\s*$", re.I)


# "one article says 26 groups signed the letter, what number does the other report give?": the count
# asked again, whose answer gives each source's figure
_A_COUNT = (r"(?:\d[\d,]*|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?|"
            r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a hundred)")
_STATED_COUNT = re.compile(r"\b(?:says?|said|reports?|reported|gives?|gave|claims?|claimed|mentions?|puts?)\s+(?:that\s+|it\s+was\s+)?"
                           + _A_COUNT + r"\s+"
                           r"(?P<counted>[a-z][^,;?]{3,120}?)\s*(?:,|;|\s-|\s–|\s—)\s*(?:but\s+|so\s+|and\s+)?"
                           r"(?:what|which)\s+(?:number|figure|count|total)\b[^?]*\b(?:other|another|second|different)\b", re.I)


# "is it 26 or 30 groups that signed?": which of two counts
_EITHER_COUNT = re.compile(r"\b(?:is it|was it|is that|was that|are there|were there|did)\s+" + _A_COUNT + r"\s+or\s+" +
                           _A_COUNT + r"\s+(?P<counted>[a-z][\w-]*)\s+(?:(?:that|who|which)\s+)?(?P<rest>[^?]{0,120}?)\s*\??\s*$", re.I)


# "do the 2023 and 2025 articles agree on the number of groups?": the count, each source's figure
_AGREE_ON_COUNT = re.compile(r"\b(?:agree|disagree|differ|tally|match)\w*\s+(?:on|about|over|in)\s+(?:the\s+)?(?:number|count|"
                             r"figure|total)\s+of\s+(?P<counted>[^?]{3,80}?)\s*\??\s*$|"
                             r"\b(?:agree|disagree|differ)\w*\s+(?:on|about|over)\s+how many\s+(?P<many>[^?]{3,80}?)\s*\??\s*$", re.I)


def restated_count(question: str) -> str:
    """"One article says 26 groups signed the letter, what number does the other report give?", "is
    it 26 or 30 groups that signed?" and "do the articles agree on the number of groups?" asked as
    "how many groups signed (the letter)?", whose answer gives each source's figure; else ``question``."""
    stated = _STATED_COUNT.search(question)
    if stated:
        return f"how many {stated.group('counted')}?"
    either = _EITHER_COUNT.search(question)
    if either:
        return f"how many {either.group('counted')} {either.group('rest')}".rstrip() + "?"
    agree = _AGREE_ON_COUNT.search(question)
    return f"how many {agree.group('counted') or agree.group('many')}?" if agree else question


# "They mention a super-complaint - what's it about?": "it" is what the question's own first part brought in
_OWN_ANTECEDENT = re.compile(r"^(?P<intro>[^?]*?\b(?:a|an)\s+(?P<thing>(?:[\w’'-]+\s+){0,3}?[\w’'-]+))"
                             r"(?P<sep>\s*(?:[-–—:;.?]|,\s+so)\s+)"
                             r"(?P<ask>(?:and\s+|so\s+)?(?:what|who|when|where|why|how|which)\b[^?]*?)\bit\b"
                             r"(?P<rest>[^?]*\??\s*)$", re.I)
# "what was his reasoning?", "what justification did he give?": his reason for something
_REASON_ASKED = re.compile(r"\breason(?:s|ing)?\b|\bjustif(?:y|ied|ication)\b|\bexplanation\b|\brationale\b", re.I)


def _with_own_antecedent(question: str) -> str:
    """"They mention a super-complaint - what's the super-complaint about?" for "... - what's it about?"."""
    own = _OWN_ANTECEDENT.match(question)
    if own is None:
        return question
    return own.group("intro") + own.group("sep") + own.group("ask") + "the " + own.group("thing") + own.group("rest")


def resolve(question: str, history: list[Turn]) -> str:
    """The question rewritten to stand alone, using the last turn's answer and question."""
    question = _with_own_antecedent(question)
    bound = _BOUND_PLURAL.search(question)
    if bound and _FIRST_PRONOUN.search(question, bound.end()):
        # "how many groups put their names to it?": "their" is the groups'; "it" is the one to resolve
        held = question[: bound.start(1)] + _HELD + question[bound.end(1) :]
        return _resolve(held, history).replace(_HELD, bound.group(1))
    return _resolve(question, history)


_HELD = "\ue000"  # a pronoun held out of resolving, put back after


def _resolve(question: str, history: list[Turn]) -> str:
    if MORE_Q.match(question):
        question = "what else?"  # "more?", "go on": more on what the talk is on, not on the word "more"
    m = _WHAT_ABOUT.match(question)
    if m and (_THAT_ONE.search(m.group("rest")) or _PRONOUN_SLOT.search(m.group("rest")) or _POSSESSIVE.search(m.group("rest"))):
        rest, subject = m.group("rest"), m.group("subject")
        return _THAT_ONE.sub(subject, rest, count=1) if _THAT_ONE.search(rest) else _substitute(rest, subject)
    if not history:
        return question
    last = replace(history[-1], question=_with_own_antecedent(history[-1].question))
    if len(history) > 1 and (is_followup(last.question) or _THE_PEOPLE.search(last.question)) and (
            not proper_names(last.question[1:]) or re.search(r"\b(?:it|its)\b", last.question, re.I)):
        # ("what does it do for victims?" after "what did Rowley say about it?" after "what is the Race Action
        # Plan?": "it" is the plan still, which the last question names only as "it")
        # "which people did it name?" after "how many deaths was that?" after "what did the IOPC say about
        # deaths in custody?": the last question as it was resolved, naming what the talk is about
        last = replace(last, question=resolve(last.question, history[:-1]))
    pronoun = _FIRST_PRONOUN.search(question)
    if pronoun and pronoun.group(1).lower() in ("they", "them", "their") and len(history) > 1 and \
            not proper_names(history[-1].question[1:]) and not proper_names(_without_markers(_TITLE_LEAD.sub("", last.answer))):
        # "what did they say they liked about the advert?" after "who wrote to Priti Patel ...?" then "when was
        # that published?" (answered with a date): they are who the turn before asked about
        last = history[-2]
    other = _ELLIPSIS.match(question)
    if other:
        return _asked_of(last.question, other.group("subject") or other.group("topic") or other.group("name"))
    if _BARE.match(question):
        # "why?", "and when?": the last question, asked again with the new question word
        return f"{question.rstrip(' ?')} ({last.question.rstrip(' ?')})?"
    if _ANY_OF_THAT.search(question):
        # "has any of that shifted the numbers?" after "what's the Met doing about getting black officers
        # promoted?": what the last question was about
        return with_topic(question, last.question)
    of_them = _HOW_MANY_OF_THEM.search(question)
    how_many = of_them or _HOW_MANY_WAS_IT.search(question)
    if how_many:
        things = _plurals(last.question)
        if things:  # "and how many of them were there?" after "... said deaths had gone up?": deaths
            rest = question[how_many.end() :]
            # ("how many of those deaths were in London?" names them itself: "how many deaths were in London?")
            named = rest.lstrip().lower().startswith(things[0].split()[-1].lower())
            resolved = question[: how_many.start()] + "how many" + (rest if named else " " + things[0] + rest)
            # ("how many was it?": how many there were, of what the last question was about)
            return resolved if of_them else with_topic(resolved, last.question)
    if (OTHER_FIGURE.search(question) or _OTHER_SOURCE.search(question) or
            FIGURE_Q.search(question) and _A_SOURCE.search(question)) and _HOW_MANY_Q.search(last.question):
        # "I've seen a different number in another article - what was it?": the count asked again,
        # whose answer gives each source's figure when they disagree (of any source: not only the
        # one the last question named)
        return _ONE_SOURCE.sub("", last.question).strip() or last.question
    ones = _WHICH_ONES.search(question)
    things = _plurals(last.question) if ones else []
    if things:  # "and which ones are named?" after "how many groups signed the letter?": which groups
        return with_topic(question[: ones.start(1)] + things[0] + question[ones.end(1) :], last.question)
    about = _document_asked_about(last.question, any_asked=True) if _WHAT_ABOUT_IT.match(question) else None
    if about:  # "what's it about?" after "which organisation has the super-complaint ...?": the complaint
        return _substitute(question, about)
    if _WHAT_ABOUT_IT.match(question) and _WROTE.search(last.question):
        # "what was it about?" after "who did Action for Race Equality write to in April 2022?": what they wrote
        return with_topic(_substitute(question, "the letter"), last.question)
    story = _document_asked_about(last.question, any_asked=True) if _WHICH_PAPER.search(question) else None
    if story:  # "which paper broke it?" after "who organised the letter?": the letter, as the story told
        return with_topic(_substitute(question, story), last.question)
    which = _WHICH_WORK.match(last.question)
    first = _FIRST_PRONOUN.search(question)
    if which and first and first.group(1).lower() in ("it", "its"):
        # "when was it published?" after "which letter went to Priti Patel ...?": the letter asked for,
        # unless the answer names a work of that kind ("which report found ...?": "Baroness Casey's Review")
        noun = which.group(1).lower()
        kin = next((k for k in WORK_KINDS if noun in k), (noun,))
        named = antecedents(last, "thing")[:1]
        if not (named and any(w in named[0].lower() for w in kin)):
            return with_topic(_substitute(question, "the " + noun), last.question)
    ordinal = _ORDINAL.search(question)
    if ordinal:
        # "How did the second one die?" after an answer naming Chris Kaba and Oladeji Omishore
        asked = proper_names(last.question)
        named = [n for n in proper_names(_without_markers(last.answer)) if _is_person(n) and n not in asked]
        which = _ORDINALS[(ordinal.group(1) or ordinal.group(2)).lower()]
        people = [n for n in asked if _is_person(n)]
        beside = [n for n in named if people and any(people[0] in part and n in part for part in
                                                     re.split(r"(?<=[.!?])\s+", _without_markers(last.answer)))]
        if (ordinal.group(1) or "").lower() == "other" and len(beside) == 1:
            # "who's the other one named?" after "... mentions Chris Kaba - how did he die?": the one named beside him
            return question[: ordinal.start()] + beside[0] + question[ordinal.end() :]
        if len(named) >= 2 and which < len(named):
            return question[: ordinal.start()] + named[which] + question[ordinal.end() :]
    demonstrative = _DEMONSTRATIVE.search(question)
    named = _DOCUMENT_PHRASE.search(last.question) if demonstrative else None
    if named and named.group(0).lower().split()[-1].endswith(demonstrative.group(1).lower().split("-")[-1]):
        phrase = re.sub(r"^(?:a|an|that|this)\b", "the", named.group(0), flags=re.I)
        return question[: demonstrative.start()] + phrase + question[demonstrative.end() :]
    those = _THOSE_THINGS.search(question)
    if those and re.search(r"\b" + re.escape(those.group(2)[:5]), last.question, re.I):
        # "which people were named among those deaths?" after "what did the IOPC say about deaths in custody?": the
        # deaths it asked about
        return with_topic(question[: those.start(1)] + "the" + question[those.end(1) :], last.question)
    if not is_followup(question):
        if _MORE_PRECISELY.search(question):
            # "which stop and search power exactly?" after "what's the CJA super-complaint about?": of that
            return with_topic(question, last.question)
        if (_THE_EVENT.search(question) or _INVOLVED.search(question)) and not proper_names(question[1:]):
            # "And when did the incident become public knowledge?": the incident the last question asked about
            return with_topic(question, last.question)
        if FIGURE_Q.search(question) and not _plurals(question) and _HOW_MANY_Q.search(last.question):
            # "and what figure does the other piece give?" after "how many groups signed?": of the groups
            return with_topic(question, last.question)
        if not _names_the_last_subject(question, last.question) and not (
                _THE_PEOPLE.search(question) and len(content_words(question)) <= 2 and not proper_names(question[1:])):
            # ("what happened to the officers?" after "which athletes were stopped?": the officers of that
            # story, kept below with the last question's topic)
            return question
        # "What were the officers' names?": the officers the last question described
        return with_topic(question, last.question)
    some = _SOME_OF_THEM.search(question)
    counted = _HOW_MANY_NOUN.search(last.question) if some else None
    if counted:  # "can you name any of them?" after "how many people died in custody ...?": of the people
        pronoun = some.group(1) or some.group(2)
        at = some.start(1) if some.group(1) else some.start(2)
        return with_topic(question[:at] + "the " + counted.group(1) + question[at + len(pronoun) :], last.question)
    among = _AMONG_THEM.search(question)
    things = _plurals(last.question) if among else []
    if things:  # "which individuals does it name among them?" after "... about deaths in custody?": the deaths
        return question[: among.start(1)] + "the " + things[0] + question[among.end(1) :]
    # The first pronoun is the one resolved: "what were they asking her to commit to?" is about "they"
    first = _FIRST_PRONOUN.search(question)
    before = question[: first.start()] if first else ""
    if first and first.group(1).lower() == "its" and (_THE_MET.search(before) or any(
            _is_org(n) for n in proper_names(before[1:]))):
        return question  # "what did the Met's press statement concede about its tactics?": the Met's own
    word = first.group(1).lower() if first else ""
    there = None if first else _FROM_THERE.search(question)
    if _PERSON_PRONOUN.fullmatch(word):
        want = "person"
    elif _THING_PRONOUN.fullmatch(word) or there:
        want = "thing"
    else:
        want = "any"
    plural = bool(_PLURAL.fullmatch(word)) if word else bool(_PLURAL.search(question))
    they = plural and word in ("they", "them", "their")  # a plural pronoun (not "these", "those")
    topic = None if there else _topic(last.question, want)
    case = _NAMED_CASE.search(last.question) if topic is None and want == "thing" and not plural and not there else None
    if case and _is_person(case.group(1)):
        # "did people protest about it?" after "can someone explain the Child Q thing ...?": the case, not the girl
        topic = f"the {case.group(1)} " + ("case" if case.group(2).lower() == "thing" else case.group(2))
    if topic is None and want == "thing" and not there:
        said = _ASKED_SPEAKER.search(last.question)
        if said:  # "which names did it mention?" after "what did the watchdog say about ...?": the watchdog
            return _substitute(question, said.group("doer"))
        # "it" after "who was the letter addressed to?" (answered with a person) is the letter; after
        # "who coordinated the letter?" (answered with a group), the group
        first = antecedents(last, "thing")[:1]
        if not (_ASKS_FOR_NAME.search(last.question) and first and _is_org(first[0])) or _DOCUMENT_ACT.search(question):
            # ("how many groups put their names to it?": what is signed is the letter, not the group that coordinated it)
            topic = _document_asked_about(last.question)
    if topic and not plural:
        resolved = _substitute(question, topic)
        if want == "thing" and len(content_words(question)) <= 3 and _SPECIFICS_Q.match(question):
            # "which specific systems did it mention?" after "what did the letter want done about police
            # databases and surveillance tech?": the letter, on that subject
            return with_topic(resolved, last.question)
        return resolved
    described = _COUNTED_GROUP.search(_without_markers(last.answer)) if they and _WHO_DID.match(last.question) else None
    if described:
        # "what did they say?" after "who criticised it?" answered "A group of 26 racial justice
        # organisations ...": those organisations, not the person their letter was addressed to
        return _substitute(question, "the " + described.group(0))
    group = _PLURAL_GROUP.search(last.question) if they else None
    written = _document_asked_about(last.question) if group and _SAID_THROUGH.search(question) else None
    if written and _WRITTEN_THING.search(written):
        # "what did they want done about facial recognition?" after "how many groups signed the letter?":
        # the groups speak through their letter
        return _substitute(question, written)
    if group:
        # "what were their names?" after "how many Met constables were sacked ...?": the constables
        resolved = _substitute(question, re.sub(r"^(?:how many|these|those)\b", "the", group.group(0), flags=re.I))
        return _person_named_last(resolved, last)
    counted = _plurals(last.question) if they and _HOW_MANY_Q.search(last.question) else []
    if counted:
        # "who counted them?" after "how many deaths in custody were there?": the deaths, not the two
        # people the answer names among them
        return _substitute(question, "the " + counted[0])
    doer = _ASKED_DOER.search(last.question) if they else None
    if doer and not re.search(r"[’']s$", doer.group("doer")) and (
            _is_org(doer.group("doer")) or _THE_MET.fullmatch(doer.group("doer")) or
            len(doer.group("doer").split()) == 1 and not _is_person(doer.group("doer"))):
        # (a one-word name called "they" is a body: "who is their spokesperson?" after "what did Inquest say?")
        # "did they admit anything?" after "how did the Met respond when the Guardian asked ...?": the Met
        resolved = _substitute(question, doer.group("doer"))
        if len(content_words(question)) <= 3 and _SPECIFICS_Q.match(question):
            # "which names did they mention?" after "what did the IOPC report say about custody deaths?": in that
            return with_topic(resolved, last.question)
        return resolved
    # "they" after "who wrote the letter to Priti Patel?" are its writers too, who speak through it
    letter = _document_asked_about(last.question) if they and (
        not _ASKS_FOR_NAME.search(last.question) or _WHO_WROTE.search(last.question) and
        not re.search(r"\bit\b|\bof them\b", question, re.I)) else None
    # ("did they address it to?": "it" is the letter; "which of them ...?": one of the writers)
    if letter and re.search(r"\b(?:letter|complaint|super-complaint|petition|statement)\b", letter, re.I):
        # "what did they want instead?" after "what did the Runnymede-coordinated letter think of ...?":
        # its writers, who speak through the letter
        resolved = _substitute(question, letter)
        # "and what did they say that would lead to?" after "what did the letter say about more PCSOs?": on that
        # (not after "who wrote the letter?": it asked of no topic)
        on_topic = len(content_words(question)) <= 1 and not _ASKS_FOR_NAME.search(last.question)
        return with_topic(resolved, last.question) if on_topic else resolved
    happen = _plurals(last.question) if they and _HAPPEN.search(question) else []
    if happen:
        # "so when should they be allowed to happen?" after "... say about intimate searches on children?": what
        # happens is the searches, not the Met
        return with_topic(_substitute(question, "the " + happen[0]), last.question)
    asked_names = proper_names(last.question) if they else []
    asked_orgs = [n for n in asked_names if not _is_person(n) and (_is_org(n) or _THE_MET.fullmatch(n)) and not re.search(
        r"\b(?:to|addressed to)\s+(?:the\s+)?" + re.escape(n), last.question)]
    if len(asked_orgs) == 1 and len(asked_names) == 1:
        # "what did the Met spokesperson say ...?" then "what do they have to change?": the Met
        org = asked_orgs[0]
        return _substitute(question, org if org.lower().startswith("the ") else f"the {org}")
    if want != "person" and (_THAT_HAPPENED.search(question) or _WHEN_WAS_THAT.match(question)) or \
            first is None and there is None and (not re.search(r"\b(?:that|this|these|those)\b", question, re.I) or
                                                 _THAT_THING.search(question) and not _PERSON_NOUN.search(question)):
        # "which part of London did that happen in?": the event the last question told of; "how many
        # died?" (no pronoun to replace): the last question's topic; not a name the last answer gave
        return with_topic(question, last.question)
    names = antecedents(last, want, plural)
    if want == "person" and last.answer.startswith(ABSTAIN_TEXT) and len(history) > 1:
        # "what nationality is he?" after a refusal: the person of the turn before
        names = antecedents(history[-2], want, plural)
        last = history[-2]
    if want == "person":
        names = _gendered(question, names, last.answer)
    elif plural and _PERSON_PRONOUN.search(question):
        # "what were they asking her to ...?": "her" is the person the last question named, "they" others
        names = [n for n in names if not _is_person(n)] or names
    if names:
        chosen = names[:2] if plural else names[:1]
        if plural and _is_org(names[0]) and _WHO_DID.match(last.question) and not _WHO_WROTE.match(last.question):
            # "their" after "who coordinated the letter?": the one body that did (a body is "they"); a
            # letter's writers ("who wrote to Priti Patel?") are all "they"
            chosen = names[:1]
        bodies = [n for n in chosen if _is_org(n) or _THE_MET.fullmatch(n)]
        body = they and len(chosen) == 2 and len(bodies) == 1 and any(_is_person(n) for n in chosen)
        if body:
            # "how often are they going to update people?" after an answer naming Sir Mark Rowley and the
            # Met: a body is "they", one person is not
            chosen = bodies
        subject = " and ".join(chosen)
        if (not plural and _is_org(chosen[0]) or body) and not chosen[0].lower().startswith("the "):
            subject = f"the {subject}"
    else:
        subject = ""
    if subject and there:
        # "who from there got quoted?": someone from the organisation the last answer named
        return question[: there.start(1)] + subject + question[there.end(1) :]
    if subject:
        resolved = _substitute(question, subject)
        if want == "person" and (re.search(r"\b(?:it|that)\W*$", resolved, re.I) or _REASON_ASKED.search(question)):
            # "why did he avoid it?": "it" is what the last question was about (the term, the report); "what was his
            # reasoning?": his reason for what the last question asked he did
            return with_topic(resolved, last.question)
        return resolved if want == "person" else _person_named_last(resolved, last)
    # Nothing to point at: keep the earlier question's topic words so retrieval stays on subject.
    return with_topic(question, last.question)


_DOCUMENT_ACT = re.compile(r"\b(?:put\s+\S+\s+names?\s+to|sign(?:s|ed|ing)?|co-?sign(?:s|ed)?|endors(?:e|es|ed)|"
                           r"publish(?:es|ed)?|read|quot(?:e|es|ed))\s+it\b", re.I)
_HAPPEN = re.compile(r"\b(?:happen|happens|happened|occur|occurs|occurred|take\s+place|took\s+place)\b", re.I)


def _plurals(question: str) -> list[str]:
    """Plural nouns of ``question`` in order ("deaths"), what "them" may stand for."""
    return [w for w in re.findall(r"\b[a-z][a-z-]+s\b", question) if w not in _NOT_PLURAL]


def _person_named_last(resolved: str, last: Turn) -> str:
    """"What were the three charities asking her for?": "her" is the person the last question or its
    answer named ("Priti Patel")."""
    if not _PERSON_PRONOUN.search(resolved):
        return resolved
    people = _gendered(resolved, [n for n in proper_names(last.question) + proper_names(_without_markers(last.answer))
                                  if _is_person(n)], "")
    return _substitute(resolved, people[0]) if people else resolved


# "which tools did it name?", "what specific systems ...?": the particular things of a subject
_SPECIFICS_Q = re.compile(r"\W*(?:and\s+)?(?:which|what)\s+(?:specific\s+|particular\s+|exact\s+|other\s+)?"
                          r"(?!does\b|was\b|has\b|is\b)(?:\w{3,}s|people|men|women|children)\b", re.I)


def with_topic(question: str, last_question: str) -> str:
    """``question`` with the earlier question's topic words added in brackets, its names whole ("Child Q")."""
    names = [n for n in proper_names(last_question[1:]) if n.lower() not in question.lower()]
    names = [n for n in names if not any(n != m and n in m for m in names)]  # "Child Q", not also "Child"
    named = {w.lower() for n in names for w in n.split()}
    topic = names + [w for w in content_words(last_question) if w not in question.lower() and w not in named]
    return f"{question} ({' '.join(topic[:8])})" if topic else question


_DOCUMENT_PHRASE = re.compile(
    # (from the nearest article: "did the Met respond to the Runnymede letter?" names "the Runnymede letter")
    r"\b(?:the|a|an|that|this)\s+(?:(?!(?:the|a|an|that|this|to)\s)[\w’'£-]+\s+){0,6}?"
    r"(?:letter|plan|report|review|charter|scheme|strategy|"
    r"super-complaint|complaint|investigation|petition|statement|advert|advertisement)\b",
    re.I,
)
_ASKS_FOR_GROUP = re.compile(r"^\s*(?:which|what)\s+(?:group|organi[sz]ation|body|charity|campaign|newspaper|watchdog)", re.I)
_QUESTION_VERBS = frozenset("say says ask asks want wants call calls demand demands mean means suggest suggests argue "
                            "argues claim claims recommend recommends propose proposes include includes contain contains "
                            "show shows find finds state states think thinks do does did is was are were have has had".split())
_LINKS = frozenset("from by to on about of criticising calling".split())


# "How did the Met respond ...?", "What has the Runnymede Trust said ...?": the one the question asks to have acted
_ASKS_WHAT_ONE_DID = r"^\W*(?i:(?:and\s+|so\s+)?(?:how|what|why|when)\s+(?:did|does|do|has|have|will|would))\s+"
_ASKED_DOER = re.compile(_ASKS_WHAT_ONE_DID + r"(?P<doer>(?i:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+[a-z]")
# "What did the watchdog say about ...?": a body asked to have spoken, by what it is
_ASKED_SPEAKER = re.compile(_ASKS_WHAT_ONE_DID + r"(?P<doer>(?i:the\s+(?:watchdog|regulator|inspectorate|review|report|"
                            r"inquiry|investigation|government|force)))\s+(?i:say|find|conclude|report|describe|call|warn|"
                            r"claim|recommend|reveal|show)\b")
# "Who coordinated the letter?": one who did something (not "who are ...?")
_WHO_DID = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+(?!are\b|were\b)", re.I)


def _document_asked_about(question: str, any_asked: bool = False) -> str | None:
    """"Who wrote the open letter to Priti Patel about ...?": the letter, report or plan the last
    question was about, with what it says of it, which "it" then most likely means (not a group
    it asked for: "which group coordinated the letter?" ... "when was it founded?")."""
    # "The 2022 letter mentions a super-complaint. Who made the super-complaint?": the one its last sentence asks of
    last = re.split(r"(?<=[.?!])\s+", question.strip())[-1]
    if last != question.strip() and _DOCUMENT_PHRASE.search(last):
        question = last
    m = None if _ASKS_FOR_GROUP.search(question) and not any_asked else _DOCUMENT_PHRASE.search(question)
    if m is None:
        return None
    phrase = re.sub(r"^(?:a|an|that|this)\b", "the", m.group(0), flags=re.I)
    rest = re.findall(r"[^\s?.!,;]+|[?.!,;]", question[m.end() :])
    if rest and rest[0].lower() in _LINKS:  # "... to Priti Patel about recruiting the new Met Commissioner"
        words = []
        for w in rest[:12]:
            if not w[0].isalnum() and w[0] not in "£" or words and (re.fullmatch(r"[a-z]+ed", w) or
                                                                     w.lower() in _QUESTION_VERBS):
                break  # the question's own verb ("... addressed to?", "... ask for?") ends the description
            words.append(w)
        while words and words[-1].lower() in _LINKS | {"about", "for"}:
            words.pop()  # "what was the open letter to Rowley about?": "about" is the question's
        phrase += " " + " ".join(words)
    return phrase


# "the Child Q thing", "the Bianca Williams case": what befell someone named, as a thing "it" may mean
_NAMED_CASE = re.compile(r"\b([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})\s+([Tt]hing|case|incident|story|affair|scandal|saga)\b")


_TOLD_OF = re.compile(r"^((?:the|a|an|that|this)\s+(?:[\w’'-]+\s+){0,4}?[\w’'-]+)\s+(?:that\s+|which\s+)?"
                      r"(?:the|a|an|this|that|their|its)\s+(?:[\w’'-]+\s+){0,3}?"
                      r"(?:talked|talks|mentioned|mentions|described|describes|referred|"
                      r"refers|spoke|speaks|wrote|writes|highlighted|highlights|cited|cites)\b", re.I)


def _topic(question: str, want: str) -> str | None:
    """What a "what is X?" / "who is X?" question asked about, when a pronoun of kind ``want`` fits it."""
    m = _TOPIC_QUESTION.match(question)
    if not m:
        return None
    topic = re.sub(r"\s+about$", "", m.group("topic"))  # "what was the letter to Rowley about?"
    told = _TOLD_OF.match(topic)
    if told:  # "the viral video the Runnymede letter talked about": the video, not where it was told of
        topic = told.group(1)
    topic = re.sub(r"^the\s+(?:full\s+|official\s+)?name\s+of\s+", "", topic, flags=re.I)  # "what is the name of the plan ...?"
    if len(content_words(topic)) == 0 or len(topic.split()) > 12:
        return None
    names = proper_names(topic)
    is_name = bool(names) and names[0] == topic.strip()
    if question.lstrip().lower().startswith("who") and not is_name:
        return None  # "who was the runner ...?": the name the answer gave is the better antecedent
    # "the girl known as Child Q" is a person; "the Child Q case" is not
    personal = bool(_PERSON_NOUN.search(topic)) and not _THING_HEAD.search(topic) or (is_name and _is_person(topic) and not _is_org(topic))
    if want == "person" and not personal or want == "thing" and personal:
        return None
    return topic


def _substitute(question: str, subject: str) -> str:
    """``question`` with its first pronoun replaced by ``subject`` ("her school" -> "Child Q's school")."""
    owner = subject + ("'" if subject.endswith("s") else "'s") + " "
    possessive = _POSSESSIVE.search(question)
    slot = _PRONOUN_SLOT.search(question)
    if possessive and (not slot or possessive.start() <= slot.start()):
        return question[: possessive.start()] + owner + question[possessive.end() :]
    if slot:
        return question[: slot.start()] + subject + question[slot.end() :]
    last = re.search(r"\b(?:that|this)(?=\W*$)", question, re.I)
    if last:  # "where was that?": where the viral video was
        return question[: last.start()] + subject + question[last.end() :]
    return f"{question} {subject}"
