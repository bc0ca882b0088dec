"""Abbreviations typed for names the documents spell out."""

from __future__ import annotations

from retrieval.acronyms import names, spell_out

TEXTS = ["Action for Race Equality wrote to the council.", "The Race Action Plan and the Race Action Plan again.",
         "Reading Racial Equality (RRE) is another body.", "The Criminal Justice Alliance’s super-complaint."]
NAMES = names(TEXTS)


def _name_for(letters: str) -> str | None:
    found = NAMES.get(letters)
    return found.most_common(1)[0][0] if found else None


def test_an_unknown_abbreviation_is_the_name_whose_capitals_it_takes():
    assert NAMES["ARE"] == {"Action for Race Equality": 1}
    assert NAMES["RAP"]["Race Action Plan"] == 2  # a stretch of "The Race Action Plan"
    assert NAMES["CJA"] == {"Criminal Justice Alliance": 1}  # not "Alliance’s"
    known = {"RRE"}.__contains__
    assert spell_out("where is ARE based?", known, _name_for) == "where is Action for Race Equality based?"
    assert spell_out("what's in the RAP's first part?", known, _name_for) == "what's in the Race Action Plan's first part?"
    # an abbreviation the index holds is left as typed, and so is one no name fits
    assert spell_out("what does RRE do?", known, _name_for) == "what does RRE do?"
    assert spell_out("what does XYZ do?", known, _name_for) == "what does XYZ do?"


def test_a_question_typed_in_capitals_is_not_read_as_abbreviations():
    assert spell_out("WHERE ARE THE RAP DOCS?", lambda w: False, _name_for) == "WHERE ARE THE RAP DOCS?"


def test_the_engine_spells_out_abbreviations_from_the_bundled_documents(engine):
    a = engine.ask("what date was the ARE letter published?")
    assert "28/04/2022" in a.answer
    a = engine.ask("what's in the RAP?")
    assert not a.abstained and "Race Action Plan" in a.answer
