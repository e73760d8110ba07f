"""Build tiny, structurally real ``.argosmodel`` packages for tests (adapted from
``shared/reference/build_tiny_argosmodel.py``).

Each package has what Argos Translate 1.11 loads: ``metadata.json``, a SentencePiece model,
a CTranslate2 transformer (random weights: the output is garbage words, but it goes
through the real tokenizer, model and decoder) and, optionally, a MiniSBD ONNX sentence
splitter. Building one takes under a second; ``onnx`` is needed only here, at build time.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from pathlib import Path

DIM, FFN, LAYERS, HEADS, SEED = 32, 64, 2, 2, 0
EOS_BIAS = 2.0  # favour "</s>" so random weights stop early instead of decoding 256 tokens
VOCAB_SIZE = 120
WORDS = [
    "the",
    "a",
    "cat",
    "dog",
    "house",
    "tree",
    "red",
    "blue",
    "big",
    "small",
    "runs",
    "eats",
    "sees",
    "likes",
    "we",
    "you",
    "they",
    "is",
    "are",
    "was",
    "very",
    "quickly",
    "slowly",
    "and",
    "or",
    "but",
    "with",
    "without",
    "today",
    "tomorrow",
    "city",
    "river",
    "book",
    "table",
    "window",
    "green",
    "yellow",
    "old",
    "new",
    "happy",
    "sad",
    "water",
    "bread",
]


def _train_tokenizer(path: Path) -> list[str]:
    import sentencepiece as spm

    rng = random.Random(SEED)
    lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).capitalize() + rng.choice(".!?") for _ in range(400)]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buffer, vocab_size=VOCAB_SIZE, model_type="unigram",
        character_coverage=1.0, minloglevel=2, normalization_rule_name="identity",
    )  # fmt: skip
    path.write_bytes(buffer.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=buffer.getvalue())
    return [processor.id_to_piece(i) for i in range(VOCAB_SIZE)]  # 0, 1, 2 = <unk>, <s>, </s>


def _build_model(folder: Path, vocabulary: list[str]) -> None:
    import numpy as np
    from ctranslate2 import specs

    rng = np.random.default_rng(SEED)
    spec = specs.TransformerSpec.from_config((LAYERS, LAYERS), HEADS)

    def shape(path: str) -> tuple[int, ...]:
        if path.endswith(("gamma", "beta")):
            return (DIM,)
        if "embeddings" in path or "projection" in path:
            return (len(vocabulary), DIM)
        if "self_attention/linear_0" in path:
            return (3 * DIM, DIM)
        if "/attention/linear_1" in path:
            return (2 * DIM, DIM)
        if "ffn/linear_0" in path:
            return (FFN, DIM)
        if "ffn/linear_1" in path:
            return (DIM, FFN)
        return (DIM, DIM)

    def fill(layer: object, path: str) -> None:
        for name, value in list(vars(layer).items()):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    fill(item, f"{path}/{name}_{index}")
            elif isinstance(value, specs.model_spec.LayerSpec):
                fill(value, f"{path}/{name}")
            elif value is None:
                size = shape(f"{path}/{name}")
                array = np.ones(size) if name == "gamma" else np.zeros(size) if name == "beta" else rng.normal(0, 0.2, size)
                setattr(layer, name, array.astype(np.float32))

    fill(spec, "")
    bias = np.zeros(len(vocabulary), np.float32)
    bias[2] = EOS_BIAS
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    folder.mkdir()
    spec.validate()
    spec.optimize(quantization=None)
    spec.save(str(folder))


def _build_splitter(path: Path, language: str) -> None:
    """A character classifier: '.', '!' and '?' end a sentence, nothing else does."""
    import numpy as np
    import onnx
    from onnx import TensorProto
    from onnx import helper as h

    units = ["<PAD>", "<UNK>", ".", "!", "?"]
    table = np.zeros((len(units), 5), np.float32)
    table[:, 0] = 1
    table[2:, 2] = 5
    graph = h.make_graph(
        [h.make_node("Gather", ["table", "units"], ["logits"])], "tiny_sbd",
        [h.make_tensor_value_info("units", TensorProto.INT64, ["B", "T"]),
         h.make_tensor_value_info("features", TensorProto.FLOAT, ["B", "T", "F"])],
        [h.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", "T", 5])],
        [onnx.numpy_helper.from_array(table, "table")],
    )  # fmt: skip
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", 13)])
    model.ir_version = 8
    vocab = {"lang": language, "idx": 0, "cutoff": 0, "lower": False,
             "_id2unit": units, "_unit2id": {u: i for i, u in enumerate(units)}}  # fmt: skip
    config = {"feat_funcs": ["space_before"], "max_seqlen": 1000, "use_dictionary": False}
    for key, value in {
        "lang_code": language,
        "config": json.dumps(config),
        "vocab": json.dumps(vocab),
        "lexicon": "null",
    }.items():
        model.metadata_props.add(key=key, value=value)
    onnx.save(model, str(path))


def build_package(out_file: Path, source: str, target: str, *, with_splitter: bool = True, version: str = "0.1") -> Path:
    """Write ``out_file`` (an .argosmodel) translating ``source`` -> ``target``."""
    name = f"translate-{source}_{target}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / name
        folder.mkdir()
        vocabulary = _train_tokenizer(folder / "sentencepiece.model")
        _build_model(folder / "model", vocabulary)
        if with_splitter:
            (folder / "minisbd").mkdir()
            _build_splitter(folder / "minisbd" / f"{source}.onnx", source)
        metadata = {"package_version": version, "argos_version": "1.11", "type": "translate",
                    "from_code": source, "from_name": source, "to_code": target, "to_name": target, "links": []}  # fmt: skip
        (folder / "metadata.json").write_text(json.dumps(metadata))
        with zipfile.ZipFile(out_file, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(folder.rglob("*")):
                bundle.write(path, path.relative_to(tmp))
    return out_file


if __name__ == "__main__":
    import sys

    build_package(Path(sys.argv[1]), sys.argv[2], sys.argv[3], with_splitter="--no-sbd" not in sys.argv)
