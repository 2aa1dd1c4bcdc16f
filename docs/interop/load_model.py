#!/usr/bin/env python3
"""Read a model saved by `verify train --save-model` with numpy alone, and recompute its clean test error.

    python3 load_model.py MODEL.safetensors [RUN.json]

Prints the clean test errors recomputed from the saved weights and test points, against the noisy and the
clean labels, beside the counts the run measured (the file's metadata and, when given, the run's JSON from
`verify train --json --out RUN.json`). Exit code 0 when every count is equal, 1 when one differs, 2 when the
file is not a verify model. The format is described in docs/interop.md; no safetensors package is needed.
"""
import json
import struct
import sys

import numpy as np

FORMAT = "verify.model/1"
DTYPES = {"F64": "<f8", "F32": "<f4", "I8": "i1"}


def load(path):
    """The tensors (numpy arrays, by name) and the metadata (strings) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])  # header length, u64 little-endian
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    body = memoryview(data)[8 + n:]
    tensors = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        tensors[name] = np.frombuffer(body[begin:end], dtype=DTYPES[t["dtype"]]).reshape(t["shape"])
    return tensors, meta


def activation(meta):
    """phi of the run: leaky ReLU max(z, gamma*z), or its H-smooth version (docs/theory.md)."""
    kind, g, h = meta["activation"], float(meta["gamma"]), float(meta["smoothness"])
    if kind == "leaky-relu":
        return lambda z: np.where(z > 0, z, g * z)
    if kind == "smoothed-leaky-relu":
        shift = (1 - g) / (4 * h)
        return lambda z: np.where(z >= 1 / h, z - shift,
                                  np.where(z <= -1 / h, g * z - shift, (1 - g) * h / 4 * z * z + (1 + g) / 2 * z))
    if kind == "identity":
        return lambda z: z
    raise ValueError(f"unknown activation {kind!r}")


def network(tensors, meta):
    """f(x) = sum_s a_s phi(<w_s, x>) / sqrt(m) on the rows of x, in float64; also the size of its terms, sum_s |a_s phi| / sqrt(m)."""
    w = tensors["layer1.weight"].astype(np.float64)   # m x R: the rows w_s
    v = tensors["layer2.weight"].astype(np.float64)[0]  # m: a_s / sqrt(m)
    phi = activation(meta)

    def f(x):
        hidden = phi(x.astype(np.float64) @ w.T)
        return hidden @ v, np.abs(hidden) @ np.abs(v)
    return f


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    tensors, meta = load(argv[1])
    if meta.get("format") != FORMAT:
        print(f"error: {argv[1]} is not a {FORMAT} file (format {meta.get('format')!r})", file=sys.stderr)
        return 2
    out, size = network(tensors, meta)(tensors["test.x"])
    y, y_clean = tensors["test.y"], tensors["test.y_clean"]
    n_test = len(y)
    # An error is a margin y*f(x) <= 0, as the run counts it.
    noisy = int(np.sum(y * out <= 0))
    clean = int(np.sum(y_clean * out <= 0))
    # How close the nearest call is: |f(x)| against the size of its terms. Rounding (the run summed in its own order,
    # in its precision) moves f by about 1e-16 (f64) or 1e-7 (f32) of that size times a small factor, so a ratio far
    # above it means every point is on the side it was on in the run.
    closest = float(np.min(np.abs(out) / np.maximum(size, np.finfo(np.float64).tiny)))

    print(f"model: {meta['format']}, run {meta['runId']} (seed {meta['seed']}), mode {meta['mode']}, {meta['precision']}, "
          f"m = {meta['width']}, R = {meta['basisDimension']} (d = {meta['ambientDimension']}), "
          f"{meta['activation']} (gamma = {meta['gamma']})")
    print(f"closest call: |f(x)| >= {closest:.3g} of the size of its terms")
    print(f"clean test errors (clean labels): {clean} of {n_test}")
    print(f"clean test errors: {noisy} of {n_test}")

    expected = [("the file's metadata", int(meta["cleanTestErrors"]), int(meta["cleanTestErrorsCleanLabels"]))]
    if len(argv) == 3:
        with open(argv[2], encoding="utf-8") as run_file:
            metrics = json.load(run_file)["metrics"]
        expected.append((argv[2], metrics["cleanTest"]["errors"], metrics["cleanTestCleanLabels"]["errors"]))
    ok = True
    for source, want_noisy, want_clean in expected:
        same = (noisy, clean) == (want_noisy, want_clean)
        ok &= same
        print(f"the run reported ({source}): {want_noisy} and {want_clean} (clean labels): {'equal' if same else 'DIFFERENT'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
