"""The extractive answerer: verbatim citations, corroboration, disagreement, abstention, follow-ups."""

from __future__ import annotations

import re

import pytest

from retrieval.conversation import Turn, resolve, restated_count
from retrieval.textutil import normalise


def _verbatim(engine, answer):
    for c in answer.citations:
        doc = engine.document(c.doc_id)
        assert doc.text[c.start : c.end] == c.quote
        assert f"[{c.n}]" in answer.answer


def test_factoid_answer_is_short_cited_and_verbatim(engine):
    a = engine.ask("Which group organised the campaigners' letter to the commissioner?")
    assert not a.abstained
    assert "Runnymede Trust" in a.answer
    assert a.citations and len(a.answer.split()) <= 60
    _verbatim(engine, a)
    assert len(a.passages) >= 10
    assert set(a.timings_ms) >= {"retrieve", "answer", "total"}


def test_answer_object_matches_the_contract(engine):
    d = engine.ask("How much is the A New Met for London scheme worth?").to_dict()
    assert {"question", "answer", "abstained", "citations", "passages", "timings_ms"} <= set(d)
    c = d["citations"][0]
    assert {"n", "doc_id", "title", "source", "date", "quote", "start", "end", "passage_id"} <= set(c)
    assert {"rank", "passage_id", "doc_id", "text", "score"} <= set(d["passages"][0])
    assert "366" in d["answer"]


def test_quotes_are_verbatim_in_the_raw_files(engine):
    from tests.conftest import CORPUS

    for q in ["Who is the Vice Chair of EQUAL?", "When were the two Met constables sacked?"]:
        a = engine.ask(q)
        for c in a.citations:
            assert normalise(c.quote) in normalise((CORPUS / c.doc_id).read_text(encoding="utf-8"))


def test_sources_that_disagree_are_shown_side_by_side(engine):
    a = engine.ask("How many organisations signed the open letter to Sir Mark Rowley criticising the New Met for London plan?")
    assert "disagree" in a.answer
    assert "26" in a.answer and "Thirty" in a.answer
    assert len({c.doc_id for c in a.citations}) >= 2
    _verbatim(engine, a)
    # the disagreement is the finding: never hedged, however the question is put
    from retrieval.answer import HEDGE_TEXT

    a = engine.ask("How many organisations signed the open letter criticising the New Met for London plan?")
    assert a.answer.startswith("The sources disagree:") and HEDGE_TEXT not in a.answer


@pytest.mark.parametrize(
    "question",
    ["What will the weather be like in London tomorrow?",
     "Is the United States planning to join Israel in attacking Iran?"],
)
def test_questions_the_documents_do_not_answer_are_refused(engine, question):
    a = engine.ask(question)
    assert a.abstained
    assert a.answer.startswith("The documents do not answer this question.")
    assert a.citations == []
    assert a.passages  # the nearest passages are still listed


def test_follow_up_resolves_against_the_conversation(engine):
    first = "Which group organised the campaigners' letter to the commissioner?"
    a = engine.ask("Who leads it?", history=[first])
    assert "Shabna Begum" in a.answer
    a = engine.ask("What happened to the officers who stopped them?",
                   history=["Which athletes were at the centre of the stop and search row?"])
    assert "sacked" in a.answer and "October 2023" in a.answer


def test_resolve_picks_the_agent_of_the_last_answer():
    turn = Turn("Which group organised the letter?",
                "Groups such as Inquest and StopWatch signed the letter which was coordinated by the Runnymede Trust. [1]")
    assert resolve("Who leads it?", [turn]) == "Who leads the Runnymede Trust?"
    assert resolve("Who signed the letter to the commissioner?", [turn]) == "Who signed the letter to the commissioner?"


def test_empty_and_oversized_questions_get_a_plain_reply(engine):
    assert engine.ask("   ").abstained
    a = engine.ask("stop and search " * 20000)
    assert isinstance(a.answer, str) and a.answer


# ----------------------------------------------------------------------------- question shapes
def test_two_part_question_answers_each_part(engine):
    a = engine.ask("How much is the New Met for London scheme worth, and how many pages long is the plan?")
    assert not a.abstained
    assert "366" in a.answer and "80-page" in a.answer
    _verbatim(engine, a)


def test_either_or_question_shows_what_each_source_says(engine):
    a = engine.ask("Besides racist and homophobic, what else did the Casey review find the Met to be: "
                   "sexist or misogynistic?")
    text = normalise(a.answer)
    assert "sexist" in text and "misogynis" in text
    assert "disagree" in text
    assert len({c.doc_id for c in a.citations}) >= 2
    _verbatim(engine, a)


def test_either_or_and_parts_are_parsed():
    from retrieval.questions import alternatives, split_question

    assert alternatives("What did the review find the Met to be: sexist or misogynistic?") == ["sexist", "misogynistic"]
    assert alternatives("Was it 26 or 30?") == ["26", "30"]
    assert alternatives("Who signed it?") == []
    assert split_question("Do the campaigners and the Met agree on stop and search?") == [
        "What do the campaigners say about stop and search?", "What do the Met say about stop and search?"]
    first, second = split_question("Is the Met institutionally racist, and does its commissioner accept that?")
    assert first == "Is the Met institutionally racist?" and "institutionally" in second
    assert split_question("Which groups and people signed it?") == []
    # A framing question first, then the one that asks, each part carrying the framing's words;
    # "how do A and B each ..." asks each side.
    assert split_question("Is the Met on the right track? How do Sir Mark Rowley and the Runnymede Trust each "
                          "characterise the plans?") == [
        "How does Sir Mark Rowley characterise the plans (met right track)?",
        "How does the Runnymede Trust characterise the plans (met right track)?"]
    first, second = split_question("Is more policing the answer? What does the plan propose, and what do the "
                                   "campaigners say about it?")
    assert first == "What does the plan propose (policing answer)?"
    assert "plan" in second and "campaigners" in second and "policing" in second


def test_question_kind_reads_the_question_word_not_any_word():
    from retrieval.questions import question_kind

    assert question_kind("Which principle did Sir Mark invoke when launching the plan?") == "other"
    assert question_kind("And when did they meet?") == "when"
    assert question_kind("When was it published?") == "when"
    assert question_kind("What are the names of the two constables?") == "name"
    # one body asked for, though a count is named after it; "which two people ...?" stays a list
    assert question_kind("which body said the number of deaths in police custody had gone up?") == "who"
    assert question_kind("which two people are named among the deaths in the IOPC figures?") == "list"


def test_a_capitalised_first_word_is_not_an_unknown_name(engine):
    """"Roughly how many ...": the opening adverb is not someone the corpus never mentions."""
    a = engine.ask("Roughly how many people protested in Hackney once the Child Q incident became public?")
    assert not a.abstained and "Hundreds protested in Hackney" in a.answer


def test_follow_up_is_scored_on_its_own_words(engine):
    """The names the resolution added say where to look; what is asked comes from the follow-up itself."""
    a = engine.ask("What excuse did he say the next Commissioner must reject?", ["Who is Jeremy Crook?"])
    assert "few bad apples" in a.answer


@pytest.mark.parametrize(
    "question",
    ["What was the name of the black woman arrested in Croydon in front of her son?",
     "What is the name of the Met officer who shot Chris Kaba?",
     "What did the Mayor of London say about the New Met for London plan?",
     "Which group does Home Secretary Cooper plan to ban under the Terrorism Act?",
     # the person is in the documents, but never responds: the letter is only addressed to her
     "How did Priti Patel respond to the 2022 open letter on recruiting the Met Commissioner?",
     "What are the names of the two Met constables sacked over the stop and search of Bianca Williams?",
     "did the Met ever apologise to Bianca Williams?",  # her stop is told of; no apology to her
     "did Child Q's family get compensation?",
     # Baroness Casey's review is cited; she says nothing of the plan
     "what did Baroness Casey herself make of the New Met for London plan?",
     "how did Baroness Casey feel about the New Met for London plan?",
     # he is written to; no reply of his is reported
     "Did Sir Mark Rowley send a written reply to the coalition's letter, and what did it say?",
     # Child Q's story is told; no relative of hers speaks
     "What did Child Q's family say about the Race Action Plan?"],
)
def test_near_misses_are_refused(engine, question):
    """The documents tell the story but not the name asked for, never mention who is asked about, or
    never report the act or view asked about."""
    a = engine.ask(question)
    assert a.abstained, a.answer


def test_name_slot_wants_the_name_of_the_person_asked_about():
    from retrieval.slots import gives_name

    q = "What is the name of the Met officer who shot Chris Kaba?"
    assert not gives_name("include Chris Kaba, a black man who was shot by a Met officer, and Oladeji Omishore", q)
    assert gives_name("The officer, PC Martyn Blake, was charged.", q)
    assert gives_name("Martyn Blake, the firearms officer who shot him, was cleared.", q)
    q = "What is the name of the Met plan that includes a stop and search charter?"
    assert gives_name("Sir Mark said the Race Action Plan was a step in the right direction.", q)
    assert not gives_name("Hundreds protested in Hackney.", q)


def _sentence(index, needle: str) -> tuple[str, int, int, int]:
    """(doc_id, row, start, end) of the indexed sentence that starts with ``needle``."""
    table = index.sentences
    for doc_id, doc in index.documents.items():
        for i, start in enumerate(table.starts.get(doc_id, [])):
            if doc.text.startswith(needle, start):
                return doc_id, table.rows[doc_id][i], start, table.ends[doc_id][i]
    raise AssertionError(f"no sentence starts with {needle!r}")


def test_label_and_value_lines_are_read_together(engine):
    from retrieval.answer import ExtractiveAnswerer

    index = engine.loaded
    doc_id, row, start, end = _sentence(index, "Published on:")
    text = index.documents[doc_id].text
    value = ExtractiveAnswerer._label_value(index.sentences, doc_id, row, text, start, end)
    assert value is not None and text[value[0] : value[1]] == "28/04/2022"
    doc_id, row, start, end = _sentence(index, "She was falsely accused")
    assert ExtractiveAnswerer._label_value(index.sentences, doc_id, row, text, start, end) is None


def test_a_pronoun_subject_is_quoted_with_the_sentence_naming_it(engine):
    from retrieval.scorer import Candidate

    index = engine.loaded
    doc_id, row, start, end = _sentence(index, "She was falsely accused")
    text = index.documents[doc_id].text
    c = Candidate(row, doc_id, start, end, text[start:end], "p", 1)
    quoted = engine.answerer._with_antecedent(index, c)
    assert quoted.text.endswith("bus fare.") and quoted.start < start
    assert "woman" in quoted.text and text[quoted.start : quoted.end] == quoted.text
    plain = Candidate(row, doc_id, start, end, "The plan was launched.", "p", 1)
    assert engine.answerer._with_antecedent(index, plain) is plain


def test_speaker_lines_ending_in_a_colon_bring_what_was_said(engine):
    a = engine.ask("What did Jeremy Crook, Vice Chair of EQUAL, say about the next Commissioner?")
    assert not a.abstained
    assert "Jeremy Crook" in a.answer and "next Commissioner must" in a.answer
    _verbatim(engine, a)
    # even when only the name was asked for, a line ending "said:" is never quoted bare
    a = engine.ask("Who is the Vice Chair of EQUAL?")
    assert "Jeremy Crook" in a.answer
    assert not any(c.quote.rstrip().endswith(":") for c in a.citations)
    _verbatim(engine, a)


def test_follow_up_resolves_the_thing_the_last_question_asked_about():
    assert resolve("How much is it worth?", [Turn("What is the New Met for London plan?")]) == (
        "How much is the New Met for London plan worth?")
    assert resolve("What was the name of her school?", [Turn("What happened to the girl known as Child Q?")]) == (
        "What was the name of the girl known as Child Q's school?")
    turn = Turn("Who was the 2022 open letter addressed to?",
                "Action for Race Equality, EQUAL and the Criminal Justice Alliance have written a joint open letter "
                "to the Home Secretary, Priti Patel. [1]")
    assert resolve("Which organisations wrote to her?", [turn]) == "Which organisations wrote to Priti Patel?"
    # "out there" names no place: the question stands alone
    q = "And what did the campaigners make of putting more PCSOs out there?"
    assert resolve(q, [Turn("What is 'A New Met for London'?")]) == q


def test_follow_up_may_repeat_the_last_quote_when_it_is_exactly_what_is_asked(engine):
    history = ["Which group's spokeswoman commented on the IOPC figures on deaths in custody?", "What is her name?"]
    a = engine.ask("What did she say inquests and investigations into these deaths uncover?", history=history)
    assert "institutional racism" in a.answer and "neglect" in a.answer


def test_roles_are_not_people():
    from retrieval.textutil import is_person

    assert not is_person("Home Secretary") and not is_person("Met Commissioner")
    assert is_person("Priti Patel") and is_person("Sir Mark Rowley")


# ----------------------------------------------------------------------------- about a document
def test_who_wrote_a_report_is_answered_from_its_byline(engine):
    a = engine.ask("Who wrote the news report saying 26 racial justice organisations criticised the Met?")
    assert "Pramod Thomas" in a.answer
    assert a.citations[0].quote == "By: Pramod Thomas"
    _verbatim(engine, a)


def test_who_is_behind_a_letter_named_by_its_date_is_its_writers(engine):
    a = engine.ask("which groups are behind the 2022 letter?")
    assert "Action for Race Equality, EQUAL and the Criminal Justice Alliance" in a.answer
    assert "Inquest" not in a.answer and a.citations[0].doc_id.startswith("004_")
    _verbatim(engine, a)


def test_when_an_article_was_published_is_answered_from_its_dateline(engine):
    a = engine.ask("When was the article about the Met Police's £366m makeover failing to acknowledge "
                   "institutional racism published?")
    assert "7/30/2023" in a.answer and a.citations[0].quote.startswith("7/30/2023")
    _verbatim(engine, a)


def test_a_document_is_recognised_by_its_kind_and_what_it_is_about(engine):
    """No title word but "open": the letter is recognised as a letter; the news reports are not."""
    a = engine.ask("When was the open letter to Priti Patel on recruiting the Met Commissioner published?")
    assert "28/04/2022" in a.answer and a.citations[0].doc_id.startswith("004_")
    c = engine.ask("When was that letter published?", history=["Who wrote to Priti Patel about choosing the next Met commissioner?"])
    assert "28/04/2022" in c.answer and c.citations[0].doc_id.startswith("004_")
    _verbatim(engine, a)


@pytest.mark.parametrize(
    "question",
    ["When was Baroness Casey's review into the Metropolitan Police published?",
     "Who wrote to the commissioner?",
     "Which newspaper reported the racial justice groups' criticism of the Met?"],
)
def test_questions_about_what_documents_report_are_not_taken_for_questions_about_the_documents(engine, question):
    a = engine.ask(question)
    assert not any(n.startswith("answered from the document's") for n in a.notes), a.answer


def test_about_questions_are_recognised():
    from retrieval.about import about_field

    assert about_field("Who wrote the article about the Met's plans?") == "author"
    assert about_field("Which outlet published the article on the Race Action Plan?") == "source"
    assert about_field("What date is given on the report about the Met?") == "date"
    assert about_field("Who wrote to Priti Patel?") is None
    assert about_field("Which newspaper reported the criticism?") is None


def test_a_named_speaker_is_answered_when_the_documents_have_them_speak(engine):
    a = engine.ask("In what month did Sir Mark Rowley say he would not use the term 'institutional'?")
    assert not a.abstained
    a = engine.ask("What does the Race Action Plan say about the makeup of the Met's workforce?")
    assert not a.abstained  # a document "says" everything in it


def test_a_document_heading_is_never_the_answer(engine):
    """The title line shares the words that describe the document, yet says nothing in it."""
    a = engine.ask("What did they say is crucial to begin rebuilding trust?",
                   ["Who wrote the 2022 open letter to Priti Patel?"])
    assert "effective leadership is crucial" in a.answer
    titles = {engine.loaded.documents[c.doc_id].meta.title for c in a.citations}
    assert not any(c.quote.strip() in titles for c in a.citations)


def test_an_unsure_answer_says_so_first(engine):
    """Near the abstention line the reply still quotes the closest passage, but does not pose as an answer."""
    from retrieval.answer import HEDGE_TEXT

    unsure = engine.ask("According to the commissioner, will deeds or statements restore confidence in the force?")
    assert not unsure.abstained and unsure.answer.startswith(HEDGE_TEXT) and "low confidence" in unsure.notes
    assert len(unsure.citations) == 2  # the runner-up too, so the reader can judge
    _verbatim(engine, unsure)
    sure = engine.ask("Which athletes were at the centre of the stop and search row?")
    assert not sure.answer.startswith(HEDGE_TEXT) and "low confidence" not in sure.notes


# ----------------------------------------------------------------------------- names and sides
def test_counts_and_joined_names_are_not_people():
    from retrieval.textutil import is_person, proper_names

    names = proper_names("Thirty of London’s race bodies wrote to Sir Mark Rowley. Twenty-six groups signed.")
    assert not any(n.startswith(("Thirty", "Twenty")) for n in names)
    assert "Sir Mark Rowley" in names
    assert not is_person("Inquest and Stopwatch") and not is_person("New Met for London")
    assert is_person("Dr Shabna Begum")


def test_a_side_speaks_when_it_says_something_not_when_it_is_written_to():
    from retrieval.questions import agent_pattern
    from retrieval.slots import agent_speaks

    rowley = agent_pattern("Sir Mark Rowley")
    assert agent_speaks("Commissioner Sir Mark Rowley said “there remains a long way to go”.", rowley)
    assert not agent_speaks(
        "In an open letter to Commissioner Sir Mark Rowley co-ordinated by the Runnymede Trust, groups "
        "including Inquest and Stopwatch hit out at the “continued refusal”.", rowley)
    assert not agent_speaks("In an open letter addressed to Met commissioner, Sir Mark Rowley, they said it failed.",
                            rowley)
    begum = agent_pattern("Shabna Begum")
    assert agent_speaks("“Our communities face punitive policing,” Dr Shabna Begum, the interim co-chief executive "
                        "of the Runnymede Trust, was quoted as saying.", begum)


def test_a_question_about_someone_before_the_person_named_is_not_answered_by_them(engine):
    a = engine.ask("Who was the Metropolitan Police Commissioner before Sir Mark Rowley?")
    assert a.abstained


def test_which_organisation_is_answered_by_the_sentence_naming_one_and_one_that_agrees_is_not_repeated(engine):
    # the sentence naming only Sir Mark Rowley ("In an open letter addressed to ... they criticised") names no body
    a = engine.ask("Which organisation coordinated the open letter criticising the New Met for London plan?")
    assert "Runnymede Trust" in a.citations[0].quote and "they criticised" not in a.answer
    _verbatim(engine, a)
    a = engine.ask("Which group organised the campaigners' letter to the commissioner?")
    assert "Runnymede Trust" in a.answer and len(a.citations) == 1


def test_what_someone_said_is_not_answered_with_a_letter_written_to_them(engine):
    a = engine.ask("What did Sir Mark Rowley say about racism in the Met?")
    assert not a.abstained and "anti-racist" in a.answer
    assert "open letter to Commissioner" not in a.answer


def test_a_label_line_with_its_value_can_be_the_answer(engine):
    a = engine.ask("Who handles press queries for the letter on recruiting the commissioner?")
    assert "Payal Bhavsar" in a.answer
    _verbatim(engine, a)


def test_a_sentence_closing_a_quotation_is_quoted_from_where_the_quotation_opens(engine):
    from retrieval.textutil import quote_balance

    a = engine.ask("What did Shabna Begum say about policing?")
    assert a.citations and a.citations[0].quote.startswith("“We are at an absolute crisis point")
    assert all(quote_balance(c.quote) == 0 for c in a.citations)
    _verbatim(engine, a)


def test_a_sentence_opening_a_quotation_is_quoted_to_where_it_closes(engine):
    from retrieval.textutil import quote_balance

    a = engine.ask("What did the commissioner and senior officers do about the campaigners' concerns?")
    assert "Runnymede Trust" in a.answer and "a Met spokesperson told" in a.answer
    assert quote_balance(a.citations[0].quote) == 0
    _verbatim(engine, a)


def test_neighbouring_sentences_chosen_together_are_quoted_once(engine):
    a = engine.ask("What was the mother in the viral Croydon video wrongly alleged to have failed to do?")
    spans = sorted((c.doc_id, c.start, c.end) for c in a.citations)
    assert all(not (x[0] == y[0] and y[1] < x[2]) for x, y in zip(spans, spans[1:]))
    _verbatim(engine, a)


def test_a_question_for_one_name_gets_its_sentence_without_the_rest_of_the_quotation(engine):
    a = engine.ask("Who leads it?", history=["Which group organised the campaigners' letter to the commissioner?"])
    assert "Shabna Begum" in a.answer and "absolute crisis point" not in a.answer



def test_an_outcome_is_answered_only_from_a_sentence_that_reports_one(engine):
    # the documents mention the super-complaint as "ongoing" and the IOPC investigation as "highlighted"
    assert engine.ask("What was the result of the CJA's super-complaint on stop and search?").abstained
    assert engine.ask("What did the IOPC investigation into the death in custody conclude?").abstained
    a = engine.ask("What did the disciplinary panel find about the two constables?")
    assert not a.abstained and "gross misconduct" in a.answer


@pytest.mark.parametrize(
    "question",
    [
        "Was anyone sacked over the strip search of Child Q?",  # a sacking, but over another stop
        "Has anyone been charged over the death of Chris Kaba?",  # his death is reported, no charge
        "Did Priti Patel ever respond to the letter?",  # written to, never answering
    ],
)
def test_whether_something_happened_is_answered_only_from_a_sentence_reporting_it(engine, question):
    assert engine.ask(question).abstained


def test_a_sentence_reporting_the_asked_act_is_preferred(engine):
    a = engine.ask("Were the officers who stopped Bianca Williams sacked?")
    assert not a.abstained and "constables were sacked" in a.citations[0].quote
    _verbatim(engine, a)
    # the act in other words: "dismissed" is "sacked"
    a = engine.ask("Were the officers who stopped Bianca Williams dismissed?")
    assert not a.abstained and "constables were sacked" in a.citations[0].quote


def test_an_aside_about_the_question_does_not_change_the_answer(engine):
    question = "How many organisations signed the letter to Sir Mark Rowley? I've seen different figures."
    a = engine.ask(question)
    assert a.question == question
    assert a.answer.startswith("The sources disagree:") and "26" in a.answer and "Thirty" in a.answer


def test_asides_and_the_asker_are_not_part_of_the_question():
    from retrieval.textutil import proper_names, without_asides

    assert without_asides("Who signed it? Thanks.") == "Who signed it?"
    assert without_asides("How many signed? I've seen different numbers reported") == "How many signed?"
    assert without_asides("Is it true? I heard it was 30.") == "Is it true? I heard it was 30."  # a claim to check
    assert without_asides("I want to know who signed.") == "I want to know who signed."  # nothing else to ask
    assert proper_names("Who wrote to Rowley? I've seen two names") == ["Rowley"]


def test_the_word_for_what_is_asked_for_picks_the_sentence(engine):
    from retrieval.questions import asked_focus

    assert asked_focus("What excuse did he say the next Commissioner must reject?") == "excuse"
    assert asked_focus("what kind of leadership did the ad say the force needed?") == "leadership"
    assert asked_focus("Who's the press contact on the letter?") == "contact"
    assert asked_focus("Which groups signed the letter?") is None  # a list names the groups, not "groups"
    assert asked_focus("On what date did he take office?") is None
    a = engine.ask("Who's the press contact on the letter to the Home Secretary about recruiting the commissioner?")
    assert "Payal Bhavsar" in a.answer and "Today, Action for Race Equality" not in a.answer
    _verbatim(engine, a)


def test_how_often_is_answered_with_a_frequency(engine):
    from retrieval.questions import question_kind

    assert question_kind("How often will the Met report on its progress?") == "often"
    a = engine.ask("How often will the Met report publicly on the Race Action Plan's progress?")
    assert "twice a year" in a.answer
    _verbatim(engine, a)


