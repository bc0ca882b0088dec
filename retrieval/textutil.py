"""Small text helpers shared by the answerer, conversations and briefings."""

from __future__ import annotations

import functools
import re
import unicodedata

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                         "–": "-", "—": "-", "\u2212": "-"})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The contract's matching form: NFKC, straight quotes, hyphen dashes, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().lower()


STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own same she should
    so some such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also said says say tell told me us s t did does done get got many much
    according ever exactly actually really precisely basically""".split()
)
QUESTION_WORDS = frozenset("who whom whose what which when where why how".split())

_WORD = re.compile(r"[A-Za-z0-9£$%][A-Za-z0-9£$%'’\-]*")


# lower-case letters and digits: the parts of "anti-racist" ("anti", "racist"), compared by their first letters
WORD_PARTS = re.compile(r"[a-z0-9]+")


def word_heads(text: str) -> set[str]:
    """The first five letters of each word of ``text``, lower case ("racism" is what "anti-racist" is about)."""
    return {w[:5] for w in WORD_PARTS.findall(text.lower())}


def content_words(text: str) -> list[str]:
    """Lower-case words of ``text`` that carry meaning (no stop or question words)."""
    words = [w.lower().strip("'’-") for w in _WORD.findall(text)]
    return [w for w in words if w and w not in STOPWORDS and w not in QUESTION_WORDS and not _FUNCTION_CONTRACTION.fullmatch(w)]


# "wouldn't", "didn't", "they've", "he'd": a stop word with its contraction carries no more meaning
_FUNCTION_CONTRACTION = re.compile(r"(?:would|could|should|did|does|do|is|are|was|were|has|have|had|wo|ca|must|need|ai|"
                                   r"i|you|we|they|he|she|it|that|there|who|what)(?:n['’]t|['’](?:ve|ll|re|d|m|s))")


_NAME = re.compile(
    r"(?:(?:Dr|Sir|Dame|Lord|Lady|Baroness|Baron|Mr|Mrs|Ms|Prof|Rt\. Hon|Commissioner|Chief|Team GB)\s+)?"
    r"[A-Z][\w’'\-]+(?:\s+(?:(?:of|for|and|the|de|da|dos|van|von|in)\s+)?[A-Z](?:[\w’'\-]+|\b))*"
)
_SENTENCE_STARTERS = frozenset(
    "The A An In On At It Its They Their This That These Those He She His Her We Our But And Or As If "
    "When While After Before Following Despite Today Other Groups Two Three Some Many All Tensions Trust "
    "Hundreds Updates Disparities There Black Asian Involving Commenting Crucially Additionally "
    "Which What Who Whom Whose When Where Why How Is Are Was Were Did Do Does Has Have Had Can Could Will "
    "Would Should Besides Since By Into To For From Of According Brief Give Summarise Summarize Tell "
    "I I've I'm I'd I'll I’ve I’m I’d I’ll".split()  # "I've seen different numbers": the asker, not a name
)


def remembered(cache: dict, key, make, limit: int = 50_000):
    """``cache[key]``, made by ``make(key)`` the first time; the cache is emptied when it holds ``limit``
    entries, so a long-running process stays bounded."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= limit:
            cache.clear()
        found = cache[key] = make(key)
    return found


_NAMES_SEEN: dict[str, tuple[str, ...]] = {}


def proper_names(text: str) -> list[str]:
    """Capitalised name phrases in ``text`` ("Runnymede Trust", "Sir Mark Rowley"), in order, unique.
    Remembered per text (the answerer reads the same sentences for many questions)."""
    return list(remembered(_NAMES_SEEN, text, lambda t: tuple(_find_names(t))))


_CONTRACTION = re.compile(r"[’']s$")


def _find_names(text: str) -> list[str]:
    found: list[str] = []
    for m in _NAME.finditer(text):
        phrase = m.group(0).strip(" ’'")
        words = phrase.split()
        # "The Runnymede Trust", "Thirty of London’s": what starts a sentence or counts is not the name
        # ("What's in ...", "It's ..." too: a question word with its contraction)
        while words and (_CONTRACTION.sub("", words[0]) in _SENTENCE_STARTERS or words[0].lower().split("-")[0] in NUMBER_WORDS
               or words[0].islower()):
            words = words[1:]
        phrase = " ".join(words)
        if len(phrase) < 3 or phrase.isupper() and len(phrase) > 12:
            continue
        if phrase and phrase not in found:
            found.append(phrase)
    return found


NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
APPROXIMATE = {"dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2000.0, "millions": 2e6}
_NUMBER = re.compile(
    r"(?<![\w£$.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w.]*\d)|\b(" + "|".join(NUMBER_WORDS) + r")(?:[- ](one|two|three|four|five|six|seven|eight|nine))?\b"
    r"|\b(dozens|scores|hundreds|thousands|millions)\b",
    re.IGNORECASE,
)


# "Section 60", "Article 8", "No 1056043": a number that names something, not a count of it
_LABELLED_NUMBER = re.compile(r"\b(?:section|article|clause|chapter|paragraph|part|schedule|no\.?|number|page|room|"
                              r"flat|floor|route|level|tier|phase|rule)\s*$", re.I)


def count_numbers(text: str) -> list[tuple[float, int, int]]:
    """Numbers that could be counts (digits or words), with their span; years and money excluded."""
    return list(_counted(text))


@functools.lru_cache(maxsize=8192)
def _counted(text: str) -> tuple[tuple[float, int, int], ...]:
    """``count_numbers``, remembered: the same sentences are read for question after question."""
    out = []
    for m in _NUMBER.finditer(text):
        if m.group(1):
            value = float(m.group(1).replace(",", ""))
            before = text[max(0, m.start() - 1) : m.start()]
            after = text[m.end() : m.end() + 2]
            if 1900 <= value <= 2100 or before in "£$€/-" and before or after[:1] in ("%", "/", "m") or (
                after[:1] == "-" and after[1:2].isdigit()
            ) or _LABELLED_NUMBER.search(text[max(0, m.start() - 12) : m.start()]):
                continue
        elif m.group(4):
            value = APPROXIMATE[m.group(4).lower()]  # "hundreds protested": a count, if a vague one
        else:
            value = NUMBER_WORDS[m.group(2).lower()] + (NUMBER_WORDS[m.group(3).lower()] if m.group(3) else 0)
        out.append((value, m.start(), m.end()))
    return tuple(out)


ORG_WORD = re.compile(
    r"\b(Trust|Alliance|Movement|Law|Police|Office|Commission|Service|Council|Group|Association|Foundation|"
    r"Institute|Party|Union|Network|Equality|Watch|Department|Ministry|Court|Agency|Society|Committee|"
    r"Company|University|School|Club|Charity|Board|Authority|Government|Team|Plan|Review|EQUAL|IOPC|CJA)\b"
)
_PERSON_TITLE = re.compile(r"^(Dr|Sir|Dame|Lord|Lady|Baroness|Mr|Mrs|Ms|Prof|Commissioner)\b")


def is_org(name: str) -> bool:
    """A name that looks like an organisation ("Runnymede Trust", "IOPC"), not a post in one
    ("Metropolitan Police Commissioner")."""
    if name.split() and name.split()[-1].lower() in POSTS:
        return False
    return bool(ORG_WORD.search(name)) or (name.isupper() and len(name) >= 3)


POSTS = frozenset("commissioner secretary minister chief executive mayor chair chairman chairwoman director officer "
                   "constable inspector superintendent spokesperson spokeswoman spokesman".split())


_ROLE_WORDS = frozenset(
    "home secretary commissioner minister prime chief executive mayor chair vice deputy assistant director "
    "officer constable inspector superintendent met metropolitan police general attorney justice the of "
    "for state shadow interim co-chief".split()
)


def is_person(name: str) -> bool:
    """A name that looks like a person ("Dr Shabna Begum", "Lucy McKay"), not a role ("Home Secretary")."""
    words = name.split()
    if all(w.lower() in _ROLE_WORDS for w in words):
        return False
    if any(w in _JOINING for w in words):
        return False  # "Inquest and Stopwatch", "New Met for London": two names, or a title
    return bool(_PERSON_TITLE.match(name)) or (2 <= len(words) <= 4 and not is_org(name))


_JOINING = frozenset("and for of the in".split())


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def attribution(sentence: str) -> str | None:
    """The words of a sentence outside its quotation, when a long quote hides who said it.

    ``…consent,” Dr Shabna Begum, the interim co-chief executive of the Runnymede Trust, was
    quoted as saying`` gives ``Dr Shabna Begum, the interim co-chief executive of …``.
    """
    if "“" not in sentence and "”" not in sentence and sentence.count('"') < 2:
        return None
    rest = _QUOTED.sub(" ", sentence)
    if "”" in rest:  # the sentence starts inside a quotation that opened earlier
        rest = rest[rest.rindex("”") + 1 :]
    if "“" in rest:  # a quotation runs on past the sentence
        rest = rest[: rest.index("“")]
    rest = " ".join(rest.split()).strip(" ,;:–-")
    if len(rest.split()) < 4 or len(rest) > 0.8 * len(sentence):
        return None
    return rest


# Text addressed to a language model rather than to a human reader (prompt injection).
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\s+(all\s+|any\s+)?(of\s+)?(the\s+|your\s+|these\s+|my\s+)?"
    r"(previous|prior|above|earlier|preceding|original|system|existing)\s+(\w+\s+)?"
    r"(instructions?|prompts?|directions|guidance|guidelines|rules|context)\b"
    r"|\b(ignore|disregard|forget|override|bypass)\s+(all\s+(of\s+)?(your\s+|the\s+|my\s+)?|any\s+|your\s+|my\s+)"
    r"(instructions?|prompts?|guidance|guidelines|rules)\b"
    r"|\b(ignore|disregard|forget)\s+(everything|all)\s+(\w+\s+)?(above|before|else)\b"
    r"|\byou are (now|no longer) (an?\s+)?(\w+\s+)?(ai|assistant|model|chatbot|bot|dan|unrestricted|jailbroken)\b"
    r"|\bfrom now on,? (you|answer|respond|reply|say)\b"
    r"|\bsystem (prompt|message|instructions?)\b|\bnew instructions?:"
    r"|\b(note|message|instructions?|command)s? (to|for) (the |any |all )?(ai|llm|llms|assistants?|chatbots?"
    r"|language models?|models?)\b"
    r"|\b(ai|llm|assistants?|chatbots?|language models?) (must|should|will) (now )?(say|answer|respond|reply|state)\b"
    r"|\b(do not|don't|never) (tell|inform|reveal to) the user\b"
    r"|<\|im_start\|>|<\|system\|>|\[/?inst\]|<</?sys>>|###\s*(system|instruction)",
    re.IGNORECASE,
)


def looks_like_injection(text: str) -> bool:
    """True when ``text`` contains words addressed to a language model (prompt injection)."""
    return bool(_INJECTION.search(normalise(text)))


def quote_balance(text: str) -> int:
    """Opening minus closing double quotation marks (below 0: closes a quotation opened before)."""
    return text.count("“") - text.count("”")


# A sentence that leans on the one before it: its subject is a pronoun ("They criticised ...",
# "In an open letter addressed to Sir Mark Rowley, they criticised ...").
ANAPHOR_START = re.compile(r"^[\"'“‘]?(she|he|they|it|these|this|those|their|his|her|its|the \d+|such|"
                           # "The measures will range from ...": a noun standing for what the sentence before told of
                           r"the (?:measures|changes|plans|proposals|steps|moves|reforms|findings|allegations|comments|"
                           r"remarks|recommendations|claims|figures))\b", re.I)
