"""The facade every front end uses (CLI, Telegram bot, evaluation, benchmark).

    engine = Engine.open(settings)                  # indexes first when there is no index yet
    answer = engine.ask("Who signed the letter?", history=["earlier question"])
    brief  = engine.brief("criticism of the New Met plan")

Engine methods are thread-safe; call them from asyncio with ``asyncio.to_thread``. A
long-running engine notices a newer index generation (built by ``citebot index`` in
another process) and switches to it between questions, without a restart.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from citebot.errors import CitebotError
from citebot.settings import Settings
from retrieval import smalltalk
from retrieval.about import SOURCE_OF_LAST, answer_date_of_last, answer_source_of_last
from retrieval.acronyms import names, spell_out
from retrieval.answer import ExtractiveAnswerer
from retrieval.brief_chat import answer_briefing_part
from retrieval.conversation import Turn, resolve, restated_count, with_topic
from retrieval.embed import Encoder
from retrieval.indexer import IndexReport, build_index, index_matches_settings
from retrieval.questions import DATED_DOCUMENT, ELSE_Q, dated_documents
from retrieval.search import LoadedIndex
from retrieval.speaker import answer_who_said_last
from retrieval.spelling import Speller
from retrieval.store import current_generation, current_marker
from retrieval.synonyms import in_the_documents_words
from retrieval.textutil import in_plain_words, without_asides
from retrieval.truecase import force_names, truecase
from retrieval.types import Answer, DocMeta, Document, Hit, Passage

MAX_QUESTION_CHARS = 2000  # NOTE: MiniLM reads 256 word pieces; longer questions only add noise
MAX_HISTORY = 4


def _spelled_out_names(documents) -> dict:
    """Letters -> the names of the documents (their metadata and text) with those initials."""
    metas = (f"{m.title or ''}\n{m.source or ''}\n{m.author or ''}" for m in map(documents.meta, documents))
    return names(itertools.chain(metas, (documents[d].text for d in documents)))


def _untimed(answer: Answer, started: float) -> Answer:
    """A reply made without searching (small talk, an empty message), with the answer object's timings."""
    total = (time.perf_counter() - started) * 1000
    answer.timings_ms = {"retrieve": 0.0, "answer": total, "total": total}
    return answer


