#!/usr/bin/python3
"""The Python (PyTorch) side of `metagan bench`: the same models, initial weights, inputs, losses, Adam and EMA
as the Java side, written as a PyTorch user would write them (torch.nn modules, torch.optim.Adam).

Run by the harness as `bench_peer.py WORKLOAD DIR THREADS` with the interpreter and environment that
scripts/pytorch-peer.sh names (PyTorch 2.13 in a private venv, or Debian's 1.13 unpacked privately); with
PEER_COMPILE=1 the training steps' modules are compiled by torch.compile. DIR holds what the Java worker wrote: config.json,
weights (g/, gbuf/, d/ as .npy) and input pools. Commands on stdin, one per line, each answered with one line
'@@ {json}' on stdout (the protocol of org.metagan.bench.BenchWorker):
  check            one step from the initial weights on input 0, compared with the Java side's check-java/
  run N            N timed units; answers the milliseconds of each
  soak N EVERY     N units; resident memory every EVERY units
  quit             peak and current resident memory (VmHWM, VmRSS), then exit
"""
import copy
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def emit(obj):
    sys.stdout.write("@@ " + json.dumps(obj) + "\n")
    sys.stdout.flush()


def proc_status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return -1


# ---- models: the same layers, shapes and parameter names as org.metagan.nn ----

def dcgan_layout(h, w, blocks):
    """org.metagan.nn.DcganLayout: D's channels after block i are min(64 * 2^(i-1), 512); G mirrors them; the smallest
    map is the side over 2^blocks (28x28: 2 blocks from 7x7; 64x64: 4 blocks from 4x4)."""
    d_channels = [min(64 << i, 512) for i in range(blocks)]
    return d_channels, h >> blocks, w >> blocks


class DcganG(nn.Module):
    def __init__(self, z, c, h, w, blocks=2):
        super().__init__()
        d_channels, self.h0, self.w0 = dcgan_layout(h, w, blocks)
        g_channels = d_channels[::-1]
        self.c0 = g_channels[0]
        self.fc = nn.Linear(z, self.c0 * self.h0 * self.w0)
        self.bn0 = nn.BatchNorm2d(self.c0)
        self.blocks = blocks
        for i in range(1, blocks + 1):
            out = c if i == blocks else g_channels[i]
            setattr(self, f"up{i}", nn.ConvTranspose2d(g_channels[i - 1], out, 4, 2, 1))
            if i < blocks:
                setattr(self, f"bn{i}", nn.BatchNorm2d(out))

    def forward(self, z):
        h = self.fc(z).view(-1, self.c0, self.h0, self.w0)
        h = F.relu(self.bn0(h))
        for i in range(1, self.blocks):
            h = F.relu(getattr(self, f"bn{i}")(getattr(self, f"up{i}")(h)))
        return torch.tanh(getattr(self, f"up{self.blocks}")(h))


class DcganD(nn.Module):
    """Batch norm after every conv but the first, or for gradient-penalty losses a per-sample layer norm (group norm, one
    group)."""

    def __init__(self, c, h, w, per_sample_norm, blocks=2):
        super().__init__()
        d_channels, h0, w0 = dcgan_layout(h, w, blocks)
        self.blocks = blocks
        last = c
        for i in range(1, blocks + 1):
            out = d_channels[i - 1]
            setattr(self, f"conv{i}", nn.Conv2d(last, out, 4, 2, 1))
            if i >= 2:
                setattr(self, f"norm{i}", nn.GroupNorm(1, out, eps=1e-5) if per_sample_norm else nn.BatchNorm2d(out))
            last = out
        self.head = nn.Linear(last * h0 * w0, 1)

    def forward(self, x):
        h = F.leaky_relu(self.conv1(x), 0.2)
        for i in range(2, self.blocks + 1):
            h = F.leaky_relu(getattr(self, f"norm{i}")(getattr(self, f"conv{i}")(h)), 0.2)
        return self.head(h.flatten(1)).flatten()


