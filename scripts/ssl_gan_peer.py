"""An independent PyTorch peer of `metagan ssl-train --method gan` (issue 15), written from the papers' text:
Salimans et al. 2016, "Improved Techniques for Training GANs", section 5 (the K+1-class discriminator with the fake
logit fixed at 0, feature matching) and its MNIST setting (D 784-1000-500-250-250-250-10 with Gaussian noise 0.3 on the
input and 0.5 after every hidden layer, weight normalisation; G 100-500-500-784, batch norm, softplus, sigmoid; Adam
lr 3e-3, beta1 0.5); weight normalisation and its data-dependent initialisation from Salimans and Kingma 2016, section 3
(per unit: g <- 1 / std(pre-activation), b <- -mean / std over a batch of data, so that every unit starts with mean 0 and
variance 1).

It reads the very images the Java run uses (scripts/SslExport.java writes them: labelled, pool, validation, test as
raw float32 in [-1, 1] and int32 labels) and trains for --steps, printing validation and test accuracy every
--eval-every steps. --init chooses the data-dependent initialisation:
  paper : g = 1/std and b = -mean/std in every layer (Salimans and Kingma 2016); only the output layer's g trained
  centre: metagan's default (--weight-norm-init centre): every hidden row's norm fixed at 1 (g = 1), b = -mean only

Switches for the details in which the paper's released MNIST code (openai/improved-gan,
mnist_svhn_cifar10/train_mnist_feature_matching.py and nn.py; read, not copied) differs from its text and from this
peer's defaults (docs/SSL.md, third pass, compares them):
  --adam paper        : its Adam, eps inside the square root (p -= lr m_hat / sqrt(v_hat + 1e-8)), which damps the
                        steps of parameters whose gradients' RMS is below ~1e-4; PyTorch's adds eps after it
  --init-noise        : the data-dependent initialisation with the discriminator's noise on (its init pass runs
                        with deterministic=False)
  --init-on pool      : on 500 unlabelled images (as its code), not the 100 labelled ones
  --batches epoch     : each labelled batch a fresh permutation of the labelled images (tiled per epoch), the
                        unlabelled ones drawn without replacement per pass; default: drawn with replacement
  --unlabelled-weight 0.5 : its unlabelled loss is 0.5 (-lse + softplus(lse)) + 0.5 softplus(lse_fake)
  --average-rate R    : also evaluate the exponential moving average of D's trained parameters, a += R (p - a) from
                        zeros (its code: R = 1e-4, and its test error is that average's), divided by 1 - (1 - R)^t

  PEER_PYTHON=$(scripts/pytorch-peer.sh --env | sed -n 's/^PEER_PYTHON=//p')
  $PEER_PYTHON scripts/ssl_gan_peer.py --data /tmp/sslpeer/mnist-s1 --steps 2000 --init paper
"""
import argparse
import copy
import json
import math
import time

import numpy as np
import torch
import torch.nn.functional as F


def load(folder, name):
    x = np.fromfile(f"{folder}/{name}.f32", dtype="<f4")
    y = np.fromfile(f"{folder}/{name}.i32", dtype="<i4").astype(np.int64)
    return torch.from_numpy(x.reshape(len(y), -1).copy()), torch.from_numpy(y)


class WeightNormDense(torch.nn.Module):
    """y = (g / ||v_row||) * (v x) + b; v drawn N(0, 0.1) (the paper's MNIST code) or U(+-1/sqrt(fan-in))."""

    def __init__(self, fan_in, fan_out, train_gain, v_init):
        super().__init__()
        if v_init == "normal":
            v = torch.randn(fan_out, fan_in) * 0.1
        else:
            bound = 1 / math.sqrt(fan_in)
            v = torch.empty(fan_out, fan_in).uniform_(-bound, bound)
        self.v = torch.nn.Parameter(v)
        self.g = torch.nn.Parameter(torch.ones(fan_out), requires_grad=train_gain)
        self.b = torch.nn.Parameter(torch.zeros(fan_out))

    def forward(self, x):
        w = self.v * (self.g / self.v.norm(dim=1)).unsqueeze(1)
        return F.linear(x, w, self.b)


