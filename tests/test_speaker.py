"""'Who said that?': the sentence naming who said what the last answer quoted, or a refusal."""

from __future__ import annotations

from retrieval.speaker import WHO_SAID_THAT


def test_who_said_that_is_a_question_about_the_last_answers_words():
    for q in ("who said that?", "and who said this?", "who made that claim?", "so who wrote it?"):
        assert WHO_SAID_THAT.match(q), q
    for q in ("who said the Met was in denial?", "who said that the plan failed?"):
        assert not WHO_SAID_THAT.match(q), q


def test_the_speaker_named_in_the_quoted_sentence(engine):
    a = engine.ask("who said that?", history=["how many deaths in custody?"])
    assert a.answer.startswith("The 23 deaths are the highest since 2017-18, the watchdog said")


def test_words_going_on_from_the_paragraph_before_are_attributed_there(engine):
    # "is the plan 80 pages?" is answered by Dr Shabna Begum's words, attributed a paragraph earlier
    a = engine.ask("who said that?", history=["is the new met for london plan 80 pages?"])
    assert "Dr Shabna Begum" in a.answer and "was quoted as saying" in a.answer
    assert a.citations[0].quote in engine.loaded.documents[a.citations[0].doc_id].text


def test_words_no_sentence_attributes_are_not_given_to_anyone(engine):
    # the letter's words are reported without naming who wrote them: not Sir Mark, to whom it was written
    a = engine.ask("who said that?", history=["what did the letter say about pcsos?"])
    assert a.abstained


def test_a_quotation_going_on_past_the_sentence_is_attributed_where_it_closes(engine):
    # "“The commissioner ... met with the Runnymede Trust ... as described,” a Met spokesperson told The Guardian."
    a = engine.ask("who said it?", history=["what did the met say in response to the letter?"])
    assert "a Met spokesperson told" in a.answer