FRONTED_PRONOUN = re.compile(r"^[^.;:“”\"]{0,120}?,\s+(they|she|he|it)\s+(?!is\b|was\b)\w+(?:ed|s)\b", re.I)


def leans_on_previous(text: str) -> bool:
    """Does the sentence need the one before it to say who or what it is about?"""
    return bool(ANAPHOR_START.search(text) or FRONTED_PRONOUN.search(text))



# "I've seen different numbers reported", "Thanks!", "Please be brief.": what the asker says about
# the question, not what is asked.
_ASIDE = re.compile(r"\s*(?:i|i['’](?:ve|m|d|ll)|i(?:ve|m)|want|wanna|need|needed|we['’](?:ve|re)|my|our|thanks|thank you|cheers|please|sorry|just|"
                    r"(?:seen|heard) (?:diff|different|conflicting|two|other)\b)\b[^?]*$",
                    re.I)

_SOURCES_DIFFER = re.compile(r"\bin (?:one|another|other|different) (?:place|report|article|source|paper|piece)s?\b|"
                             r"\b(?:elsewhere|different|diff|conflicting|varying|disagree|differ|mixed|match)\b", re.I)
# "The reports seem to use different words.", "The articles ... seem to carry different dates."
_SOURCES_ASIDE = re.compile(r"\s*(?:the\s+|some\s+|these\s+|both\s+)?(?:reports|articles|sources|papers|documents|pieces|"
                            r"accounts|write-?ups|stories)\b[^?]*\b(?:seem|appear|look|differ|disagree|vary|conflict)\w*\b[^?]*$",
                            re.I)
# "one article from 2025 calls it recently launched but another says last week back in 2023"
_ONE_AND_ANOTHER = re.compile(r"\s*(?:but\s+|and\s+)?one\s+(?:report|article|source|paper|piece|story|account)\b[^?]*"
                              r"\b(?:another|other|but)\b[^?]*$", re.I)
# "... ? seeing diff numbers", "... ? the famous one", "... ? Cos that's how I felt": a remark after the question,
# neither a question itself nor words that say what "it" or "they" in it are ("who signed it? the letter to rowley")
_REMARK = re.compile(r"^(?!\W*(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|has|have|had|"
                     r"can|could|will|would|should|or)\b)[^?]*$", re.I)
_NAMING_AFTER = re.compile(r"^\W*(?:about|on|regarding|re|in|for|from|to|with|at|by|during|after|before|the|that|this|those|"
                           r"these|i mean)\b", re.I)
# "Asking as a Hackney GP who'd like to keep track", "so interested as a GP": who is asking, not what is asked
_ASKER = re.compile(r"\b(?:[Aa]s|[Ii]['’]?m|[Ii] am)\s+an?\s+(?:[A-Z][\w-]*\s+)?(?:GP|[a-z][\w-]+)\b")
_ANAPHOR_IN = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|he|him|his|she|her)\b", re.I)

# "quick one - who is Child Q?", "question: ...": words that only announce the question
# "for my committee briefing:", "for our piece -": whom the answer is for
_OPENER = re.compile(r"^\s*(?:(?:a\s+)?quick\s+(?:one|q|question)|(?:a\s+|one\s+)?(?:more\s+)?question|one more|"
                     r"basically|essentially|honestly|seriously|anyway|btw|hey|hi|hello|"
                     r"for\s+(?:my|our|a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:briefing|report|notes?|piece|article|story|"
                     r"records?|research|thesis|dissertation|meeting|paper|lecture|seminar|podcast|committee|slides?|"
                     r"deck|presentation|bibliography|newsletter|blog|script|show)"
                     r"(?:\s+notes?)?(?:,?\s+(?:i|we)\s+need\s+(?:the\s+)?(?:exact\s+|precise\s+)?[\w\s]{0,20}?)?)\s*[-–—:,]\s*",
                     re.I)


_WH_QUESTION = re.compile(r"^\W*(?:which|who|whom|what|when|where)\b[^?]*\?$", re.I)
_GUESS = re.compile(r"^\W*(?:was|is|were|are)\s+(?:it|that|this|he|she|they)\s+(?!.*\bor\b)[^?]{1,40}\?$", re.I)


def without_asides(question: str) -> str:
    """The question without sentences that only talk about it ("How many signed? I've seen different
    numbers."); the question itself when nothing else would be left."""
    question = _OPENER.sub("", question, count=1) or question
    parts = re.split(r"(?<=[.?!])\s+", question.strip())
    if len(parts) == 2 and _WH_QUESTION.match(parts[0]) and _GUESS.match(parts[1]):
        return parts[0]  # "Which home secretary did they write to? Was it Theresa May?": the guess is the asker's
    # "I heard it was 30", "I read that Rowley refused": a claim to check is part of the question; "I've
    # seen 26 in one place and 30 in another", "the reports seem to differ": only that sources disagree
    kept = [p for p in parts if not (_ASIDE.match(p) and (not re.search(r"\d|\s[A-Z]", p) or _SOURCES_DIFFER.search(p))
                                     or _SOURCES_ASIDE.match(p) or _ONE_AND_ANOTHER.match(p))]
    if len(kept) > 1 and kept[0].endswith("?") and len(kept[0].split()) >= 4:
        # remarks after a whole question, unless they may say what its pronoun stands for
        naming = bool(_ANAPHOR_IN.search(kept[0]))
        kept = kept[:1] + [p for p in kept[1:] if not (_REMARK.match(p) and (
            not re.search(r"\d|\s(?!I\b)[A-Z]", p) or _SOURCES_DIFFER.search(p) or _ASKER.search(p)) and
            not (naming and _NAMING_AFTER.match(p)))]
    return " ".join(kept) if kept and len(kept) < len(parts) else question


