"""Who is who in a briefing: people and organisations named in the topic's sentences, with their roles.

General patterns only: titles and name shapes, appositives ("Jeremy Crook, OBE, Vice Chair of EQUAL"),
"X spokeswoman Y", "groups such as A, B and C"; spellings of one name are merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.brief_points import Sent, clean
from retrieval.textutil import STOPWORDS


# --------------------------------------------------------------------------- people and organisations
_TITLES = {"Dr", "Sir", "Dame", "Lord", "Lady", "Baroness", "Baron", "Professor", "Prof", "Mr", "Mrs", "Ms",
           "Mx", "Rev", "Revd", "Cllr", "Judge", "Justice"}
_HONOURS = r"(?:OBE|MBE|CBE|KBE|DBE|KC|QC|MP|MEP|MSP|AM|PhD|FRS)"
_ORG_WORDS = {
    "Trust", "Alliance", "Movement", "Office", "Service", "Services", "Police", "Commission", "Council",
    "Committee", "Association", "Foundation", "Institute", "Institution", "Society", "Union", "Party",
    "Agency", "Authority", "Department", "Ministry", "Network", "Coalition", "Campaign", "Group", "Press",
    "Project", "Centre", "Center", "Charity", "Court", "Bureau", "Board", "Law", "Equality", "Federation",
    "Forum", "Fund", "Partnership", "University", "College", "Hospital", "Parliament", "Government", "Company",
    "Corporation", "Ltd", "Inc", "Plc", "Bank", "Watch", "Unit", "Inspectorate", "Tribunal", "Agency",
}
_ROLE_NOUNS = {
    "executive", "chief", "chair", "chairman", "chairwoman", "chairperson", "director", "spokeswoman",
    "spokesman", "spokesperson", "officer", "secretary", "commissioner", "minister", "president", "founder",
    "co-founder", "head", "leader", "lawyer", "barrister", "solicitor", "campaigner", "activist",
    "researcher", "professor", "editor", "reporter", "journalist", "correspondent", "manager",
    "coordinator", "co-ordinator", "trustee", "mp", "mayor", "councillor", "runner", "sprinter", "athlete",
    "player", "constable", "inspector", "superintendent", "sergeant", "detective", "adviser", "advisor",
    "analyst", "author", "ceo", "deputy", "governor", "judge", "peer", "chancellor", "spokesperson",
    "member", "partner", "counsel", "economist", "historian", "academic", "lecturer", "fellow", "organiser",
    "organizer", "vice-chair", "co-chair", "treasurer", "convenor", "commander", "victim", "mother", "father",
    "son", "daughter", "wife", "husband", "brother", "sister", "widow", "teacher", "pupil", "student",
}
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:[-’'][A-Z][a-z]+)?)"
_CAP_TOKEN = r"(?:[A-Z][\w’'\-]*\.?)"
_RUN = re.compile(rf"{_CAP_TOKEN}(?:\s+(?:(?:of|for|and|on|the|de|da|dos|van|von|der|le|la)\s+)*{_CAP_TOKEN})*")
_LIST_CUE = re.compile(
    r"\b(?:groups|organisations|organizations|charities|bodies|campaigners|signatories|members|partners|"
    r"organisers|organizers|unions|coalitions)\s+(?:such as|including|like|from)\s+",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(rf"(?:the\s+)?({_CAP_TOKEN}(?:\s+(?:(?:for|of|on)\s+)?{_CAP_TOKEN})*)")
_PASSIVE_BY = re.compile(r"\b([a-z]+(?:-[a-z]+)?ed)\s+by\s+(?:the\s+)?$")
_NP_BEFORE = re.compile(r"\b(?:the|an|a|this|their|its)\s+((?:[a-z]+\s+){0,2}[a-z]+)\b")


def capitalised_runs(text: str) -> list[str]:
    """Capitalised phrases of two or more words ("Runnymede Trust", "Sir Mark Rowley")."""
    out = []
    for m in _RUN.finditer(text):
        words = m.group(0).split()
        while words and (words[0].lower() in STOPWORDS or words[0] in _TITLES):
            words = words[1:]
        if len(words) >= 2:
            out.append(" ".join(words).rstrip(".’'"))
    return out


@dataclass
class _Mention:
    """One name in one sentence."""

    name: str
    kind: str
    sent: Sent
    role: str | None = None
    honour: str | None = None  # "OBE" in "Jeremy Crook, OBE, Vice Chair of EQUAL"


@dataclass
class _Named:
    """Mentions of one person or organisation, merged across spellings ("Sir Mark", "Sir Mark Rowley")."""

    kind: str
    keys: list[list[str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    sents: list[Sent] = field(default_factory=list)
    role: str | None = None
    role_sent: Sent | None = None
    honour: str | None = None

    @property
    def name(self) -> str:
        if self.kind == "person":
            name = max(self.names, key=len)
            return f"{name} {self.honour}" if self.honour else name
        return max(self.names, key=lambda n: (len(n.split()) >= 2, self.names.count(n), len(n)))

    @property
    def weight(self) -> float:
        """How much the topic's sentences say about it: the best mention, and how often."""
        return max(s.rel for s in self.sents) + 0.03 * len(self.sents)

    def add(self, m: _Mention, key: list[str]) -> None:
        self.keys.append(key)
        self.names.append(m.name)
        self.sents.append(m.sent)
        self.honour = self.honour or m.honour
        better = len(m.role or "") > len(self.role or "") if self.kind == "person" else (
            self.role_sent is None or m.sent.rel > self.role_sent.rel)
        if m.role and better:
            self.role, self.role_sent = m.role, m.sent