class Discriminator(torch.nn.Module):
    HIDDEN = [1000, 500, 250, 250, 250]

    def __init__(self, v_init):
        super().__init__()
        sizes = [784] + self.HIDDEN
        self.hidden = torch.nn.ModuleList(WeightNormDense(a, b, False, v_init) for a, b in zip(sizes, sizes[1:]))
        self.out = WeightNormDense(self.HIDDEN[-1], 10, True, v_init)

    def forward(self, x01, noisy=True, init=None):
        """x01 [B, 784] in [0, 1] -> (logits [B, 10], features [B, 250]); init: None, 'paper' or 'centre'."""
        h = x01 + 0.3 * torch.randn_like(x01) if noisy else x01
        features = None
        for layer in list(self.hidden) + [self.out]:
            pre = layer(h)
            if init is not None:
                with torch.no_grad():
                    mean = pre.mean(0)
                    if init == "paper":
                        std = (pre - mean).pow(2).mean(0).sqrt()
                        layer.g.div_(std)
                        layer.b.copy_((layer.b - mean) / std)
                    else:
                        layer.b.sub_(mean)
                pre = layer(h)
            if layer is self.out:
                return pre, features
            h = F.relu(pre)
            features = h
            if noisy:
                h = h + 0.5 * torch.randn_like(h)


class Generator(torch.nn.Module):
    def __init__(self, z_dim=100):
        super().__init__()
        self.z_dim = z_dim
        self.fc0 = torch.nn.Linear(z_dim, 500)
        self.bn0 = torch.nn.BatchNorm1d(500)
        self.fc1 = torch.nn.Linear(500, 500)
        self.bn1 = torch.nn.BatchNorm1d(500)
        self.out = torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(500, 784))

    def forward(self, z):
        h = F.softplus(self.bn0(self.fc0(z)))
        h = F.softplus(self.bn1(self.fc1(h)))
        return torch.sigmoid(self.out(h))


class PaperAdam:
    """Adam as the paper's nn.adam_updates: p -= lr * m_hat / sqrt(v_hat + eps), eps inside the square root."""

    def __init__(self, params, lr, betas=(0.5, 0.999), eps=1e-8):
        self.params = [q for q in params]
        self.lr, self.betas, self.eps, self.t = lr, betas, eps, 0
        self.state = {q: {"m": torch.zeros_like(q), "v": torch.zeros_like(q)} for q in self.params}

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        b1, b2 = self.betas
        for q in self.params:
            if q.grad is None:
                continue
            st = self.state[q]
            st["m"].mul_(b1).add_(q.grad, alpha=1 - b1)
            st["v"].mul_(b2).addcmul_(q.grad, q.grad, value=1 - b2)
            m_hat = st["m"] / (1 - b1 ** self.t)
            v_hat = st["v"] / (1 - b2 ** self.t)
            q.sub_(self.lr * m_hat / (v_hat + self.eps).sqrt())


def small_gradient_share(opt, params, below=1e-4):
    """The share of the entries of params whose Adam second moment (bias-corrected) has a root below `below`."""
    small, total = 0, 0
    for q in params:
        if isinstance(opt, PaperAdam):
            v_hat = opt.state[q]["v"] / (1 - opt.betas[1] ** opt.t)
        else:
            st = opt.state.get(q)
            if not st:
                continue
            v_hat = st["exp_avg_sq"] / (1 - opt.param_groups[0]["betas"][1] ** float(st["step"]))
        small += int((v_hat.sqrt() < below).sum())
        total += v_hat.numel()
    return small / max(total, 1)


class BatchDraw:
    """Index batches of a set of n: drawn with replacement ('random'), or from consecutive fresh permutations ('epoch')."""

    def __init__(self, n, batch, mode):
        self.n, self.batch, self.mode, self.queue = n, batch, mode, torch.empty(0, dtype=torch.long)

    def next(self):
        if self.mode == "random":
            return torch.randint(self.n, (self.batch,))
        while len(self.queue) < self.batch:
            self.queue = torch.cat([self.queue, torch.randperm(self.n)])
        out, self.queue = self.queue[:self.batch], self.queue[self.batch:]
        return out