class Engine:
    """Index, search and answer over one store."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.encoder = encoder or Encoder.from_settings(settings)
        self.answerer = ExtractiveAnswerer(settings)
        self._index: LoadedIndex | None = None
        self._marker: tuple[str, int] | None = None
        self._lock = threading.RLock()
        self._llm = None
        self._tables: dict[str, tuple[str, Any]] = {}  # name -> (index generation, a table of its documents)

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, settings: Settings, auto_index: bool = True, progress: bool = False) -> "Engine":
        """An engine over ``settings.store_dir``; builds the index first when there is none."""
        engine = cls(settings)
        if settings.search_mode != "bm25":
            engine.encoder.warm_in_background()  # the model loads while the index opens
        if not index_matches_settings(settings):
            if not auto_index:
                what = "No index" if current_generation(settings.store_dir) is None else "An outdated index"
                raise CitebotError(f"{what} at {settings.store_dir}; run `citebot index` first.")
            engine.index(progress=progress, wait=True)
        engine._load()
        return engine

    def index(self, progress: bool = False, wait: bool = False) -> IndexReport:
        """Bring the index up to date with the corpus (incrementally) and use it."""
        report = build_index(self.settings, self.encoder, progress=progress, wait=wait)
        with self._lock:
            self._load()
        return report

    def _load(self) -> LoadedIndex:
        gen = current_generation(self.settings.store_dir)
        if gen is None:
            raise CitebotError(f"No index at {self.settings.store_dir}; run `citebot index` first.")
        with self._lock:
            if self._index is None or self._index.generation.name != gen.name:
                old = self._index
                self._index = LoadedIndex(self.settings, gen)
                if old is not None:
                    old.close()
            self._marker = current_marker(self.settings.store_dir)
            return self._index

    @property
    def loaded(self) -> LoadedIndex:
        """The current index, switching to a newer generation when one was published."""
        with self._lock:
            if self._index is None or current_marker(self.settings.store_dir) != self._marker:
                return self._load()
            return self._index

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    # ------------------------------------------------------------------ reading
    def sources(self) -> list[DocMeta]:
        """Metadata of every indexed document, by doc id."""
        documents = self.loaded.documents
        return [documents.meta(doc_id) for doc_id in documents]

    def document(self, doc_id: str) -> Document | None:
        return self.loaded.documents.get(doc_id)

    def passage(self, passage_id: str) -> Passage | None:
        index = self.loaded
        row = index.row_of.get(passage_id)
        return index.passages[row] if row is not None else None

    def search(self, query: str, k: int | None = None, mode: str | None = None) -> list[Hit]:
        """The top ``k`` passages for ``query``."""
        index = self.loaded
        vector = None if (mode or self.settings.search_mode) == "bm25" else self.encoder.encode_one(query)
        return index.search(query, vector, k or self.settings.top_k, mode)

    def brief(self, topic: str):
        """A staff briefing on ``topic`` (``.to_markdown()``, ``.to_html()``)."""
        from retrieval.brief import build_briefing

        return build_briefing(self, topic)

    # ------------------------------------------------------------------ answering
    def ask(self, question: str, history: Sequence[str | Turn] = ()) -> Answer:
        """Answer ``question`` with citations; ``history`` holds earlier questions, oldest first."""
        turns = self._replay(history)
        return self._answer(question, turns)

    def _replay(self, history: Sequence[str | Turn]) -> list[Turn]:
        """Earlier turns with their answers (questions alone are answered again, cheaply)."""
        turns: list[Turn] = []
        for item in list(history)[-MAX_HISTORY:]:
            q = item.question if isinstance(item, Turn) else str(item)
            if smalltalk.kind_of(q):
                continue  # "thanks" is no turn a follow-up leans on
            if isinstance(item, Turn) and item.answer:
                turns.append(item)
                continue
            previous = self._answer(q, turns)
            turns.append(Turn(q, previous.answer, [(c.doc_id, c.start) for c in previous.citations]))
        return turns

    def prepare(self, question: str, turns: list[Turn]) -> tuple[str, list[Turn], str]:
        """The question and earlier turns written as the documents write them ("what does rowley
        reckon ..." -> "what does Rowley think ..."), and the question resolved against the turns."""
        index = self.loaded
        cases = index.cases
        # the documents' words, for putting a question's typing slips right
        speller = self._per_generation(index, "words", lambda documents: Speller(documents[d].text for d in documents))

        def plain(text: str, restate: bool = False) -> str:
            text = without_asides(spell_out(speller.correct(text, self._known), self._known, self._name_for))
            return in_the_documents_words(in_plain_words(restated_count(text) if restate else text), self._known)
        question = truecase(force_names(plain(question, restate=True), self._known), cases)
        turns = [replace(t, question=truecase(plain(t.question), cases)) for t in turns]
        return question, turns, resolve(question, turns)

    def _per_generation(self, index: LoadedIndex, name: str, build: Callable[[Any], Any]) -> Any:
        """The table ``build`` makes of ``index``'s documents (one pass over them), made the first time it
        is needed and again only for a newer index generation."""
        with self._lock:
            held = self._tables.get(name)
            if held is None or held[0] != index.generation.name:
                held = self._tables[name] = (index.generation.name, build(index.documents))
            return held[1]

    def _name_for(self, letters: str) -> str | None:
        """The name the documents spell out for the abbreviation ``letters`` ("ARE": "Action for Race
        Equality"), the most used when several fit; the names are gathered the first time an abbreviation
        is asked about."""
        found = self._per_generation(self.loaded, "names", _spelled_out_names).get(letters)
        return found.most_common(1)[0][0] if found else None

    def _known(self, word: str) -> bool:
        """Does some passage have each of ``word``'s terms?"""
        bm25 = self.loaded.bm25
        terms = bm25.tokens(word)
        return bool(terms) and all(bm25.doc_freq(t) > 0 for t in terms)

    def _answer(self, question: str, turns: list[Turn]) -> Answer:
        started = time.perf_counter()
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not any(ch.isalnum() for ch in question):  # "", "???", "🙂"
            return _untimed(Answer(question, "Please ask a question about the documents.", True), started)
        # "hi", "thanks", "what documents do you have?"; "sources?" before any answer (after one: its sources)
        chat = smalltalk.kind_of(question) or \
            ("collection" if SOURCE_OF_LAST.match(question) and not any(t.quotes for t in turns[-1:]) else None)
        if chat:
            return _untimed(smalltalk.reply(question, chat, self.sources()), started)
        index = self.loaded
        asked = question
        question, turns, query = self.prepare(question, turns)
        vector = self.encoder.encode_one(query)
        k = max(self.settings.top_k, self.settings.answer_passages)
        hits = index.search(query, vector, k)
        if len(DATED_DOCUMENT.findall(query)) == 1:  # "the 2022 letter" (not "the 2022 letter and the 2023 one")
            hits = index.with_documents(hits, dated_documents(query, index), vector, self.settings.answer_passages)
        retrieved = time.perf_counter()
        # a follow-up wants something new: not what the last answer quoted ("more?": nor any earlier one)
        avoid = {q for t in (turns if ELSE_Q.search(question) else turns[-1:]) for q in t.quotes} \
            if query != question else None
        last = turns[-1] if turns and turns[-1].quotes else None
        # "source?", "who's who?" (on the last question's topic), "when was that sent?" about the letter the
        # last answer quoted, "who said that?"
        of_last = last and (answer_source_of_last(question, index, last.quotes) or
                            answer_briefing_part(self, question, [t.question for t in turns]) or
                            answer_date_of_last(question, query, index, hits, last.quotes[0][0], last.question) or
                            answer_who_said_last(question, index, last.quotes, last.question, k,
                                                 self.encoder.encode_one, self.answerer.abstain))
        if of_last:
            answer = of_last  # (a line of the documents about the last answer: no model rewrites it)
        else:
            answer, _judgement = self.answerer.answer(question, query, index, hits, vector, avoid, self.encoder.encode_one)
            if answer.abstained and query == question and turns:
                # "what did the panel decide?", "how did people react back then?": no pronoun to resolve, and
                # alone it is not answered; asked on the last question's topic, it may be
                # (the last question as it was resolved: "where did it happen?" is about Child Q)
                on_topic = with_topic(question, resolve(turns[-1].question, turns[:-1]))
                vector_on_topic = self.encoder.encode_one(on_topic)
                hits_on_topic = index.search(on_topic, vector_on_topic, k)
                retry, _judgement = self.answerer.answer(question, on_topic, index, hits_on_topic, vector_on_topic, None,
                                                         self.encoder.encode_one)
                if not retry.abstained:
                    answer, query, hits = retry, on_topic, hits_on_topic
            if self.settings.llm_base_url and self.settings.llm_model and not answer.abstained:
                from retrieval.llm import rewrite_with_llm

                answer = rewrite_with_llm(self.settings, question, index, hits, answer, self.encoder)
        answer.passages = hits[: max(self.settings.top_k, 10)]
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": (retrieved - started) * 1000,
            "answer": (done - retrieved) * 1000,
            "total": (done - started) * 1000,
        }
        if query != question:
            answer.notes.append(f"resolved as: {query}")
        answer.question = asked
        return answer