class MlpG(nn.Module):
    """Without batch norm: the few-shot models' generator (FIGR's)."""

    def __init__(self, z, c, h, w, batch_norm=True):
        super().__init__()
        self.shape = (c, h, w)
        self.fc0 = nn.Linear(z, 256)
        self.fc1 = nn.Linear(256, 512)
        self.bn1 = nn.BatchNorm1d(512) if batch_norm else nn.Identity()
        self.fc2 = nn.Linear(512, 1024)
        self.bn2 = nn.BatchNorm1d(1024) if batch_norm else nn.Identity()
        self.out = nn.Linear(1024, c * h * w)

    def forward(self, z):
        h = F.leaky_relu(self.fc0(z), 0.2)
        h = F.leaky_relu(self.bn1(self.fc1(h)), 0.2)
        h = F.leaky_relu(self.bn2(self.fc2(h)), 0.2)
        return torch.tanh(self.out(h)).view(-1, *self.shape)


class MlpD(nn.Module):
    def __init__(self, c, h, w, dropout=0.0):
        super().__init__()
        self.dropout = dropout
        self.fc0 = nn.Linear(c * h * w, 512)
        self.fc1 = nn.Linear(512, 256)
        self.head = nn.Linear(256, 1)

    def forward(self, x):
        # dropout masks are PyTorch's own, so with dropout one step's losses agree with Java's only in distribution
        h = F.dropout(F.leaky_relu(self.fc0(x.flatten(1)), 0.2), self.dropout, self.training)
        h = F.dropout(F.leaky_relu(self.fc1(h), 0.2), self.dropout, self.training)
        return self.head(h).flatten()


class LstmG(nn.Module):
    def __init__(self, z, c, h, w):
        super().__init__()
        self.c, self.h, self.w = c, h, w
        self.code = nn.Linear(z, 128)
        self.lstm = nn.LSTMCell(128 + h, 256)
        self.row = nn.Linear(256, c * w)
        self.bn = nn.BatchNorm1d(128)

    def forward(self, z):
        code = F.leaky_relu(self.bn(self.code(z)), 0.2)
        b = code.shape[0]
        h = code.new_zeros(b, 256)
        c = code.new_zeros(b, 256)
        row_index = torch.eye(self.h)
        rows = []
        for r in range(self.h):
            h, c = self.lstm(torch.cat([code, row_index[r].unsqueeze(0).expand(b, self.h)], 1), (h, c))
            rows.append(torch.tanh(self.row(h)))
        return torch.stack(rows, 1).view(b, self.h, self.c, self.w).permute(0, 2, 1, 3).contiguous()


def build(model, cfg):
    z, c, h, w = cfg["z_dim"], cfg["channels"], cfg["height"], cfg["width"]
    if model == "dcgan":
        blocks = cfg.get("blocks", 2)
        return DcganG(z, c, h, w, blocks), DcganD(c, h, w, cfg.get("per_sample_norm", False), blocks)
    if model == "mlp":
        return MlpG(z, c, h, w), MlpD(c, h, w)
    if model == "lstm":
        return LstmG(z, c, h, w), MlpD(c, h, w, cfg.get("d_dropout", 0.0))
    raise ValueError("unknown model " + model)


def load_into(module, folder, names, buffers=False):
    """Copies the Java side's initial values into `module`'s tensors of the same names."""
    own = dict(module.named_buffers()) if buffers else dict(module.named_parameters())
    if buffers:  # Java keeps running statistics that a PyTorch group norm does not have (unused there)
        names = [n for n in names if n in own]
    with torch.no_grad():
        for n in names:
            src = torch.from_numpy(np.load(os.path.join(folder, n + ".npy")))
            if own[n].shape != src.shape:
                raise ValueError(f"{n}: Java shape {tuple(src.shape)} but PyTorch shape {tuple(own[n].shape)}")
            own[n].copy_(src)
    if not buffers and set(own) != set(names):
        raise ValueError(f"parameter names differ: Java {sorted(names)} PyTorch {sorted(own)}")