# Everyday words for what the documents name formally: "how many cops ...", "the black mum ...".
_PLAIN = {
    "cop": "officer", "cops": "officers", "copper": "officer", "coppers": "officers", "bobbies": "officers",
    "mum": "mother", "mom": "mother", "mums": "mothers", "dad": "father", "dads": "fathers",
    "kid": "child", "kids": "children", "bloke": "man", "blokes": "men",
    "pcs": "constables",  # police constables; a plural abbreviation is a common noun, not a name
    "ppl": "people", "govt": "government", "gov": "government",
    # chat spelling
    "whats": "what is", "wats": "what is", "wots": "what is", "wat": "what", "wot": "what", "whos": "who is", "wont": "won't", "dont": "don't", "didnt": "didn't", "doesnt": "doesn't",
    "wd": "would", "wud": "would", "shd": "should", "shud": "should", "cud": "could", "gonna": "going to", "wanna": "want to", "tho": "though", "abt": "about", "bc": "because", "cos": "because",
    "coz": "because", "reckon": "think", "reckons": "thinks", "who's": "who is", "who’s": "who is",
    "exec": "executive", "execs": "executives", "doc": "document", "docs": "documents", "ad": "advert", "ads": "adverts",
    "yr": "year", "yrs": "years", "mths": "months", "wks": "weeks", "u": "you", "ur": "your", "b4": "before",
    "orgs": "organisations", "vid": "video", "vids": "videos",
}
# Everyday names for posts: "the home sec", "the Met boss", "the police chief".
_PLAIN_POSTS = ((re.compile(r"\bhome sec\b\.?", re.I), "Home Secretary"),
                (re.compile(r"\b(met|met['’]s|police|force['’]?s?)\s+(?:boss|chief|head|top cop)\b", re.I), r"\1 commissioner"),
                # "the person in charge of the Met": its commissioner
                (re.compile(r"\b(?:person|man|woman|one|boss|officer)\s+in\s+charge\s+(?=(?:of|at)\s+(?:the\s+)?(?:met|metropolitan)\b)",
                            re.I), "commissioner "),
                # "what is the nationality of Bianca Williams' partner?": where he is from ("Portuguese sprinter ...")
                (re.compile(r"^\W*what(?:['’]s|\s+is|\s+was)\s+the\s+nationality\s+of\s+([^?]{3,80}?)\W*$", re.I),
                 r"where is \1 from?"),
                (re.compile(r"^\W*what\s+nationality\s+(?:is|was)\s+([^?]{3,80}?)\W*$", re.I), r"where is \1 from?"),
                # "anti-terror methods", "counter-terror tactics": the terrorist-style tactics of the plan
                (re.compile(r"\b(?:anti|counter)[\s-]?terror(?:ism|ist)?\s+(?:style\s+)?(?:methods|tactics|techniques|powers)\b",
                            re.I), "terrorist-style tactics"),
                # "men who prey on women": predators targeting women
                (re.compile(r"\b(?:men|people|those|blokes)\s+who\s+prey\s+on\s+women\b", re.I), "predators targeting women"),
                # "who organised the letter?": who coordinated it, as the reports put it
                (re.compile(r"\b(who\s+)organi[sz]ed\b", re.I), r"\1coordinated"),
                # "the top guy running the Met": its commissioner
                (re.compile(r"\b(?:top\s+)?(?:guy|man|woman|person|bloke|one)\s+running\s+(?=(?:the\s+)?(?:met|metropolitan)\b)",
                            re.I), "commissioner of "),
                # "the top boss at the Met": its commissioner
                (re.compile(r"\b(?:top|big|overall)\s+(?:boss|chief|dog|cop)\s+(?=(?:at|of|in)\s+(?:the\s+)?(?:met|metropolitan)\b)",
                            re.I), "commissioner "),
                # "who is Dr Shabna Begum? what's her role": one question, who she is
                (re.compile(r"^(\W*who\s+(?:is|was)\s+[^?]{2,60}?)\?\s*what(?:['’]s|\s+is|\s+was)\s+(?:his|her|their)\s+"
                            r"(?:role|job|job title|title|position|post)\W*$", re.I), r"\1?"),
                # "who did the Met sit down with when putting its plan together?": whose input it had
                (re.compile(r"\b(?:putting|put|puts)\s+((?:its|the|their|this|that)(?:\s+[\w’'-]+){0,3}?)\s+together\b", re.I),
                 r"making \1"),
                (re.compile(r"\bdrawing\s+up\b", re.I), "making"), (re.compile(r"\bdrew\s+up\b", re.I), "made"),
                (re.compile(r"\bdraws?\s+up\b", re.I), "make"),
                # "who did they draw it up with?": who they made it with
                (re.compile(r"\bdraw(?:s|ing)?\s+(it|them|this|that)\s+up\b", re.I), r"make \1"),
                (re.compile(r"\b(?:drew|drawn)\s+(it|them|this|that)\s+up\b", re.I), r"made \1"),
                (re.compile(r"\b(did|does|do)\s+((?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+)?)\s+(?:consult|sit down with|talk to|"
                            r"speak (?:to|with)|listen to|meet(?: with)?)\s+(?=(?:when|while)\s+(?:(?:it|they)\s+(?:was|were)\s+)?"
                            r"making\b)", re.I),
                 r"\1 \2 get input from "),
                # "who helped put the plan together?", "were black people asked for their views when it was made?":
                # whose input it was made with
                (re.compile(r"\bwho\s+(?:else\s+)?help(?:ed|s)?\s+(?:to\s+)?(?=making\b)", re.I), "who gave input into "),
                (re.compile(r"\basked\s+(?:for\s+)?(?:their|its|his|her)\s+(?:views|opinions?|input|thoughts)\b", re.I),
                 "asked for input"),
                # everyday phrasal verbs: "had he sat down with them?" -> "had he met with them?"
                (re.compile(r"\b(?:sat|sitting) down(?: face[ -]to[ -]face)? with\b", re.I), "met with"),
                (re.compile(r"\bsit down(?: face[ -]to[ -]face)? with\b", re.I), "meet with"),
                # "who from the Runnymede Trust spoke to the press about the plan?": who was quoted on it
                (re.compile(r"^(\W*(?:and\s+|so\s+)?who\b[^?]{0,60}?)\b(?:spoke|talked|commented)\s+(?:publicly\s+)?"
                            r"(?:to\s+(?:the\s+)?(?:press|media|papers?|newspapers?|journalists|reporters)\s+)?"
                            r"(?:about|on)\b", re.I),
                 r"\1was quoted about"),
                # "how did the IOPC describe the rise in deaths?": the increase, as reports put it
                (re.compile(r"\b(?:rise|rises|surge|spike)\s+in\b", re.I), "increase in"),
                # "what did the Met's press office say?": what its spokesperson said
                (re.compile(r"\b(met['’]s|police['’]s|force['’]s)\s+press\s+(?:office|team|officer)\b", re.I),
                 r"\1 spokesperson"),
                # "how many turned out to protest?": how many protested
                (re.compile(r"\b(?:turned|showed|came)\s+(?:out|up)\s+to\s+(?:protest|march|demonstrate)\b", re.I), "protested"),
                (re.compile(r"\bsteer(?:ing|ed|s)? clear of\b", re.I), "avoiding"),
                (re.compile(r"\b(?:fed|feed|feeds|feeding) into\b", re.I), "gave input into"),
                (re.compile(r"\b(to|will|would|should|could|can|must)\s+have (?:a|any) (?:hand|say|part) in\b", re.I),
                 r"\1 give input into"),  # "they wanted them to have a say in choosing the commissioner"
                (re.compile(r"\b(?:had|has|have) (?:a|any) (?:hand|say|part) in\b", re.I), "gave input into"),
                # "a say in choosing the next commissioner": recruiting the next one, as the letter puts it
                (re.compile(r"\b(?:choosing|picking|selecting|hiring|appointing)\s+(?=(?:the|a)\s+(?:next|new)\s+"
                            r"(?:top\s+cop|top\s+officer|commissioner|head|chief)\b)", re.I), "recruiting "),
                # "the next top cop in London": the commissioner ("cop" is read as "officer" first)
                (re.compile(r"\btop (?:officer|police officer|policeman|policewoman)\b", re.I), "commissioner"),
                # "what would win back trust?": "Action, not words, will rebuild trust"
                (re.compile(r"\bwin back\b", re.I), "rebuild"), (re.compile(r"\bwins back\b", re.I), "rebuilds"),
                (re.compile(r"\bwinning back\b", re.I), "rebuilding"), (re.compile(r"\bwon back\b", re.I), "rebuilt"),
                (re.compile(r"\b(?:wins?|winning|won)\s+(?:the\s+|their\s+|people['’]s\s+)?trust\s+back\b", re.I), "rebuild trust"),
                # "talking vs actually doing stuff", "does he think talking will fix things, or doing?": words and action
                (re.compile(r"\btalk(?:ing)?\s+(?:vs\.?|versus|or|and|not|rather than)\s+(?:actually\s+)?(?:doing|acting|action)"
                            r"(?:\s+(?:stuff|things|something))?\b", re.I), "words or action"),
                (re.compile(r"\btalking\s+(?=(?:will|would|can|could|is going to)\s+(?:fix|win|rebuild|solve|sort|change|help)\b)",
                            re.I), "words "),
                (re.compile(r",?\s+or\s+(?:actually\s+)?(?:doing|acting|action)(?:\s+(?:stuff|things|something))?(?=\W*$)",
                            re.I), " or action"),
                # "what does he say will bring trust back?": rebuild it, as he puts it
                (re.compile(r"\bbring(?:s|ing)?\s+(?:the\s+|people['’]s\s+|their\s+)?trust\s+back\b|\bbring(?:s|ing)?\s+back\s+"
                            r"(?:the\s+|people['’]s\s+|their\s+)?trust\b", re.I), "rebuild trust"),
                # "what wins people back?": what rebuilds their trust
                (re.compile(r"\b(?:wins?|winning|won)\s+(people|them|communities|londoners|the public|black londoners)\s+back\b",
                            re.I), r"rebuilds the trust of \1"),
                (re.compile(r"\bslag(?:ged|ging|s)? (?:it |them |him |her )?off\b", re.I), "criticised"),
                # "will they be looked after?", "officers behaving badly", "victims waiting ages"
                (re.compile(r"\b(?:looked|looking) after\b", re.I), "supported"),
                (re.compile(r"\blook after\b", re.I), "support"),
                (re.compile(r"\b(?:behaving|behaved|behave) badly\b|\bbad (?:behaviour|behavior|conduct)\b", re.I),
                 "unacceptable behaviour"),
                (re.compile(r"\bblow(?:s|ing)? the whistle(?: on)?\b|\bblew the whistle(?: on)?\b", re.I), "call out"),
                (re.compile(r"\bwhistle-?blowers?\b", re.I), "those calling out"),
                (re.compile(r"\bgrass(?:es|ed|ing)?\s+(?:up\s+)?on\b", re.I), "call out"),
                # "the Met being out of touch with the people it polices": the disconnect, as the letter puts it
                (re.compile(r"\b(?:being\s+|is\s+|are\s+)?out\s+of\s+touch\s+with\b", re.I), "disconnect with"),
                # "taken off central duties and put on neighbourhood patches": moved from one to the other
                (re.compile(r"\b(?:taken|pulled|moved)\s+(?:off|out\s+of|away\s+from)\s+([\w\s-]{3,30}?)\s+and\s+"
                            r"(?:put|placed|moved)\s+(?:on|onto|into|in)\b", re.I), r"moved from \1 to"),
                # "the young ones joining the police": new recruits
                (re.compile(r"\b(?:young\s+ones|young\s+people|people|those|officers|cops)\s+(?:just\s+)?joining\s+"
                            r"(?:the\s+)?(?:police|force|met)\b", re.I), "new recruits"),
                # "people who've just joined the force": new recruits
                (re.compile(r"\b(?:people|officers|those|staff|cops)\s+(?:who(?:['’]ve|\s+have)?\s+|that\s+have\s+)?just\s+"
                            r"joined(?:\s+(?:the\s+)?(?:force|met|police))?\b", re.I), "new recruits"),
                (re.compile(r"\b(?:speak|speaks|speaking|spoke|spoken) (?:up|out) (?:about|against|on)\b", re.I), "call out"),
                # "which officer shot chris kaba?": the name of the officer who did ("which officers were sacked?" is left)
                (re.compile(r"^\W*(?:which|what)\s+((?:met\s+|police\s+)?(?:officer|constable|cop|copper|policeman|policewoman))\s+"
                            r"(?!(?:was|were|is|are|did|does|do|has|had|have|will|would|can|could)\b)(?=[a-z]+ed\b|shot\b|hit\b|"
                            r"stopped\b)", re.I), r"what is the name of the \1 who "),
                # "reports a colleague for racist behaviour", "speaks up about racist colleagues": calls out unacceptable
                # behaviour, as the plan puts it
                (re.compile(r"\breport(?:s|ing|ed)?\s+(?:a\s+|their\s+|his\s+|her\s+)?colleagues?\s+for\b", re.I), "call out"),
                (re.compile(r"\b(call(?:s|ing|ed)? out)\s+(?:(?:their|his|her|the)\s+)?(?:colleagues['’]?\s+(?:misconduct|wrongdoing)|"
                            r"racist\s+(?:behaviour|behavior|colleagues))\b", re.I), r"\1 unacceptable behaviour"),

                # "what do other organisations already do?", "other bodies that let the people they serve help pick their
                # top staff": "Many organisations now involve the users of their services in recruitment for senior roles"
                (re.compile(r"\bother\s+(?:organisations|organizations|bodies|institutions)\s+(?:already\s+)?"
                            r"(?=do\b|does\b|did\b|let\b|involve|use\b)", re.I), "many organisations now "),
                (re.compile(r"\b(?:the\s+)?people\s+(?:they|it)\s+serve\b", re.I), "the users of their services"),
                (re.compile(r"\b(?:top|senior)\s+(?:jobs|staff|posts|positions)\b", re.I), "senior roles"),
                (re.compile(r"\bhiring\s+for\b", re.I), "recruitment for"),
                # "a chance they blew", "a wasted opportunity": a missed opportunity
                (re.compile(r"\b(?:a\s+)?(?:chance|opportunity)\s+(?:they|it|the met|he|she|we)\s+"
                            r"(?:blew|wasted|missed|threw away|fluffed|squandered)\b", re.I), "a missed opportunity"),
                (re.compile(r"\b(?:blown|wasted|squandered|lost)\s+(?:chance|opportunity)\b", re.I), "missed opportunity"),
                # "how the new Met chief gets picked": how the new commissioner is recruited
                (re.compile(r"\b(?:gets|get|got|is|was|be)\s+(?:picked|chosen|selected|hired)\b", re.I), "is recruited"),
                # "how long court cases take", "cases dragging on forever": the delays
                (re.compile(r"\bhow long\s+(?:the\s+|their\s+)?(?:court\s+)?cases?\s+(?:take|takes|took|drags? on)\b", re.I),
                 "delays in cases"),
                (re.compile(r"\b(?:dragging|drags?)\s+on(?:\s+(?:forever|for ever|for years|for ages))?\b", re.I), "delays"),
                (re.compile(r"\bwait(?:ing|ed|s)? (?:for )?(?:ages|forever|for ever|years|months|so long|too long)\b", re.I),
                 "delays"),
                # "the Met's big revamp", "this whole makeover thing": its overhaul (not "the £366m makeover piece",
                # the article's title); "the price tag on it", "the cash it is throwing at it": its cost, its spending
                (re.compile(r"\b(?:make-?over|revamp|shake-?up|shake up)\b(?!\s+(?:piece|article|report|story|headline|"
                            r"write-?up|coverage))", re.I), "overhaul"),
                (re.compile(r"\bprice\s*-?tags?\s+(?:on|of|for)\b", re.I), "cost of"),
                (re.compile(r"\b(?:throw(?:ing|s|n)?|threw)\s+at\b", re.I), "spending on"),
                # "who is Jeremy Crook, as cited in the joint letter?": who he is (the letter names him once)
                (re.compile(r"^(\W*(?:and\s+|so\s+)?who\s+(?:is|was)\s+[^,?]{2,60}?),\s*(?:as\s+(?:cited|mentioned|quoted|named|"
                            r"referred\s+to)\s+in|according\s+to)\s+[^?]{3,90}\?", re.I), r"\1?"),
                # "who do journalists ring about the letter?": its press contact
                (re.compile(r"\bwho\s+(?:do|does|should|can|could|would)\s+(?:journalists|reporters|the\s+press|the\s+media|"
                            r"media|press|hacks)\s+(?:ring|call|phone|contact|speak\s+to|talk\s+to|get\s+hold\s+of)\b", re.I),
                 "who is the press contact"),
                # "the courts being slow": delays in them
                (re.compile(r"\b(?:the\s+)?(courts?|justice system|criminal justice system|cases?)\s+(?:being|are|is|so|too)\s+"
                            r"slow\b", re.I), r"delays in the \1"),
                # "what has to change before it gets any bigger?", "... before the Met puts more officers on the streets?":
                # before any further police expansion, as the letter puts it
                (re.compile(r"\bbefore\s+(?:it|they|the\s+met|the\s+force|the\s+police|the\s+met\s+police)\s+(?:(?:gets?|grows?|"
                            r"becomes?|goes)\s+(?:any\s+)?(?:bigger|larger)|grows?\b(?!\s+(?:its|their))|expands?\b|"
                            r"(?:puts?|gets?|adds?|brings?\s+in|hires?|recruits?)\s+(?:any\s+)?more\s+(?:officers|police|cops|"
                            r"pcsos|bobbies)(?:\s+on\s+(?:the|our)\s+streets?)?)", re.I), "before any further police expansion"),
                # "before the Met grows its numbers", "before the police get any bigger": before any expansion
                (re.compile(r"\bgr(?:ow|ows|owing|ew)\s+(?:its|their|the)\s+(?:numbers|presence|size|headcount|ranks)\b", re.I),
                 "expansion"),
                (re.compile(r"\bget(?:s|ting)?\s+(?:any\s+)?bigger\b", re.I), "expansion"),
                # "staff who look like the people they police", "take on more staff": a diverse workforce, recruiting
                (re.compile(r"\bless white\b", re.I), "more diverse"),
                (re.compile(r"\b(?:looks? (?:more )?|more )like (?:london|londoners|the (?:city|capital|public|communities|people)"
                            r"(?: (?:they|it) (?:serve|serves|police|polices))?)", re.I), "represent the communities it serves"),
                (re.compile(r"\btak(?:e|es|ing) on (?:more |new )?(?:staff|officers|people|recruits)\b", re.I), "recruit"),
                # "just a handful of rotten officers": the "few bad apples" excuse
                (re.compile(r"\b(?:a\s+)?(?:small\s+)?(?:handful|few|couple)\s+(?:of\s+)?(?:rotten|bad|rogue)\s+(?:officers|cops|"
                            r"apples|eggs|ones|individuals)\b", re.I), "few bad apples"),
                (re.compile(r"\blost (?:their|his|her) jobs?\b", re.I), "were sacked"),
                (re.compile(r"\b(?:lose|loses|losing) (?:their|his|her|the) jobs?\b", re.I), "get sacked"),
                # "how many deaths did the IOPC count?": how many it reported
                (re.compile(r"\b(did|does|do)\s+((?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+)?)\s+count\b", re.I), r"\1 \2 report"),
                (re.compile(r"\b(?:bobbies|officers|police) on the beat\b|\bbeat officers\b", re.I), "neighbourhood officers"),
                # "what did they say about him saying sorry?": his offering an apology
                # ("did they think saying sorry was enough?" is left: a question of whether he apologised)
                (re.compile(r"\b(him|her|them|the met|the commissioner|rowley)\s+saying\s+sorry\b", re.I),
                 r"\1 offering an apology"),
                # "did Rowley ever say sorry?": whether he apologised (the letters' word is "apology")
                (re.compile(r"\b(?:say|says)\s+sorry\b", re.I), "apologise"),
                (re.compile(r"\bsaid\s+sorry\b", re.I), "apologised"),
                # "when did it come out publicly?": when it came to light (not "when did the report come out?")
                (re.compile(r"\b(come|comes|came|coming)\s+out\s+(?:publicly|in\s+public|to\s+the\s+public)\b", re.I),
                 r"\1 to light"),
                # "what did the next commissioner have to own up to?": acknowledge ("has the Met owned up to
                # failing them?" is left: what it admitted, "let down", is no acknowledging)
                (re.compile(r"\bown(?:s|ing)?\s+up\s+to\b", re.I), "acknowledge"),
                (re.compile(r"\bhave a say\b", re.I), "have input"),
                (re.compile(r"\b(?:got|had) a say\b", re.I), "had input"),
                # "so new coppers get what life is like for Black families": recruits trained to understand their experience
                (re.compile(r"\b(?:get|understand|know|see)\s+what\s+(?:life|it)\s+is\s+like\s+for\b", re.I),
                 "understand the experience of"),
                (re.compile(r"\bnew (?:officers|recruits|starters|joiners)\b", re.I), "new recruits"),
                # "how many groups were on the letter?": how many signed it
                (re.compile(r"\b(how many\s+(?:[\w-]+\s+){0,3}?)(?:were|are)\s+on\s+(the|that|this|their)\s+letter\b", re.I),
                 r"\1signed \2 letter"),
                (re.compile(r"\bfaith in\b", re.I), "confidence in"),
                # "are those two constables named anywhere?", "do we know her name?": what the name is
                (re.compile(r"^\W*(?:are|were)\s+((?:[\w’'-]+\s+){0,5}?[\w’'-]+)\s+named(?:\s+anywhere|\s+at all|\s+in\s+[^?]+)?\W*$",
                            re.I), r"what are the names of \1?"),
                (re.compile(r"^\W*(?:is|was)\s+((?:[\w’'-]+\s+){0,5}?[\w’'-]+)\s+named(?:\s+anywhere|\s+at all|\s+in\s+[^?]+)?\W*$",
                            re.I), r"what is the name of \1?"),
                (re.compile(r"^\W*(?:do|does|did)\s+(?:we|you|they|anyone|the\s+\w+)\s+(?:know|give|mention|say)\s+"
                            r"((?:[\w’'-]+\s+){0,5}?[\w’'-]+?)\s+names?\W*$", re.I), r"what is \1 name?"),
                # "what's Rowley's line on what will rebuild trust?": what he said on it
                (re.compile(r"\bwhat(?:['’]s|\s+is|\s+was)\s+([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})['’]s\s+"
                            r"(?:line|take|stance|view)\s+on\b", re.I), r"what did \1 say on"),
                # "what's Rowley saying will win back trust?", "what's he saying ...?": what he says will
                (re.compile(r"\bwhat(?:['’]s|\s+is)\s+((?-i:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})|he|she)\s+"
                            r"(?:saying|claiming|arguing)\b", re.I), r"what does \1 say"),
                # "how bad did she say things have got?": how serious a crisis she says it is
                (re.compile(r"\bhow bad\b(?=[^?]*\bthings\b)", re.I), "how serious a crisis"),
                # "how long was the reform document?", "how long did she say it ran to?": its pages (not "how long
                # does the scheme run for?"; "how long is the plan?" may ask either)
                (re.compile(r"\bhow long(['’]s|\s+is|\s+was)(?=\s+(?:the|that|this|their|its)\s+(?:[\w’'£-]+\s+){0,4}?"
                            r"(?:document|doc|blueprint|report|letter)\b)"
                            r"(?![^?]*\b(?:run|runs|running|last|lasts|meant|due|going|take|takes|took|been)\b)", re.I),
                 lambda m: "how many pages " + ("is" if m.group(1) in ("'s", "’s") else m.group(1).strip())),
                (re.compile(r"\bhow long\b(?=[^?]*\bran to\b)", re.I), "how many pages"),
                # "can you name any of them?": who they are
                (re.compile(r"^\W*(?:can|could)\s+you\s+(?:name|list|give me)\s+(any|some|all|one|two)\s+of\b", re.I),
                 r"who are \1 of"),
                # "what response, if any, did Priti Patel give to ...?": how did she respond to it
                (re.compile(r"\bwhat (?:response|reply|answer)(?:,? if any,?)? (did|does|do) ((?:[\w’'.-]+\s+){1,5}?)"
                            r"(?:give|make|offer|send|issue)\b", re.I), r"how \1 \2respond"))
