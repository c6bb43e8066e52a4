#!/usr/bin/python3
"""Loads a generator written by `metagan export --format safetensors` into its torch.nn module (MlpG or DcganG of
bench_peer.py, strict load_state_dict) and compares its samples with metagan's.

  load_exported.py GENERATOR.safetensors CHECK.safetensors

CHECK.safetensors holds "z" (latent codes [n, z]) and "x" (metagan's images of them [n, C, H, W]). Prints one JSON line
{"max_abs_diff": ..., "n": ...}; exit 0 when the largest difference is at most 1e-5, else 1. The safetensors files are
parsed here with numpy (8-byte little-endian header length, JSON header, raw little-endian data), so the check needs
no safetensors package; a PyTorch user with one writes G.load_state_dict(safetensors.torch.load_file(FILE)).
"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_peer import DcganG, MlpG  # noqa: E402

DTYPES = {"F32": np.float32, "I64": np.int64}


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        a = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=np.dtype(DTYPES[t["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(a.reshape(t["shape"]).copy())
    return tensors, meta


def main():
    state, meta = load(sys.argv[1])
    check, _ = load(sys.argv[2])
    c, h, w = (int(v) for v in meta["image-shape"].split("x"))
    z = int(meta["z-dim"]) + int(meta["condition-dim"])
    g = {"mlp": MlpG, "dcgan": DcganG}[meta["metagan-model"]](z, c, h, w)
    g.load_state_dict(state, strict=True)
    g.eval()
    with torch.no_grad():
        x = g(check["z"])
    diff = float((x - check["x"]).abs().max())
    print(json.dumps({"max_abs_diff": diff, "n": int(check["z"].shape[0])}))
    sys.exit(0 if diff <= 1e-5 else 1)


if __name__ == "__main__":
    main()
