"""Greetings, thanks and questions about the collection get replies of their own, and are no turn a
follow-up leans on."""

from retrieval.smalltalk import LISTED, kind_of, reply
from retrieval.types import DocMeta


def test_messages_that_are_not_questions_about_the_documents_are_told_apart():
    assert kind_of("hi") == kind_of("Good morning team!") == "greeting"
    assert kind_of("thanks!") == kind_of("ok, thank you") == kind_of("cheers") == "thanks"
    assert kind_of("ok") == kind_of("Got it.") == "ok"
    assert kind_of("help") == kind_of("what can you do?") == "help"
    assert kind_of("what docs do you have?") == kind_of("Which documents are there?") == "collection"
    for question in ("hi, who signed the letter?", "is that ok?", "thanks to whom was the plan launched?",
                     "what help did the Met offer victims?", "which documents mention Child Q?"):
        assert kind_of(question) is None, question


def test_the_collection_is_listed_newest_first_and_a_large_one_counted():
    docs = [DocMeta(f"d{i}", f"Report {i}", source="Pub", date=f"20{10 + i}-01-01") for i in range(LISTED + 5)]
    text = reply("what documents do you have?", "collection", docs).answer
    assert text.startswith(f"I answer from {LISTED + 5} documents:")
    assert text.index("Report 24") < text.index("Report 23") and "Report 0”" not in text
    assert "… and 5 more." in text and "“Report 24” (Pub, 2034-01-01)" in text


def test_small_talk_gets_its_reply_and_is_no_turn_of_the_conversation(engine):
    hello = engine.ask("hello")
    assert hello.abstained and not hello.citations and "do not answer this question" not in hello.answer
    assert set(hello.to_dict()["timings_ms"]) == {"retrieve", "answer", "total"}  # the answer object's keys
    listed = engine.ask("what documents do you have?").answer
    assert all(meta.title in listed for meta in engine.sources())
    assert engine.ask("thanks").answer == "You're welcome."
    for nothing in ("", "???", "🙂 "):
        assert engine.ask(nothing).answer == "Please ask a question about the documents."
    # "sources?" before any answer asks what the collection holds; after one, where that answer is from
    assert engine.ask("sources?").answer.startswith("I answer from 5 documents:")
    assert engine.ask("sources?", history=["who signed the runnymede letter?"]).answer.startswith("From “")
    # "who wrote it?" after "thanks" is about the answer before the thanks
    first = "what does the 2022 letter to priti patel ask for?"
    assert engine.ask("who wrote it?", history=[first, "thanks"]).answer == engine.ask("who wrote it?", history=[first]).answer