_PLAIN_WORD = re.compile(r"\b(" + "|".join(_PLAIN) + r")\b", re.I)


# Words that only add emphasis in chat: "did anyone actually sit down with them?"
_FILLER = re.compile(r"\s*\b(?:actually|basically|literally|really|honestly|seriously|exactly|even|ever so|kinda|sorta)\b(?=\s)|"
                     r"\s*\b(?:at the moment|right now|these days|nowadays)\b|\s*\b(?:lol|lmao|lmfao|rofl|haha+)\b", re.I)


# "who is Shabna Begum again?", "what's the name of the plan again": asking to be reminded, not of a second time
_AGAIN = re.compile(r"^(\W*(?:who|whom|whose|what|what['’]s|whats|which|when|where|how)\b[^?]*?)\s+again\b(?=\W*$)", re.I)


# Nigerian Pidgin as London chats type it ("wetin dem call am?"): its words, and, when a word only Pidgin has
# shows the question is in it, the short words English also has ("am", "na", "talk")
_PIDGIN_MARK = re.compile(r"\b(?:wetin|abeg|dey|wey|una|dem|wahala|sabi|abi|sef|oga|wan)\b", re.I)
_PIDGIN_ALWAYS = ((re.compile(r"\bwetin\b", re.I), "what"), (re.compile(r"\bwahala\b", re.I), "trouble"),
                  (re.compile(r"\b(?:abeg|sef|abi)\b\s*,?\s*", re.I), ""),
                  # "how much e cost?", "so were d officers punished?": bare letters for "it" and "the"
                  (re.compile(r"(?<=\s)e(?=\s+[a-z])"), "it"), (re.compile(r"(?<=\s)d(?=\s+[a-z])"), "the"),
                  (re.compile(r"\bpple\b", re.I), "people"), (re.compile(r"\bwen\b"), "when"),
                  (re.compile(r"\bdat\b"), "that"), (re.compile(r"\bdis\b"), "this"))
