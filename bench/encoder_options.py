"""Encoder settings that could make citebot faster, measured in a fresh process each.

    python -m bench.encoder_options '<json arguments>'

Measures one query's encoding latency and passage throughput for the configuration the
process was started with (``OMP_NUM_THREADS``, ``OMP_WAIT_POLICY`` in its environment) and,
when asked, for a dynamically int8-quantised copy of the model (``torch.ao.quantization``,
no download), with the cosine of its vectors to the float32 ones.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bench.child import RESULT, peak_rss_mb


def _query_ms(model, queries: list[str], repeat: int = 2) -> float:
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            model.encode([q], normalize_embeddings=True, convert_to_numpy=True)
            times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def _throughput(model, texts: list[str], batch_size: int) -> float:
    t = time.perf_counter()
    model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
    return round(len(texts) / (time.perf_counter() - t), 2)


def main() -> None:
    args = json.loads(Path(sys.argv[1][1:]).read_text() if sys.argv[1].startswith("@") else sys.argv[1])
    import numpy as np
    import torch

    from retrieval.embed import load_model

    model = load_model()
    queries: list[str] = args["queries"]
    passages: list[str] = args["passages"]
    model.encode(queries[:2])
    out = {
        "torch_threads": torch.get_num_threads(),
        "query_p50_ms": _query_ms(model, queries),
        "passages_per_s": _throughput(model, passages, 64),
    }
    if args.get("int8"):
        import copy

        reference = model.encode(passages, normalize_embeddings=True, convert_to_numpy=True)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantized = torch.ao.quantization.quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8)
        quantized.encode(queries[:2])
        vectors = quantized.encode(passages, normalize_embeddings=True, convert_to_numpy=True)
        out["int8"] = {
            "quantized_linear_layers": sum("quantized" in type(m).__module__ for m in quantized.modules()),
            "query_p50_ms": _query_ms(quantized, queries),
            "passages_per_s": _throughput(quantized, passages, 64),
            "cosine_to_fp32_mean": round(float(np.mean(np.sum(reference * vectors, axis=1))), 4),
            "cosine_to_fp32_min": round(float(np.min(np.sum(reference * vectors, axis=1))), 4),
        }
    out["rss_peak_mb"] = peak_rss_mb()
    print(RESULT + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
