"""Recomputes in PyTorch the one ssl-train GAN step that scripts/SslStepCheck.java wrote (same weights, batches and latent
codes, the discriminator without noise): the losses before the update and every tensor after it (Adam, beta1 0.5),
written from the papers' formulas, not from metagan's code. Prints the largest relative difference per tensor.

  $PEER_PYTHON scripts/ssl_step_check.py DIR LR
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F

d_dir, lr = sys.argv[1], float(sys.argv[2])
torch.set_num_threads(1)


def read(folder):
    out = {}
    for line in open(f"{d_dir}/{folder}/shapes.txt"):
        name, shape = line.split(" ", 1)
        shape = [int(s) for s in shape.strip()[1:-1].split(",")]
        out[name] = torch.from_numpy(np.fromfile(f"{d_dir}/{folder}/{name}.f32", dtype="<f4").reshape(shape).copy())
    return out


before, after = read("before"), read("after")
f32 = lambda n, *shape: torch.from_numpy(np.fromfile(f"{d_dir}/{n}.f32", dtype="<f4").reshape(shape).copy())
xl, xu = f32("labelled", 100, 784), f32("pool100", 100, 784)
yl = torch.from_numpy(np.fromfile(f"{d_dir}/labels.i32", dtype="<i4").astype(np.int64))
z1, z2 = f32("z1", 100, 100), f32("z2", 100, 100)
p = {k: v.clone().requires_grad_(k.startswith("d.") or k.startswith("g.")) for k, v in before.items()}
layers = ["fc0", "fc1", "fc2", "fc3", "fc4", "out"]


def disc(x):
    """x [B, 784] in [-1, 1] -> logits [B, 10], features [B, 250]: weight-normalised rows (norm 1, gain on 'out'), no noise."""
    h = (x + 1) / 2
    feats = None
    for name in layers:
        v = p[f"d.{name}.v"]
        w = v / v.norm(dim=1, keepdim=True)
        if f"d.{name}.g" in p:
            w = w * p[f"d.{name}.g"].unsqueeze(1)
        if f"dbuf.{name}.scale" in p:
            w = w * p[f"dbuf.{name}.scale"].unsqueeze(1)
        pre = F.linear(h, w, p[f"d.{name}.bias"])
        if name == "out":
            return pre, feats
        h = F.relu(pre)
        feats = h


def gen(z):
    h = z
    for i in range(2):
        h = F.linear(h, p[f"g.fc{i}.weight"], p[f"g.fc{i}.bias"])
        h = F.batch_norm(h, p[f"gbuf.bn{i}.running_mean"].clone(), p[f"gbuf.bn{i}.running_var"].clone(), p[f"g.bn{i}.weight"],
                         p[f"g.bn{i}.bias"], training=True, momentum=0.1, eps=1e-5)
        h = F.softplus(h)
    return torch.tanh(F.linear(h, p["g.out.weight"], p["g.out.bias"]))


d_params = [p[k] for k in p if k.startswith("d.")]
g_params = [p[k] for k in p if k.startswith("g.")]
opt_d = torch.optim.Adam(d_params, lr=lr, betas=(0.5, 0.999), eps=1e-8)
opt_g = torch.optim.Adam(g_params, lr=lr, betas=(0.5, 0.999), eps=1e-8)
with torch.no_grad():
    fake = gen(z1)
sup = F.cross_entropy(disc(xl)[0], yl)
# the (K+1)-class losses with the fake logit 0: -log(Z/(Z+1)) on real, -log(1/(Z+1)) on generated, Z = sum exp(l_k)
lu, lg = disc(xu)[0], disc(fake)[0]
zu, zg = torch.exp(lu.double()).sum(1), torch.exp(lg.double()).sum(1)
unsup = (-torch.log(zu / (zu + 1))).mean() + (-torch.log(1 / (zg + 1))).mean()
(sup + unsup.float()).backward()
opt_d.step()
# the discriminator step's gradients (feature matching's backward below adds to them; metagan freezes D there)
grads = {k: p[k].grad.clone() for k in p if k.startswith("d.")}
with torch.no_grad():
    fr = disc(xu)[1]
ff = disc(gen(z2))[1]
fm = (fr.mean(0) - ff.mean(0)).pow(2).sum()
opt_g.zero_grad()
fm.backward()
opt_g.step()
grads.update({k: p[k].grad.clone() for k in p if k.startswith("g.")})
java = [float(s) for s in open(f"{d_dir}/losses.txt").read().split()]
print("losses      java:", " ".join(f"{v:.6f}" for v in java[:3]))
print("losses   pytorch:", f"{sup.item():.6f} {unsup.item():.6f} {fm.item():.6f}")
worst = 0
worst_grad = 0
for k, v in after.items():
    if not (k.startswith("d.") or k.startswith("g.")):
        continue
    grad_file = f"{d_dir}/after/{k}.grad.f32"
    jg = torch.from_numpy(np.fromfile(grad_file, dtype="<f4").reshape(v.shape).copy())
    pg = grads[k]
    grad_rel = ((pg - jg).abs().max() / pg.abs().max().clamp_min(1e-30)).item()
    worst_grad = max(worst_grad, grad_rel)
    moved = (before[k] - v).abs().max().item()
    diff = (p[k].detach() - v).abs().max().item()
    worst = max(worst, diff / max(moved, 1e-30))
    print(f"{k:16s} gradient max|pytorch - java| / max|gradient| {grad_rel:.2e}; moved {moved:.3e}, |pytorch - java| {diff:.3e}")
print(f"largest gradient difference relative to the gradient's size: {worst_grad:.3e}")
print(f"largest weight difference relative to the step's own move: {worst:.3e}")