def test_a_scene_setting_clause_does_not_decide_what_is_asked():
    from retrieval.questions import question_kind

    assert question_kind("When the job was advertised in 2022, what kind of leadership did the ad ask for?") == "other"
    assert question_kind("In 2022, who wrote to the Home Secretary?") == "who"
    assert question_kind("When did the Casey review come out, and what did it find?") == "when"


def test_a_confident_answer_goes_on_to_the_next_sentence_when_it_continues_the_story(engine):
    a = engine.ask("In the Croydon arrest that went viral, what was the woman wrongly accused of?")
    assert "bus fare" in a.answer
    _verbatim(engine, a)


def test_everyday_words_are_read_as_the_documents_put_them(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("How many cops, and which mum?") == "How many officers, and which mother?"
    assert in_plain_words("Cops? Did Just for Kids Law sign?") == "officers? Did Just for Kids Law sign?"
    assert in_plain_words("had he sat down with them?") == "had he met with them?"
    a = engine.ask("how many cops are moving from central to local teams?")
    assert not a.abstained and "240" in a.answer
    assert a.question == "how many cops are moving from central to local teams?"


def test_what_a_person_said_is_not_answered_with_others_speaking_of_it(engine):
    # "Sir Mark" is Rowley; "They said ... regrettable" is the campaigners speaking
    a = engine.ask("After the Casey review in March, why did Rowley say he would not use the word institutional?")
    assert "unambiguous" in a.answer
    _verbatim(engine, a)


def test_who_holds_a_role_wants_a_person_named_as_holding_it():
    from retrieval.slots import slot_match

    q = "who is the commissioner the 2023 letters were addressed to?"
    assert slot_match("In an open letter addressed to Met commissioner, Sir Mark Rowley, they criticised", q, "who")
    assert not slot_match("The letter charged the Commissioner with being in denial about Baroness Casey’s Review", q, "who")


def test_each_part_of_a_two_part_question_is_answered_with_its_own_preferences(engine):
    a = engine.ask("How much is the New Met for London scheme costing, and how long is the plan document?")
    assert "366" in a.answer and "80-page" in a.answer
    a = engine.ask("Who was Home Secretary in 2022, and who is the commissioner the 2023 letters were addressed to?")
    assert "Priti Patel" in a.answer and "Rowley" in a.answer
    _verbatim(engine, a)


def test_a_count_of_what_was_done_about_something_named_needs_a_sentence_reporting_it(engine):
    assert engine.ask("How many officers were disciplined over the strip search of Child Q?").abstained
    a = engine.ask("How many officers were moved to local teams by the Met?")
    assert not a.abstained and "240" in a.answer


def test_she_and_he_point_to_someone_who_can_be_meant():
    turn = Turn("What incident in Croydon did the letter to Sir Mark Rowley mention?",
                "It mentions an incident where a black woman was arrested by Met officers in Croydon. [1]")
    assert resolve("What had she been accused of?", [turn]) == "What had the black woman been accused of?"
    assert resolve("What did he say?", [turn]) == "What did Sir Mark Rowley say?"


def test_it_after_a_question_about_a_letter_is_the_letter_unless_a_group_was_named_for_it():
    turn = Turn("Who was the open letter from the 26 racial justice organisations addressed to?",
                "In an open letter addressed to Met commissioner, Sir Mark Rowley, they criticised the plan. [1]")
    assert resolve("What did a Met spokesperson say in response to it?", [turn]) == (
        "What did a Met spokesperson say in response to the open letter from the 26 racial justice organisations?")
    turn = Turn("Who coordinated the open letter to Sir Mark Rowley?",
                "Groups signed the letter which was coordinated by the Runnymede Trust. [1]")
    assert resolve("Who is its chief executive?", [turn]) == "Who is the Runnymede Trust's chief executive?"


def test_a_post_is_not_an_organisation():
    from retrieval.textutil import is_org

    assert is_org("Runnymede Trust") and is_org("Metropolitan Police")
    assert not is_org("Metropolitan Police Commissioner")


def test_whether_someone_agreed_needs_them_to_agree(engine):
    a = engine.ask("Did she agree to it?", history=[
        "What did Action for Race Equality, EQUAL and the Criminal Justice Alliance ask Priti Patel to commit to?"])
    assert a.abstained


def test_what_a_spokesperson_said_is_found_by_the_role():
    from retrieval.questions import asked_agent

    named, verb = asked_agent("What did a Met spokesperson say about the letter?")
    assert verb == "say" and named.search("a Met spokesperson told The Guardian") and not named.search("the Met said")


def test_the_first_pronoun_is_resolved_and_they_means_the_groups():
    turn = Turn("Who wrote to Priti Patel about hiring the next Met commissioner?",
                "Today, Action for Race Equality, EQUAL and the Criminal Justice Alliance have written a joint open "
                "letter to the Home Secretary, Priti Patel. [1]")
    assert resolve("what were they asking her to commit to?", [turn]) == (
        "what were Action for Race Equality and EQUAL asking Priti Patel to commit to?")


def test_a_short_question_about_the_last_subject_is_a_follow_up(engine):
    turn = Turn("What happened to the Met officers who stopped Bianca Williams?", "Two Met constables were sacked. [1]")
    assert resolve("What were the officers' names?", [turn]) != "What were the officers' names?"
    assert resolve("Who signed the letter to the commissioner?", [Turn("Which group organised the letter?", "")]) == (
        "Who signed the letter to the commissioner?")
    # "the letter" is the one the last question described, not the group its answer named
    turn = Turn("Who coordinated the letter to Sir Mark Rowley?", "It was coordinated by the Runnymede Trust. [1]")
    assert resolve("When was the letter published?", [turn]) == "When was the letter published? (Sir Mark Rowley coordinated)"
    a = engine.ask("What were the officers' names?",
                   history=["What happened to the Met officers who stopped Bianca Williams and Ricardo Dos Santos?"])
    assert a.abstained  # the documents never name them


def test_a_share_is_answered_with_a_percentage_or_a_fraction(engine):
    from retrieval.slots import slot_match

    q = "what share of searches are carried out on black people?"
    assert slot_match("black people made up 40% of those searched", q, "count")
    assert not slot_match("pass rates rose from 68% to 75%", q, "count")  # a rate of something else
    assert not slot_match("Two Met constables were sacked", q, "count")
    assert engine.ask("What share of stop and searches in London are carried out on black people?").abstained


def test_who_did_something_may_be_answered_by_an_organisation(engine):
    a = engine.ask("Who wrote to Priti Patel about hiring the next Met commissioner?")
    assert not a.abstained and "Action for Race Equality" in a.answer


def test_an_open_answer_goes_on_to_the_sentence_continuing_the_best(engine):
    a = engine.ask("According to the Criminal Justice Alliance's super-complaint, how does a lack of trust in the "
                   "police damage the justice system?")
    assert "witnesses are reluctant" in a.answer
    _verbatim(engine, a)


def test_an_agent_named_by_post_is_found_by_the_name_of_who_holds_it(engine):
    from retrieval.questions import asked_agent
    from retrieval.scorer import Candidate

    c = Candidate(0, "d", 0, 10, "In an open letter addressed to Met commissioner, Sir Mark Rowley, they criticised", "p", 1)
    named, verb = asked_agent("Why did the commissioner say he would avoid that wording?", [c])
    assert verb == "say" and named.search("Sir Mark said he would not use the term") and named.search("the Commissioner")
    a = engine.ask("Why did the commissioner say he would avoid the wording the Casey report used about racism?")
    assert "unambiguous" in a.answer
    _verbatim(engine, a)


def test_an_open_answer_may_quote_a_third_sentence_nearly_as_good_as_the_best(engine, monkeypatch):
    # how the watchdog characterised it is the word it used, quoted: the sentence with it leads
    a = engine.ask("How did the police complaints watchdog characterise the rise in people dying after being detained?")
    assert "“concerning”" in a.citations[0].quote
    q = "How will the new rules make it harder for children to be intimately searched?"
    a = engine.ask(q)
    assert "threshold and oversight" in a.answer and len(a.citations) == 3
    _verbatim(engine, a)
    monkeypatch.setattr(engine.answerer.settings, "answer_third_margin", 0.0)
    assert len(engine.ask(q).citations) == 2


def test_each_side_is_chosen_by_what_it_says_not_by_its_name(engine):
    a = engine.ask("Do the campaigners and the Met agree on how the force is handling racism?")
    assert "refusal to acknowledge" in a.answer and "anti-racist" in a.answer
    _verbatim(engine, a)


def test_what_about_asks_the_last_question_of_something_else():
    last = [Turn("What did Sir Mark Rowley say about the plan?", "x")]
    assert resolve("What about Shabna Begum?", last) == "What did Shabna Begum say about the plan?"
    last = [Turn("Who coordinated the letter to Rowley?", "x")]
    assert resolve("what about the letter to Priti Patel?", last) == "Who coordinated the letter to Priti Patel?"
    last = [Turn("When were the constables sacked?", "x")]
    assert resolve("And what about Child Q?", last) == "When were the constables sacked (Child Q)?"
    # the question may name what its own "that one" means
    assert resolve("What about the letter to the Home Secretary - which searches did that one want tackled?", last) == (
        "which searches did the letter to the Home Secretary want tackled?")


def test_which_kinds_of_things_keeps_the_things_as_the_word_asked_for():
    from retrieval.questions import asked_focus

    assert asked_focus("Which kinds of searches did the letter want tackled?") == "searches"


def test_the_second_one_is_the_second_person_the_last_answer_named(engine):
    t = [Turn("Which two people are named among the deaths?",
              "The 23 deaths include Chris Kaba — a black man — and Oladeji Omishore, who fell into the Thames. [1]")]
    assert resolve("How did the second one die?", t) == "How did Oladeji Omishore die?"
    assert resolve("What happened to the former?", t) == "What happened to Chris Kaba?"
    assert resolve("What did the last report say?", t) != "What did Oladeji Omishore say?"
    a = engine.ask("How did the second one die?",
                   history=["Which two people are named among the deaths in the IOPC's latest police custody figures?"])
    assert "Thames" in a.answer and "tasered" in a.answer


def test_a_spokesperson_is_the_one_of_the_body_asked_about(engine):
    from retrieval.questions import asked_agent

    named, _verb = asked_agent("What did a Met spokesperson say?")
    assert named.search("a Met spokesperson told The Guardian") and not named.search("Inquest spokeswoman Lucy McKay")
    a = engine.ask("What did a Met spokesperson say about the letter from the 26 organisations?")
    assert "a Met spokesperson told" in a.answer
    _verbatim(engine, a)
    assert engine.ask("What did a Home Office spokesperson say about the letter?").abstained


def test_a_bare_question_word_asks_the_last_question_again():
    t = [Turn("What did Sir Mark Rowley say about using the word 'institutional'?", "Sir Mark said ... [1]")]
    assert resolve("why?", t) == "why (What did Sir Mark Rowley say about using the word 'institutional')?"
    t = [Turn("Did the IOPC say deaths in police custody had gone up?", "The watchdog said ... [1]")]
    assert resolve("and how many of them were there?", t) == "and how many deaths were there?"


def test_a_refusal_names_no_one_a_pronoun_could_mean():
    t = [Turn("Were any individuals named?", "The documents do not answer this question. The nearest passages are in "
              "“Met Police’s £366m makeover fails to acknowledge Institutional racism say Racial Justice bodies”.")]
    assert "Racial Justice" not in resolve("what organisation did he use to run?", t)


def test_only_acts_with_consequences_need_reporting(engine):
    from retrieval.questions import asked_event

    assert asked_event("Were any individuals named among the signatories?") == []
    assert asked_event("Has the officer been charged?") == ["charged"]
    a = engine.ask("Were any individuals named among the signatories of the letter to Sir Mark Rowley?")
    assert not a.abstained and "Simon Woolley" in a.answer


def test_an_age_is_asked_of_the_person_named_and_unrelated_ages_are_no_disagreement(engine):
    from retrieval.slots import slot_match

    assert slot_match("a 15-year-old black girl – known as Child Q", "how old was child q?", "count")
    assert not slot_match("The 23 deaths are the highest since 2017-18", "how old was he?", "count")
    a = engine.ask("how old was he?", history=["Who fell into the Thames after being tasered multiple times?"])
    assert a.abstained  # the documents give no age for Oladeji Omishore
    assert "15-year-old" in engine.ask("How old was Child Q?").answer


def test_a_plural_abbreviation_is_a_common_noun_not_an_unknown_name(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("When were the two PCs sacked?") == "When were the two constables sacked?"
    a = engine.ask("When were the two PCs sacked over the Bianca Williams stop?")
    assert not a.abstained and "October 2023" in a.answer


def test_what_happened_to_officers_needs_a_sentence_reporting_an_outcome(engine):
    assert engine.ask("What happened to the officers who strip-searched Child Q?").abstained
    a = engine.ask("What happened to the officers who stopped them?",
                   history=["Which athletes were at the centre of the stop and search row?"])
    assert not a.abstained and "sacked" in a.answer


def test_a_letter_going_up_asks_for_its_date():
    from retrieval.about import about_field

    assert about_field("What date did the open letter to the Home Secretary go up?") == "date"
    assert about_field("When did the letter come out?") == "date"
    assert about_field("When did the groups write to Rowley?") is None


def test_someone_named_by_the_body_they_speak_for_is_found_by_the_body(engine):
    from retrieval.questions import asked_agent

    named, verb = asked_agent("What did the woman from Runnymede say about policing?")
    assert named.search("the Runnymede Trust") and verb == "say"
    a = engine.ask("What did the woman from Runnymede say about how black communities are being policed?")
    assert "Shabna Begum" in a.answer and "crisis point" in a.answer
    follow = engine.ask("What's her actual job title there?",
                        history=["What did the woman from Runnymede say about how black communities are being policed?"])
    assert "interim co-chief executive" in follow.answer


def test_chat_spelling_is_read_as_words(engine):
    from retrieval.textutil import in_plain_words, without_asides

    assert in_plain_words("how often are the met gonna report tho") == "how often are the met going to report though"
    assert in_plain_words("what does rowley reckon") == "what does rowley think"
    assert in_plain_words("did anyone actually sit down with them?") == "did anyone meet with them?"
    assert without_asides("how many groups signed it? seen diff numbers") == "how many groups signed it?"
    a = engine.ask("how often are the met gonna tell us how the race plan is going")
    assert not a.abstained and "twice a year" in a.answer


def test_they_after_a_question_naming_a_plural_group_is_that_group():
    turn = Turn("what did the racial justice groups call the new Met plan in their letter?", "But the groups ... [1]")
    assert resolve("so what kind of plan did they want instead?", [turn]) == (
        "so what kind of plan did the racial justice groups want instead?")


def test_they_and_her_are_the_writers_and_the_person_the_last_answer_named():
    turn = Turn("who did ARE, EQUAL and the CJA write their open letter to?",
                "Today, Action for Race Equality, EQUAL and the Criminal Justice Alliance have written a joint open "
                "letter to the Home Secretary, Priti Patel, on the recruitment [1]")
    resolved = resolve("what were they asking her for", [turn])
    assert "Priti Patel for" in resolved and "Action for Race Equality" in resolved


def test_that_complaint_is_the_complaint_the_last_question_named():
    turn = Turn("What's the Criminal Justice Alliance's super-complaint about?", "As the CJA’s ... [1]")
    assert resolve("what effects does that complaint show?", [turn]) == (
        "what effects does the Criminal Justice Alliance's super-complaint show?")


def test_a_bare_how_long_asks_the_last_question_again(engine):
    turn = Turn("how much is the Met spending on the new Met for London thing?", "x")
    assert resolve("over how long tho?", [turn]) == (
        "over how long tho (how much is the Met spending on the new Met for London thing)?")
    a = engine.ask("over how long tho?", history=["how much is the met spending on the new met for london thing?"])
    assert not a.abstained and "two" in a.answer and "year" in a.answer


def test_how_many_died_is_counted_in_deaths():
    from retrieval.slots import slot_match

    assert slot_match("The 23 deaths are the highest since 2017-18", "how many people died in custody?", "count")
    assert not slot_match("moving 240 officers from central to local teams", "how many people died in custody?", "count")


def test_a_two_part_question_is_answered_when_its_parts_are(engine):
    a = engine.ask("how much is the new met plan costing and how many pages is it")
    assert not a.abstained and "366" in a.answer and "80-page" in a.answer


def test_a_sum_of_money_and_a_count_of_officers_are_no_disagreement():
    from retrieval.slots import asked_figures

    q = "How much of the £366 million New Met for London budget is earmarked for neighbourhood policing?"
    assert asked_figures("moving 240 officers from central to local teams", "how many officers are moving?") == {240.0}
    assert asked_figures("the £366 million scheme moving 240 officers", "how much is it costing?") == {366e6}
    assert asked_figures("a £366m makeover", "how much is it costing?") == {366e6}
    assert 366e6 not in asked_figures("the £366 million two year scheme", q)  # the question gives that sum


def test_an_open_question_quotes_the_sentences_nearly_as_good_as_the_best(engine, monkeypatch):
    question = ("What kind of local groups did EQUAL's vice chair say need long-term funding so they can "
                "scrutinise the police?")
    a = engine.ask(question)
    assert not a.abstained and "Black-led youth and community organisations" in a.answer
    _verbatim(engine, a)
    assert len(a.citations) <= 3
    # within the close margin of a list or a yes-or-no question, only his opening sentence was quoted
    monkeypatch.setattr(engine.answerer.settings, "answer_open_margin", engine.answerer.settings.answer_margin)
    monkeypatch.setattr(engine.answerer.settings, "answer_third_margin", 0.1)
    assert "Black-led" not in engine.ask(question).answer


def test_a_sentence_leaning_on_the_one_before_is_matched_with_it(engine, monkeypatch):
    # with a margin for further sentences close enough that only the best two or so are quoted
    monkeypatch.setattr(engine.answerer.settings, "answer_open_margin", 0.16)
    monkeypatch.setattr(engine.answerer.settings, "answer_third_margin", 0.1)
    a = engine.ask("whats in the met's race action plan")
    assert "stop and search charter" in a.answer and "victims of crime" in a.answer

    def similarity_of_it_includes() -> float:
        question = "whats in the met's race action plan"
        vector = engine.encoder.encode_one(question)
        hits = engine.loaded.search(question, vector, 10)
        _kind, cands, _j = engine.answerer.assess(question, question, engine.loaded, hits, vector)
        return next(c.dense for c in cands if c.text.startswith("It includes a new stop and search charter"))

    # "It includes ..." read with the sentence naming the plan matches the question better than alone
    lifted = similarity_of_it_includes()
    monkeypatch.setattr(engine.answerer.settings, "answer_anaphor_context", 0.0)
    assert lifted > similarity_of_it_includes() + 0.05


def test_from_there_is_the_organisation_the_last_answer_named():
    turn = Turn("who organised the open letter slamming the new Met plan?",
                "Groups such as Inquest and StopWatch have signed the letter which was coordinated by the Runnymede Trust. [1]")
    assert resolve("who from there got quoted in the Guardian?", [turn]) == (
        "who from the Runnymede Trust got quoted in the Guardian?")


def test_the_second_guy_and_from_what_to_what_lean_on_the_last_turn():
    deaths = Turn("Which deaths did the IOPC custody report mention?",
                  "The 23 deaths ... include Chris Kaba — a black man who was shot by a Met officer — and Oladeji "
                  "Omishore, who fell into the Thames after being tasered multiple times. [1]")
    assert resolve("what happened to the second guy?", [deaths]) == "what happened to Oladeji Omishore?"
    rates = Turn("has the Met done anything about promotion rates for black officers?", "x")
    assert resolve("from what to what?", [rates]) == (
        "from what to what (has the Met done anything about promotion rates for black officers)?")


def test_a_link_line_naming_what_it_links_to_can_answer(engine):
    a = engine.ask("Which section's stop and search powers is the Criminal Justice Alliance's super-complaint about?")
    assert "Section 60" in a.answer
    from retrieval.answer import _NAMING_LINK
    assert not _NAMING_LINK.match("Find out more about us.")


def test_when_was_that_sent_is_the_date_of_the_letter_the_conversation_is_on(engine):
    a = engine.ask("when was that sent?", history=["who wrote to the home sec about hiring the new met commissioner?"])
    assert "28/04/2022" in a.answer and a.citations[0].doc_id.startswith("004_")
    # "it" after a question about the Casey review is the review, not the article quoted
    b = engine.ask("when did it come out?", history=["What did the Casey review find about the Met?"])
    assert "March 2023" in b.answer and not any(n.startswith("answered from the document") for n in b.notes)


def test_source_after_an_answer_names_the_documents_it_quoted(engine):
    first = "What does the Race Action Plan include?"
    last = engine.ask(first)
    a = engine.ask("source?", history=[first])
    assert not a.abstained and a.answer.startswith("From “")
    assert [c.doc_id for c in a.citations] == list(dict.fromkeys(c.doc_id for c in last.citations))
    for c in a.citations:
        assert c.title in a.answer and c.quote == engine.document(c.doc_id).text[c.start : c.end]
        assert c.quote in last.answer or any(c.quote in x.quote for x in last.citations)
    assert "Pelican Press" in engine.ask("where's that from?", history=[first]).answer
    # a question about sources of something else is asked of the documents
    b = engine.ask("what is the source of the funding for the plan?", history=[first])
    assert not b.answer.startswith("From “")


def test_they_after_a_question_naming_one_body_is_that_body():
    turn = Turn("And what did the Met spokesperson say they were determined to make the force?",
                "… a Met spokesperson told The Guardian. [1]")
    assert resolve("And what do they think they have to change?", [turn]) == (
        "And what do the Met think they have to change?")


def test_sources_counting_differently_answer_a_count_the_wording_made_doubtful(engine):
    a = engine.ask("How many organisations were behind the letter to Rowley slamming the New Met for London plan?")
    assert not a.abstained and "sources disagree" in a.notes and "Thirty" in a.answer and "26" in a.answer
    assert engine.ask("How much of the £366m is earmarked for neighbourhood policing?").abstained
    assert engine.ask("How many officers does the Met employ?").abstained


def test_the_other_holder_of_a_post_at_a_body_must_hold_it_there(engine):
    from retrieval.slots import gives_name

    q = "Who is the other co-chief executive of the Runnymede Trust alongside Shabna Begum?"
    woolley = ("individuals such as Simon Woolley, the former chief executive of Operation Black Vote, have signed "
               "the letter which was coordinated by the Runnymede Trust.")
    assert not gives_name(woolley, q)
    assert gives_name("Jane Doe, the co-chief executive of the Runnymede Trust, said so.", q)
    assert engine.ask(q).abstained


def test_how_much_wants_a_sum_or_a_quantity_not_a_describing_number():
    from retrieval.slots import slot_match

    q = "How much of the £366 million New Met for London budget is earmarked for neighbourhood policing?"
    assert not slot_match("The £366 million two year scheme was launched last week.", q, "count")
    assert slot_match("Its largest bell weighs two tonnes.", "How much does the bell weigh?", "count")
    assert slot_match("Pass rates rose to 75 per cent.", "How much did pass rates rise?", "count")


def test_a_budget_cost_or_salary_is_asked_for_as_a_sum(engine):
    from retrieval.questions import question_kind
    from retrieval.slots import slot_match

    for q in ("What is the annual budget of the Metropolitan Police?", "what's the budget for the Race Action Plan?",
              "What was the reported cost of the scheme?", "What salary was advertised for the job?"):
        assert question_kind(q) == "count", q
    assert question_kind("What is the plan about?") == "other"
    q = "What was the reported cost of the scheme?"
    assert slot_match("The two year scheme will cost £366m.", q, "count")
    assert not slot_match("The next Commissioner must rebuild the Met's relationship with Londoners.", q, "count")
    assert engine.ask("What is the annual budget of the Metropolitan Police?").abstained
    assert "366" in engine.ask("What was the reported cost of the New Met for London scheme?").answer


def test_who_speaks_is_judged_after_setting_back_sentences_where_they_do_not(engine):
    """"What word did Rowley refuse to use?": letters written to him rank above the sentence where he
    speaks ("Sir Mark said he would not use the term"); that sentence is found, and answers."""
    a = engine.ask("what word did rowley refuse to use after the casey report?")
    assert not a.abstained and "institutional" in a.answer
    _verbatim(engine, a)
    # "The Casey review found ..." before a sentence on the plan is not Baroness Casey responding to it
    assert engine.ask("How did Baroness Casey respond to the New Met for London plan?").abstained


def test_a_documents_authors_speak_in_its_own_sentences_not_in_those_quoting_others(engine):
    from retrieval.scorer import Candidate

    index = engine.loaded
    equal = re.compile(r"\bEQUAL\b")

    def says(needle: str) -> bool:
        doc_id, row, start, end = _sentence(index, needle)
        c = Candidate(row, doc_id, start, end, index.documents[doc_id].text[start:end], "p", 1)
        return engine.answerer.names_agent(index, c, equal, speaks=True)

    assert says("Trust won’t be re-built overnight")  # the letter by EQUAL and others, in its own voice
    assert not says("As the government have recently stated")  # the letter quoting someone else


def test_they_after_who_wrote_a_letter_are_its_writers_speaking_through_it():
    from retrieval.conversation import antecedents

    last = Turn("Who wrote the 2022 open letter to Priti Patel?",
                "“Rebuilding Londoners’ trust”: Today, Action for Race Equality, EQUAL and the Criminal Justice "
                "Alliance have written a joint open letter to the Home Secretary, Priti Patel. [1]")
    assert resolve("What did they say is crucial?", [last]) == \
        "What did the 2022 open letter to Priti Patel say is crucial?"
    # "it" is then the letter, and "they" its writers: not resolved to the letter
    assert "letter" not in resolve("which Home Secretary did they address it to?", [last]).split("address")[0]
    # the one written to, and the document title the answer opens with, are not who "they" are
    names = antecedents(last, "any", plural=True)
    assert "Priti Patel" not in names and not any("Rebuilding" in n for n in names)
    assert names[0] == "Action for Race Equality"


def test_which_newspaper_wants_a_title_reported_in_and_who_chaired_wants_the_chair(engine):
    from retrieval.questions import question_kind
    from retrieval.slots import slot_match

    q = "Which national newspaper was the source for the story about the 26 groups?"
    assert question_kind(q) == "who"
    assert slot_match("The groups criticised the Met, reported The Guardian.", q, "who")
    assert not slot_match("In an open letter to Commissioner Sir Mark Rowley, they criticised the plan.", q, "who")
    q = "who chaired the disciplinary panel in the williams case?"
    assert not slot_match("Two black athletes, Team GB runner Bianca Williams and her partner, were stopped.", q, "who")
    assert engine.ask(q).abstained
    # a month in the question is a date, not a name the documents lack
    assert not engine.answerer.unknown_name(engine.loaded, "The July 2023 piece: how many bodies wrote to him?")
    assert engine.answerer.unknown_name(engine.loaded, "The July 2023 piece: what did Sadiq Khan say?")


def test_that_happen_is_the_event_the_last_question_told_of(engine):
    last = Turn("The mum who was arrested in front of her little boy - what was she wrongly accused of?",
                "She was falsely accused of not paying her bus fare. The Independent Office for Police Conduct ... [1]")
    resolved = resolve("Which part of London did that happen in?", [last])
    assert "Independent Office" not in resolved and "arrested" in resolved
    a = engine.ask("Which part of London did that happen in?", history=[last.question])
    assert "Croydon" in a.answer


def test_a_yes_or_no_question_about_an_actor_wants_sentences_naming_it(engine):
    from retrieval.refusals import _YES_NO_ACTOR

    assert _YES_NO_ACTOR.match("has the IOPC opened an investigation?").group("actor") == "the IOPC"
    assert _YES_NO_ACTOR.match("Did the two officers keep their jobs?") is None
    # the Croydon arrest is told of, and an IOPC investigation into another death, never both
    assert engine.ask("has the IOPC opened an investigation into the croydon bus fare arrest?").abstained
    a = engine.ask("Did the Met's promotion workshops make a difference for black officers?")
    assert not a.abstained and "75%" in a.answer  # "the Met's workshops": the workshops are asked about
    # Simon Woolley signed the letter; the meeting is told of without him
    assert engine.ask("Did Simon Woolley attend the meeting between the commissioner and the Runnymede Trust?").abstained
    assert not engine.ask("Did the Runnymede Trust coordinate the letter to Sir Mark Rowley?").abstained


def test_who_did_it_is_answered_by_people_described_as_doing_it(engine):
    from retrieval.slots import slot_match

    q = "Who helped put the Race Action Plan together?"
    assert slot_match("The plans were made with input from black communities across London.", q, "who")
    assert not slot_match("There are many community groups in London.", q, "who")
    assert slot_match("We want a process that involves people from Black, Asian and minority ethnic communities.",
                      "Whom did they want to have a say?", "who")  # a list of adjectives before the people
    a = engine.ask("Who helped put it together?", history=["What's in the Met's Race Action Plan? Just the main bits."])
    assert "black communities" in a.answer and "black officers" in a.answer


def test_where_wants_a_place_the_question_does_not_name(engine):
    from retrieval.questions import question_kind
    from retrieval.slots import slot_match

    assert question_kind("Where is the Runnymede Trust based?") == "where"
    assert question_kind("Which part of London saw big protests?") == "where"
    assert question_kind("where did the campaigners say the money should go?") != "where"
    q = "Where is the Runnymede Trust based?"
    assert slot_match("A black woman was detained by Met officers in Croydon.", "Where was she detained?", "where")
    assert slot_match("Her partner, Portuguese sprinter Ricardo Dos Santos.", "where's her partner from?", "where")
    assert not slot_match("A letter co-ordinated by the Runnymede Trust, with Inquest and Stopwatch.", q, "where")
    assert engine.ask(q).abstained
    assert "Hackney" in engine.ask("Which part of London saw big protests over the schoolgirl who was strip searched?").answer
    assert question_kind("which boroughs are they going to?") == "where"
    assert not slot_match("sustained investment in Black-led youth organisations", "which boroughs?", "where")


def test_who_replaced_wants_a_person_and_the_teachers_name_a_teacher_named(engine):
    from retrieval.slots import slot_match

    q = "Who replaced Priti Patel as Home Secretary?"
    assert not slot_match("Action for Race Equality and EQUAL have written to the Home Secretary, Priti Patel.", q, "who")
    assert slot_match("Suella Braverman replaced Priti Patel as Home Secretary.", q, "who")
    assert engine.ask(q).abstained
    q = "What was the name of the teacher who called the police in the Child Q case?"
    assert not slot_match("Hundreds protested in Hackney after the Child Q incident came to light.", q, "name")
    assert engine.ask(q).abstained


def test_when_it_became_public_is_when_it_came_to_light_not_when_it_happened(engine):
    a = engine.ask("when did the child q strip search actually become public?")
    assert "came to light in 2022" in a.answer
    _verbatim(engine, a)
    assert "2020" in engine.ask("when was child q strip searched?").answer


def test_who_to_get_in_touch_with_is_the_press_contact(engine):
    from retrieval.answer import _CONTACT_Q

    assert not _CONTACT_Q.search("which two people who died after contact with police are named?")
    a = engine.ask("who should journalists get in touch with about the letter to priti patel?")
    assert "Payal Bhavsar" in a.answer
    _verbatim(engine, a)


def test_follow_ups_keep_the_thing_asked_about_without_the_questions_own_words():
    letter = Turn("what was the open letter to Rowley about?", "It criticised the plan. [1]")
    assert resolve("who signed it?", [letter]) == "who signed the open letter to Rowley?"
    asks = Turn("what does the 2022 letter to priti patel ask for?", "A say in recruitment. [1]")
    assert resolve("who wrote it?", [asks]) == "who wrote the 2022 letter to priti patel?"
    launch = Turn("who launched the race action plan?", "Commissioner Sir Mark Rowley launched it. [1]")
    assert "Rowley" not in resolve("when was that?", [launch]) and "launched" in resolve("when was that?", [launch])
    groups = Turn("which groups wrote to Rowley?", "Groups such as Inquest and StopWatch signed it. [1]")
    assert "Rowley" not in resolve("what did they criticise?", [groups])
    deaths = Turn("what did the iopc report say about deaths in custody?", "The IOPC said so. [1]")
    resolved = resolve("how many died?", [deaths])
    assert "deaths" in resolved and "custody" in resolved


def test_what_a_kind_of_people_do_is_told_where_they_are_named(engine):
    from retrieval.answer import _DOER_Q

    assert _DOER_Q.search("what do victims stop doing?").group(1) == "victims"
    assert _DOER_Q.search("What did Baroness Casey's review say?") is None  # a name, not a kind of people
    a = engine.ask("2022 letter says low trust has knock-on effects - what do victims stop doing?")
    assert "victims do not report crimes" in a.answer
    _verbatim(engine, a)


def test_pronouns_pick_the_right_person_or_body():
    from retrieval.answer import ABSTAIN_TEXT

    deaths = Turn("The IOPC custody deaths report mentions Chris Kaba - how did he die?",
                  "The 23 deaths include Chris Kaba, who was shot, and Oladeji Omishore, who fell into the Thames. "
                  "[1] Inquest spokeswoman Lucy McKay said so. [2]")
    assert resolve("who's the other one named?", [deaths]) == "who's Oladeji Omishore named?"
    rowley = Turn("Which incidents did the letter to Sir Mark Rowley highlight?",
                  "The letter to Commissioner Sir Mark Rowley highlights an arrest in Croydon. [1]")
    assert resolve("what was she accused of?", [rowley]).startswith("what was she accused of?")  # "Sir ...": a man
    signed = Turn("Who signed the 2022 open letter to the Home Secretary?",
                  "Action for Race Equality, EQUAL and the Criminal Justice Alliance wrote to the Home Secretary, "
                  "Priti Patel. [1]")
    resolved = resolve("which of them has a super-complaint?", [signed])
    assert "Action for Race Equality" in resolved and "letter" not in resolved and "Patel" not in resolved
    coordinated = Turn("Who coordinated the open letter criticising the plan?",
                       "A letter to Commissioner Sir Mark Rowley co-ordinated by the Runnymede Trust. [1]")
    assert "Runnymede Trust" in resolve("who from their side was quoted?", [coordinated])
    # after a refusal, "she" is someone the conversation named before it
    begum = Turn("Who is Shabna Begum?", "Dr Shabna Begum, the interim co-chief executive of the Runnymede Trust. [1]")
    refused = Turn("what is her salary?", ABSTAIN_TEXT + " The nearest passages are in ...")
    assert "Shabna Begum" in resolve("what did she say about the plan?", [begum, refused])


def test_when_a_review_an_article_tells_of_was_published_is_not_the_articles_date(engine):
    from retrieval.about import about_field

    q = ("In the July 2023 coverage of the race campaigners' letter, when is Baroness Casey's review into the "
         "Metropolitan Police said to have been published?")
    assert about_field(q) is None
    assert about_field("When was the open letter to Priti Patel published?") == "date"
    assert "March 2023" in engine.ask(q).answer


def test_the_post_someone_holds_is_not_a_posting(engine):
    from retrieval.about import about_field

    q = "On what date did Sir Mark Rowley formally take up the post of Met Commissioner?"
    assert about_field(q) is None and about_field("What date was the blog post published?") == "date"
    assert engine.ask(q).abstained  # not the dateline of an article about him


def test_which_home_secretary_wants_a_person_named_as_one(engine):
    from retrieval.questions import question_kind

    q = ("To which Home Secretary did Action for Race Equality, EQUAL and the Criminal Justice Alliance address "
         "their April 2022 open letter on recruiting the new Commissioner?")
    assert question_kind(q) == "who"
    assert "Priti Patel" in engine.ask(q).answer


def test_what_a_review_found_is_a_sentence_saying_what_it_found_not_naming_its_finding(engine):
    a = engine.ask("what did the Casey review find the Met was? all of it")
    assert "racist, sexist and homophobic" in a.answer
    _verbatim(engine, a)


def test_the_group_asked_about_is_in_the_question_not_its_opening_clause(engine):
    from retrieval.questions import asked_agent

    q = ("Alongside the rise for black officers from 68% to 75%, what promotion pass rate did white officers "
         "achieve in the Met's promotion workshops over the same period?")
    assert engine.ask(q).abstained
    # "did Sir Mark Rowley personally say ...": an adverb between the person and the verb
    assert asked_agent("What did Sir Mark Rowley personally say in reply?")[1] == "say"


def test_a_number_inside_a_year_of_the_question_is_not_given_by_it():
    from retrieval.slots import slot_match

    q = "How many deaths in or following police custody did the IOPC report in the 2023 coverage?"
    assert slot_match("The 23 deaths are the highest since 2017-18, the watchdog said.", q, "count")
    assert not slot_match("The 23 deaths are the highest since 2017-18.", "Why were the 23 deaths the highest?", "count")


def test_how_many_died_is_counted_in_deaths_and_a_rise_in_the_number_is_not_a_count(engine):
    from retrieval.questions import question_kind

    a = engine.ask("how many ppl died in or after police custody in that iopc report")
    assert not a.abstained and "23" in a.answer
    assert question_kind("How did the watchdog characterise the rise in the number of people dying?") == "other"
    assert question_kind("What was the number of deaths?") == "count"
    b = engine.ask("How did the second one die?", history=["Which people who died in custody are named?"])
    assert "Thames" in b.answer or "tasered" in b.answer


def test_he_and_it_in_one_follow_up_are_the_person_and_the_topic(engine):
    last = Turn("What did Sir Mark Rowley say about using the term institutional racism after the Casey report?",
                "Sir Mark said he would not use the term “institutional”. [1]")
    resolved = resolve("why did he avoid it?", [last])
    assert "Rowley" in resolved and "institutional" in resolved
    a = engine.ask("why did he avoid it?", history=[last.question])
    assert "unambiguous" in a.answer


def test_a_person_named_after_their_body_and_post_is_the_one_asked_about(engine):
    from retrieval.questions import asked_agent

    named, verb = asked_agent("What view did Inquest spokeswoman Lucy McKay express about the plan?")
    assert named.search("Lucy McKay said") and not named.search("Inquest said") and verb == "express"
    # she speaks of deaths in custody, never of the New Met for London plan
    assert engine.ask("What view did Inquest spokeswoman Lucy McKay express about the New Met for London plan "
                      "and its expansion of neighbourhood police officers?").abstained


def test_who_spoke_for_a_body_wants_someone_quoted_not_a_signatory():
    from retrieval.slots import slot_match

    q = "Who spoke for the Runnymede Trust about the plan?"
    assert slot_match("“Our communities face punitive policing,” Dr Shabna Begum, the interim co-chief executive of "
                      "the Runnymede Trust, was quoted as saying.", q, "who")
    assert not slot_match("Groups such as Inquest, and individuals such as Simon Woolley, have signed the letter which "
                          "was coordinated by the Runnymede Trust.", q, "who")


def test_which_commission_wants_a_body_named_as_one(engine):
    from retrieval.questions import question_kind
    from retrieval.slots import slot_match

    q = "The 2022 letter quotes the government's response to which commission?"
    assert question_kind(q) == "who"
    assert slot_match("As the government stated in their response to the Commission on Race and Ethnic Disparities.",
                      q, "who")
    assert not slot_match("Three charities wrote to the Home Secretary on recruiting the new Metropolitan Police "
                          "Commissioner.", q, "who")  # a commissioner is not a commission


def test_follow_ups_about_another_group_the_people_involved_and_a_reply(engine):
    pass_rate = Turn("What promotion pass rate did black officers reach after the workshops?",
                     "Pass rates for black officers rose from 68% to 75%. [1]")
    assert resolve("What about Asian officers?", [pass_rate]) == \
        "What promotion pass rate did Asian officers reach after the workshops?"
    assert engine.ask("What about Asian officers?", history=[pass_rate.question]).abstained
    croydon = Turn("What incident in Croydon did the letter to Sir Mark Rowley mention?",
                   "A black woman was arrested in Croydon in front of her young son. [1]")
    assert "Croydon" in resolve("Were the officers involved disciplined?", [croydon])
    assert engine.ask("Were the officers involved disciplined?", history=[croydon.question]).abstained
    assert engine.ask("Did she ever write back to them?",
                      history=["Who was the 2022 open letter about recruiting the new commissioner addressed to?"]).abstained


@pytest.mark.parametrize("claim", [
    "Is it true that the Met sacked officers over the Child Q strip search?",
    "Is it true that Sir Mark Rowley took up the post of commissioner in September 2022?",
    "Did Lucy McKay really call the New Met for London plan a 'missed opportunity'?",
])
def test_a_claim_to_check_that_no_sentence_supports_is_refused(engine, claim):
    assert engine.ask(claim).abstained


@pytest.mark.parametrize("claim, says", [
    ("Is it true that two Met constables were sacked in October 2023?", "sacked in October 2023"),
    ("Is it true that Child Q was strip searched in 2020?", "2020"),
    ("Is it true that the open letter criticising the New Met for London plan was coordinated by the Runnymede Trust?",
     "Runnymede Trust"),
])
def test_a_claim_a_sentence_supports_is_answered_with_it(engine, claim, says):
    a = engine.ask(claim)
    assert not a.abstained and says in a.answer


def test_who_at_a_body_was_quoted_and_it_after_the_name_of_a_plan(engine):
    a = engine.ask("What did she say our communities face?",
                   history=["Who at the Runnymede Trust was quoted by The Guardian about the New Met for London plan?"])
    assert "punitive and punishing policing" in a.answer
    b = engine.ask("and what did she say the investigations turn up?",
                   history=["what did the iopc say about deaths in custody?", "who from inquest commented on it?"])
    assert "institutional racism" in b.answer
    plan = Turn("What is the name of the Met's plan to rebuild trust with black Londoners?", "The Race Action Plan. [1]")
    assert "name of" not in resolve("How often will progress on it be reported?", [plan])
    assert "twice a year" in engine.ask("How often will progress on it be reported?", history=[plan.question]).answer


def test_a_count_for_a_year_is_not_the_count_compared_with_it(engine):
    from retrieval.slots import slot_match

    q = "How many deaths in or following police custody were recorded in 2017-18?"
    assert not slot_match("The 23 deaths are the highest since 2017-18, the watchdog said.", q, "count")
    assert slot_match("In 2017-18 there were 23 deaths.", q, "count")
    assert engine.ask(q).abstained


def test_what_someone_wanted_is_answered_by_a_sentence_asking_for_it(engine):
    from retrieval.answer import _DEMAND, _DEMAND_Q

    assert _DEMAND_Q.search("what were they asking her to commit to?")
    assert _DEMAND_Q.search("where did the campaigners say the money should go?")
    assert _DEMAND_Q.search("What were the three charities asking Priti Patel for?")
    assert not _DEMAND_Q.search("What did the letter say about stop and search?")
    assert _DEMAND.search("Together, we are urging for a recruitment process that involves communities.")
    assert not _DEMAND.search("Today, three charities have written a joint open letter to the Home Secretary.")
    a = engine.ask("what were they asking her to commit to?",
                   history=["Who wrote to Priti Patel about hiring the next Met commissioner?"])
    assert "minority ethnic" in a.answer
    _verbatim(engine, a)


def test_pronouns_after_a_case_a_count_or_a_letter():
    case = Turn("What was the Child Q case?", "Child Q was strip searched at her school. [1]")
    assert resolve("Where did it happen?", [case]) == "Where did the Child Q case happen?"
    girl = Turn("What happened to the girl known as Child Q?", "She was strip searched. [1]")
    assert resolve("How old was she?", [girl]) == "How old was the girl known as Child Q?"
    count = Turn("How many Met constables were sacked over the stop of Bianca Williams?",
                 "Two Met constables were sacked in October 2023. [1]")
    assert resolve("what were their names?", [count]) == "what were the Met constables' names?"
    letter = Turn("What did the Runnymede-coordinated letter think of the New Met for London plan?",
                  "Sir Mark Rowley was told it was a missed opportunity, Simon Woolley signed. [1]")
    assert resolve("what did they want instead?", [letter]) == (
        "what did the Runnymede-coordinated letter want instead?")


def test_a_person_asked_about_is_not_found_in_the_title_of_their_review(engine):
    from retrieval.truecase import truecase

    assert truecase("what did baroness casey think", {"casey": "Casey"}) == "what did Baroness Casey think"
    assert truecase("is the baroness here", {}) == "is the baroness here"
    # the documents report the Casey review's findings, never what Baroness Casey made of the plan
    assert engine.ask("what did baroness casey think of the new met for london plan?").abstained


def test_who_is_a_named_person_wants_what_they_are(engine):
    from retrieval.slots import slot_match

    q = "who is Dr Shabna Begum?"
    assert slot_match("Dr Shabna Begum, the interim co-chief executive of the Runnymede Trust, said so.", q, "who")
    assert not slot_match("Dr Shabna Begum said so.", q, "who")
    a = engine.ask("who's she?", history=["who said we're at an 'absolute crisis point' over how black communities "
                                          "are policed?"])
    assert "Runnymede" in a.answer and not a.abstained


def test_the_other_holder_of_a_post_is_not_the_one_the_question_names(engine):
    assert engine.ask("who's the other co-chief exec at runnymede, not begum").abstained


def test_a_date_after_since_does_not_date_the_event_asked_about(engine):
    from retrieval.slots import slot_match

    text = "The 23 deaths are the highest since 2017-18 and include Chris Kaba, who was shot by a Met officer."
    assert not slot_match(text, "When was Chris Kaba shot?", "when")
    assert slot_match(text, "Since when is the toll this high?", "when")
    assert engine.ask("When was Chris Kaba shot?").abstained


def test_why_is_answered_by_a_sentence_giving_a_reason(engine):
    from retrieval.answer import _REASON, _WHY_Q

    assert _WHY_Q.search("How did the Met commissioner justify not describing the force as institutionally racist?")
    assert _WHY_Q.search("what was his reason")
    assert _REASON.search("Sir Mark said he would not use the term and said he needed to use plain language.")
    assert not _REASON.search("The 23 deaths are the highest since 2017-18.")
    a = engine.ask("Why did the Met chief say he wasn't going to describe the force as institutionally racist after "
                   "the Casey report came out?")
    assert "unambiguous" in a.answer and "apolitical" in a.answer
    _verbatim(engine, a)


def test_an_overview_of_a_named_plan_keeps_to_documents_naming_it(engine):
    a = engine.ask("Give me an overview of the Met's Race Action Plan.")
    assert "stop and search charter" in a.answer and "black victims" in a.answer
    assert all(c.doc_id.startswith("003") for c in a.citations)  # only that report names the plan
    _verbatim(engine, a)


def test_who_speaks_inside_a_long_quotation_and_through_a_review():
    from retrieval.neighbours import quotation_lead
    from retrieval.slots import work_speaks

    text = "Jeremy Crook, Vice Chair of EQUAL said:\n\n“The next Commissioner must rebuild trust. This means rejecting excuses.”"
    assert "Jeremy Crook" in quotation_lead(text, text.index("This means"))
    assert quotation_lead(text, text.index("Jeremy")) == ""
    named = re.compile(r"\bCasey\b")
    doc = "The Casey review found the Met institutionally racist. The review called for a fundamental reset."
    assert work_speaks(doc, "The review called for a fundamental reset.", named)
    assert not work_speaks("A review called for it.", "The review called for it.", named)


def test_the_incident_and_her_are_what_the_last_turn_named():
    child = Turn("In which year did the strip search of the child known as Child Q take place?", "In 2020. [1]")
    assert "strip search" in resolve("And when did the incident become public knowledge?", [child])
    patel = Turn("Who was the Home Secretary that the three charities wrote to in 2022?",
                 "… the Home Secretary, Priti Patel, on the recruitment … [1]")
    assert resolve("What were they asking her for?", [patel]) == "What were the three charities asking Priti Patel for?"


def test_a_question_about_what_the_met_accepts_is_not_refused_for_want_of_a_met_quote(engine):
    a = engine.ask("Does the Met actually accept what the Casey review said about it being institutionally racist?")
    assert not a.abstained and "Casey" in a.answer


def test_a_letters_first_sentence_does_not_answer_what_the_letter_says(engine, monkeypatch):
    question = ("According to the joint letter to the Home Secretary, what practice do many organisations now "
                "follow when appointing to senior positions?")
    assert "users of their services" in engine.ask(question).answer
    # the first sentence scores well below the answering one: within the close margin, it is not quoted
    monkeypatch.setattr(engine.answerer.settings, "answer_open_margin", engine.answerer.settings.answer_margin)
    a = engine.ask(question)
    assert "users of their services" in a.answer and "Today, Action for Race Equality" not in a.answer
    # ... but it still says who wrote the letter, and "did the IOPC report" is a verb, not a report
    assert "Action for Race Equality" in engine.ask("Which organisations wrote the joint 2022 open letter to "
                                                    "Priti Patel?").answer
    assert "23" in engine.ask("how many deaths in police custody did the iopc report").answer


def test_the_word_for_what_is_asked_is_matched_as_a_word_not_a_stem(engine):
    a = engine.ask("What position does Jeremy Crook hold, as stated in the Action for Race Equality statement?")
    assert "Vice Chair of EQUAL" in a.answer  # not "a bold vision for positive change"
    _verbatim(engine, a)


def test_a_figure_for_another_group_does_not_answer_for_the_group_asked_about(engine):
    from retrieval.refusals import about_another_group

    assert engine.ask("What change in promotion pass rates for Asian officers does the Metropolitan Police report "
                      "since 2021?").abstained
    a = engine.ask("What change in promotion pass rates for black officers does the Met report since 2021?")
    assert "68%" in a.answer and "75%" in a.answer
    assert not about_another_group([], "pass rates for Asian officers?")


def test_a_typed_question_with_no_fitting_sentence_in_the_best_passages_reads_the_rest(engine):
    a = engine.ask("How often will the public be told how the Met's race plan is getting on?")
    assert "twice a year" in a.answer
    _verbatim(engine, a)


def test_the_sentence_going_on_about_the_scene_the_question_describes_joins_it(engine):
    a = engine.ask("What was the woman who was arrested in front of her little boy wrongly said to have done?")
    assert "bus fare" in a.answer
    _verbatim(engine, a)


def test_time_fillers_are_dropped():
    from retrieval.textutil import in_plain_words

    assert in_plain_words("And who is running that organisation at the moment?") == "And who is running that organisation?"
    assert in_plain_words("who runs it right now") == "who runs it"


def test_them_its_and_the_incident_in_follow_ups():
    deaths = Turn("What did the Independent Office for Police Conduct report about deaths in or following police custody?",
                  "The letter highlights an IOPC investigation. [1]")
    assert resolve("Which individuals does the article name among them?", [deaths]) == (
        "Which individuals does the article name among the deaths?")
    begum = Turn("What did Dr Shabna Begum say about the New Met for London plan?", "It lacks direction. [1]")
    q = "And what did the Met's press statement concede regarding the effect of its tactics?"
    assert resolve(q, [begum]) == q  # "its" is the Met's, named in the question
    child = Turn("In which year did the strip search of the child known as Child Q take place?", "In 2020. [1]")
    assert "Child Q" in resolve("And when did the incident become public?", [child])


def test_a_pages_dateline_and_a_neighbouring_name_are_not_what_is_asked(engine):
    from retrieval.questions import holds_post
    from retrieval.slots import slot_match

    q = "On what date did the Criminal Justice Alliance lodge its super-complaint?"
    assert not slot_match("Published on:\n\n28/04/2022", q, "when")
    assert engine.ask("When was the 2022 letter to the Home Secretary published?").answer.endswith("28/04/2022 [1]")
    assert not holds_post("Chris Kaba, who was shot by a Met officer — and Oladeji Omishore, who fell", "Oladeji Omishore",
                          "office")
    assert holds_post("the Met commissioner, Sir Mark Rowley, said", "Sir Mark Rowley", "commis")
    assert engine.ask("On what date did the Criminal Justice Alliance lodge its super-complaint on Section 60 stop "
                      "and search?").abstained
    assert engine.ask("Who was the officer who shot Chris Kaba, and what was the outcome of any proceedings against "
                      "them?").abstained


@pytest.mark.parametrize("question", [
    "What did Jeremy Crook say about facial recognition?",
    "What did Lucy McKay say about the New Met for London plan?",
    "How long did the Casey review take?",
    "What is the name of the Runnymede Trust's other co-chief executive?",
])
def test_near_misses_on_who_said_what_how_long_and_the_other_one_are_refused(engine, question):
    assert engine.ask(question).abstained


def test_what_a_person_said_about_a_topic_they_do_speak_of_is_answered(engine):
    a = engine.ask("What did Shabna Begum say about the New Met for London plan?")
    assert not a.abstained and "disappointment" in a.answer


def test_which_candidate_wants_a_person_named_as_one(engine):
    from retrieval.questions import question_kind
    from retrieval.slots import slot_match

    q = "Which candidate did the three charities recommend for Met Commissioner?"
    assert question_kind(q) == "who"
    assert not slot_match("They wrote to the Home Secretary, Priti Patel, about the recruitment.", q, "who")
    assert slot_match("They backed the candidate Jane Doe for the post.", q, "who")
    assert engine.ask("Which candidate did Action for Race Equality, EQUAL and the Criminal Justice Alliance "
                      "recommend for Met Commissioner?").abstained


def test_who_chairs_wants_the_chair_not_the_vice_chair(engine):
    assert engine.ask("Who chairs EQUAL?").abstained  # the documents name only its vice chair
    assert "Rowley" in engine.ask("who heads the met?").answer


def test_the_source_a_question_names_weighs_less_than_what_it_asks(engine):
    from retrieval.answer import _SOURCE_CLAUSE

    q = "According to the report of the letter co-ordinated by the Runnymede Trust, how many officers move?"
    assert _SOURCE_CLAUSE.sub("", q).strip() == "how many officers move?"
    assert _SOURCE_CLAUSE.sub("", "What did they find, according to the Guardian?").strip() == "What did they find?"
    a = engine.ask("According to the report of the letter co-ordinated by the Runnymede Trust, how many officers are "
                   "moving from central to local teams?")
    assert "240" in a.answer
    # ("transferred", a word no document uses, leaves it unsure; it is no longer answered by a false
    # disagreement between "moving 240 officers" and "26 racial justice organisations")
    a = engine.ask("According to the report of the letter co-ordinated by the Runnymede Trust, how many officers are "
                   "to be transferred from central to local teams under the New Met for London plan?")
    assert "disagree" not in a.answer


def test_a_phone_number_or_email_is_not_answered_by_a_name(engine):
    from retrieval.questions import DETAIL_Q

    a = engine.ask("What's the phone number or email address for Payal Bhavsar at Action for Race Equality?")
    assert a.abstained  # the letter names its press contact but gives no number or address
    assert not engine.ask("Who is the press contact for the letter to the Home Secretary?").abstained
    assert not DETAIL_Q.search("what email did they send?")  # an email sent, not an address asked for
    # the charity number is in the page's footer: that line answers, not a sentence naming the charity
    assert engine.ask("What is Action for Race Equality's registered charity number?").answer.startswith(
        "Registered Charity No 1056043")


def test_the_one_a_letter_is_written_to_is_not_who_he_is(engine):
    q = "Which individual, rather than organisation, is named as a signatory of the letter in the 2025 report?"
    turn = Turn(q, "In an open letter addressed to Met commissioner, Sir Mark Rowley, they criticised the plan. [1] "
                   "Groups such as Inquest, and individuals such as Simon Woolley, have signed the letter. [2]")
    assert resolve("what did he used to run?", [turn]) == "what did Simon Woolley used to run?"
    # "signatory" is answered by who "signed": the signatory sentence is the best one
    a = engine.ask(q)
    assert "Simon Woolley" in a.answer
    assert "Operation Black Vote" in engine.ask("what did he used to run?", history=[q]).answer


def test_a_follow_up_to_a_follow_up_resolves_against_what_the_last_one_meant():
    first = Turn("what did the IOPC say about deaths in police custody?", "The 23 deaths are the highest ... [1]")
    second = Turn("how many deaths was that?", "The 23 deaths are the highest since 2017-18 ... [1]")
    resolved = resolve("which people did it name?", [first, second])
    assert "IOPC" in resolved and "Met" not in resolved


def test_what_someone_wanted_done_is_found_where_it_is_done_not_only_asked_for(engine):
    a = engine.ask("What explanation for police misconduct did the EQUAL vice chair want the incoming police chief to reject?")
    assert "bad apples" in a.answer
    from retrieval.answer import _WANTED_ACT
    assert _WANTED_ACT.search("did they want the Met to reject it?").group(1) == "reject"
    assert not _WANTED_ACT.search("what did they want the money to be spent on?")


def test_what_reason_did_he_give_wants_a_reason(engine):
    a = engine.ask("What reason did Sir Mark Rowley give for not using the term institutional racism?")
    assert a.citations[0].quote.startswith("Following the report in March") and len(a.citations) == 1


def test_a_two_word_phrase_is_a_quoted_phrase_of_two_words(engine):
    from retrieval.answer import _quotes_phrase

    a = engine.ask("What two-word phrase did the campaigners use to describe the New Met for London plan?")
    assert "missed opportunity" in a.answer.split("[1]")[0]
    assert _quotes_phrase("a “missed opportunity” to do things", 2)
    assert not _quotes_phrase("the “continued refusal to acknowledge the institutional nature”", 2)


def test_according_to_someone_is_them_speaking_not_written_to(engine):
    from retrieval.slots import _ADDRESSEE, agent_speaks

    named = re.compile(r"\b(?:Mark|Rowley)\b")
    assert agent_speaks("The aim is for the Met to become “a truly anti-racist and inclusive organisation”, according to Sir Mark.", named)
    assert _ADDRESSEE.search("an open letter to Sir ") and not _ADDRESSEE.search("organisation”, according to Sir ")
    # "what kind of organisation ...?" wants one described, not named
    a = engine.ask("What kind of organisation does Sir Mark Rowley say the Race Action Plan aims for the Met to become?")
    assert "anti-racist" in a.answer


def test_what_someone_said_in_reply_needs_them_to_respond(engine):
    q = "What did Sir Mark Rowley personally say in reply to the Runnymede Trust-coordinated open letter?"
    assert engine.ask(q).abstained  # the letter was written to him; the documents carry no reply of his
    assert not engine.ask("What did Sir Mark Rowley say about the Race Action Plan?").abstained
    # he speaks in the documents, but never in reply to the letter
    assert engine.ask("What exactly did Sir Mark Rowley personally say in reply to the letter from the 26 groups?").abstained
    assert engine.ask("what did priti patel say back to the ARE letter?").abstained  # written to, never replying


def test_which_things_did_it_name_keeps_the_subject_of_the_last_question(engine):
    last = Turn("what did the runnymede letter want done about police databases and surveillance tech?",
                "The letter demanded an equalities impact assessment ... [1]")
    resolved = resolve("which specific systems did it mention?", [last])
    assert "databases" in resolved and "surveillance" in resolved
    assert resolve("when did it come out?", [Turn("What did the Casey review find about the Met?", "...")]) == (
        "when did the Casey review come out?")  # a date asked: no topic words to lead it astray
    a = engine.ask("which specific systems did it mention?", history=[last.question])
    assert "facial recognition" in a.answer


def test_a_list_one_sentence_gives_confidently_stands_mostly_alone(engine):
    q = "Which athletes were at the centre of the stop and search tensions mentioned in the Race Action Plan coverage?"
    a = engine.ask(q)
    assert "Bianca Williams" in a.answer and "step in the right direction" not in a.answer
    b = engine.ask("what nationality is he?", history=[q, "who was the male one?"])
    assert "Portuguese" in b.answer


def test_a_lists_further_sentences_share_a_word_with_the_question(engine):
    a = engine.ask("Who signed the Runnymede-coordinated letter? Give me the groups and any named individuals.")
    assert "Simon Woolley" in a.answer and "The Casey review found" not in a.answer
    _verbatim(engine, a)
    # (the sentence after the signatories, which names none of them, had scored within the list's margin)


def test_the_2022_letter_is_the_letter_dated_2022(engine):
    a = engine.ask("who was it sent to?", history=[
        "In the 2022 letter about picking the new Met Commissioner, what does the CJA super-complaint say happens?"])
    assert "Priti Patel" in a.answer
    # "the 2023 letter" is known from reports of it, dated otherwise: no document is preferred for it
    b = engine.ask("Which organisation coordinated the 2023 open letter to Commissioner Sir Mark Rowley?")
    assert "Runnymede" in b.answer
    # ... and the letter dated 2022 is not it: "who wrote the 2023 letter?" is not answered with its writers
    c = engine.ask("who wrote the 2023 letter?")
    assert not c.abstained and "Thirty of London’s most established" in c.answer
    assert "Action for Race Equality, EQUAL and the Criminal Justice Alliance have written" not in c.answer
    _verbatim(engine, c)


def test_a_verbless_fragment_after_the_best_sentence_finishes_it(engine):
    from retrieval.answer import _fragment

    assert _fragment("Increasing the presence and powers of any institution without addressing its fundamental "
                     "issues as ‘clearly not [being] the solution’ adding that it ‘will only have adverse effects’.")
    assert not _fragment("Commenting on this vital opportunity, Jeremy Crook, OBE, Vice Chair of EQUAL said:")
    a = engine.ask("Why did the letter object to putting more community support officers on London's streets?")
    assert "adverse effects" in a.answer
    # the fragment is part of the best sentence: a runner-up still has its place
    b = engine.ask("Which specific policing practices does the joint letter to the Home Secretary say must be tackled "
                   "in order to reduce racial inequality?")
    assert "facial recognition" in b.answer


def test_a_justification_asked_for_is_found_as_an_excuse(engine):
    from retrieval.questions import asked_focus

    q = "Which familiar justification for officer wrongdoing did EQUAL's Jeremy Crook say the incoming Commissioner must stop relying on?"
    assert asked_focus(q) == "justification"
    assert "bad apples" in engine.ask(q).answer


def test_what_action_was_taken_against_someone_needs_that_action_reported_of_them(engine):
    from retrieval.questions import asked_event

    assert "sacked" in asked_event("What disciplinary action was taken against the officers who searched Child Q?")
    # the constables sacked were those who stopped the athletes; nothing is told of Child Q's searchers
    assert engine.ask("What disciplinary action was taken against the officers who searched Child Q?").abstained
    a = engine.ask("What action was taken against the officers who stopped Bianca Williams?")
    assert "sacked" in a.answer


def test_an_exact_day_asked_for_needs_a_date_the_question_does_not_give(engine):
    from retrieval.questions import question_kind

    assert question_kind("What exact day in March 2023 was the Casey review published?") == "when"
    # the documents give only "published in March 2023": no day, so refused
    assert engine.ask("What exact day in March 2023 was the Casey review published?").abstained
    a = engine.ask("On what exact date was the open letter to the Home Secretary published?")
    assert not a.abstained and "2022" in a.answer


def test_a_question_word_with_its_contraction_is_not_a_name(engine):
    from retrieval.textutil import proper_names

    assert proper_names("What's in the Met's Race Action Plan?") == ["Met's Race Action Plan"]
    # so "they" is not resolved to "... and What's", and the follow-up finds the frequency
    a = engine.ask("How often are they going to report back on how it's going?", history=["What's in the Met's Race Action Plan?"])
    assert "twice a year" in a.answer


def test_a_person_named_as_the_source_is_the_one_quoted(engine):
    from retrieval.questions import source_person

    assert source_person("According to Sir Mark Rowley, what will rebuild trust in the Met?").group("agent") == "Sir Mark Rowley"
    assert source_person("According to the Guardian, how many groups signed?") is None  # a paper says where to look
    # his words inside a quotation that opened a paragraph earlier ("He said: “... \n\n“Action, not words ...”")
    assert "Action, not words" in engine.ask("According to Sir Mark Rowley, what will rebuild trust in the Met?").answer


def test_they_is_the_body_the_last_question_asked_to_have_acted():
    last = Turn("How did the Met respond when the Guardian asked about the Runnymede letter?", "", [])
    assert resolve("Did they admit anything about their tactics?", [last]).startswith("Did the Met admit")
    # a body's letter is not the body: its writers speak through it
    letter = Turn("What did the Runnymede Trust's letter say about the plan?", "", [])
    assert "Runnymede Trust's want" not in resolve("what did they want instead?", [letter])


def test_ones_and_counts_and_subject_matter_resolve_against_the_last_question():
    def last(q):
        return [Turn(q, "", [])]

    assert resolve("and which ones are actually named?", last("how many groups signed the runnymede letter?")) \
        .startswith("and which groups are actually named?")
    assert resolve("how many was it?", last("what did the IOPC report say about deaths in custody?")) \
        .startswith("how many deaths was it?")
    # "what's it about?" asks what a document is about, even after "which organisation ...?"
    assert resolve("what's it about?", last("which organisation has the super-complaint the patel letter mentions?")) \
        == "what's the super-complaint about?"


def test_a_post_asked_for_is_not_its_deputy(engine):
    from retrieval.questions import asked_role, holds_post

    assert asked_role("who's the chair then?") == "chair"
    assert asked_role("who is the vice chair of equal?") == "vice chair"
    said = "Commenting on this vital opportunity, Jeremy Crook, OBE, Vice Chair of EQUAL said:"
    assert not holds_post(said, "Jeremy Crook", "chair") and holds_post(said, "Jeremy Crook", "vice chair")
    # the documents name EQUAL's vice chair, not its chair
    assert engine.ask("who's the chair then?", history=["who's the vice chair of equal quoted on the patel letter?"]).abstained


def test_what_about_a_new_topic_asks_the_last_question_of_it(engine):
    last = [Turn("what does the race action plan change about intimate searches of children?", "", [])]
    assert resolve("what about black victims of crime?", last) == \
        "what does the race action plan change about black victims of crime?"
    # "Other changes include improving how black victims of crime are treated." goes on to "The measures ..."
    a = engine.ask("what about black victims of crime?", history=[last[0].question])
    assert "imaging devices" in a.answer


def test_what_figure_another_source_gives_is_of_what_the_last_question_counted(engine):
    last = "how many racial justice orgs signed the letter in the pramod thomas article?"
    assert "signed" in resolve("and what figure does the £366m makeover piece give?", [Turn(last, "", [])])
    a = engine.ask("and what figure does the £366m makeover piece give?", history=[last])
    assert "Thirty" in a.answer


def test_a_count_narrowed_to_a_place_the_passage_never_names_is_refused(engine):
    # the IOPC's 23 deaths are a national count: nothing says how many were in the Met's area
    assert engine.ask("how many of them were in the met's area?",
                      history=["how many deaths in or after custody did the iopc count?"]).abstained
    assert "23" in engine.ask("how many deaths in or after custody did the iopc count?").answer
    # nor is a count of another time: nothing gives the year before's toll
    assert engine.ask("how many was it the year before?", history=["what did the watchdog say about custody deaths?"]).abstained


def test_what_a_body_said_is_not_someone_else_quoted_beside_it(engine):
    # "the watchdog said" is the IOPC's word; "Inquest spokeswoman Lucy McKay said" is not
    a = engine.ask("what did the watchdog say about deaths in custody last year?")
    assert "the watchdog said" in a.answer and "Lucy McKay" not in a.answer
    # and "it" in a follow-up is that body
    last = Turn("what did the watchdog say about deaths in custody last year?", a.answer, [])
    assert resolve("which names did it mention?", [last]) == "which names did the watchdog mention?"
    b = engine.ask("how did the second one die?", history=["what did the watchdog say about deaths in custody last year?",
                                                           "which names did it mention?"])
    assert "Thames" in b.answer


def test_an_amount_in_short_form_covers_the_amount_written_out(engine):
    # "£366m" in the question, "£366 million two-year" in the report
    a = engine.ask("the £366m thing - how long does it run for?")
    assert not a.abstained and "two-year" in a.answer


def test_when_was_that_after_who_wrote_is_when_the_letter_was_sent(engine):
    a = engine.ask("when was that?", history=["who wrote to the Home Sec about picking the new Met chief?"])
    assert "28/04/2022" in a.answer


def test_their_after_who_did_it_is_the_one_body_that_did(engine):
    answer = "In an open letter to Commissioner Sir Mark Rowley co-ordinated by the Runnymede Trust, groups including Inquest and Stopwatch hit out"
    last = Turn("who coordinated the letter to Rowley?", answer, [])
    assert resolve("what did their person say about how bad things have got?", [last]).startswith("what did Runnymede Trust's person")


def test_fed_into_is_asked_as_input(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("who fed into it?") == "who gave input into it?"
    a = engine.ask("who fed into it?", history=["what's in the Met's race action plan?"])
    assert "input from black communities" in a.answer


def test_what_a_plan_costs_asks_for_a_sum(engine):
    from retrieval.questions import question_kind

    assert question_kind("what does the race action plan cost?") == "count"
    assert question_kind("what's the race action plan costing?") == "count"
    # no sum is given for the Race Action Plan (the £366m is the New Met for London scheme's)
    assert engine.ask("what's the race action plan costing?").abstained


def test_a_number_that_names_something_is_not_a_count(engine):
    from retrieval.textutil import count_numbers

    assert count_numbers("Supercomplaint against Section 60 Stop and Search.") == []
    assert count_numbers("moving 240 officers") == [(240.0, 7, 10)]
    # "Section 60 Stop and Search" is not 60 stop and searches
    assert engine.ask("how many stop and searches did the Met do last year?").abstained


def test_chat_words_for_criticising_and_documents(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("how long is the reform doc Begum slagged off?") == (
        "how many pages is the reform document Begum criticised?")
    assert "80-page" in engine.ask("how long is the reform doc Begum slagged off?").answer


def test_a_figure_asked_of_a_year_the_passage_never_names_is_refused(engine):
    # the pass rates for black officers are given "since 2021": nothing gives 2017's
    assert engine.ask("what was the promotion pass rate for black officers in 2017?").abstained
    a = engine.ask("what was the promotion pass rate for black officers in 2021?")
    assert not a.abstained and "68%" in a.answer


def test_a_different_number_from_another_article_asks_the_count_again(engine):
    last = "how many groups signed the open letter to Rowley?"
    assert resolve("someone told me another article had a different figure - what was it?", [Turn(last, "", [])]) == last
    a = engine.ask("someone told me another article had a different figure - what was it?", history=[last])
    assert "26" in a.answer and "Thirty" in a.answer


def test_an_ad_is_an_advert_and_winning_back_is_rebuilding(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("what did the job ad say?") == "what did the job advert say?"
    assert "inspirational leadership" in engine.ask("what did the ad for the new commissioner ask for?").answer
    assert in_plain_words("what will win back trust?") == "what will rebuild trust?"
    assert in_plain_words("they're winning back confidence") == "they're rebuilding confidence"
    assert in_plain_words("has it won back trust?") == "has it rebuilt trust?"


def test_a_count_the_question_states_asks_for_the_other_sources_figure(engine):
    stated = "one report says 26 groups signed the open letter to Rowley - what figure does another source give?"
    assert restated_count(stated) == "how many groups signed the open letter to Rowley?"
    a = engine.ask(stated)
    assert "26" in a.answer and "Thirty" in a.answer
    # a figure stated without asking for another source's is left as asked
    assert restated_count("26 groups signed the letter: who coordinated it?") == "26 groups signed the letter: who coordinated it?"


def test_that_thing_the_last_question_told_of_keeps_its_topic(engine):
    last = Turn("What does the Race Action Plan report about promotion of black officers?",
                "Commissioner Sir Mark Rowley said “there remains a long way to go”. [1]")
    resolved = resolve("Since when is that improvement measured?", [last])
    assert "Rowley" not in resolved and "promotion" in resolved and "black officers" in resolved
    a = engine.ask("Since when is that improvement measured?", history=[last.question])
    assert not a.abstained and "2021" in a.answer
    # "that organisation" is still the one the last answer named; "that goes" is no noun
    runnymede = Turn("Who coordinated the letter to Rowley?", "It was co-ordinated by the Runnymede Trust. [1]")
    assert "Runnymede Trust" in resolve("who is running that organisation now?", [runnymede])
    costs = Turn("how much is the New Met for London scheme?", "The £366 million scheme [1]")
    assert "(" not in resolve("how much of that goes to neighbourhood policing?", [costs])


def test_asking_exactly_which_one_keeps_the_last_questions_topic():
    last = Turn("what's the CJA super-complaint about?", "It is about stop and search. [1]")
    assert resolve("which stop and search power exactly?", [last]) == "which stop and search power exactly? (CJA super-complaint)"


def test_contractions_and_fillers_are_not_words_the_documents_must_hold(engine):
    from retrieval.textutil import content_words

    assert content_words("did Rowley ever say he wouldn't call it racist?") == ["rowley", "call", "racist"]
    assert content_words("who is he exactly? they've said it's actually fine") == ["fine"]
    # "ever" and "wouldn't" are in no passage, but no question needs them to be
    assert engine.answerer.unknown_share(engine.loaded, "and when was that? (Rowley Met ever wouldn't call)") == 0.0


def test_who_said_a_quotation_quotes_the_line_naming_the_speaker(engine):
    a = engine.ask("Who said the next Commissioner must reject the 'few bad apples' excuse?")
    assert "Jeremy Crook" in a.answer and "few bad apples" in a.answer
    b = engine.ask("who is he exactly?", history=["Who said the next Commissioner must reject the 'few bad apples' excuse?"])
    assert not b.abstained and "Vice Chair of EQUAL" in b.answer


def test_a_bodys_spokesman_is_whoever_speaks_for_it(engine):
    # EQUAL has no "spokesman": its Vice Chair speaks for it
    a = engine.ask("what did the EQUAL spokesman say the next Commissioner must do?")
    assert not a.abstained and "rebuild" in a.answer
    from retrieval.questions import asked_agent

    equal, _verb = asked_agent("what did the EQUAL spokesman say?")
    assert equal.search("Jeremy Crook, OBE, Vice Chair of EQUAL said:")
    # a Met spokesperson is not any sentence that mentions the Met
    met, _verb = asked_agent("what did a Met spokesperson say?")
    assert met.search("a Met spokesperson told The Guardian") and not met.search("the Met has refused to accept it")


def test_which_watchdog_or_organisation_wants_a_body_named():
    from retrieval.slots import slot_match

    q = "which watchdog reported the rise in deaths in custody?"
    # a body that oversees, or the one its report calls "the watchdog"; not a charity's spokeswoman
    assert slot_match("The 23 deaths are the highest since 2017-18, the watchdog said, and include Chris Kaba and "
                      "Oladeji Omishore, who fell into the Thames.", q, "who")
    assert slot_match("It comes as a report by the Independent Office for Police Conduct said today that the number "
                      "of deaths has risen.", q, "who")
    assert not slot_match("Inquest spokeswoman Lucy McKay said: “Inquests and investigations [into these deaths] uncover "
                          "issues of institutional racism.”", q, "who")
    assert slot_match("Inquest spokeswoman Lucy McKay said: “Inquests uncover issues.”",
                      "which organisation does Lucy McKay speak for?", "who")
    assert not slot_match("Thirty of London’s most established bodies have written an open letter.",
                          "which organisation coordinated the letter?", "who")


def test_who_a_plan_was_made_with_is_who_the_sentence_says_it_was_made_with(engine):
    from retrieval.slots import slot_match

    q = "who was the race action plan made with?"
    assert slot_match("The plans were made with input from black communities across London.", q, "who")
    assert not slot_match("Commissioner Sir Mark Rowley said the Race Action Plan was a step in the right direction.", q, "who")
    a = engine.ask("Who was it developed with?", history=["What does the Met's Race Action Plan include?"])
    assert "black communities" in a.answer and "black officers" in a.answer


def test_a_few_words_of_chat_before_the_question_and_a_trailing_when_keep_its_kind(engine):
    from retrieval.questions import question_kind

    assert question_kind("quick one - who coordinated the open letter to Mark Rowley?") == "who"
    assert question_kind("casey review came out when?") == "when"
    assert question_kind("sorry: when was the review published?") == "when"
    # a second question ending "since when?" is not the whole question's kind
    assert question_kind("Is that the worst figure for a while? Since when?") != "when"
    assert question_kind("Stop and search - what changed?") == "other"
    a = engine.ask("casey review came out when?")
    assert "March 2023" in a.answer and len(a.citations) == 1


def test_a_claim_to_check_gets_a_second_sentence_only_on_a_near_tie(engine):
    a = engine.ask("Is it true that the open letter criticising the New Met for London plan was coordinated by the Runnymede Trust?")
    assert "coordinated by the Runnymede Trust" in a.answer and len(a.citations) <= 2
    assert "£366 million" not in a.answer  # the plan's launch says nothing of who coordinated the letter


def test_how_many_without_a_counted_noun_counts_people_or_bodies(engine):
    from retrieval.slots import slot_match

    q = "how many signed the letter to Rowley?"
    assert slot_match("A group of 26 racial justice organisations has expressed disapproval of the Met.", q, "count")
    assert not slot_match("The 23 deaths are the highest since 2017-18.", q, "count")
    # a verb naming what is counted still counts it ("died": deaths)
    assert "23 deaths" in engine.ask("how many died in custody?").answer
    a = engine.ask(q)
    assert not a.abstained and ("Thirty" in a.answer or "26" in a.answer)
    b = engine.ask("how many were there?", history=["who signed the letter to Rowley?"])
    assert not b.abstained and ("Thirty" in b.answer or "26" in b.answer)


def test_who_did_it_names_the_group_and_they_are_then_that_group(engine):
    a = engine.ask("who criticised it?", history=["what is the New Met for London plan?"])
    # "..., they criticised the plan" is quoted with the sentence saying who "they" are
    assert "26 racial justice organisations" in a.answer and "they criticised" in a.answer
    last = Turn("who criticised it?", a.answer)
    resolved = resolve("what did they say?", [last])
    assert "the 26 racial justice organisations" in resolved and "Rowley" not in resolved
    # an answer naming a body, not counting a group, gives "they" its name
    assert "Runnymede Trust" in resolve("what did they say?",
                                        [Turn("who coordinated it?", "It was co-ordinated by the Runnymede Trust. [1]")])


def test_whether_the_met_accepted_a_finding_is_answered_from_sentences_naming_it_otherwise(engine):
    # "the Met" is "the Metropolitan Police Service" in the sentence that answers
    a = engine.ask("has the Met accepted it is institutionally racist?")
    assert not a.abstained and "without accepting Casey’s core finding" in a.answer


def test_the_officers_of_the_story_so_far_and_when_it_happened_to_them(engine):
    history = ["which athletes were stopped?"]
    a = engine.ask("what happened to the officers?", history=history)
    assert not a.abstained and "sacked in October 2023" in a.answer
    b = engine.ask("when?", history=history + ["what happened to the officers?"])
    assert not b.abstained and "October 2023" in b.answer
    # a question naming its own subject is left alone
    assert resolve("what happened to the officers at Hackney?", [Turn(history[0], a.answer)]) == \
        "what happened to the officers at Hackney?"


def test_on_a_near_tie_the_sentence_naming_who_leads(engine):
    a = engine.ask("who is the commissioner?")
    assert "Sir Mark Rowley" in a.citations[0].quote


def test_they_after_a_count_are_what_was_counted(engine):
    last = Turn("how many deaths in custody were there?", "The 23 deaths ... include Chris Kaba ... and Oladeji Omishore [1]")
    assert resolve("who counted them?", [last]) == "who counted the deaths?"
    a = engine.ask("who counted them?", history=[last.question])
    assert "Independent Office for Police Conduct" in a.answer


def test_a_speaker_the_documents_never_mention_has_said_nothing_in_them(engine):
    # "the mayor" appears in no document: the sentences criticising the plan are someone else's words
    for q in ("what did the mayor say about the new met plan?", "how did the mayor respond to the casey review?"):
        assert engine.ask(q).abstained, q
    # slang for someone the documents name otherwise is not an unknown speaker
    a = engine.ask("and did the boss accept it?", history=["what did the Casey review conclude about the Met?"])
    assert not a.abstained


def test_a_post_holder_named_only_as_the_one_written_to_has_said_nothing(engine):
    # the letter is to the Home Secretary; she says nothing in the documents
    assert engine.ask("what did the home secretary say about recruitment?").abstained
    a = engine.ask("what did the commissioner say about the race action plan?")
    assert not a.abstained and "step in the right direction" in a.answer


def test_who_made_a_work_is_the_owner_a_possessive_names(engine):
    from retrieval.answer import HEDGE_TEXT
    for q in ("who did the casey review?", "who wrote the casey review?", "who led the casey review?"):
        a = engine.ask(q)
        assert not a.abstained and "Baroness Casey’s Review" in a.answer, q
        assert "26 racial justice organisations" not in a.answer, q  # they criticised the Met over it
    a = engine.ask("who made the super-complaint?")
    assert not a.abstained and "CJA’s ongoing super-complaint" in a.answer
    assert not a.answer.startswith(HEDGE_TEXT)


def test_who_died_names_the_dead_not_the_one_who_spoke_of_them(engine):
    a = engine.ask("who died?", history=["how many deaths in custody last year?"])
    assert "Chris Kaba" in a.answer and "Lucy McKay" not in a.answer


def test_when_after_who_wrote_a_letter_is_the_letters_date(engine):
    a = engine.ask("when?", history=["who wrote to priti patel?"])
    assert not a.abstained and "28/04/2022" in a.answer
    assert a.citations[0].doc_id.startswith("004_")


def test_a_letter_sent_is_one_written_to_someone(engine):
    a = engine.ask("who was it sent to?", history=["what did the 2022 letter ask for?"])
    assert not a.abstained and "Priti Patel" in a.answer


def test_their_after_what_a_one_word_body_said_is_that_body():
    last = Turn("what did Inquest say?", "Inquest spokeswoman Lucy McKay said: “...” [1]")
    assert resolve("who is their spokesperson?", [last]) == "who is Inquest's spokesperson?"


def test_did_they_get_charged_asks_whether_the_act_happened(engine):
    # no document reports a charge over Child Q's search
    assert engine.ask("did any officers get charged over child q?").abstained
    a = engine.ask("did the officers who stopped bianca williams get sacked?")
    assert "sacked in October 2023" in a.answer


def test_a_count_of_a_group_is_not_given_by_a_count_of_others_in_it(engine):
    # "two black athletes" does not count black Londoners
    assert engine.ask("how many black londoners are stopped and searched?").abstained
    assert "two black athletes" in engine.ask("how many black athletes were stopped?").answer


def test_a_bodys_own_address_and_numbers_come_from_its_pages_footer(engine):
    assert "Pentonville Road" in engine.ask("where is ARE based?").answer
    assert engine.ask("what is ARE's charity number?").answer.startswith("Registered Charity No 1056043")
    assert engine.ask("what's the company registration number for ARE?").answer.startswith("Company registration No 03203812")
    # another body's address is not on that page, and a person's phone is not the charity's number
    assert engine.ask("where is the runnymede trust based?").abstained
    assert engine.ask("what's EQUAL's address?").abstained
    assert engine.ask("what's her email or phone number?", history=["who is payal bhavsar?"]).abstained


def test_and_about_a_new_topic_asks_the_last_question_of_it():
    last = Turn("what did the letter to Rowley say about PCSOs?", "The letter challenged ... [1]")
    assert resolve("and about trust?", [last]) == "what did the letter to Rowley say about trust?"


def test_is_it_one_count_or_another_asks_the_count(engine):
    assert restated_count("quick check - is it 26 or 30 groups that signed?") == "how many groups signed?"
    a = engine.ask("was it 26 or thirty organisations who signed the letter to rowley?")
    assert a.answer.startswith("The sources disagree:") and "26" in a.answer and "Thirty" in a.answer


def test_and_a_name_asks_the_last_question_of_that_one():
    last = Turn("what did Shabna Begum call the plan?", "x [1]")
    assert resolve("and Rowley?", [last]) == "what did Rowley call the plan?"
    assert resolve("and the IOPC?", [Turn("what did Inquest say about deaths?", "x [1]")]) == \
        "what did the IOPC say about deaths?"


def test_the_outcome_of_a_case_is_a_sentence_giving_one(engine):
    a = engine.ask("what was the outcome of the bianca williams case?")
    assert "sacked in October 2023" in a.answer


def test_what_the_met_said_is_its_spokespersons_words_not_what_was_said_of_it(engine):
    a = engine.ask("what did the met say about the 26 groups' letter?")
    assert a.answer.startswith("“The commissioner and senior officers recently met with the Runnymede Trust")
    a = engine.ask("how did the met respond to the letter?")
    assert "welcome further engagement" in a.answer and "they criticised" not in a.answer


def test_who_said_words_going_on_from_the_paragraph_before_names_the_speaker_there(engine):
    # "“Despite publishing an 80-page plan ...”" goes on with Dr Shabna Begum's words, attributed a paragraph before
    a = engine.ask("who said the plan fails to inspire confidence?")
    assert "Dr Shabna Begum" in a.answer and "Despite publishing an 80-page plan" in a.answer


def test_who_runs_a_body_now_is_not_its_former_chief(engine):
    assert engine.ask("who runs operation black vote now?").abstained
    a = engine.ask("who used to run operation black vote?")
    assert "Simon Woolley, the former chief executive of Operation Black Vote" in a.answer


def test_a_pages_published_on_line_tells_when_not_what_it_says(engine):
    a = engine.ask("what did the 2022 letter say about young people?")
    assert "Published on" not in a.answer


def test_what_the_met_said_about_a_topic_is_its_words_on_that_topic(engine):
    a = engine.ask("what has the met said about institutional racism?")
    assert a.answer.startswith("Following the report in March, Sir Mark said he would not use the term")
    # nothing the Met says is about Child Q or the IOPC's report: refused, not its words on other matters
    assert engine.ask("what did the met say about child q?").abstained
    assert engine.ask("what's the met's response to the iopc report?").abstained  # not "the report in March"
    assert not engine.ask("what did the met say about its tactics?").abstained


def test_who_complained_is_whose_complaint_it_is(engine):
    a = engine.ask("who complained about it?", history=["what's section 60?"])
    assert "Criminal Justice Alliance’s Supercomplaint" in a.answer


def test_who_wrote_a_work_is_answered_only_by_a_sentence_naming_that_work(engine):
    # the Race Action Plan's writers are not the writers of a letter ("have written a joint open letter")
    # it is the Met's: "The Metropolitan Police has set out plans ..."
    a = engine.ask("who wrote it?", history=["tell me about the race action plan", "when was it published?"])
    assert "Action for Race Equality" not in a.answer and "set out plans" in a.answer
    a = engine.ask("who wrote the race action plan?")
    assert "Action for Race Equality" not in a.answer and "set out plans" in a.answer


def test_where_someone_fell_into_a_river_is_where(engine):
    a = engine.ask("where?", history=["what happened to oladeji omishore?"])
    assert not a.abstained and "Thames" in a.answer


def test_sources_counting_apart_are_found_among_all_retrieved_passages(engine):
    # "26" is in the tenth passage retrieved, "Thirty" in the eighth: past the passages an answer is drawn from
    a = engine.ask("how many organisations signed the letter?")
    assert a.answer.startswith("The sources disagree:") and "26" in a.answer and "Thirty" in a.answer
    a = engine.ask("do the reports agree on how many organisations signed the letter?")
    assert a.answer.startswith("The sources disagree:")
    assert restated_count("do the 2023 and 2025 articles agree on the number of groups?") == "how many groups?"


def test_a_speaker_typed_without_capitals_or_article_that_no_document_names_is_refused(engine):
    for q in ("what did sadiq khan say about the plan?", "did greater manchester police respond?"):
        assert engine.ask(q).abstained, q
    assert not engine.ask("what did the racial justice groups say?").abstained


def test_a_thing_of_someones_that_no_document_mentions_is_refused(engine):
    for q in ("what's rowley's salary?", "what is the salary of the commissioner?"):
        assert engine.ask(q).abstained, q
    # asking what they think, or a figure the documents give without the word, is not refused for it
    assert not engine.ask("what's rowley's view?").abstained
    assert not engine.ask("what's the plan's cost?").abstained


def test_how_many_were_is_not_counted_by_any_sentence_with_were():
    from retrieval.slots import slot_match
    # "Two Met constables were sacked" counts constables, not people stopped and searched
    assert not slot_match("Two Met constables were sacked in October 2023.", "how many people were stopped and searched?", "count")
    assert slot_match("Two Met constables were sacked in October 2023.", "how many were sacked?", "count")


def test_a_total_is_not_given_by_a_count_of_some_acted_on(engine):
    # "moving 240 officers from central to local teams" is not how many officers the Met has
    for q in ("how many officers does the met have?", "how many officers are there in the met?"):
        assert engine.ask(q).abstained, q
    assert "240 officers" in engine.ask("how many officers does the plan move?").answer


def test_charged_with_being_in_denial_is_a_reproach_not_a_criminal_charge(engine):
    from retrieval.slots import reports_event
    assert not reports_event("The letter effectively charged the Commissioner with being in denial.", ["charged"])
    assert reports_event("The officer was charged with murder.", ["charged"])
    a = engine.ask("was the officer charged?", history=["what happened to chris kaba?", "who shot him?"])
    assert a.abstained


def test_who_heads_a_body_is_whoever_holds_its_leading_post(engine):
    # the Met's head is its commissioner; a charity's, its chief executive, by whatever words are typed
    for q in ("who is the head of the met?", "who runs the met?", "who's in charge of the met police?"):
        a = engine.ask(q)
        assert not a.abstained and "Mark Rowley" in a.answer, q
    a = engine.ask("who leads the runnymede trust?")
    assert "Shabna Begum" in a.answer and "co-chief executive" in a.answer
    # nobody is named as heading the Criminal Justice Alliance
    assert engine.ask("who heads the criminal justice alliance?").abstained


def test_a_person_beside_a_bodys_name_in_another_role_does_not_head_it():
    from retrieval.slots import names_head
    q = "who leads the Runnymede Trust?"
    assert not names_head("In an open letter to Commissioner Sir Mark Rowley co-ordinated by the Runnymede Trust, "
                          "groups hit out.", q)
    assert names_head("Dr Shabna Begum, the interim co-chief executive of the Runnymede Trust, said so.", q)
    assert names_head("In an open letter to Commissioner Sir Mark Rowley, groups hit out.", "who runs the Met?")
    assert not names_head("Deputy Commissioner Jane Doe spoke.", "who runs the Met?")
    assert not names_head("Simon Woolley, the former chief executive of Operation Black Vote, signed.",
                          "who runs Operation Black Vote?")
    assert names_head("Anything.", "what did the Met say?") is None


def test_he_said_is_the_person_named_before_it():
    from retrieval.slots import pronoun_speaker
    text = "The aim is to change, according to Sir Mark.\n\nHe said: “Black Londoners have been let down.\n\n“Action, not words.”"
    assert pronoun_speaker(text, text.index("He said"), len(text)) == "Sir Mark"
    assert pronoun_speaker(text, 0, text.index("He said")) == ""


def test_what_a_person_said_is_in_his_own_words(engine):
    # "He said: “... Action, not words, will rebuild trust ...”": Sir Mark's words, though the quotation
    # opened a paragraph before and names him only as "He"
    a = engine.ask("what did rowley say would rebuild trust?")
    assert "Action, not words, will rebuild trust" in a.answer
    # he said nothing of the campaigners' letter: a sentence about the letter naming others is no reply of his
    assert engine.ask("what did rowley say about the letter?").abstained


def test_the_mets_response_to_a_report_it_never_mentions_is_refused(engine):
    # "the report in March" is the Casey review's, not a StopWatch report (typed in lower case)
    assert engine.ask("what's the met's response to the stopwatch report?").abstained


def test_who_wrote_a_plan_is_who_the_documents_say_made_it(engine):
    a = engine.ask("who wrote the new met for london plan?")
    assert "launched by the Met" in a.answer and "26" not in a.answer
    # "who wrote it?" after a question on a plan asks who wrote the plan, not who said the last answer's words
    a = engine.ask("who wrote it?", history=["what's the new met plan?"])
    assert "launched by the Met" in a.answer


def test_what_a_thing_is_is_told_by_a_sentence_about_it_not_an_opinion_of_it(engine):
    a = engine.ask("what's the new met plan?")
    assert a.answer.startswith("The new policing plan for London launched by the Met")


def test_sources_counting_apart_are_looked_for_past_the_retrieved_passages(engine):
    # "26 racial justice organisations" is in the fourteenth passage for "groups": looked for before refusing
    a = engine.ask("how many groups signed the letter?")
    assert a.answer.startswith("The sources disagree:") and "Thirty" in a.answer and "26" in a.answer


def test_counts_of_different_matters_are_no_disagreement(engine):
    # "Two Met constables were sacked" and "moving 240 officers" count different things
    a = engine.ask("how many officers were involved in the child q strip search?")
    assert a.abstained


def test_who_a_letter_was_written_to_is_the_one_it_is_addressed_to(engine):
    # a year in the question picks the letter of that year
    a = engine.ask("who did the groups write to in 2022?")
    assert "Priti Patel" in a.answer
    a = engine.ask("who did the runnymede trust write to?")
    assert "Mark Rowley" in a.answer
    from retrieval.slots import slot_match
    q = "who did the groups write to?"
    assert not slot_match("But the groups stated in their letter that this was a missed opportunity for the Met.", q, "who")
    assert slot_match("They have written a joint open letter to the Home Secretary, Priti Patel.", q, "who")


def test_a_thing_of_someones_that_the_best_sentences_do_not_mention_is_refused(engine):
    # the £366 million plan's cost is not the force's budget
    assert engine.ask("what is the met's annual budget?").abstained
    from retrieval.refusals import thing_unmentioned
    from retrieval.scorer import Candidate
    c = Candidate(0, "d", 0, 10, "The £366 million scheme was launched.", "p", 1)
    assert thing_unmentioned([c], "what is the Met's annual budget?")
    assert not thing_unmentioned([c], "what's the plan's cost?")  # a figure given without the word
    assert not thing_unmentioned([c], "what is the budget of the scheme?")


def test_a_document_named_by_its_date_is_read(engine):
    # "the 2022 letter" is the letter to the Home Secretary, whatever passages the words match best
    a = engine.ask("what did the 2022 letter ask for?")
    assert a.answer.startswith("Together, we are urging for a recruitment process")
    a = engine.ask("what was the 2022 letter about?")
    assert a.answer.startswith("Today, Action for Race Equality, EQUAL and the Criminal Justice Alliance have written")
    hits = engine.search("what was the 2022 letter about?")
    assert hits == sorted(hits, key=lambda h: h.rank)


def test_the_named_documents_passages_join_the_first_without_displacing_its_own(engine):
    index = engine.loaded
    vector = engine.encoder.encode_one("what did the 2022 letter ask for?")
    hits = index.search("what did the 2022 letter ask for?", vector, 10)
    letter = {d for d in index.documents if d.startswith("004")}
    merged = index.with_documents(hits, letter, vector, 8)
    assert [h.rank for h in merged] == list(range(1, 11))
    assert len({h.passage.passage_id for h in merged}) == 10
    first = [h.passage for h in merged[:8]]
    assert sum(p.doc_id in letter for p in first) >= min(2, sum(p.doc_id in letter for p in [h.passage for h in hits[:8]]) + 1)
    assert index.with_documents(hits, set(), vector, 8) == hits


def test_what_else_is_something_the_last_answer_did_not_quote(engine):
    a = engine.ask("what else did it find?", history=["which report found the met institutionally racist?"])
    assert "fundamental reset" in a.answer
    # "more?" and "tell me more" ask the same: not the last answer again
    first = "what did the casey review find?"
    quoted = {(c.doc_id, c.start) for c in engine.ask(first).citations}
    for more in ("more?", "tell me more", "go on"):
        b = engine.ask(more, history=[first])
        assert not b.abstained and {(c.doc_id, c.start) for c in b.citations} != quoted
    # ... nor what any earlier answer of the conversation quoted: "more?" after "tell me more"
    said = quoted | {(c.doc_id, c.start) for c in engine.ask("tell me more", history=[first]).citations}
    c = engine.ask("more?", history=[first, "tell me more"])
    assert not c.abstained and any((x.doc_id, x.start) not in said for x in c.citations)
    from retrieval.questions import ELSE_Q

    assert not ELSE_Q.search("how many more officers will be hired?") and not ELSE_Q.search("tell me more about the plan")


def test_it_stays_the_thing_a_conversation_is_about_past_a_question_naming_someone(engine):
    # "it" after "what did Rowley say about it?" is the Race Action Plan still, not Rowley
    a = engine.ask("what does it do for victims?", history=["what is the race action plan?", "what did rowley say about it?"])
    assert "victims of crime" in a.answer and "Runnymede" not in a.answer
    assert "Rowley" not in a.notes[-1]


def test_how_many_were_there_counts_the_things_not_the_figures(engine):
    a = engine.ask("how many were there?", history=["tell me about the iopc figures on deaths in custody"])
    assert "23 deaths" in a.answer


def test_an_act_asked_by_its_plain_verb_must_be_reported():
    """"Did the Met ever apologise to ...?" asks whether an act happened, as "was she compensated?" does."""
    from retrieval.questions import asked_event

    assert asked_event("did the Met ever apologise to Bianca Williams?") == ["apologised"]
    assert asked_event("did Child Q's family get compensation?") == ["compensated"]
    assert asked_event("will they scrap the gangs matrix?") == ["scrapped"]
    assert asked_event("did the letter name Chris Kaba?") == []
    assert asked_event("has the Met agreed to do the equalities impact assessment?") == ["agreed"]
    assert asked_event("do the press reports agree on the figure?") == []  # agreeing with each other is no act


def test_an_act_the_documents_report_is_still_answered(engine):
    a = engine.ask("Were the officers who stopped Bianca Williams sacked?")
    assert not a.abstained and "sacked" in a.answer


def test_the_met_responding_to_the_letter_is_its_whole_statement(engine):
    """The Met's statement names the letter in its first sentence; the one that best matches "respond"
    is further on in it, and is still the Met speaking about the letter."""
    a = engine.ask("did the Met respond to the letter?")
    assert not a.abstained, a.answer
    assert "a Met spokesperson told" in a.answer


def test_a_document_phrase_starts_at_the_nearest_article():
    """"did the Met respond to the Runnymede letter?" is about the Runnymede letter, not about
    "the Met respond to the Runnymede letter"."""
    from retrieval.conversation import _document_asked_about

    assert _document_asked_about("did the Met respond to the Runnymede letter?") == "the Runnymede letter"
    assert _document_asked_about("What did the New Met for London plan promise?") == "the New Met for London plan"


@pytest.mark.parametrize(
    "question",
    ["what's the publication date on the Action for Race Equality letter to the Home Secretary?",
     "what date is the letter to the Home Secretary?",
     "date of the letter to the Home Secretary?"],
)
def test_a_documents_date_asked_in_other_words_is_its_dateline(engine, question):
    a = engine.ask(question)
    assert not a.abstained and "28/04/2022" in a.answer, a.answer


def test_a_follow_up_asking_little_of_its_own_keeps_the_topic_of_the_letter():
    """"and what did they say that would lead to?" is about the PCSOs the letter was asked about."""
    last = Turn("what did the July 2023 open letter say about more PCSOs?")
    assert resolve("and what did they say that would lead to?", [last]) == (
        "and what did the July 2023 open letter say that would lead to? (PCSOs)")
    last = Turn("what did the Runnymede-coordinated letter think of expanding PCSOs?")
    assert resolve("what did they want instead?", [last]) == "what did the Runnymede-coordinated letter want instead?"


def test_what_a_letter_said_a_change_would_lead_to_is_found_with_the_topic(engine):
    a = engine.ask("and what did they say that would lead to?",
                   ["what did the July 2023 open letter say about more PCSOs?"])
    assert "adverse effects" in a.answer, a.answer


def test_how_many_of_those_named_things_is_not_doubled():
    last = Turn("how many deaths in custody did the IOPC report?")
    assert resolve("how many of those deaths were in London?", [last]) == "how many deaths were in London?"
    assert resolve("and how many of them were there?", [Turn("what did the IOPC say about deaths in custody?")]) == (
        "and how many deaths were there?")


def test_what_a_person_wants_is_in_their_own_words(engine):
    """Jeremy Crook's quotation asks for "sustained investment in Black-led youth and community
    organisations"; another letter urging where funds should go is not what he wants."""
    a = engine.ask("what does he want money put into?", ["who's Jeremy Crook?"])
    assert "Black-led youth" in a.answer, a.answer


def test_punished_is_answered_by_a_sacking():
    from retrieval.questions import asked_event

    assert {"punished", "sacked", "disciplined"} <= set(asked_event("Were any officers punished over it?"))


def test_a_question_refused_alone_is_asked_again_on_the_last_topic(engine):
    """"what did the panel decide?" names no one to resolve; alone, no panel is found. On the last
    question's topic (the athletes' stop), it is the disciplinary panel's finding."""
    history = ["Were any officers punished over the Bianca Williams stop and search?"]
    first = engine.ask(history[0])
    assert not first.abstained and "sacked" in first.answer, first.answer
    a = engine.ask("what did the panel decide?", history)
    assert not a.abstained and "gross misconduct" in a.answer, a.answer
    assert any(n.startswith("resolved as: what did the panel decide? (") for n in a.notes)
    # asked alone it is still refused: the topic comes only from the conversation
    assert engine.ask("what did the panel decide?").abstained


@pytest.mark.parametrize("question", ["Where is Action for Race Equality's office?", "where's Action for Race Equality's HQ?",
                                      "Where is Action for Race Equality located?"])
def test_where_a_bodys_office_is_comes_from_the_footer_of_what_it_published(engine, question):
    a = engine.ask(question)
    assert not a.abstained and "Pentonville Road" in a.answer, a.answer


def test_a_footer_address_is_not_another_bodys_office(engine):
    assert engine.ask("where are the Criminal Justice Alliance's offices?").abstained


def test_when_a_letter_in_the_collection_was_sent_is_its_date(engine):
    a = engine.ask("what year did ARE send that letter to the home secretary?")
    assert not a.abstained and "28/04/2022" in a.answer, a.answer
    # "when" joining two clauses asks who, not when
    a = engine.ask("who was home sec when ARE sent their letter")
    assert "Priti Patel" in a.answer, a.answer
    # a letter only reported on (the 2023 one): the report's date is not when it was sent
    a = engine.ask("when did the Runnymede Trust send its letter?")
    assert not any("2025" in c.quote for c in a.citations), a.answer


def test_what_the_met_admitted_is_in_its_own_statement(engine):
    """"did they at least admit ...?" after a question about the Met's statement: the Met's words on its
    tactics, not a campaigner's sentence about its "refusal to acknowledge"."""
    a = engine.ask("did they at least admit their tactics hit some communities harder?",
                   ["What did the Met spokesperson tell the Guardian?"])
    assert "disproportionate impact" in a.answer, a.answer


def test_whats_in_a_plan_is_what_it_includes(engine):
    """"What's in ...?" asks what the plan holds, not that it was launched or criticised."""
    a = engine.ask("What's actually in the New Met for London scheme according to the article about the "
                   "Runnymede letter? Give me the main bits")
    assert "focuses on community crime-fighting" in a.answer or "neighbourhood policing" in a.answer, a.answer


def test_a_letter_named_by_its_date_is_quoted_from_itself(engine):
    """"the 2022 letter" is the letter of that year in the collection; a 2023 letter's report, however
    close its wording, does not answer what the 2022 one says."""
    a = engine.ask("why does the 2022 letter think mistrust hurts police hiring?")
    assert "are not joining the police" in a.answer, a.answer
    assert all(c.doc_id.startswith("004_") for c in a.citations), a.answer


def test_a_question_beyond_the_dated_letter_may_quote_other_documents(engine):
    a = engine.ask("The 2022 letter said the next Met Commissioner must acknowledge institutional racism. "
                   "Who is the commissioner now, and what did he say about using the term 'institutional'?")
    assert any(not c.doc_id.startswith("004_") for c in a.citations), a.answer


def test_which_section_of_asks_for_a_sentence_naming_a_section(engine):
    from retrieval.questions import asked_focus

    assert asked_focus("Which section of stop and search is the CJA's super-complaint about?") == "section"
    assert asked_focus("which part of London did it happen in?") is None  # a place, not the word "part"
    a = engine.ask("Which section of stop and search is the CJA's super-complaint about?")
    assert "Section 60" in a.answer, a.answer


def test_a_share_asked_for_is_not_a_pass_rate(engine):
    """The documents give pass rates for black officers (68% to 75%), not what share of officers are black."""
    from retrieval.slots import gives_share

    rates = "new workshops have helped to raise pass rates for black officers from 68% to 75% since 2021."
    assert not gives_share(rates, "What percentage of Met officers are black?")
    assert gives_share(rates, "what was the pass rate for black officers?")  # a rate asked for
    assert gives_share("Black people were 40% of those searched.", "what percentage of those searched were black?")
    assert engine.ask("What percentage of Met officers are black?").abstained
    a = engine.ask("what was the pass rate for black officers before the workshops?")
    assert not a.abstained and "68%" in a.answer, a.answer


def test_a_rate_of_something_unnamed_is_refused(engine):
    """The documents give pass rates, no false match rate of facial recognition cameras."""
    assert engine.ask("what's the false match rate on the Met's facial recognition cameras?").abstained
    a = engine.ask("what's the promotion pass rate now?")
    assert not a.abstained and "75%" in a.answer, a.answer


def test_the_topic_retry_uses_the_last_question_as_resolved(engine):
    """"how did people react back then?" after "where did it happen?" (about Child Q): on Child Q."""
    a = engine.ask("how did people react back then?", ["What happened to Child Q?", "Where did it happen?"])
    assert not a.abstained and "protested" in a.answer, a.answer


def test_the_act_a_follow_up_points_at_is_the_story_not_a_name(engine):
    """"the cops who did it": "it" is the stop the last question asked about, not a body its answer named;
    the earlier turns are put in the documents' words too ("cops" are the officers "they" then mean)."""
    first = "which athletes were caught up in that stop and search row the met keeps getting asked about"
    second = "right, and what happened to the cops who did it, and when?"
    a = engine.ask(second, [first])
    assert not a.abstained and "sacked" in a.answer and "October 2023" in a.answer, a.answer
    b = engine.ask("what exactly did the panel decide they were guilty of", [first, second])
    assert "gross misconduct" in b.answer, b.answer
    # "did it say" is not an act done: the pronoun is still resolved
    assert resolve("what did it say?", [Turn("What is the Race Action Plan?")]) == "what did the Race Action Plan say?"


def test_each_part_of_a_two_part_follow_up_keeps_the_conversations_topic(engine):
    from retrieval.questions import split_question
    from retrieval.textutil import without_asides

    assert split_question("when did that happen, and when did it come out? (Child Q)") == [
        "when did that happen (Child Q)?", "when did it come out (happen) (Child Q)?"]
    assert without_asides("quick one - who is child q?") == "who is child q?"
    assert without_asides("Question: who signed it?") == "who signed it?"
    assert without_asides("Who is the question master?") == "Who is the question master?"
    a = engine.ask("when did that happen, and when did it actually come out?",
                   ["quick one - who is child q and what happened to her"])
    assert not a.abstained and "2020" in a.answer and "2022" in a.answer, a.answer


def test_a_pronoun_bound_inside_the_question_is_left_alone(engine):
    """"how many groups put their names to it?": "their" is the groups'; "it" is what to resolve."""
    turn = Turn("who organised that open letter to Rowley slamming the New Met for London plan?")
    assert resolve("and how many groups put their names to it?", [turn]) == (
        "and how many groups put their names to the open letter to Rowley slamming the New Met for London plan?")
    a = engine.ask("and how many groups put their names to it?", [turn.question])
    assert "26" in a.answer and "Thirty" in a.answer, a.answer  # "slamming" is "criticising"


def test_what_a_named_review_said_is_quoted_from_its_own_finding(engine):
    """"what did the Casey report say ...?": the sentence in which the review finds it leads others'
    sentences about the review; asked how the reports each put it, each report's words still come."""
    from retrieval.questions import work_finding

    finding, named = work_finding("what did the Casey report say was wrong with the Met")
    assert named.search("Baroness Casey’s Review") and finding.search("The review called for a ‘fundamental reset’")
    assert finding.search("The Casey review found the Met institutionally racist, sexist and homophobic.")
    assert not finding.search("A group of 26 organisations criticised the Met for ignoring the Casey review, which "
                              "identifies the force as institutionally racist.")
    assert work_finding("what does each report say the Casey review found?") is None
    a = engine.ask("what did the casey report say was wrong with the met")
    assert all(w in a.answer for w in ("racist", "sexist", "homophobic")), a.answer
    c = engine.ask("what did the Casey review say about stop and search?")  # "The review called for ..."
    assert "fundamental reset" in c.citations[0].quote, c.answer
    b = engine.ask("what did the Casey review find the Met to be?")
    assert [c.quote for c in b.citations] == [
        "The Casey review found the Met institutionally racist, sexist and homophobic and in need of radical reform."]


def test_a_force_typed_in_lower_case_is_seen_as_another_force(engine):
    """"is greater manchester police doing ...?": words no document uses before "police" name a force
    the documents do not cover; "the met police", "specific police technologies" are left alone."""
    from retrieval.truecase import force_names

    known = {"greater", "met", "specific", "encounter"}.__contains__
    assert force_names("is greater manchester police doing a race plan", known) == (
        "is greater Manchester Police doing a race plan")
    assert force_names("what did the met police say", known) == "what did the met police say"
    assert force_names("which specific police technologies", known) == "which specific police technologies"
    assert force_names("after an encounter with police", known) == "after an encounter with police"
    assert engine.ask("is greater manchester police doing a race action plan like the met's").abstained
    a = engine.ask("is the met police doing a race action plan")
    assert not a.abstained and "Race Action Plan" in a.answer, a.answer


def test_whether_someone_is_named_or_responded_is_asked_plainly(engine):
    """"are they named anywhere?" asks for the names; "what response, if any, did X give?" how X
    responded: neither is in the documents, so both are refused."""
    from retrieval.textutil import in_plain_words

    assert in_plain_words("are those two constables named anywhere?") == "what are the names of those two constables?"
    assert in_plain_words("is the officer named in the report?") == "what is the name of the officer?"
    assert in_plain_words("do we know her name") == "what is her name?"
    assert in_plain_words("What response, if any, did Priti Patel give to the letter?") == (
        "how did Priti Patel respond to the letter?")
    history = ["Which athletes were at the centre of the stop and search row?",
               "What happened to the officers who stopped them?"]
    assert engine.ask("are those two constables actually named anywhere?", history).abstained
    assert engine.ask("What response, if any, did Priti Patel give to the joint letter from Action for Race "
                      "Equality, EQUAL and the Criminal Justice Alliance?").abstained
    a = engine.ask("is the Met's race plan named anywhere?")
    assert not a.abstained and "Race Action Plan" in a.answer, a.answer


def test_a_sum_the_question_gives_is_not_an_answer_to_how_much_of_it(engine):
    """"how much of the 366 million ...?": "£366 million" is the sum asked about, not a part of it."""
    from retrieval.slots import slot_match

    q = "how much of the 366 million is going on neighbourhood policing?"
    assert not slot_match("The £366 million two-year scheme was launched last week.", q, "count")
    assert slot_match("Of the £366 million, £20 million goes on neighbourhood teams.", q, "count")
    assert engine.ask("how much of the 366 million is actually going on neighbourhood policing").abstained
    a = engine.ask("how much is the New Met for London plan worth?")
    assert not a.abstained and "£366 million" in a.answer, a.answer


def test_everyday_phrases_are_asked_in_the_documents_words(engine):
    from retrieval.synonyms import in_the_documents_words
    from retrieval.textutil import in_plain_words

    assert in_plain_words("will they be looked after?") == "will they be supported?"
    assert in_plain_words("officers behaving badly") == "officers unacceptable behaviour"
    assert in_plain_words("victims waiting ages for justice") == "victims delays for justice"
    assert in_plain_words("did they lose faith in the police?") == "did they lose confidence in the police?"
    assert in_the_documents_words("are we at breaking point?", {"crisis point"}.__contains__) == "are we at crisis point?"
    a = engine.ask("if an officer reports a colleague for behaving badly will they be looked after")
    assert "support and protection" in a.answer, a.answer
    b = engine.ask("whats the met doing about black victims waiting ages for their case to get anywhere")
    assert "reduce delays" in b.answer, b.answer


def test_a_name_the_last_question_gave_with_a_possessive_is_the_name():
    """"what is Dr Shabna Begum's position?" then "how long did she say ...?": she is Dr Shabna Begum."""
    history = [Turn("Who at the Runnymede Trust is quoted criticising the plan?", "Dr Shabna Begum said so. [1]"),
               Turn("What is her position at the Trust?", "Dr Shabna Begum, the interim co-chief executive. [1]")]
    assert resolve("How long did she say the plan ran to?", history) == "How long did Dr Shabna Begum say the plan ran to?"


def test_they_who_signed_a_letter_speak_through_it():
    """"what did they want ...?" after "how many groups signed the letter ...?": the letter says what they want."""
    turn = Turn("how many groups put their names to the open letter to Rowley criticising the plan?")
    assert resolve("what did they want the Met to do about facial recognition?", [turn]) == (
        "what did the open letter to Rowley criticising the plan want the Met to do about facial recognition?")
    # not a question of what they said: the groups still
    assert resolve("were they all charities?", [turn]).startswith("were the groups")


def test_the_paper_that_reported_a_story_is_named_from_its_article(engine):
    """"..., reported The Guardian" answers which paper reported the story of that article, and no other."""
    a = engine.ask("Which newspaper was the source for the story about the 26 groups' letter?")
    assert not a.abstained and "The Guardian" in a.citations[0].quote, a.answer
    for q in ["which newspaper reported the Race Action Plan?", "which newspaper interviewed Bianca Williams?",
              "which paper reported the thirty groups' letter?"]:
        assert engine.ask(q).abstained, q


def test_what_a_plan_is_called_asks_for_its_name(engine):
    """"what's the Met's plan for ... called?" is a name question: the sentence naming the plan answers."""
    from retrieval.questions import question_kind

    assert question_kind("what's the met's plan for winning back black londoners called") == "name"
    assert question_kind("what is the Met doing about it?") != "name"
    a = engine.ask("what's the met's plan for winning back black londoners actually called")
    assert not a.abstained and "Race Action Plan" in a.answer, a.answer


def test_they_after_a_person_and_a_body_is_the_body():
    """"how often will they give updates?" after an answer naming Sir Mark Rowley and the Met: the Met."""
    turn = Turn("what's in the plan?", "Commissioner Sir Mark Rowley said the Met will change. [1]")
    assert resolve("how often will they give updates?", [turn]) == "how often will the Met give updates?"


def test_a_count_is_of_the_noun_before_its_verb(engine):
    """"26 racial justice organisations has criticised the Met police" counts organisations, not officers."""
    from retrieval.slots import slot_match

    q = "How many officers faced misconduct proceedings?"
    assert not slot_match("A coalition of 26 racial justice organisations has criticised the Met police", q, "count")
    assert slot_match("Two Met constables were sacked in October 2023", q, "count")
    a = engine.ask("How many officers faced misconduct proceedings over the Child Q search?")
    assert not a.answer.startswith("The sources disagree"), a.answer


def test_a_guess_after_the_question_and_a_claim_with_another_place(engine):
    """"Which home secretary ...? Was it Theresa May?" asks which; "Is it true Child Q was searched in
    Croydon?" is answered with where the documents place it (Hackney)."""
    from retrieval.textutil import without_asides

    assert without_asides("Which home secretary did they write to? Was it Theresa May?") == (
        "Which home secretary did they write to?")
    assert without_asides("How many signed it? Was it 26 or 30?") == "How many signed it? Was it 26 or 30?"
    a = engine.ask("Which home secretary did the race equality groups write to about choosing the new Met "
                   "commissioner? Was it Theresa May?")
    assert "Priti Patel" in a.answer, a.answer
    b = engine.ask("Is it true Child Q was strip searched at a school in Croydon?")
    assert not b.abstained and "Hackney" in b.answer, b.answer
    assert engine.ask("Is it true Chris Kaba died in Manchester?").abstained


def test_what_the_met_says_it_will_do_is_in_its_plan(engine):
    """"how does the Met say it'll ...?" asks what its plan says it will do, not for a spokesperson's reply."""
    a = engine.ask("How does the Met say it'll make intimate searches of under-18s rarer?")
    assert not a.abstained and "threshold and oversight" in a.answer, a.answer
    assert engine.ask("What did the Met say about Child Q?").abstained  # a reply it never gave


def test_what_a_writing_was_about_and_whistleblowers(engine):
    turn = Turn("Who did Action for Race Equality write to in April 2022?")
    assert resolve("What was it about?", [turn]).startswith("What was the letter about? (Action for Race Equality")
    a = engine.ask("What was it about?", [turn.question])
    assert "recruitment of the new Metropolitan Police Commissioner" in a.answer, a.answer
    from retrieval.textutil import in_plain_words

    assert in_plain_words("staff who blow the whistle on bad conduct") == "staff who call out unacceptable behaviour"
    assert in_plain_words("staff who speak up about misconduct") == "staff who call out misconduct"
    assert in_plain_words("staff who look like the people they police") == "staff who represent the communities it serves"
    c = engine.ask("what's the Met doing to make its staff look more like London?")
    assert "diverse workforce" in c.answer, c.answer
    b = engine.ask("Under the race plan, what do Met staff who blow the whistle on bad conduct get?")
    assert "support and protection" in b.answer, b.answer


def test_where_money_should_go_is_where_a_sentence_puts_it(engine):
    """"where should the money go instead?": "directing funds towards evidence-based strategies"."""
    for q in ["where did the campaigners think the money would be better spent?",
              "where do the campaign groups think the money should be going instead"]:
        a = engine.ask(q)
        assert not a.abstained and "evidence-based strategies" in a.answer, (q, a.answer)


def test_growing_the_force_is_its_expansion(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("what has to happen before the Met grows its numbers?") == (
        "what has to happen before the Met expansion?")
    a = engine.ask("According to the thirty bodies, what has to come first before the police get any bigger?")
    assert not a.abstained and ("culture change" in a.answer or "feel safe" in a.answer), a.answer


def test_a_length_in_pages_is_not_a_length_in_years(engine):
    """"how long was it, page-wise?": the 80-page plan, not a disagreement with the "two-year" scheme."""
    from retrieval.slots import slot_match

    q = "how long is the New Met for London document? pages wise"
    assert not slot_match("The £366 million two-year scheme was launched last week", q, "count")
    assert slot_match("Despite publishing an 80-page plan for reform", q, "count")
    a = engine.ask("How long was the Met's big reform blueprint, page-wise?")
    assert "80-page" in a.answer and not a.answer.startswith("The sources disagree"), a.answer


def test_what_a_named_person_said_is_looked_for_past_the_best_passages(engine):
    """"what did Rowley say about rebuilding trust?": his "Action, not words, will rebuild trust" is in a
    passage ranked below the best eight; the documents do say it."""
    from retrieval.textutil import in_plain_words

    assert in_plain_words("whats rowley's line on what will actually rebuild trust") == (
        "what did rowley say on what will rebuild trust")
    assert in_plain_words("what's Rowley saying will win back trust?") == "what does Rowley say will rebuild trust?"
    for q in ["What did Rowley say about rebuilding trust?", "whats rowley's line on what will actually rebuild trust",
              "Basically, what's Rowley saying will win back trust - talk or deeds?"]:
        a = engine.ask(q)
        assert not a.abstained and "Action, not words" in a.answer, (q, a.answer)
        _verbatim(engine, a)
    assert engine.ask("What did Jeremy Crook say about facial recognition?").abstained  # he speaks, never of that


def test_openers_and_chat_spellings_are_set_aside():
    from retrieval.textutil import in_plain_words, without_asides

    assert without_asides("For my committee briefing: how many officers is the Met moving?") == (
        "how many officers is the Met moving?")
    assert without_asides("for our podcast - who is Child Q?") == "who is Child Q?"
    assert without_asides("Basically, who is Child Q?") == "who is Child Q?"
    assert without_asides("For my slides I need the exact words: what did the Casey review find?") == (
        "what did the Casey review find?")
    assert without_asides("For now, who is Child Q?") == "For now, who is Child Q?"  # not whom it is for
    assert in_plain_words("over how many yrs") == "over how many years"
    assert in_plain_words("can u name any of them") == "who are any of them"
    assert in_plain_words("how many orgs signed it?") == "how many organisations signed it?"
    assert in_plain_words("how many turned out to protest in hackney?") == "how many protested in hackney?"
    assert in_plain_words("how many showed up to demonstrate?") == "how many protested?"
    assert in_plain_words("who did they want to have a say in choosing the next top cop?") == (
        "who did they want to give input into recruiting the next commissioner?")
    assert in_plain_words("had they a say in it?") == "had they a say in it?"  # (no rule for this word order)
    assert in_plain_words("who had a say in the plan?") == "who gave input into the plan?"
    assert in_plain_words("anything about the courts being slow?") == "anything about delays in the courts?"
    assert in_plain_words("What's the price tag on the Met's big revamp?") == "What's the cost of the Met's big overhaul?"
    assert in_plain_words("Who is Jeremy Crook, as cited in the joint letter to the Home Secretary?") == "Who is Jeremy Crook?"
    assert in_plain_words("Who do journalists ring about the letter?") == "who is the press contact about the letter?"
    assert in_plain_words("what figure does the £366m makeover piece give?") == (
        "what figure does the £366m makeover piece give?")  # the article's title, not the plan
    assert in_plain_words("victims waiting forever") == "victims delays"


def test_everyday_words_for_how_a_plan_was_made_and_a_diverse_workforce(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("Who did the Met sit down with when putting its anti-racism plan together?") == (
        "Who did the Met get input from when making its anti-racism plan?")
    assert in_plain_words("had he sat down with them?") == "had he met with them?"  # a meeting, not input
    a = engine.ask("Who did the Met sit down with when putting its anti-racism plan together?")
    assert "black communities" in a.answer and "black officers" in a.answer, a.answer
    b = engine.ask("Is the Met doing anything to make its staff less white and more like London?")
    assert "diverse workforce" in b.answer, b.answer


def test_a_stated_aim_is_the_sentence_naming_the_aim(engine):
    from retrieval.questions import asked_focus

    assert asked_focus("What is Sir Mark Rowley's stated aim for the Met?") == "aim"
    assert asked_focus("What is the Met's plan for stop and search?") is None
    a = engine.ask("What is Sir Mark Rowley's stated aim for the Met under the Race Action Plan?")
    assert "truly anti-racist and inclusive" in a.answer, a.answer


def test_some_of_them_after_a_count_are_of_what_was_counted(engine):
    turn = Turn("how many people died in or after police custody in the IOPC report")
    assert resolve("who are any of them", [turn]).startswith("who are any of the people")
    a = engine.ask("can u name any of them", [turn.question])
    assert "Chris Kaba" in a.answer and "Oladeji Omishore" in a.answer, a.answer


def test_the_length_of_a_document_is_its_pages_and_a_plan_may_be_either():
    from retrieval.textutil import in_plain_words

    assert in_plain_words("how long was the reform document she slated") == "how many pages was the reform document she slated"
    assert in_plain_words("How long did she say the reform document ran to?") == (
        "how many pages did she say the reform document ran to?")
    assert in_plain_words("how long is the plan?") == "how long is the plan?"  # two years, or 80 pages
    assert in_plain_words("how long does the report take to read?") == "how long does the report take to read?"


def test_bodies_and_relations_the_documents_never_name_are_refused(engine):
    from retrieval.truecase import force_names

    def known(w):
        return w in {"met", "officers", "police", "say", "casey", "review"}

    assert force_names("what did the met officers federation say", known) == "what did the Met Officers Federation say"
    assert force_names("what did the police say", known) == "what did the police say"
    for q in ["what did the met officers federation say about the casey review",
              "Who was Rowley's predecessor as Commissioner?",
              "Who was Rowley's predecessor as Commissioner and why did they leave?"]:
        assert engine.ask(q).abstained, q
    a = engine.ask("Who is the Runnymede Trust's interim co-chief executive?")
    assert not a.abstained and "Shabna Begum" in a.answer, a.answer


def test_the_count_again_from_the_other_source(engine):
    """"is that the same as the other report says?" after a count one report gives: the count asked of
    every source, whose answer shows where they disagree."""
    turn = Turn("how many groups were on the letter in the Jan 2025 piece?")
    assert resolve("and the other write-up says how many?", [turn]) == "how many groups were on the letter?"
    a = engine.ask("and the other write-up says how many?", [turn.question])
    assert "Thirty" in a.answer and "26" in a.answer, a.answer
    from retrieval.textutil import in_plain_words

    assert in_plain_words("how many groups were on the letter?") == "how many groups signed the letter?"
    assert in_plain_words("what other signatories were on the letter?") == "what other signatories were on the letter?"


def test_it_after_which_work_is_that_work():
    turn = Turn("which letter went to priti patel about the commissioner recruitment?",
                "Together, we are urging for a process ... contained in Baroness Casey’s Review ... [1]")
    assert resolve("when was it published?", [turn]).startswith("when was the letter published?")
    turns = [Turn("what did the IOPC say about deaths in police custody?"), Turn("how many deaths was that?")]
    assert resolve("how many deaths was that?", turns[:1]).startswith("how many deaths was that? (IOPC")


def test_a_when_question_answered_by_no_date_is_refused(engine):
    """The documents name the athletes but never say when they were stopped: no date, no answer."""
    a = engine.ask("when were the athletes actually stopped", ["which athletes got stopped and searched"])
    assert a.abstained, a.answer
    b = engine.ask("When were the two Met constables sacked?")
    assert not b.abstained and "October 2023" in b.answer, b.answer
    # a month asked for: "in 2020" gives only the year
    assert engine.ask("what month was Child Q strip searched?").abstained
    c = engine.ask("what month were the two constables sacked?")
    assert not c.abstained and "October" in c.answer, c.answer


def test_a_launch_dated_only_by_the_reports_shows_each_reports_date(engine):
    """No document dates the New Met for London plan; reports of 2023 ("launched last week") and 2025
    ("recently launched") place it only against their own dates: both are shown, each with its date.
    "On what date exactly?" is still refused, and so is a date no report places ("when did Rowley take over?")."""
    a = engine.ask("When was the New Met for London plan launched?")
    assert not a.abstained, a.answer
    assert a.answer.startswith("No document gives the date")
    assert "(a report dated 2023-07-30)" in a.answer and "(a report dated 2025-01-16)" in a.answer, a.answer
    assert "launched last week" in a.answer and "recently launched" in a.answer
    assert {c.date for c in a.citations} == {"2023-07-30", "2025-01-16"}
    _verbatim(engine, a)
    for q in ["What date exactly was the New Met for London plan published?",
              "When exactly did Sir Mark Rowley become Met Commissioner?", "When was the Race Action Plan published?"]:
        assert engine.ask(q).abstained, q
    # a letter the news reported as just written ("have written an open letter"): each report's date
    b = engine.ask("When was the letter to Rowley sent?")
    assert "(a report dated 2023-07-30)" in b.answer and "(a report dated 2025-01-16)" in b.answer, b.answer
    c = engine.ask("When was the letter to Priti Patel sent?")
    assert not c.abstained and "2022-04-28" in c.answer, c.answer


def test_the_name_of_a_plan_is_read_from_a_sentence_naming_it(engine):
    """"What's the name of the Met plan ...?": the sentence naming the Race Action Plan is about Rowley's
    remark, after one about the plan; it answers. "the New Met for London plan" names a plan too. A plan
    no document names is still refused."""
    a = engine.ask("What's the name of the Met plan aimed at rebuilding trust with black Londoners?")
    assert not a.abstained and "Race Action Plan" in a.answer, a.answer
    _verbatim(engine, a)
    b = engine.ask("What is the Met's 2023 overhaul plan actually called?")
    assert not b.abstained and "New Met for London" in b.answer, b.answer
    # "the Met's new plan for London" has the name's words, not the name
    c = engine.ask("name of the Met's new plan for London?")
    assert not c.abstained and "New Met for London" in c.answer, c.answer
    for q in ["What's the name of the Met's plan for people in mental health crisis?",
              "What is the name of the Met's plan to cut knife crime?"]:
        assert engine.ask(q).abstained, q


def test_which_body_put_out_a_report_is_the_one_it_is_by(engine):
    """"Which body put out the report on deaths in custody?": "a report by the Independent Office for Police
    Conduct" says whose it is; Inquest's spokeswoman, quoted on it, did not put it out."""
    from retrieval.refusals import names_maker

    assert names_maker("It comes as a report by the Independent Office for Police Conduct said today", "report")
    assert not names_maker("the number of deaths reported by the force rose", "report")
    a = engine.ask("Which body put out the report on deaths in or following police custody?")
    assert "Independent Office for Police Conduct" in a.answer and not a.answer.startswith("Inquest"), a.answer
    assert engine.ask("Which body published the Casey review?").abstained  # no document says who published it


def test_which_school_asks_its_name(engine):
    """"Which school in Hackney was Child Q at?": "at her school in Hackney" names no school; "which borough?"
    is answered by the place ("Hackney")."""
    assert engine.ask("Which school in Hackney was Child Q at?").abstained
    assert engine.ask("which school was child q searched at?").abstained
    a = engine.ask("Where was Child Q strip searched?")
    assert not a.abstained and "Hackney" in a.answer, a.answer


def test_unquoted_alternatives_and_a_review_speaking_for_its_author(engine):
    """"did casey say sexist or misogynistic?": "The Casey review found ..." is what she said (not her response
    to anything since), and each report's word is shown."""
    from retrieval.questions import alternatives

    assert alternatives("did casey say sexist or misogynistic? need the exact wording for a slide") == [
        "sexist", "misogynistic"]
    assert alternatives("Did the Casey review call the Met sexist or misogynistic?") == ["sexist", "misogynistic"]
    assert alternatives("Did Casey say the Met was racist?") == []
    a = engine.ask("did casey say sexist or misogynistic? need the exact wording for a slide")
    assert not a.abstained and "sexist" in a.answer and "misogynistic" in a.answer, a.answer
    assert engine.ask("How did Baroness Casey respond to the open letters criticising Rowley?").abstained


def test_pass_rates_dates_on_a_letter_and_how_long_a_plan_runs(engine):
    """"What happened to black officers' promotion pass rates?" asks about the rates, not the officers' fate;
    "what was the date on it?" is the letter's date; "how long is the plan meant to run?" its two years."""
    a = engine.ask("What happened to black officers' promotion pass rates after the new workshops?")
    assert "68%" in a.answer and "75%" in a.answer, a.answer
    b = engine.ask("what was the date on it?", ["Who wrote to Priti Patel in 2022 about the new commissioner?"])
    assert "28/04/2022" in b.answer, b.answer
    c = engine.ask("How long is the New Met for London plan meant to run?")
    assert not c.abstained and "two-year" in c.answer, c.answer
    assert engine.ask("how long will the stop and search charter last?").abstained
    assert engine.ask("what % of met officers are black atm?").abstained  # a share no document gives
    e = engine.ask("Where's Action for Race Equality based?")
    assert "Pentonville Road" in e.answer, e.answer
    # "Hundreds protested ... after the Child Q incident": a count of protesters, not of children
    assert engine.ask("How many children were strip searched by the Met in 2022?").abstained
    d = engine.ask("how many people protested over Child Q?")
    assert "Hundreds" in d.answer, d.answer


def test_the_mets_stance_shows_its_critics_and_its_own_words(engine):
    """"Does the Met accept it's institutionally racist?": the letter says it will not accept Casey's finding;
    the Met's spokesperson says it is determined to be anti-racist. Both are shown."""
    a = engine.ask("Does the Met accept it's institutionally racist?")
    assert "without accepting" in a.answer and "anti-racist" in a.answer, a.answer
    assert len({c.doc_id for c in a.citations}) >= 2
    _verbatim(engine, a)


def test_asides_that_sources_differ_and_quoted_alternatives(engine):
    """"I've seen 26 in one place and 30 in another" says only that sources differ: the answer shows
    where they do; "'sexist' or 'misogynistic'?" is answered with each report's word."""
    from retrieval.textutil import without_asides

    assert without_asides("How many groups signed the letter to Rowley? I've seen 26 in one place and 30 in another.") == (
        "How many groups signed the letter to Rowley?")
    assert without_asides("Did Casey find the Met 'sexist' or 'misogynistic'? The reports seem to use different words.") == (
        "Did Casey find the Met 'sexist' or 'misogynistic'?")
    assert without_asides("How many signed? I heard it was 30.") == "How many signed? I heard it was 30."  # a claim to check
    assert without_asides("What's the name of the plan? Want to get it right on air") == "What's the name of the plan?"
    assert without_asides("how many groups signed the letter to Rowley? ive seen different numbers") == (
        "how many groups signed the letter to Rowley?")
    assert without_asides("When was the plan launched? one article from 2025 calls it recently launched but another "
                          "says last week back in 2023") == "When was the plan launched?"
    a = engine.ask("How many groups signed the letter to Rowley? I've seen 26 in one place and 30 in another.")
    assert a.answer.startswith("The sources disagree") and "26" in a.answer and "Thirty" in a.answer, a.answer
    b = engine.ask("Did Casey find the Met 'sexist' or 'misogynistic'? The reports seem to use different words.")
    assert "sexist" in b.answer and "misogynistic" in b.answer, b.answer
    _verbatim(engine, b)
    assert engine.ask("Did Casey find the Met 'corrupt' or 'lazy'?").abstained


def test_a_handful_of_rotten_officers_is_the_few_bad_apples_excuse(engine):
    a = engine.ask("Did the man from EQUAL go along with the idea that it's just a handful of rotten officers?")
    assert "few bad apples" in a.answer, a.answer


def test_a_question_asking_who_when_a_letter_was_written_is_not_asking_its_date():
    from retrieval.about import about_field

    assert about_field("When was the 2022 letter about recruitment written?") == "date"
    assert about_field("Which date was the letter published?") == "date"
    assert about_field("Which commissioner was leaving the Met when the 2022 letter about recruitment was written?") is None
    assert about_field("how did the campaigners react when the plan was published?") is None


def test_everyday_words_for_victims_recruits_jobs_and_counting(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("how many deaths did the iopc count") == "how many deaths did the iopc report"
    assert in_plain_words("did anyone lose their job over it?") == "did anyone get sacked over it?"
    assert in_plain_words("so new coppers get what life is like for Black families") == (
        "so new recruits understand the experience of Black families")
    for q, want in [("how many deaths in or after custody did the iopc count", "23"),
                    ("Did anyone actually lose their job over the Bianca Williams stop?", "sacked"),
                    ("Are they doing anything so new coppers get what life is like for Black families in London?", "recruits"),
                    ("Is the Met doing anything about Black victims being kept waiting ages for their cases to get to court?",
                     "delays")]:
        a = engine.ask(q)
        assert not a.abstained and want in a.answer, (q, a.answer)


def test_why_an_act_happened_presumes_it_did(engine):
    """"why were the officers in the Child Q search sacked?": no document reports a sacking over Child Q."""
    from retrieval.questions import asked_event

    assert asked_event("Why were the teachers and officers involved in the Child Q search sacked?") == ["sacked"]
    assert asked_event("When was the Casey review published?") == []
    assert asked_event("Why was the Race Action Plan published?") == []  # a reason asked, not a sanction presumed
    assert engine.ask("Why were the teachers and officers involved in the Child Q search sacked?").abstained
    a = engine.ask("Why were the two Met constables sacked?")
    assert not a.abstained and "gross misconduct" in a.answer, a.answer


def test_which_paper_broke_the_story_the_last_question_asked_about(engine):
    a = engine.ask("which paper broke it", ["26 groups slammed the met plan - who organised the letter?"])
    assert "Guardian" in a.answer, a.answer


def test_drawing_up_a_plan_getting_a_say_and_winning_people_back(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("Who got a say when the Met drew up its race plan?") == (
        "Who had input when the Met made its race plan?")
    assert in_plain_words("is it talk or action that wins people back?") == (
        "is it words or action that rebuilds the trust of people?")
    a = engine.ask("Who actually got a say when the Met drew up its race plan?")
    assert "black communities" in a.answer and "black officers" in a.answer, a.answer
    b = engine.ask("According to the Met, is it going to be talk or doing things that wins people back?")
    assert "Action, not words" in b.answer, b.answer


def test_a_lower_case_speaker_no_document_names_has_said_nothing(engine):
    assert engine.ask("what did deborah coles from inquest say about the 23 deaths").abstained
    a = engine.ask("what did lucy mckay from inquest say about the deaths")
    assert not a.abstained and "Lucy McKay" in a.answer, a.answer


def test_how_bad_things_are_owning_up_and_what_he_says_wins_trust_back(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("what did the 2022 letter say the next commissioner would have to own up to?") == (
        "what did the 2022 letter say the next commissioner would have to acknowledge?")
    assert in_plain_words("so what's he saying will win the trust back then?") == "so what does he say will rebuild trust then?"
    a = engine.ask("How bad did the Runnymede boss say things have got between black communities and the police?")
    assert "crisis point" in a.answer, a.answer
    b = engine.ask("what did the 2022 letter say whoever got the top job would have to own up to?")
    assert "institutional racism" in b.answer, b.answer
    c = engine.ask("so what's he saying will win the trust back then?", ["What did Rowley say when the race action plan came out?"])
    assert "Action, not words" in c.answer, c.answer


def test_any_of_that_is_what_the_last_question_was_about_and_him_saying_sorry(engine):
    turn = Turn("What's the Met doing about getting black officers promoted?")
    assert resolve("has any of that actually shifted the numbers?", [turn]).startswith(
        "has any of that actually shifted the numbers? (")
    a = engine.ask("has any of that actually shifted the numbers?", [turn.question])
    assert "68%" in a.answer and "75%" in a.answer, a.answer
    from retrieval.conversation import _ANY_OF_THAT

    assert not _ANY_OF_THAT.search("how much of that goes to neighbourhood policing?")  # a share, asked as such
    from retrieval.textutil import in_plain_words

    assert in_plain_words("what did they say about him saying sorry?") == "what did they say about him offering an apology?"
    assert in_plain_words("did they think saying sorry was enough?") == "did they think saying sorry was enough?"


@pytest.mark.parametrize(
    "question",
    ["In your view, was Rowley right to refuse the word institutional?",
     "honestly do you think the race action plan will work?",
     "Honestly, is Mark Rowley a good commissioner for Black Londoners?",
     "In your view, should Sir Mark Rowley resign over his refusal to accept the 'institutional' label?"],
)
def test_an_opinion_asked_of_the_bot_is_refused_as_such(engine, question):
    a = engine.ask(question)
    assert a.abstained and not a.citations
    assert a.answer.startswith("The documents do not answer this question. I give no opinions of my own")


def test_a_request_put_politely_is_not_an_opinion_asked(engine):
    a = engine.ask("would you tell me who signed the letter to Sir Mark Rowley?")
    assert not a.abstained and "Runnymede" in a.answer
    a = engine.ask("why do they think more PCSOs is a bad idea?", ["what did the letter say about PCSOs?"])
    assert not a.abstained


@pytest.mark.parametrize(
    "question, history",
    [("Who was Met commissioner before Rowley?", []),
     ("who took over from Rowley as commissioner?", []),
     ("Who's going to take over when Mark Rowley steps down?", []),
     ("Who will replace Mark Rowley as Met Commissioner?", []),
     ("who replaced him?", ["who is the Met commissioner?"])],
)
def test_who_held_a_post_before_or_after_the_one_named_is_refused(engine, question, history):
    a = engine.ask(question, history)
    assert a.abstained, a.answer


def test_who_holds_a_post_is_still_answered(engine):
    assert "Rowley" in engine.ask("who is the Met commissioner?").answer
    assert "Jeremy Crook" in engine.ask("who is the vice chair of EQUAL?").answer


def test_how_to_complain_and_who_commissioned_a_review_are_not_told(engine):
    for q in ["how do i make a complaint to the IOPC about a met officer",
              "My constituent wants to complain about being stopped - what's the process for complaining to the IOPC?",
              "Who commissioned Baroness Casey's review?", "Who commissioned the Casey review?"]:
        assert engine.ask(q).abstained, q
    # the super-complaint the documents do speak of is still answered
    a = engine.ask("how can I find out more about the supercomplaint?")
    assert not a.abstained and "Supercomplaint" in a.answer


def test_a_force_named_after_police_is_one_the_documents_do_not_cover(engine):
    from retrieval.truecase import force_names

    assert force_names("has police scotland admitted it?", lambda w: False) == "has Police Scotland admitted it?"
    assert force_names("does the police service of northern ireland have one?", lambda w: False) == \
        "does the Police Service of Northern Ireland have one?"
    for q in ["has police scotland admitted its institutionally racist too?", "did police scotland do a race action plan too"]:
        assert engine.ask(q).abstained, q
    assert not engine.ask("does the met police have a stop and search charter?").abstained


def test_remarks_after_a_whole_question_are_set_aside():
    from retrieval.textutil import without_asides

    assert without_asides("What did the banner say at the Hackney protest over Child Q? the famous one") == \
        "What did the banner say at the Hackney protest over Child Q?"
    assert without_asides("How did it say people felt after being stopped? Cos that's exactly how I felt both times") == \
        "How did it say people felt after being stopped?"
    assert without_asides("when was the new met for london plan launched? one article says recently but its from 2025") == \
        "when was the new met for london plan launched?"
    # a second question, words saying what "it" is, and a year or a name are kept
    for q in ["Is that the worst figure for a while? Since when?", "who signed it? the letter to rowley",
              "What did the letter say? The one from 2022.", "Does ARE run anything for Windrush? What is it called?"]:
        assert without_asides(q) == q


def test_asking_to_be_reminded_and_chat_spellings_of_what(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("who is Shabna Begum again?") == "who is Shabna Begum?"
    assert in_plain_words("did it happen again?") == "did it happen again?"
    assert in_plain_words("wats the name of it") == "what is the name of it"
    a = engine.ask("who is Shabna Begum again? need her title for the post")
    assert not a.abstained and "co-chief executive" in a.answer
    a = engine.ask("wots the name of the met's big new plan they launched in summer 2023?")
    assert not a.abstained and "New Met for London" in a.answer


def test_a_sum_spent_on_a_thing_called_by_a_common_noun_and_a_count_told_with_its_act(engine):
    a = engine.ask("How much money is the Met throwing at this big overhaul of theirs?")
    assert not a.abstained and "£366 million" in a.answer
    a = engine.ask("how many cops are they moving out of central london onto local beats?")
    assert not a.abstained and "240" in a.answer
    # a work the question names, which the sentence with the sum is not about, or a place no document names
    for q in ["How much is the Met spending on the Race Action Plan?", "how many officers is the Met moving to Lewisham?",
              "how much is the met spending on the new imaging devices for victims"]:
        assert engine.ask(q).abstained, q


def test_a_relative_clause_describes_what_is_asked_about():
    from retrieval.questions import asked_event

    assert asked_event("How long, in pages, is the Met's reform plan that Dr Begum criticised?") == []
    assert asked_event("has the plan that the Met launched been scrapped?") == ["scrapped"]
    assert asked_event("were the officers that searched Child Q sacked?") == ["sacked"]
    assert asked_event("Is it true that the officers were sacked?") == ["sacked"]


def test_anyone_saying_it_and_a_speaker_named_where_the_quotation_closes(engine):
    a = engine.ask("How long, in pages, is the Met's reform plan that Dr Begum criticised?")
    assert not a.abstained and "80-page" in a.answer
    a = engine.ask("Does anyone say youth projects like ours should get money so we can hold the police to account locally?")
    assert not a.abstained
    a = engine.ask("How did Shabna Begum describe where things are with the policing of black and minority ethnic "
                   "communities?")
    assert not a.abstained and "absolute crisis point" in a.answer


def test_a_sentence_listing_what_the_question_asks_for_is_among_the_best(engine):
    a = engine.ask("What issues did the ARE letter say the next commissioner needs to tackle?")
    assert not a.abstained
    for item in ["facial recognition", "suspicion-less searches", "taser", "strip searching"]:
        assert item in a.answer, item


def test_before_it_gets_any_bigger_is_before_any_further_expansion(engine):
    from retrieval.textutil import in_plain_words

    for q in ["what needs sorting inside the Met before it grows any bigger?",
              "what has to happen first before the Met puts more officers on the streets?"]:
        assert "before any further police expansion" in in_plain_words(q), q
    a = engine.ask("What did the thirty groups say has to change inside the Met before it gets any bigger?")
    assert not a.abstained and "culture change" in a.answer


def test_what_he_says_will_rebuild_trust_is_found_where_he_says_it(engine):
    from retrieval.textutil import in_plain_words

    assert "words or action" in in_plain_words("rowley reckons trust comes back thru what, talking or doing stuff?")
    a = engine.ask("what does Rowley reckon will actually win back people's trust?")
    assert not a.abstained and a.answer.startswith("“Action, not words, will rebuild trust")
    # what someone says will happen is not refused for want of the question's words
    a = engine.ask("what does he reckon will happen if those groups get proper funding?",
                   ["Who is Jeremy Crook?", "What did he say about Black-led organisations?"])
    assert not a.abstained


def test_what_follows_from_distrust_is_read_where_it_means_it(engine):
    for q in ["what does the letter to patel say goes wrong when people dont trust the police?",
              "Why, according to the joint 2022 letter, does low public confidence in the police matter in practice?"]:
        a = engine.ask(q)
        assert not a.abstained and "do not report crimes" in a.answer and "potential recruits" in a.answer, q


def test_what_a_banner_said_is_read_where_the_banner_is(engine):
    a = engine.ask("What did the banner at the Hackney protest over Child Q say?")
    assert not a.abstained and "Wake up and smell the racism" in a.answer


def test_speaking_up_about_colleagues_misconduct_is_calling_out_unacceptable_behaviour(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("What is the force promising staff who speak up about colleagues' misconduct?") == \
        "What is the force promising staff who call out unacceptable behaviour?"
    assert "call out unacceptable behaviour" in in_plain_words("if a member reports a colleague for racist behaviour")
    assert in_plain_words("did anyone call out racism?") == "did anyone call out racism?"
    a = engine.ask("If a copper speaks up about racist colleagues, does he get any backup?")
    assert not a.abstained and "support and protection" in a.answer


def test_a_letter_named_by_whom_it_went_to_is_dated_by_each_report_whatever_it_was_about(engine):
    a = engine.ask("when was the letter to rowley about new met for london actually sent")
    assert a.answer.startswith("No document gives the date") and "2023-07-30" in a.answer and "2025-01-16" in a.answer
    # a letter said only by what it criticised is not the 2022 letter to Priti Patel
    a = engine.ask("When was the open letter criticising the New Met for London plan actually sent?")
    assert "2022-04-28" not in a.answer


def test_which_officer_did_it_asks_the_officers_name(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("which officer shot chris kaba? name?").startswith("what is the name of the officer who shot")
    assert in_plain_words("which officers were sacked?") == "which officers were sacked?"
    assert engine.ask("which officer shot chris kaba? name?").abstained


def test_whom_someone_was_with_is_a_companion_however_named(engine):
    a = engine.ask("who was she with when it happened", ["What happened to that woman in Croydon mentioned in the letter to the Met?"])
    assert not a.abstained and "her young son" in a.answer
    a = engine.ask("who was she with at the time?", ["What happened with Bianca Williams and the Met?"])
    assert not a.abstained and "Ricardo Dos Santos" in a.answer


def test_saying_sorry_is_offering_an_apology_made_to_the_letters_you(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("did rowley ever say sorry?") == "did rowley ever apologise?"
    for q in ["did rowley actually say sorry or not", "Did the Met actually say sorry to communities when it responded "
              "to the Casey findings?", "Has the Met even said sorry to people like me?"]:
        a = engine.ask(q)
        assert not a.abstained and "offering an apology" in a.answer, q
    # an apology to someone no apology sentence names is not reported
    for q in ["did the met ever say sorry to child q's family", "did the Met ever apologise to Bianca Williams?"]:
        assert engine.ask(q).abstained, q


def test_who_was_consulted_on_a_plan_is_whose_input_it_was_made_with(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("Who did the Met talk to when it was putting its race plan together?") == \
        "Who did the Met get input from when it was making its race plan?"
    for q in ["Who did the Met talk to when it was putting its race plan together?",
              "who actually helped put this race plan together, was it just the top brass?",
              "Were black people actually asked for their views when the Race Action Plan was put together?"]:
        a = engine.ask(q)
        assert not a.abstained and "made with input from black communities" in a.answer, q


def test_who_is_asking_is_set_aside_as_a_remark():
    from retrieval.textutil import without_asides

    assert without_asides("How often is the Met going to report progress on the Race Action Plan? Asking as a Hackney "
                          "GP who'd like to keep track") == \
        "How often is the Met going to report progress on the Race Action Plan?"
    assert without_asides("Which practices did the letter say need tackling? Several relate to health so interested "
                          "as a GP.") == "Which practices did the letter say need tackling?"
    q = "What did the letter say? The one from 2022."
    assert without_asides(q) == q


def test_a_name_asked_of_a_person_called_by_what_they_do(engine):
    a = engine.ask("What is the name of the Team GB runner whose stop and search caused tension with the Met?")
    assert not a.abstained and "Bianca Williams" in a.answer
    assert engine.ask("What is the name of the school Child Q attended?").abstained
    a = engine.ask("who is dr shabna begum? what's her role")
    assert not a.abstained and "co-chief executive" in a.answer
    a = engine.ask("Who is the top boss at the Met that these groups keep writing to?")
    assert not a.abstained and "Rowley" in a.answer


def test_it_after_a_case_named_by_a_person_is_the_case(engine):
    from retrieval.conversation import Turn, resolve
    from retrieval.textutil import in_plain_words

    turns = [Turn(question="can someone explain the Child Q thing, the girl at the Hackney school",
                  answer="Trust in the force was also damaged after a 15-year-old black girl – known as Child Q – was "
                         "strip searched while on her period at her school in Hackney in 2020. [1]")]
    assert resolve("did people protest about it?", turns) == "did people protest about the Child Q case?"
    assert in_plain_words("when did it come out publicly?") == "when did it come to light?"
    assert in_plain_words("when did the report come out?") == "when did the report come out?"
    a = engine.ask("Did people protest about it?", ["What is the Child Q case?", "Where did it happen?"])
    assert not a.abstained and "Hundreds protested" in a.answer


def test_chat_spellings_of_would_and_how_long_a_named_thing_runs(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("what did he say wd rebuild trust") == "what did he say would rebuild trust"
    a = engine.ask("and how long does the whole scheme run for?", ["how many officers is the met moving from central to local teams?"])
    assert not a.abstained and "two-year" in a.answer


def test_everyday_phrases_put_in_the_documents_words(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("officers who grass on bad behaviour") == "officers who call out unacceptable behaviour"
    assert in_plain_words("the met being out of touch with the ppl it polices") == "the met disconnect with the people it polices"
    assert in_plain_words("how many coppers are being taken off central duties and put on neighbourhood patches?") == \
        "how many officers are being moved from central duties to neighbourhood patches?"
    assert in_plain_words("people who've just joined the force") == "new recruits"
    assert in_plain_words("how many turned out to demonstrate?") == "how many protested?"
    cases = {
        "how many coppers are being taken off central duties and put on neighbourhood patches?": "240 officers",
        "Roughly how many people turned out to demonstrate locally once the Child Q story broke?": "Hundreds protested",
        "Is the Met doing anything different with people who've just joined the force?": "new recruits",
        "what happens to officers who grass on bad behaviour inside the met, do they get looked after?": "support and protection",
        "what did the runnymede letter say about the met being out of touch with the ppl it polices": "disconnect",
    }
    for q, said in cases.items():
        a = engine.ask(q)
        assert not a.abstained and said in a.answer, q


def test_what_happens_to_officers_who_do_something_asks_no_outcome():
    from retrieval.questions import OUTCOME_Q

    assert not OUTCOME_Q.search("what happens to officers who call out unacceptable behaviour?")
    assert OUTCOME_Q.search("what happened to the officers who stopped Bianca Williams?")


def test_whom_a_body_works_for_is_read_on_its_own_page(engine):
    for q, history in [("Who does Action for Race Equality mainly work for?", []),
                       ("who do they work with mainly?", ["Who are Action for Race Equality?"])]:
        a = engine.ask(q, history)
        assert not a.abstained and "Empowering Young People" in a.answer, q
    # the page is Action for Race Equality's, not EQUAL's
    assert "Empowering Young People" not in engine.ask("who does EQUAL help?").answer.split(".")[0]


def test_unreported_acts_days_and_ratios_are_refused(engine):
    from retrieval.questions import asked_event

    assert set(asked_event("Did the officers who strip-searched Child Q face any disciplinary action?")) >= {"sacked", "disciplined"}
    assert asked_event("is the gangs matrix still being used by the met or did they scrap it") == ["scrapped"]
    for q in ["Did the officers who strip-searched Child Q face any disciplinary action?",
              "what exact day in march was the casey review published",
              "is the gangs matrix still being used by the met or did they scrap it",
              "Did the Met ever carry out the equalities impact assessment the coalition demanded?",
              "What was the stop and search disproportionality ratio for black Londoners in the Casey review?"]:
        assert engine.ask(q).abstained, q
    # the month is given where only the month is asked, and a ratio with its figures is still read
    a = engine.ask("what month was the casey review published?")
    assert not a.abstained and "March 2023" in a.answer
    a = engine.ask("what were the promotion pass rates for black officers?")
    assert not a.abstained and "68%" in a.answer


def test_pages_are_those_of_the_work_named_in_a_report_on_it(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("how many pages is the new met for london plan lol") == "how many pages is the new met for london plan"
    for q in ["how many pages is the new met for london plan lol", "How long is the New Met for London plan document, in pages?",
              "How long was the reform document that the Runnymede Trust's Shabna Begum said failed to inspire confidence?"]:
        a = engine.ask(q)
        assert not a.abstained and "80-page" in a.answer, q
    # no report on the Race Action Plan gives its pages, and the 80 pages are a plan's, not a review's
    for q in ["How many pages is the Race Action Plan?", "How many pages is the Casey review?"]:
        assert engine.ask(q).abstained, q


def test_who_was_with_her_and_the_person_in_charge(engine):
    from retrieval.conversation import Turn, resolve

    turns = [Turn(question="The letter to Rowley mentions a viral incident in Croydon - what was that?",
                  answer="Additionally, it mentions another incident that went viral on social media, where a black woman "
                         "was arrested and detained by Met officers in Croydon in front of her young son. [1]")]
    assert resolve("who was with her when it happened?", turns) == "who was with the black woman when it happened?"
    a = engine.ask("who was with her when it happened?", ["tell me about the woman who got arrested in croydon, the video that went viral"])
    assert not a.abstained and "her young son" in a.answer
    a = engine.ask("Who is the person in charge of the Met that these groups keep writing to?")
    assert not a.abstained and "Rowley" in a.answer


def test_when_something_should_be_allowed_asks_in_what_circumstances(engine):
    from retrieval.questions import question_kind

    assert question_kind("so when should the searches be allowed to happen?") == "other"
    assert question_kind("when will the plan happen?") == "when"
    assert question_kind("when did it happen?") == "when"
    a = engine.ask("so when should they be allowed to happen?", ["what does the met's plan say about intimate searches on children?"])
    assert not a.abstained and "necessary and proportionate" in a.answer


def test_which_watchdog_is_a_body_that_oversees_or_the_one_called_the_watchdog(engine):
    for q in ["Which watchdog published the figures on deaths in or following police custody?",
              "which watchdog reported the custody deaths?"]:
        a = engine.ask(q)
        assert not a.abstained and "Independent Office for Police Conduct" in a.answer, q
        assert not a.answer.startswith("Inquest spokeswoman"), q


def test_a_plan_named_in_the_sentence_before_the_one_saying_what_it_includes(engine):
    for q in ["What is the name of the Met plan that includes the new stop and search charter?",
              "What is the name of the Met plan that introduces the new stop and search charter?"]:
        a = engine.ask(q)
        assert not a.abstained and "Race Action Plan" in a.answer, q


def test_the_top_guy_running_the_met_and_the_young_ones_joining_it():
    from retrieval.textutil import in_plain_words

    assert in_plain_words("whos the top guy running the met") == "who is the commissioner of the met"
    assert in_plain_words("Will the young ones joining the police be taught it?") == "Will the new recruits be taught it?"


def test_nationality_is_where_someone_is_from_and_pages_of_a_work_named_by_no_name(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("wats the nationality of bianca williams partner, the sprinter?") == \
        "where is bianca williams partner, the sprinter from?"
    a = engine.ask("wats the nationality of bianca williams partner, the sprinter?")
    assert not a.abstained and "Portuguese" in a.answer
    a = engine.ask("How thick is the Met's reform document - how many pages are we talking?")
    assert not a.abstained and "80-page" in a.answer
    # the 80 pages are a plan's, not a letter's
    assert engine.ask("how many pages long was the letter to Rowley?").abstained


def test_who_did_something_is_read_where_it_was_done_by_them(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("who organised the letter?") == "who coordinated the letter?"
    for q in ["Who coordinated the open letter to Rowley about the New Met for London plan?",
              "yo who organised that letter slamming the new met for london plan"]:
        a = engine.ask(q)
        assert not a.abstained and "coordinated by the Runnymede Trust" in a.answer, q
    a = engine.ask("and who from there got quoted in the guardian", ["yo who organised that letter slamming the new met for london plan"])
    assert not a.abstained and "Shabna Begum" in a.answer


def test_counter_terror_methods_are_the_terrorist_style_tactics(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("are they using anti terror methods on men who prey on women?") == \
        "are they using terrorist-style tactics on predators targeting women?"
    a = engine.ask("heard the met is going to use counter-terror methods on something - what?")
    assert not a.abstained and "terrorist-style tactics to catch predators targeting women" in a.answer


def test_who_they_drew_it_up_with_is_whose_input_it_was_made_with():
    from retrieval.slots import INPUT_Q
    from retrieval.textutil import in_plain_words

    assert in_plain_words("Who did they draw it up with?") == "Who did they make it with?"
    assert in_plain_words("who drew it up?") == "who made it?"
    assert INPUT_Q.search("who did the met make it with?")
    assert not INPUT_Q.search("who did the met meet with?")


def test_a_word_no_document_holds_is_phrasing_not_what_he_is_asked_to_speak_of(engine):
    a = engine.ask("And what did Rowley say about the word 'institutional' afterwards?",
                   ["What did the Casey review find about the Met?", "When was it published?"])
    assert not a.abstained and "would not use the term" in a.answer
    # he still speaks of nothing he is asked about that the documents hold
    assert engine.ask("What did Rowley say about facial recognition?").abstained


def test_they_after_a_date_answer_are_who_the_turn_before_asked_about(engine):
    history = ["Who wrote to Priti Patel about how the new Met commissioner should be recruited?", "When was that published?"]
    a = engine.ask("What did they say they liked about the job advert?", history)
    assert not a.abstained and "inspirational leadership" in a.answer


def test_either_word_asked_shows_each_source():
    from retrieval.questions import alternatives

    assert alternatives("did casey say the met was sexist or misogynistic? my notes have both") == ["sexist", "misogynistic"]
    assert alternatives("Casey said the Met was racist sexist and homophobic right? or was it misogynistic") == \
        ["homophobic", "misogynistic"]
    assert alternatives("was the letter sent to Rowley or not?") == []


def test_either_word_asked_after_a_tag_question_is_answered_from_both_sources(engine):
    a = engine.ask("casey said the met was racist sexist and homophobic right? or was it misogynistic")
    assert not a.abstained and "sexist" in a.answer and "misogynistic" in a.answer
    assert len({c.doc_id for c in a.citations}) == 2


def test_nigerian_pidgin_is_read_in_english_words(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("wetin the campaigners dem call am for their letter?") == \
        "what the campaigners call it for their letter?"
    assert in_plain_words("who be the met commissioner wey the runnymede letter address?") == \
        "who is the met commissioner that the runnymede letter address?"
    assert in_plain_words("how much e cost?") == "how much it cost?"
    # English is left as it is: "I am", a talk about something, "Dat" as a name
    assert in_plain_words("I am asking what people talk about") == "I am asking what people talk about"
    a = engine.ask("how much e cost?", ["wat is this new met for london plan pple dey talk about"])
    assert not a.abstained and "£366 million" in a.answer
    a = engine.ask("who be the met commissioner wey the runnymede letter address?")
    assert not a.abstained and "Sir Mark Rowley" in a.answer
    assert engine.ask("una think say rowley na good commissioner?").abstained


def test_did_casey_say_is_told_by_her_review(engine):
    a = engine.ask("Did Casey say anything about how people felt after being stopped and searched?")
    assert not a.abstained and "traumatised and humiliated" in a.answer
    # the review is hers, not the IOPC's
    assert engine.ask("Has the IOPC said how people felt after being stopped and searched?").abstained


def test_where_was_that_is_where_the_thing_the_last_question_asked_of_was(engine):
    a = engine.ask("where was that", ["wat was the viral vid the runnymede letter talked about"])
    assert not a.abstained and "Croydon" in a.answer


def test_which_people_does_it_name_keeps_the_last_questions_subject():
    from retrieval.conversation import Turn, resolve

    resolved = resolve("Which people does it name?", [Turn("What did the IOPC report say about deaths in or after police custody?")])
    assert "deaths" in resolved


def test_rights_a_phone_number_and_this_weekend_need_a_sentence_giving_them(engine):
    for q in ["what are my rights if im stopped under section 60? asking for a mate",
              "wetin be the number to call if police dey harass person for london?",
              "is there a protest in hackney this weekend anyone going"]:
        assert engine.ask(q).abstained, q
    a = engine.ask("How many protested in Hackney after the Child Q incident?")
    assert not a.abstained and "Hundreds protested in Hackney" in a.answer


def test_meeting_with_the_campaigners_is_the_verb_not_the_force(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("has the met sat down face to face with them?") == "has the met met with them?"
    assert in_plain_words("What did the Met's press office say?") == "What did the Met's spokesperson say?"
    for q, history in [("Had they actually sat down with the campaigners?", ["How did the Met respond to the Runnymede letter?"]),
                       ("has the met actually sat down face to face with any of the groups that complained?", [])]:
        a = engine.ask(q, history)
        assert not a.abstained and "recently met with the Runnymede Trust" in a.answer, q


def test_injuries_spotted_and_the_local_beat_are_the_documents_bruising_and_neighbourhood_policing(engine):
    a = engine.ask("What kit is the Met bringing in to help spot injuries on people who've been attacked?")
    assert not a.abstained and "imaging devices to identify bruising" in a.answer
    a = engine.ask("so is the met actually putting more bobbies back on local beats or what")
    assert not a.abstained and "240 officers" in a.answer


def test_who_a_body_says_it_works_for_is_read_on_its_own_page(engine):
    a = engine.ask("Who does Action for Race Equality say it works for / empowers?")
    assert not a.abstained and "Empowering Young People who are Black, Asian and of Mixed Heritage" in a.answer


def test_who_spoke_to_the_press_about_it_is_who_was_quoted(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("Who from the Runnymede Trust spoke to the press about the plan?") == \
        "Who from the Runnymede Trust was quoted about the plan?"
    q = "Who from the Runnymede Trust spoke to the press about the New Met for London plan?"
    a = engine.ask(q)
    assert not a.abstained and "Shabna Begum" in a.answer
    a = engine.ask("What's her job title there?", [q])
    assert not a.abstained and "co-chief executive" in a.answer


def test_it_after_a_thing_the_question_itself_brings_in_is_that_thing(engine):
    from retrieval.conversation import Turn, resolve

    assert resolve("The 2022 letter mentions a super-complaint. Who made it?", []) == \
        "The 2022 letter mentions a super-complaint. Who made the super-complaint?"
    assert resolve("What's it about?", [Turn("The 2022 letter mentions a super-complaint. Who made it?")]) == \
        "What's the super-complaint about?"
    a = engine.ask("What's it about?", ["The 2022 letter mentions a super-complaint. Who made it?"])
    assert not a.abstained and "stop & search" in a.answer


def test_how_a_body_described_something_is_the_word_it_used_of_it(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("How did the IOPC describe the rise in deaths?") == "How did the IOPC describe the increase in deaths?"
    for q in ["How did the IOPC describe the rise in deaths in or following police custody?",
              "What word did the IOPC use to describe the rise in deaths in or following police custody?"]:
        a = engine.ask(q)
        assert not a.abstained and "“concerning” increase" in a.answer, q


def test_whom_a_bodys_work_is_aimed_at_is_read_on_its_own_page(engine):
    a = engine.ask("who is Action for Race Equality's work mainly aimed at?")
    assert not a.abstained and a.answer.startswith("Empowering Young People")


def test_his_reasoning_is_for_what_the_last_question_asked_he_did(engine):
    for q, history in [("What was his reasoning?", ["After the Casey report, did Rowley refuse to use the word 'institutional'?"]),
                       ("What reason did he give?",
                        ["After the Casey report came out in March, did Mark Rowley accept the word 'institutional'?"])]:
        a = engine.ask(q, history)
        assert not a.abstained and "unambiguous and is apolitical" in a.answer, q


def test_did_he_agree_is_read_in_the_quotation_he_began(engine):
    a = engine.ask("Did Jeremy Crook go along with the idea that it's just a handful of rotten officers?")
    assert not a.abstained and "few bad apples" in a.answer


def test_the_names_a_report_mentions_are_the_people_it_names_not_who_speaks_of_it(engine):
    for q, history in [("which names did they mention", ["what did the IOPC report say about custody deaths"]),
                       ("who were the named ppl in it", ["what did the IOPC report on custody deaths say"]),
                       ("Which people were named among those deaths?",
                        ["What did the IOPC say about deaths in or following police custody?"])]:
        a = engine.ask(q, history)
        assert not a.abstained and "Chris Kaba" in a.answer and "Oladeji Omishore" in a.answer, q
        assert not a.answer.startswith("Inquest spokeswoman"), q


def test_cases_dragging_on_are_the_delays_the_plan_would_reduce(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("how long court cases take") == "delays in cases"
    for q, history in [("Will they do anything about how long court cases take for these victims?",
                        ["What is the Met doing for black victims of crime under the new plan?"]),
                       ("When black people are victims of crime, is the Met doing anything about cases dragging on forever?", [])]:
        a = engine.ask(q, history)
        assert not a.abstained and "reduce delays in the criminal justice system" in a.answer, q


def test_what_other_organisations_already_do_is_what_many_organisations_now_do(engine):
    from retrieval.textutil import in_plain_words

    assert in_plain_words("bodies that let the people they serve help pick their top staff") == \
        "bodies that let the users of their services help pick their senior roles"
    for q, history in [("Did the 2022 letter point to other bodies that let the people they serve help pick their top staff?", []),
                       ("What do they say other organisations already do?",
                        ["Did the 2022 letter suggest how communities could be involved in recruiting the new Commissioner?"])]:
        a = engine.ask(q, history)
        assert not a.abstained and "users of their services" in a.answer, q


def test_when_a_plan_was_brought_out_is_dated_by_each_report_that_names_it(engine):
    for q in ["when did the met bring out the new met for london plan? seein diff dates on the articles",
              "When was that New Met for London plan brought in? What year?"]:
        a = engine.ask(q)
        assert not a.abstained and "2023-07-30" in a.answer and "2025-01-16" in a.answer, q
        assert "launched last week under the banner of ‘A New Met for London’" in a.answer, q


def test_a_chance_they_blew_is_a_missed_opportunity():
    from retrieval.textutil import in_plain_words

    assert in_plain_words("was the plan a chance they blew?") == "was the plan a missed opportunity?"
    assert in_plain_words("a wasted opportunity") == "a missed opportunity"
    assert in_plain_words("how the new chief gets picked") == "how the new chief is recruited"


def test_is_that_the_highest_compares_the_figure_the_last_question_asked_for(engine):
    a = engine.ask("Since when is that the highest figure?",
                   ["What did the IOPC report on deaths in or following police custody find?"])
    assert not a.abstained and "highest since 2017-18" in a.answer
