"""Questions typed in lower case read names as the documents write them."""

from retrieval.truecase import case_table, load_case_table, truecase

TEXTS = [
    "Sir Mark Rowley said the plan was a step. Rowley met the Runnymede Trust on Monday.",
    "The IOPC report was published. Critics said Rowley had met them. The plan met its aims, said Runnymede.",
    "Action was promised. The groups took action. Rowley's office replied.",
]


def test_a_word_the_documents_capitalise_is_capitalised():
    table = case_table(TEXTS)
    assert truecase("what did rowley say to runnymede?", table) == "what did Rowley say to Runnymede?"
    assert truecase("what did the iopc find?", table) == "what did the IOPC find?"  # an abbreviation, used once


def test_a_word_the_documents_also_write_in_lower_case_stays_as_typed():
    table = case_table(TEXTS)
    assert truecase("who met the groups?", table) == "who met the groups?"  # "met" is mostly a verb here
    # the first word of a sentence is capitalised for that reason alone: "Action was promised"
    assert truecase("what action was taken?", table) == "what action was taken?"


def test_met_with_is_the_verb_even_where_the_documents_mostly_name_the_force():
    table = case_table(["The Met was criticised. The Met replied. The Met said so. The Met's plan."])
    assert truecase("did the met say?", table) == "did the Met say?"
    assert truecase("had he met with the campaigners?", table) == "had he met with the campaigners?"


def test_posts_and_titles_stay_posts():
    table = case_table(["Commissioner Sir Mark Rowley spoke. The Commissioner said so. Ask Commissioner Rowley."])
    assert truecase("what did the commissioner say?", table) == "what did the commissioner say?"


def test_the_table_is_built_with_the_index_and_used_by_the_engine(engine, bundled_store):
    from retrieval.store import current_generation

    table = load_case_table(current_generation(bundled_store).cases)
    assert table["rowley"] == "Rowley" and table["runnymede"] == "Runnymede"
    a = engine.ask("who from runnymede got quoted in the guardian?")
    assert not a.abstained and "Shabna Begum" in a.answer
    assert a.question == "who from runnymede got quoted in the guardian?"  # kept as typed


def test_an_index_built_before_the_table_reads_as_no_table(tmp_path):
    assert load_case_table(tmp_path / "cases.json") == {}


def test_an_abbreviation_in_brackets_counts_as_used():
    table = case_table(["The Independent Office for Police Conduct (IOPC) said so."])
    assert truecase("what did the iopc say?", table) == "what did the IOPC say?"


def test_a_name_never_written_in_lower_case_needs_one_use_inside_a_sentence():
    table = case_table(["Dr Shabna Begum spoke first. Begum added more.", "The office was shut. An Office said no."])
    assert table.get("begum") == "Begum"
    assert "office" not in table  # written in lower case too
    assert table.get("shabna") == "Shabna"  # used once, in running prose
    assert "shabna" not in case_table(["Interview With Dr Shabna Begum\nBegum said so. Begum added more."])


def test_a_name_used_once_in_running_prose_is_a_name_but_not_a_word_of_a_headline():
    texts = ["A black woman was detained by Met officers in Croydon in front of her young son.",
             "Commenting on it, Jeremy Crook, OBE, said so.",
             "Met Police Makeover Fails To Acknowledge Racism\nThe makeover was launched."]
    table = case_table(texts)
    assert table["croydon"] == "Croydon" and table["crook"] == "Crook"
    assert "fails" not in table and "acknowledge" not in table  # a title-case headline's words
    assert truecase("what did jeremy crook say about croydon?", table) == "what did Jeremy Crook say about Croydon?"


def test_words_shouted_in_capitals_are_not_their_usual_form():
    texts = ["THE PROGRAM IS PROVIDED WITHOUT WARRANTY OF ANY KIND. THE ENTIRE RISK AS TO THE QUALITY IS YOURS.",
             "The IOPC said the report was late. A spokesman for the IOPC agreed."]
    table = case_table(texts)
    assert "quality" not in table and "warranty" not in table and "risk" not in table
    assert table["iopc"] == "IOPC"  # an abbreviation beside lower-case words is still one
    assert truecase("what quality did the iopc want?", table) == "what quality did the IOPC want?"


def test_a_name_written_with_capitals_in_two_ways_is_a_name():
    # "StopWatch" once and "Stopwatch" once: neither form is most of the uses, both have capitals
    table = case_table(["Groups such as Inquest and StopWatch signed.", "Groups including Inquest and Stopwatch wrote."])
    assert truecase("what did stopwatch say?", table) == "what did StopWatch say?"
    # a word also written in lower case stays as typed
    table = case_table(["The Watch was set.", "A watch was kept.", "They watch it."])
    assert truecase("who keeps watch?", table) == "who keeps watch?"


def test_a_possessive_typed_in_lower_case_reads_the_name():
    table = case_table(TEXTS)
    assert truecase("what is rowley's view?", table) == "what is Rowley's view?"
    assert truecase("what is rowley’s view?", table) == "what is Rowley’s view?"
    assert truecase("what's the groups' view?", table) == "what's the groups' view?"
