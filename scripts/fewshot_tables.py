#!/usr/bin/env python3
"""Renders the Markdown tables of docs/FEWSHOT.md from the results.json files that
`./metagan fewshot-bench` writes (one per protocol), so the document holds exactly what the runs measured.

Usage: scripts/fewshot_tables.py runs/fewshot-P1/results.json [runs/fewshot-P2/results.json ...] > tables.md
(P1 also gets the check of the issue's target: the best meta-learned method against scratch and fine-tuning.)
"""
import json
import sys


def fmt(cell, digits):
    if cell is None:
        return "-"
    if cell.get("std") is None:
        return f"{cell['mean']:.{digits}f}"
    return f"{cell['mean']:.{digits}f} ± {cell['std']:.{digits}f}"


def target(d):
    """P1's acceptance target: the best meta-learned method at K = 10, N = 100 against scratch and fine-tuning."""
    rows = {r["method"]: r for r in d["rows"] if r["shots"] == 10 and r["steps"] == 100}
    if "scratch" not in rows or "finetune" not in rows:
        return ""
    scratch, finetune = rows["scratch"]["fid"]["mean"], rows["finetune"]["fid"]["mean"]
    out = [f"Target at K = 10, N = 100: FID <= 0.5x scratch ({scratch:.1f}) and <= 0.8x fine-tuning ({finetune:.1f}).", "",
           "| method | FID@100 | / scratch | / fine-tuning | target met |", "|---|---|---|---|---|"]
    for m, r in sorted(rows.items(), key=lambda kv: kv[1]["fid"]["mean"]):
        if m in ("scratch", "finetune"):
            continue
        f = r["fid"]["mean"]
        met = "yes" if f <= 0.5 * scratch and f <= 0.8 * finetune else "no"
        out.append(f"| {m} | {fmt(r['fid'], 1)} | {f / scratch:.2f} | {f / finetune:.2f} | {met} |")
    # per seed, for the best method: does every seed meet it on its own?
    cells = [c for c in d["cells"] if c["shots"] == 10 and c["steps"] == 100]
    best = min((m for m in rows if m not in ("scratch", "finetune")), key=lambda m: rows[m]["fid"]["mean"])
    per_seed = []
    for seed in d["seeds"]:
        by = {c["method"]: c["scores"]["fid"] for c in cells if c["seed"] == seed}
        if best in by and "scratch" in by and "finetune" in by:
            per_seed.append(f"seed {seed}: {by[best]:.1f} = {by[best] / by['scratch']:.2f}x scratch, "
                            f"{by[best] / by['finetune']:.2f}x fine-tuning")
    out += ["", f"Per seed, {best}: " + "; ".join(per_seed) + "."]
    return "\n".join(out) + "\n"


def protocol(d):
    out = [f"### {d['protocol']}: {d['description']}", "", f"Regenerate: `{d['command']}`", "",
           f"Scorer: {d['scorer']}. Seeds {', '.join(map(str, d['seeds']))}; mean ± std over seeds "
           f"(wall time of the whole run {d['wall-seconds'] / 60:.1f} min).", ""]
    out += ["| K | N | method | seeds | FID ↓ | intra-FID ↓ | precision ↑ | recall ↑ | accuracy ↑ |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in d["rows"]:
        out.append(f"| {r['shots']} | {r['steps']} | {r['method']} | {r['seeds']} | {fmt(r['fid'], 1)} | "
                   f"{fmt(r['intra-fid'], 1)} | {fmt(r['precision'], 2)} | {fmt(r['recall'], 2)} | {fmt(r['accuracy'], 2)} |")
    out.append("")
    out += ["Training and evaluation time per job (wall seconds):", "",
            "| method | seed | iterations | train s | eval s |", "|---|---|---|---|---|"]
    for r in d["runs"]:
        out.append(f"| {r['method']} | {r['seed']} | {r['iterations']} | {r['train-seconds']:.0f} | {r['eval-seconds']:.0f} |")
    out.append("")
    return "\n".join(out)


def main(paths):
    if not paths:
        sys.exit("usage: fewshot_tables.py RESULTS.json [...]: expected at least one results.json of fewshot-bench")
    for p in paths:
        with open(p) as f:
            d = json.load(f)
        print(protocol(d))
        if d["protocol"] == "P1":
            print(target(d))


if __name__ == "__main__":
    main(sys.argv[1:])