_PIDGIN_IN = ((re.compile(r"\b(who|what)\s+be\b", re.I), r"\1 is"),
              (re.compile(r"^(\W*)(?:una|you)\s+think\s+say\b", re.I), r"\1do you think"),
              # "this new plan pple dey talk about": the plan everyone talks about, a remark on it
              (re.compile(r"\s+(?:wey\s+|that\s+)?(?:pple|people|everybody|everyone|dem)\s+dey\s+talk\s+about\b", re.I), ""),
              (re.compile(r"\b(the\s+[\w’'-]+)\s+dem\b", re.I), r"\1"),  # "the campaigners dem": a plural
              (re.compile(r"\bdem\b", re.I), "they"), (re.compile(r"\bdey\s+", re.I), ""), (re.compile(r"\buna\b", re.I), "you"),
              (re.compile(r"\bwey\b", re.I), "that"), (re.compile(r"\bwan\b", re.I), "want to"),
              (re.compile(r"\bsabi\b", re.I), "know"),
              (re.compile(r"(?<!\bI )\bam\b(?=\s*(?:[?.!,]|$)|\s+(?:for|to|with|about)\b)", re.I), "it"),
              (re.compile(r"(?<=\w )na\b(?= \w)", re.I), "is"), 
              # "wetin he talk about money?": what he says of it (not "what are people talking about")
              (re.compile(r"\b(he|she|it|they|dem|letter|report|article|plan)\s+talk\b(?= about\b)", re.I), r"\1 say"))


def from_pidgin(question: str) -> str:
    """Nigerian Pidgin put in English words ("wetin dem call am?" -> "what they call it?")."""
    pidgin = bool(_PIDGIN_MARK.search(question))
    for pattern, english in _PIDGIN_ALWAYS + (_PIDGIN_IN if pidgin else ()):
        question = pattern.sub(english, question)
    return question


def in_plain_words(question: str) -> str:
    """The question with everyday words put as the documents put them ("cops" -> "officers"); a
    capitalised word inside the question is a name ("Just for Kids Law") and is left alone."""
    question = from_pidgin(question)

    def plain(m: re.Match) -> str:
        word = m.group(1)
        if word != word.lower() and question[: m.start()].strip() and not re.fullmatch(r"[A-Z]{2,}s", word):
            return word
        return _PLAIN[word.lower()]
    question = _FILLER.sub("", _PLAIN_WORD.sub(plain, question))
    question = _AGAIN.sub(r"\1", question)
    for pattern, post in _PLAIN_POSTS:
        question = pattern.sub(post, question)
    return question