def gradient_penalty(d, real, fake, eps):
    mixed = (real * eps + fake * (1 - eps)).detach().requires_grad_(True)
    grad, = torch.autograd.grad(d(mixed).sum(), mixed, create_graph=True)
    norms = (grad.flatten(1).pow(2).sum(1) + 1e-12).sqrt()
    return (norms - 1).pow(2).mean()


class GanStep:
    """dSteps D steps and one G step with its EMA update, as org.metagan.gan.Gan takes them."""

    def __init__(self, d, cfg):
        self.cfg = cfg
        self.g, self.d = build(cfg["model"], cfg)
        load_into(self.g, os.path.join(d, "g"), cfg["g_names"])
        load_into(self.g, os.path.join(d, "gbuf"), cfg["gbuf_names"], buffers=True)
        load_into(self.d, os.path.join(d, "d"), cfg["d_names"])
        load_into(self.d, os.path.join(d, "dbuf"), cfg["dbuf_names"], buffers=True)
        self.ema = build(cfg["model"], cfg)[0]
        self.ema.load_state_dict(self.g.state_dict())
        self.ema.eval()
        for p in self.ema.parameters():
            p.requires_grad_(False)
        self.ema_updates = 0
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=cfg["lr_g"], betas=(cfg["beta1"], cfg["beta2"]), eps=1e-8)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=cfg["lr_d"], betas=(cfg["beta1"], cfg["beta2"]), eps=1e-8)
        self.real = np.load(os.path.join(d, "real.npy"))
        self.zd = np.load(os.path.join(d, "zd.npy"))
        self.eps = np.load(os.path.join(d, "eps.npy"))
        self.zg = np.load(os.path.join(d, "zg.npy"))
        self.ema_pairs = [(a, b) for (na, a), (nb, b) in zip(
            list(self.ema.named_parameters()) + [(n, t) for n, t in self.ema.named_buffers() if "running" in n],
            list(self.g.named_parameters()) + [(n, t) for n, t in self.g.named_buffers() if "running" in n])]
        if os.environ.get("PEER_COMPILE") == "1":  # the same modules (parameters shared), compiled by inductor on first use
            self.g = torch.compile(self.g)
            self.d = torch.compile(self.d)

    def d_step(self, real, z, eps):
        cfg = self.cfg
        with torch.no_grad():
            fake = self.g(z).detach()
        self.opt_d.zero_grad(set_to_none=True)
        r = self.d(real)
        f = self.d(fake)
        penalty = None
        if cfg["loss"] == "wgan-gp":
            loss = f.mean() - r.mean()
            penalty = gradient_penalty(self.d, real, fake, eps) * cfg["penalty_weight"]
            total = loss + penalty
        else:
            total = F.softplus(-r).mean() + F.softplus(f).mean()
        total.backward()
        self.opt_d.step()
        return total.item(), 0.0 if penalty is None else penalty.item(), r.mean().item(), f.mean().item()

    def g_step(self, z):
        cfg = self.cfg
        self.opt_g.zero_grad(set_to_none=True)
        for p in self.d.parameters():
            p.requires_grad_(False)
        try:
            f = self.d(self.g(z))
            loss = -f.mean() if cfg["loss"] == "wgan-gp" else F.softplus(-f).mean()
            loss.backward()
            self.opt_g.step()
            self.ema_update()
            return loss.item()
        finally:
            for p in self.d.parameters():
                p.requires_grad_(True)

    def ema_update(self):
        decay = min(self.cfg["ema_decay"], (1.0 + self.ema_updates) / (10.0 + self.ema_updates))
        self.ema_updates += 1
        with torch.no_grad():
            for a, s in self.ema_pairs:
                a.lerp_(s, 1 - decay)

    def unit(self, index):
        ds = self.cfg["d_steps"]
        for k in range(ds):
            i = (index * ds + k) % len(self.real)
            dl = self.d_step(torch.from_numpy(self.real[i]), torch.from_numpy(self.zd[i]), torch.from_numpy(self.eps[i]))
        gl = self.g_step(torch.from_numpy(self.zg[index % self.cfg["pool"]]))
        return dl, gl

    def check(self, d):
        (dl, pen, rm, fm), gl = self.unit(0)
        java_dir = os.path.join(d, "check-java")
        out = {"supported": True, "d_loss": dl, "penalty": pen, "g_loss": gl, "real_logit_mean": rm, "fake_logit_mean": fm}
        worst = 0.0
        moved = 0.0
        diff2 = 0.0
        change2 = 0.0
        for prefix, module, init in (("g", self.g, "g"), ("d", self.d, "d")):
            for n, p in module.named_parameters():
                java = np.load(os.path.join(java_dir, prefix, n + ".npy")).astype(np.float64)
                before = np.load(os.path.join(d, init, n + ".npy")).astype(np.float64)
                mine = p.detach().numpy().astype(np.float64)
                worst = max(worst, float(np.abs(mine - java).max()))
                moved = max(moved, float(np.abs(java - before).max()))
                diff2 += float(((mine - before) - (java - before)).__pow__(2).sum())
                change2 += float((java - before).__pow__(2).sum())
        out["max_abs_weight_diff"] = worst
        out["max_abs_weight_change"] = moved
        # the step's weight changes, PyTorch's against Java's: ||d_py - d_java|| / ||d_java|| (Adam's first step is about
        # lr * sign(grad), so a weight whose gradient is ~0 may move either way on the two sides)
        out["relative_change_diff"] = (diff2 / change2) ** 0.5 if change2 > 0 else 0.0
        return out


