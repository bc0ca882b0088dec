"""Typing slips put right by the documents' own words, and English words the documents lack left alone."""

from retrieval.spelling import Speller, one_slip


def test_one_slip_covers_a_letter_left_out_added_changed_or_swapped():
    slips = one_slip("comisioner")
    assert {"commisioner", "comissioner"} <= slips  # a letter added
    assert "comisoner" in slips and "cmoisioner" in slips and "comisionar" in slips
    assert "commissioner" not in slips  # two slips away


def test_the_documents_word_a_slip_meant_is_the_one_with_the_letter_left_out_else_the_commonest():
    speller = Speller(["The commissioner met the commission. Commission, commission.", "happens happened"])
    assert speller.meant("comissioner") == "commissioner"
    assert speller.meant("happend") == "happened"  # a letter left out, over "happens" (a letter changed)
    assert speller.meant("commision") == "commission"
    assert speller.meant("zzzzzz") is None
    # a tie between two equally used words is no guess
    assert Speller(["cater later"]).meant("kater") is None


def test_only_words_no_passage_has_and_no_english_word_are_put_right():
    speller = Speller(["Sir Mark Rowley, the Commissioner, and the Runnymede Trust."])
    known = {"commissioner", "rowley", "runnymede"}.__contains__
    fixed = speller.correct("Did the Comissioner meet the runymede trust?", lambda w: known(w.lower()))
    assert fixed == "Did the Commissioner meet the runnymede trust?"
    # "weather" and "mayor" are English: the documents not having them is what says they do not answer
    assert speller.correct("what did the mayor say about the weather?", lambda w: False) == \
        "what did the mayor say about the weather?"
    # British spellings are English too; a name is put right; words under five letters are left alone
    assert speller.correct("did they emphasise it? rowly", lambda w: False) == "did they emphasise it? rowley"
    assert speller.correct("did sir mrak say so?", lambda w: False) == "did sir mrak say so?"


def test_a_question_with_slips_is_answered_as_typed_right(engine):
    a = engine.ask("who is the comissioner of the met?")
    assert not a.abstained and "Rowley" in a.answer
    b = engine.ask("how many orgnisations signed the runymede letter?")
    assert not b.abstained and ("26" in b.answer or "Thirty" in b.answer)
    # an English word no document uses is still not answered from the nearest words
    assert engine.ask("what will the wether be tomorow?").abstained
