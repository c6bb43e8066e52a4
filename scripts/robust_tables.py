#!/usr/bin/env python3
"""Issue 17's tables from the results.json files of several robust-bench runs (one per dataset, seed and DiffAugment
size, as docs/ROBUST.md runs them): mean ± sample std over the seeds present, n and every per-seed value, and the
issue's targets computed from the means. Usage: robust_tables.py GRID_DIR [--copy DOCS_DIR]
(GRID_DIR holds one folder per run; --copy writes each run's results.json as DOCS_DIR/<run>.json)."""
import json
import pathlib
import shutil
import statistics
import sys

CORRUPTIONS = ["none", "dropout:0.5", "dropout:0.8", "dropout:0.9", "block:14", "gauss:0.3", "gauss:0.6"]
METHODS = ["none", "ambient", "misgan"]
IMPUTERS = ["mean", "knn", "misgan", "gain"]


def cell(values, fmt):
    if not values:
        return "not run"
    mean = statistics.fmean(values)
    each = ", ".join(fmt % v for v in values)
    if len(values) == 1:
        return (fmt % mean) + " (n = 1)"
    return (fmt % mean) + " ± " + (fmt % statistics.stdev(values)) + f" (n = {len(values)}: {each})"


def load(grid):
    fid, rmse, runs = [], [], []
    for f in sorted(pathlib.Path(grid).glob("*/results.json")):
        r = json.loads(f.read_text())
        runs.append((f.parent.name, f, r))
        train_images = r["settings"]["train-images"]
        for row in r["fid"]:
            row["trainImages"] = train_images
            fid.append(row)
        rmse.extend(r["rmse"])
    return fid, rmse, runs


def fid_values(fid, dataset, corruption, method, diffaugment="none", train_images=0):
    rows = [r for r in fid if r["dataset"] == dataset and r["corruption"] == corruption and r["method"] == method
            and r["diffaugment"] == diffaugment and r["trainImages"] == train_images]
    return [r["fid"] for r in sorted(rows, key=lambda r: r["seed"])]


def main():
    grid = sys.argv[1]
    fid, rmse, runs = load(grid)
    if "--copy" in sys.argv:
        out = pathlib.Path(sys.argv[sys.argv.index("--copy") + 1])
        out.mkdir(parents=True, exist_ok=True)
        for name, f, _ in runs:
            shutil.copy(f, out / f"{name}.json")
    mean = lambda v: statistics.fmean(v) if v else float("nan")
    datasets = [d for d in ["mnist", "fashion-mnist"] if any(r["dataset"] == d for r in fid + rmse)]
    print("### FID against the clean test split\n")
    print("| dataset | corruption | none (naive) | ambient | misgan |\n|---|---|---|---|---|")
    for d in datasets:
        for c in CORRUPTIONS:
            cells = []
            for m in METHODS:
                applies = (c == "none" and m == "none") or (c != "none" and not (m == "misgan" and c.startswith("gauss")))
                cells.append(cell(fid_values(fid, d, c, m), "%.1f") if applies else "n/a")
            print(f"| {d} | {c} | " + " | ".join(cells) + " |")
    print("\n### Imputation RMSE on the missing pixels\n")
    print("| dataset | dropout | " + " | ".join(IMPUTERS) + " |\n|---|---|" + "---|" * len(IMPUTERS))
    for d in datasets:
        for rate in [0.5, 0.8]:
            vals = [[r["rmse"] for r in sorted(rmse, key=lambda r: r["seed"]) if r["dataset"] == d and r["rate"] == rate
                     and r["imputer"] == i] for i in IMPUTERS]
            print(f"| {d} | {rate} | " + " | ".join(cell(v, "%.4f") for v in vals) + " |")
    print("\n### DiffAugment (translation,cutout), MNIST\n")
    print("| training images | without | with | change of the means |\n|---|---|---|---|")
    for n in [100, 500, 0]:
        without = fid_values(fid, "mnist", "none", "none", "none", n)
        with_da = fid_values(fid, "mnist", "none", "none", "translation,cutout", n)
        change = f"{100 * (mean(with_da) / mean(without) - 1):+.1f}%" if without and with_da else "n/a"
        print(f"| {n if n else 'all'} | {cell(without, '%.1f')} | {cell(with_da, '%.1f')} | {change} |")
    print("\n### Targets at dropout 0.8 (from the means)\n")
    for d in datasets:
        clean = mean(fid_values(fid, d, "none", "none"))
        naive = mean(fid_values(fid, d, "dropout:0.8", "none"))
        for m in ["ambient", "misgan"]:
            v = mean(fid_values(fid, d, "dropout:0.8", m))
            print(f"- {d} {m}: FID {v:.1f} = {v / clean:.2f}x clean ({clean:.1f}; target <= 2x), "
                  f"{v / naive:.2f}x naive ({naive:.1f}; target <= 0.3x)")
        imp = {i: mean([r["rmse"] for r in rmse if r["dataset"] == d and r["rate"] == 0.8 and r["imputer"] == i]) for i in IMPUTERS}
        print(f"- {d} imputation at 0.8: misgan {imp['misgan']:.4f}, gain {imp['gain']:.4f}, knn {imp['knn']:.4f}, mean {imp['mean']:.4f}")


if __name__ == "__main__":
    main()