class Reptile:
    """One Reptile meta-iteration as learn2learn's users write it: the tasks one after another, each adapting a deep copy
    of the networks with torch.optim.SGD (a WGAN-GP D step, then a G step against the updated D, per inner step), then
    theta - mean(phi) handed to the outer Adam of each network as its gradient."""

    def __init__(self, d, cfg):
        self.cfg = cfg
        c, h, w = cfg["channels"], cfg["height"], cfg["width"]
        self.g = MlpG(cfg["z_dim"], c, h, w, batch_norm=False)
        self.d = MlpD(c, h, w)
        load_into(self.g, os.path.join(d, "g"), cfg["g_names"])
        load_into(self.d, os.path.join(d, "d"), cfg["d_names"])
        betas = (cfg["beta1"], cfg["beta2"])
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=cfg["outer_lr"], betas=betas, eps=1e-8)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=cfg["outer_lr"], betas=betas, eps=1e-8)
        self.images = np.load(os.path.join(d, "images.npy"))
        self.rng = np.random.default_rng(1)

    def adapt(self, real):
        cfg = self.cfg
        g, d = copy.deepcopy(self.g), copy.deepcopy(self.d)
        sgd_g = torch.optim.SGD(g.parameters(), lr=cfg["inner_lr"])
        sgd_d = torch.optim.SGD(d.parameters(), lr=cfg["inner_lr"])
        b = real.shape[0]
        for _ in range(cfg["inner_steps"]):
            with torch.no_grad():
                fake = g(torch.randn(b, cfg["z_dim"]))
            loss = d(fake).mean() - d(real).mean() + cfg["penalty_weight"] * gradient_penalty(d, real, fake, torch.rand(b, 1, 1, 1))
            sgd_d.zero_grad(set_to_none=True)
            loss.backward()
            sgd_d.step()
            for p in d.parameters():
                p.requires_grad_(False)
            loss = -d(g(torch.randn(b, cfg["z_dim"]))).mean()
            sgd_g.zero_grad(set_to_none=True)
            loss.backward()
            sgd_g.step()
            for p in d.parameters():
                p.requires_grad_(True)
        return g, d

    def unit(self, index):
        cfg = self.cfg
        sums = None
        for _ in range(cfg["meta_batch"]):
            real = torch.from_numpy(self.images[self.rng.integers(0, len(self.images), cfg["shots"])])
            g, d = self.adapt(real)
            phi = [p.detach() for p in list(g.parameters()) + list(d.parameters())]
            sums = phi if sums is None else [s + p for s, p in zip(sums, phi)]
        theta = list(self.g.parameters()) + list(self.d.parameters())
        with torch.no_grad():
            for p, s in zip(theta, sums):
                p.grad = p - s / cfg["meta_batch"]
        self.opt_g.step()
        self.opt_d.step()