class Entities:
    """People and organisations from general patterns over the topic's sentences."""

    def __init__(self, lowercase_words: set[str]) -> None:
        self.common = lowercase_words  # words seen in lower case somewhere: not parts of a person's name
        self.mentions: list[_Mention] = []
        self.aliases: dict[str, list[str]] = {}  # "mps" -> ["metropolitan", "police", "service"]

    # ---- recognising names
    def _common(self, word: str) -> bool:
        """Whether the documents use ``word`` (or its singular) as an ordinary lower-case word."""
        low = word.lower()
        forms = {low}
        if len(low) > 4 and low.endswith("s"):
            forms |= {low[:-1], low[:-3] + "y" if low.endswith("ies") else low}
        return bool(forms & self.common)

    def _is_org(self, phrase: str) -> bool:
        words = phrase.split()
        if words and (words[0].lower() in _ROLE_NOUNS or words[-1].lower().rstrip("s") in _ROLE_NOUNS):
            return False  # "Secretary of State for the Home Department", "Metropolitan Police Commissioner"
        return any(w.strip("’'s") in _ORG_WORDS for w in words)

    def _person_tokens(self, words: list[str]) -> list[str] | None:
        """The first person's name in a capitalised run: an optional title, then name tokens that the
        documents never use as common words ("Commissioner Sir Mark Rowley" -> Sir Mark Rowley)."""
        title: list[str] = []
        name: list[str] = []
        titled = False

        def done() -> bool:
            return len(name) >= 2 or (titled and len(name) >= 1)

        for raw in words:
            w = raw.rstrip(".,")
            possessive = re.search(r"(’s|'s)$", w)
            if possessive:
                w = w[: possessive.start()]
            particle = w in ("de", "da", "dos", "van", "von", "der", "le", "la") and bool(name)
            if w in _TITLES or w in ("Rt", "Hon"):
                if done():
                    break
                title = [w] if w in _TITLES else title
                name, titled = [], True
                continue
            shaped = bool(re.fullmatch(_NAME_TOKEN, w)) or particle
            common = (self._common(w) and not titled) or w.lower() in STOPWORDS
            if not shaped or common or w.lower() in _ROLE_NOUNS or w in _ORG_WORDS:
                if done():
                    break
                title, name, titled = [], [], False
                continue
            name.append(w)
            if possessive:
                break
        if not done():
            return None
        return title + name

    def scan(self, s: Sent) -> None:
        text = s.text
        orgs: list[tuple[int, int, str]] = []
        for m in _RUN.finditer(text):
            for offset, piece in _split_coordinated(m.group(0), m.start()):
                self._org_in_run(text, piece, offset, orgs)
        orgs.extend(self._listed_orgs(text))
        orgs.extend(self._orgs_by_context(text))
        spans: list[tuple[int, int]] = []
        for start, end, name in sorted(orgs, key=lambda o: (o[0] - o[1], o[0])):
            if any(a < end and start < b for a, b in spans):
                continue
            spans.append((start, end))
        spans.sort()
        for (a0, a1), (b0, _b1) in zip(spans, spans[1:]):
            # "Action for Race Equality, EQUAL and the Criminal Justice Alliance": the middle is one too
            gap = re.fullmatch(rf"((?:,\s+(?:the\s+)?{_CAP_TOKEN}(?:\s+{_CAP_TOKEN})*)+),?\s+(?:and|or)\s+(?:the\s+)?",
                               text[a1:b0])
            if gap:
                for item in re.finditer(rf"{_CAP_TOKEN}(?:\s+{_CAP_TOKEN})*", gap.group(1)):
                    spans.append((a1 + item.start(), a1 + item.end()))
        for start, end in spans:
            name = text[start:end]
            acronym = re.match(r"\s*\(([A-Z]{2,8})\)", text[end:])
            if acronym:
                self.aliases[acronym.group(1).lower()] = name.lower().split()
            self.mentions.append(_Mention(name, "organisation", s, self.org_role(text, start, end)))
        for m in _RUN.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                continue  # a name inside an organisation's name is not a person ("Just for Kids Law")
            tokens = self._person_tokens(m.group(0).split())
            if not tokens:
                continue
            first = text.find(tokens[0], m.start())
            end = text.find(tokens[-1], first) + len(tokens[-1])
            if any(a <= first < b for a, b in spans):
                continue
            role = self._person_role(text, first, end, m)
            honour = re.match(rf",?\s+({_HONOURS})\b", text[end:])
            self.mentions.append(_Mention(" ".join(tokens), "person", s, role, honour.group(1) if honour else None))

    def _org_in_run(self, text: str, piece: str, offset: int, orgs: list[tuple[int, int, str]]) -> None:
        """An organisation's name inside one capitalised run ("the Runnymede Trust")."""
        words = re.sub(r"(’s|'s)$", "", piece.rstrip(".")).split()
        sentence_start = not text[:offset].strip(" “‘\"'")
        while words and (words[0] in ("The", "the", "A", "An")
                         or sentence_start and len(words) > 1 and words[0].lower() in STOPWORDS):
            words = words[1:]
        core = " ".join(words)
        if len(words) >= 2 and self._is_org(core):
            start = offset + piece.find(core)
            orgs.append((start, start + len(core), core))

    def _listed_orgs(self, text: str) -> list[tuple[int, int, str]]:
        """Items of "groups such as A, B and the C" lists."""
        out = []
        for cue in _LIST_CUE.finditer(text):
            pos = cue.end()
            while True:
                m = _LIST_ITEM.match(text, pos)
                if not m:
                    break
                name = m.group(1).rstrip(".")
                if self._person_tokens(name.split()) and not self._is_org(name):
                    break
                out.append((m.start(1), m.start(1) + len(name), name))
                sep = re.compile(r",?\s+and\s+|,\s+").match(text, m.end())
                if not sep:
                    break
                pos = sep.end()
        return out

    def _orgs_by_context(self, text: str) -> list[tuple[int, int, str]]:
        """Names used as organisations: "X spokeswoman Y", "chief executive of X"."""
        out = []
        for m in re.finditer(rf"\b({_CAP_TOKEN}(?:\s+{_CAP_TOKEN})*)\s+(spokes(?:wo)?man|spokesperson)\b", text):
            out.append((m.start(1), m.end(1), m.group(1)))
        role = "|".join(sorted(_ROLE_NOUNS, key=len, reverse=True))
        name_after = rf"({_CAP_TOKEN}(?:\s+(?:(?:for|of|and)\s+)?{_CAP_TOKEN})*)"
        for m in re.finditer(rf"\b(?i:{role})\s+of\s+(?:the\s+)?{name_after}", text):
            name = m.group(1).rstrip(".")
            out.append((m.start(1), m.start(1) + len(name), name))
        return out

    # ---- roles
    def _person_role(self, text: str, start: int, end: int, run: re.Match[str]) -> str | None:
        after = text[end:]
        m = re.match(
            rf"(?:,?\s+{_HONOURS})?,\s+((?:(?:the|a|an)\s+)?[^,;:()“”\"]{{3,120}}?)"
            r"(?=,|;|:|\.(?:\s|$)|\s+(?:said|says|was|were|is|has|have|had|told|added|who|which|and)\b|\s*[—–]|$)",
            after,
        )
        if m and self._looks_like_role(m.group(1)):
            return re.sub(r"^(the|a|an)\s+", "", clean(m.group(1)))
        m = re.match(r"\s+[—–]\s+((?:a|an|the)\s+[^—–]{3,120}?)\s+[—–]", after)
        if m:
            return clean(m.group(1))
        before = text[:start]
        # "Inquest spokeswoman Lucy McKay", "Commissioner Sir Mark Rowley", "Met commissioner, Sir Mark Rowley"
        prefix_words = run.group(0)[: start - run.start()].split()
        lead = [w for w in prefix_words if w.rstrip(".") not in _TITLES and w.rstrip(".") not in ("Rt", "Hon")]
        if lead and lead[-1].lower() in _ROLE_NOUNS:
            return " ".join(lead)
        m = re.search(r"((?:[A-Z][\w’'\-]*\s+|[a-z][\w\-]*\s+){0,3}?)([A-Za-z][\w\-]*),?\s+$", before)
        if m and m.group(2).lower() in _ROLE_NOUNS:
            words = (m.group(1) + m.group(2)).split()
            while words and (words[0][0].islower() and words[0].lower() not in _ROLE_NOUNS
                             or words[0] in ("The", "A", "An")):
                words = words[1:]
            if words and not any(w.lower() in ("and", "or", "of") for w in words[:1]):
                return " ".join(words)
        return None

    @staticmethod
    def _looks_like_role(phrase: str) -> bool:
        words = [w.lower().strip(",") for w in phrase.split()]
        if not words or words[0] in ("on", "in", "at", "to", "for", "from", "with", "by", "as", "who", "which"):
            return False
        body = words[1:] if words[0] in ("the", "a", "an") else words
        head = [w for w in body[:4]]
        return any(w in _ROLE_NOUNS or w.split("-")[-1] in _ROLE_NOUNS for w in head)

    @staticmethod
    def org_role(text: str, start: int, end: int) -> str | None:
        """"X, a think tank, ...", or what X did: "the letter which was coordinated by X"."""
        m = re.match(r",\s+((?:a|an|the)\s+[a-z][^,;:()]{2,100}?),", text[end:])
        if m:
            return clean(m.group(1))
        by = _PASSIVE_BY.search(text[:start])
        if not by:
            return None
        for np_ in reversed(list(_NP_BEFORE.finditer(text[: by.start()]))):
            words = [w for w in np_.group(1).split()]
            while words and (words[-1] in STOPWORDS or words[-1] in ("to", "for", "from", "by")):
                words.pop()
            if words and not any(w in ("was", "were", "is", "which", "that") for w in words):
                return f"{by.group(1)} the {' '.join(words)}"
        return None

    # ---- merging
    def build(self) -> list[_Named]:
        """People and organisations, each merged across the spellings used."""
        people: list[_Named] = []
        for m in sorted((m for m in self.mentions if m.kind == "person"), key=lambda m: -len(m.name.split())):
            tokens = [t for t in m.name.split() if t not in _TITLES]
            group = next((p for p in people if set(tokens) <= set(p.keys[0])), None)
            if group is None:
                group = _Named("person")
                people.append(group)
            group.add(m, tokens)
        orgs: list[_Named] = []
        for m in sorted((m for m in self.mentions if m.kind == "organisation"), key=lambda m: -len(m.name.split())):
            words = re.sub(r"^the\s+", "", m.name, flags=re.IGNORECASE).lower().split()
            words = self.aliases.get(" ".join(words), words)
            group = next((o for o in orgs if any(_abbreviates(words, k) for k in o.keys)), None)
            if group is None:
                group = _Named("organisation")
                orgs.append(group)
            group.add(m, words)
        surnames = {p.keys[0][-1] for p in people}
        return people + [o for o in orgs if o.name not in surnames]

def _split_coordinated(run: str, offset: int) -> list[tuple[int, str]]:
    """(offset, piece) of a capitalised run split where "and" joins two names: "EQUAL and the Criminal
    Justice Alliance", "Westfield Residents Association and Friends of ..." (not "Race and Ethnic")."""
    pieces = []
    start = 0
    for m in re.finditer(r"\s+and\s+(the\s+)?", run):
        before = run[start : m.start()].split()
        if m.group(1) or (before and before[-1] in _ORG_WORDS):
            pieces.append((offset + start, run[start : m.start()]))
            start = m.end()
    pieces.append((offset + start, run[start:]))
    return pieces


def _abbreviates(short: list[str], long: list[str]) -> bool:
    """True when one name shortens the other: "met" / "met police", "met police" / "metropolitan police"."""
    if len(short) > len(long):
        short, long = long, short
    return all(b.startswith(a) or a.startswith(b) for a, b in zip(short, long[: len(short)]))