def accuracy(d, x01, y):
    with torch.no_grad():
        logits, _ = d(x01, noisy=False)
    return (logits.argmax(1) == y).float().mean().item()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--init", choices=["paper", "centre"], default="paper")
    p.add_argument("--init-on", choices=["labelled", "pool"], default="labelled",
                   help="the batch of the data-dependent initialisation: the 100 labelled images, or 500 of the pool")
    p.add_argument("--v-init", choices=["normal", "uniform"], default="normal")
    p.add_argument("--unlabelled-weight", type=float, default=1.0)
    p.add_argument("--method", choices=["gan", "supervised"], default="gan")
    p.add_argument("--adam", choices=["torch", "paper"], default="torch")
    p.add_argument("--init-noise", action="store_true", help="the data-dependent initialisation with D's noise on")
    p.add_argument("--batches", choices=["random", "epoch"], default="random")
    p.add_argument("--average-rate", type=float, default=0.0, help="also evaluate D's moving average at this rate")
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default=None, help="JSON file for the accuracy curve")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    to01 = lambda x: (x + 1) / 2
    xl, yl = load(a.data, "labelled")
    xu, _ = load(a.data, "pool")  # labels erased by the exporter; never read
    xv, yv = load(a.data, "validation")
    xt, yt = load(a.data, "test")
    xl, xu, xv, xt = map(to01, (xl, xu, xv, xt))
    d, g = Discriminator(a.v_init), Generator()
    with torch.no_grad():
        init_batch = xl if a.init_on == "labelled" else xu[torch.randperm(len(xu))[:500]]
        d(init_batch, noisy=a.init_noise, init=a.init)
    d_params = [q for q in d.parameters() if q.requires_grad]
    if a.adam == "paper":
        opt_d, opt_g = PaperAdam(d_params, a.lr), PaperAdam(g.parameters(), a.lr)
    else:
        opt_d = torch.optim.Adam(d_params, lr=a.lr, betas=(0.5, 0.999))
        opt_g = torch.optim.Adam(g.parameters(), lr=a.lr, betas=(0.5, 0.999))
    draw_l = BatchDraw(len(xl), a.batch, a.batches)
    draw_u, draw_u2 = BatchDraw(len(xu), a.batch, a.batches), BatchDraw(len(xu), a.batch, a.batches)
    average = copy.deepcopy(d) if a.average_rate > 0 else None
    if average is not None:
        with torch.no_grad():
            for q in average.parameters():
                if q.requires_grad:
                    q.zero_()
        sums = [q for q in average.parameters() if q.requires_grad]
        evaluated = copy.deepcopy(average)
    curve = []
    t0 = time.process_time()
    for step in range(1, a.steps + 1):
        idx_l = draw_l.next()
        idx_u = draw_u.next()
        x_lab, y_lab, x_unl = xl[idx_l], yl[idx_l], xu[idx_u]
        logits_lab, _ = d(x_lab)
        sup = F.cross_entropy(logits_lab, y_lab)
        if a.method == "gan":
            with torch.no_grad():
                fake = g(torch.rand(a.batch, g.z_dim))
            lse_unl = torch.logsumexp(d(x_unl)[0], 1)
            lse_gen = torch.logsumexp(d(fake)[0], 1)
            # -log D(x) = softplus(lse) - lse on real, -log(1 - D(G(z))) = softplus(lse) on generated
            unsup = (F.softplus(lse_unl) - lse_unl).mean() + F.softplus(lse_gen).mean()
            loss_d = sup + a.unlabelled_weight * unsup
        else:
            unsup = torch.zeros(())
            loss_d = sup
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        fm = torch.zeros(())
        if a.method == "gan":
            with torch.no_grad():
                f_real = d(xu[draw_u2.next()])[1]
            f_fake = d(g(torch.rand(a.batch, g.z_dim)))[1]
            fm = (f_real.mean(0) - f_fake.mean(0)).pow(2).mean()
            opt_g.zero_grad()
            fm.backward()
            opt_g.step()  # D's parameters got gradients too; opt_d zeroes them before its next step
        if average is not None:
            with torch.no_grad():
                for acc_q, q in zip(sums, d_params):
                    acc_q.add_(q - acc_q, alpha=a.average_rate)
        if step % a.eval_every == 0 or step == 1:
            row = {"step": step, "sup": round(sup.item(), 4), "unsup": round(unsup.item(), 4), "fm": round(fm.item(), 4),
                   "val": accuracy(d, xv, yv), "test": accuracy(d, xt, yt),
                   "small_grad_share_d": round(small_gradient_share(opt_d, d_params), 3)}
            if average is not None:
                with torch.no_grad():
                    unbias = 1 - (1 - a.average_rate) ** step
                    for e_q, acc_q in zip([q for q in evaluated.parameters() if q.requires_grad], sums):
                        e_q.copy_(acc_q / unbias)
                row["val_avg"], row["test_avg"] = accuracy(evaluated, xv, yv), accuracy(evaluated, xt, yt)
            row["cpu_s"] = round(time.process_time() - t0, 1)
            curve.append(row)
            print(json.dumps(row), flush=True)
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"args": vars(a), "curve": curve}, f, indent=1)


if __name__ == "__main__":
    main()
