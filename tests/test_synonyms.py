"""Everyday words no document uses are asked in the words the documents use."""

from retrieval.synonyms import in_the_documents_words


def test_an_unknown_word_becomes_its_first_known_synonym():
    known = {"funds", "dismissed", "where", "did", "they", "want", "the", "go"}.__contains__
    assert in_the_documents_words("Where did they want the cash to go?", known) == "Where did they want the funds to go?"
    assert in_the_documents_words("were they sacked?", known) == "were they dismissed?"


def test_a_word_the_documents_use_is_left_alone():
    known = {"money", "funds"}.__contains__
    assert in_the_documents_words("where did the money go?", known) == "where did the money go?"
    # no known synonym: nothing to gain from a change
    assert in_the_documents_words("what kit?", set().__contains__) == "what kit?"


def test_the_engine_asks_in_the_documents_words(engine):
    a = engine.ask("Where did the campaigners want the cash channelled instead?")
    assert "evidence-based strategies" in a.answer
    b = engine.ask("Who did the Met consult when drawing up its race plan?")  # "made with input from ..."
    assert "black communities" in b.answer
    c = engine.ask("How long was the Met's big reform blueprint, page-wise?")  # the "80-page plan"
    assert "80-page" in c.answer


def test_a_synonym_already_beside_the_word_is_not_doubled():
    known = {"effects"}.__contains__
    assert in_the_documents_words("what are the knock-on effects of low trust?", known) == "what are the effects of low trust?"
    assert in_the_documents_words("any knock-on?", known) == "any effects?"


def test_everyday_words_for_how_the_plans_were_made_and_what_they_tighten(engine):
    known = {"made", "intimate", "children", "consent"}.__contains__
    assert in_the_documents_words("who was it developed with?", known) == "who was it made with?"
    assert in_the_documents_words("invasive searches of under-18s", known) == "intimate searches of children"
    a = engine.ask("Under the anti-racism plan, what is being tightened for invasive searches of under-18s?")
    assert "threshold and oversight" in a.answer
