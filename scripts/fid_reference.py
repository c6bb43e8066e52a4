#!/usr/bin/env python3
"""Independent FID reference for the Java metrics tests.

Usage: python3 scripts/fid_reference.py a.csv b.csv

Each CSV holds a feature matrix [n, d], one sample per line, comma-separated, no header.
Prints the FID with 17 significant digits, computed the way pytorch-fid does it:
mean, np.cov (unbiased), scipy.linalg.sqrtm of S1 S2 (general, non-symmetric),
||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr(sqrtm(S1 S2)).
Exit code 3 with a message on stderr when numpy or scipy is missing.
"""
import sys

try:
    import numpy as np
    from scipy import linalg
except ImportError as e:  # the Java test turns this into a skipped test
    print("fid_reference.py needs numpy and scipy: %s" % e, file=sys.stderr)
    sys.exit(3)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean = linalg.sqrtm(sigma1.dot(sigma2))
    if isinstance(covmean, tuple):  # older scipy with disp=False style return
        covmean = covmean[0]
    if not np.isfinite(covmean).all():
        # as in pytorch-fid: regularise a singular product
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError("imaginary component %g" % np.max(np.abs(covmean.imag)))
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def stats(path):
    x = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
    return x.mean(axis=0), np.cov(x, rowvar=False)


def main(argv):
    if len(argv) != 3:
        print("usage: fid_reference.py a.csv b.csv", file=sys.stderr)
        return 2
    mu1, s1 = stats(argv[1])
    mu2, s2 = stats(argv[2])
    print(repr(frechet_distance(mu1, s1, mu2, s2)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