class Sampling:
    """10,000 images from the EMA generator in chunks of 500, without gradient, into a numpy array."""

    def __init__(self, d, cfg):
        self.cfg = cfg
        self.g = DcganG(cfg["z_dim"], cfg["channels"], cfg["height"], cfg["width"])
        load_into(self.g, os.path.join(d, "g"), [n for n, _ in self.g.named_parameters()])
        load_into(self.g, os.path.join(d, "gbuf"), [n for n, _ in self.g.named_buffers() if "running" in n], buffers=True)
        self.g.eval()
        self.gen = torch.Generator().manual_seed(1)

    def unit(self, index):
        cfg = self.cfg
        n, chunk = cfg["count"], cfg["chunk"]
        out = np.empty((n, cfg["channels"], cfg["height"], cfg["width"]), dtype=np.float32)
        with torch.no_grad():
            for s in range(0, n, chunk):
                b = min(chunk, n - s)
                out[s:s + b] = self.g(torch.randn(b, cfg["z_dim"], generator=self.gen)).numpy()
        return out


class Matmul:
    def __init__(self, d, cfg):
        n = cfg["n"]
        g = torch.Generator().manual_seed(7)
        self.a = torch.randn(n, n, generator=g)
        self.b = torch.randn(n, n, generator=g)

    def unit(self, index):
        torch.mm(self.a, self.b)


def cpu_capability():
    """The vector kernels PyTorch picked (AVX2, AVX512, ...); PyTorch before 2.0 cannot say."""
    try:
        return torch.backends.cpu.get_cpu_capability()
    except AttributeError:
        return "not reported by this version"


def main():
    workload, d, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if threads > 0:  # 0: PyTorch's own default
        torch.set_num_threads(threads)
    t0 = time.perf_counter()
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    if workload in ("dcgan-bce", "dcgan64-bce", "dcgan-wgan-gp", "mlp-bce", "lstm-bce"):
        w = GanStep(d, cfg)
    elif workload == "sampling":
        w = Sampling(d, cfg)
    elif workload == "reptile":
        w = Reptile(d, cfg)
    elif workload == "matmul":
        w = Matmul(d, cfg)
    else:
        emit({"error": "no Python peer for workload " + workload})
        return
    emit({"side": "python", "engine": "PyTorch " + torch.__version__ + " (" + os.environ.get("PEER_SOURCE", "python3 " + sys.executable) + "; CPU capability "
          + cpu_capability() + ")",
          "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
          "openblas_num_threads": str(os.environ.get("OPENBLAS_NUM_THREADS")),
          "omp_num_threads": str(os.environ.get("OMP_NUM_THREADS")),
          "omp_wait_policy": str(os.environ.get("OMP_WAIT_POLICY")),
          "setup_ms": (time.perf_counter() - t0) * 1e3, "python": sys.version.split()[0]})
    unit = 0
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "check":
            emit(w.check(d) if hasattr(w, "check") else {"supported": False})
            unit += 1
        elif cmd[0] == "run":
            ms = []
            for _ in range(int(cmd[1])):
                s = time.perf_counter()
                w.unit(unit)
                unit += 1
                ms.append((time.perf_counter() - s) * 1e3)
            emit({"ms": ms})
        elif cmd[0] == "soak":
            n, every = int(cmd[1]), int(cmd[2])
            steps, rss = [], []
            s = time.perf_counter()
            for i in range(1, n + 1):
                w.unit(unit)
                unit += 1
                if i == 1 or i % every == 0 or i == n:
                    steps.append(i)
                    rss.append(proc_status("VmRSS:"))
            emit({"step": steps, "rss_kb": rss, "seconds": time.perf_counter() - s})
        elif cmd[0] == "quit":
            emit({"peak_rss_kb": proc_status("VmHWM:"), "rss_kb": proc_status("VmRSS:")})
            return
        else:
            emit({"error": "unknown command " + line.strip()})


if __name__ == "__main__":
    main()
