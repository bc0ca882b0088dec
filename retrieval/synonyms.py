"""A question's words that no document uses, put in the words the documents do use.

"Where did they want the cash put?" asks about what the documents call "funds": a word the index
has never seen cannot be matched by the keyword search, nor counted as covered in a sentence. Each
everyday word below has near-synonyms; a word the index knows is left alone, and an unknown one is
replaced by the first of its synonyms the index knows. Nothing changes for a collection that uses
the everyday word itself.
"""

from __future__ import annotations

import re
from typing import Callable

# Everyday word -> near-synonyms, most general first
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "money": ("funds", "funding", "investment", "budget"),
    "cash": ("funds", "funding", "investment", "budget"),
    "kit": ("tools", "equipment", "powers"),
    "gear": ("tools", "equipment"),
    "sacked": ("dismissed", "fired"),
    "fired": ("dismissed", "sacked"),
    "scrap": ("abolish", "end"),
    "scrapped": ("abolished", "ended"),
    "row": ("controversy", "criticism"),
    "pledge": ("promise", "commitment"),
    "pledged": ("promised", "committed"),
    "slammed": ("criticised", "criticized"),
    "slamming": ("criticising", "criticizing"),
    # everyday names for what the documents name formally
    "face-scanning": ("facial recognition",),
    "face scanning": ("facial recognition",),
    "face recognition": ("facial recognition",),
    "breaking point": ("crisis point",),
    "anti-gay": ("homophobic",),
    "rogue": ("bad apples",),
    "gangs database": ("Gangs Matrix", "gang violence matrix"),
    "gang database": ("Gangs Matrix", "gang violence matrix"),
    "blasted": ("criticised", "criticized"),
    "quit": ("resigned", "left"),
    "probe": ("investigation", "inquiry"),
    "watchdog": ("regulator", "IOPC"),
    "bosses": ("leaders", "leadership"),
    "chiefs": ("leaders", "leadership"),
    "youngsters": ("young people", "children"),
    "teens": ("young people", "teenagers"),
    # plain words for what official writing calls otherwise
    "consult": ("input", "consultation", "involve"),
    "consulted": ("input", "consultation", "involved"),
    "hiring": ("recruitment", "recruiting"),
    "hire": ("recruit", "appoint"),
    "knock-on": ("effects", "impact", "consequences"),
    "restore": ("rebuild", "repair"),
    "deeds": ("action", "actions"),
    "blueprint": ("plan", "strategy"),
    "growing": ("expanding", "increasing"),
    "scrutinise": ("scrutiny", "scrutinising"),
    "earn": ("gain", "gained", "win"),
    "copy": ("follow", "adopt"),
    "copying": ("following", "adopting"),
    "taught": ("trained",),
    "teach": ("train",),
    "teaching": ("training",),
    "incoming": ("new", "next"),
    "frisking": ("searching", "search"),
    "frisked": ("searched",),
    "admit": ("acknowledge", "accept"),
    "admitted": ("acknowledged", "accepted"),
    "admits": ("acknowledges", "accepts"),
    "developed": ("made", "drawn up", "designed", "created"),
    "invasive": ("intimate",),
    "under-18s": ("children", "young people"),
    "dying": ("deaths", "died"),
    "jump": ("increase", "rise"),
    "worrying": ("concerning",),
    "goal": ("aim", "objective"),
    "prejudice": ("racism", "discrimination"),
    "labelling": ("term", "describing"),
    "agreement": ("consent",),
    "steer": ("avoid",),
    "tightened": ("increased", "strengthened"),
    "talk": ("words",),
    "kinder": ("empathy",),
    "kindness": ("empathy",),
    "clued-up": ("awareness",),
    "culturally": ("cultural",),
    "court": ("criminal justice system",),
    "courts": ("criminal justice system",),
    "answerable": ("accountable",),
    "guarantee": ("commitment",), "assurance": ("commitment",), "assurances": ("commitment",),
    # "what kit will help spot injuries on victims?": "imaging devices to identify bruising on victims of crime"
    "injuries": ("bruising",), "injury": ("bruising",), "bruises": ("bruising",), "spot": ("identify",),
    "spotting": ("identifying",),
    # "more bobbies on the local beat": neighbourhood policing
    "beat": ("neighbourhood",), "beats": ("neighbourhood",),
    # "did he apologise?": what the letters call "offering an apology"
    "apologise": ("apology",), "apologize": ("apology",), "apologised": ("apology",), "apologized": ("apology",),
}
_WORD = re.compile(r"\b(" + "|".join(_SYNONYMS) + r")\b", re.I)


def in_the_documents_words(question: str, known: Callable[[str], bool]) -> str:
    """``question`` with each listed word that ``known`` rejects replaced by its first known synonym."""
    def swap(m: re.Match) -> str:
        word = m.group(1)
        if known(word):
            return word
        synonym = next((s for s in _SYNONYMS[word.lower()] if known(s)), word)
        # "knock-on effects" is "effects", not "effects effects"
        return "" if re.match(r"\s+" + re.escape(synonym) + r"\b", question[m.end() :], re.I) else synonym
    return re.sub(r"(?<=\s)\s+|^\s+", "", _WORD.sub(swap, question))
