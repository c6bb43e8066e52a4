package org.metagan.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formats a {@link BenchResult} as progress lines and as the Markdown of BENCHMARKS.md. */
public final class BenchReport {
    private BenchReport() {}

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String mib(long kb) {
        return kb < 0 ? "-" : f("%.0f MiB", kb / 1024.0);
    }

    static String rate(BenchResult.Row r, BenchResult.Timing t) {
        if (t == null) {
            return "-";
        }
        if (r.imagesPerUnit() > 0) {
            return f("%.0f img/s", r.imagesPerUnit() / (t.medianMs() / 1e3));
        }
        return f("%.1f GFLOP/s", r.flopsPerUnit() / (t.medianMs() / 1e3) / 1e9);
    }

    static String ms(BenchResult.Timing t) {
        return t == null ? "-" : t.medianMs() >= 1000 ? f("%.0f", t.medianMs()) : f("%.1f", t.medianMs());
    }

    static String percentOfPeak(BenchResult.Row r, double peakGflops) {
        if (r.java() == null || Double.isNaN(r.flopsPerUnit()) || Double.isNaN(peakGflops)) {
            return "-";
        }
        double gflops = r.flopsPerUnit() / (r.java().medianMs() / 1e3) / 1e9;
        return f("%.1f GFLOP/s = %.0f%%", gflops, 100 * gflops / peakGflops);
    }

    static String ratios(List<Double> values) {
        return values.stream().map(v -> f("%.2f", v)).collect(Collectors.joining(" / "));
    }

    static String rowLine(BenchResult.Row r, double peak) {
        if (r.java() == null) {
            return f("%-14s %s", r.workload(), r.note());
        }
        return f("%-14s Java %s ms (%s, peak RSS %s) | PyTorch %s ms (%s, peak RSS %s) | Java speed-up %s overall (rounds %s) | %s%s",
                r.workload(), ms(r.java()), rate(r, r.java()), mib(r.java().peakRssKb()), ms(r.python()), rate(r, r.python()),
                r.python() == null ? "-" : mib(r.python().peakRssKb()), Double.isNaN(r.speedup()) ? "-" : f("%.2fx", r.speedup()),
                ratios(r.roundSpeedups()), percentOfPeak(r, peak), r.note().isEmpty() ? "" : " | " + r.note());
    }

    /** |a - b| / max(|a|, |b|). */
    static double relative(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    static String tuningLine(BenchResult.Tuning t) {
        String check = t.check() == null ? "" : f("; one step: D loss %.7f vs %.7f, G loss %.7f vs %.7f", t.check().dLossJava(),
                t.check().dLossPython(), t.check().gLossJava(), t.check().gLossPython());
        return f("tuning %-10s %s: %s %s ms vs %s %s ms (%.2fx the time)%s", t.workload(), t.what(), t.baseline(), ms(t.base()), t.variant(),
                ms(t.changed()), t.factor(), check);
    }

    static String reptileLine(BenchResult.ReptileOverhead r) {
        double bare = r.metaIterationMs() - r.innerStepsMs();
        return f("reptile overhead: meta-iteration %.1f ms, the same iteration with zero inner steps %.1f ms (medians of %d alternated "
                + "pairs), so inner steps %.1f ms and overhead %.1f / %.1f = %+.1f%%", r.metaIterationMs(), bare, r.pairs(), r.innerStepsMs(),
                bare, r.innerStepsMs(), 100 * r.overhead());
    }

    static String soakLine(BenchResult.Soak s) {
        StringBuilder b = new StringBuilder("soak " + s.workload() + ": RSS ");
        for (int i = 0; i < s.steps().size(); i++) {
            b.append(f("%s@%d ", mib(s.rssKb().get(i)), s.steps().get(i)));
        }
        Double growth = soakGrowth(s);
        if (growth != null) {
            b.append(f("; growth from step 1,000 to step %,d: %+.2f%%", s.steps().get(s.steps().size() - 1), growth));
        }
        return b.toString().trim();
    }

    /** Percentage growth of resident memory from step 1,000 to the last step, or null when the run was shorter. */
    static Double soakGrowth(BenchResult.Soak s) {
        int i = s.steps().indexOf(1000);
        if (i < 0 || i == s.steps().size() - 1) {
            return null;
        }
        long at1000 = s.rssKb().get(i);
        long last = s.rssKb().get(s.steps().size() - 1);
        return 100.0 * (last - at1000) / at1000;
    }

    /** The profile as Markdown tables (also printed as progress). */
    static String profileText(BenchResult.Profile p, double peak) {
        StringBuilder b = new StringBuilder();
        double total = p.phases().stream().mapToDouble(BenchResult.Phase::ms).sum();
        b.append("| phase of one dcgan-bce step (Java, medians) | ms | share |\n|---|---:|---:|\n");
        for (BenchResult.Phase ph : p.phases()) {
            b.append(f("| %s | %.2f | %.0f%% |%n", ph.name(), ph.ms(), 100 * ph.ms() / total));
        }
        b.append(f("| sum | %.2f | |%n%n", total));
        b.append("| layer alone, step shapes (batch 64) | GFLOP fwd | fwd ms | fwd GFLOP/s | fwd+bwd ms | fwd+bwd GFLOP/s | fwd+bwd % of matmul peak |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (BenchResult.Layer l : p.layers()) {
            b.append(f("| %s | %.3f | %.2f | %.1f | %.2f | %.1f | %s |%n", l.name(), l.gflopForward(), l.forwardMs(), l.forwardGflops(),
                    l.forwardBackwardMs(), l.forwardBackwardGflops(), Double.isNaN(peak) ? "-" : f("%.0f%%", 100 * l.forwardBackwardGflops() / peak)));
        }
        return b.toString();
    }

    /** The Markdown section BENCHMARKS.md holds. */
    public static String markdown(BenchResult r) {
        StringBuilder b = new StringBuilder();
        b.append("## Measured\n\n");
        b.append("Command: `").append(r.command()).append("`\n\n");
        b.append("- machine: ").append(r.machine()).append("; load average (1/5/15 min) before ").append(r.loadBefore())
                .append(", after ").append(r.loadAfter()).append("; run took ").append(f("%.1f", r.minutes())).append(" min\n");
        b.append("- Java: ").append(r.java()).append("\n");
        b.append("- PyTorch: ").append(r.python()).append("\n");
        b.append("- fp32 matmul peak through libtorch for " + r.threads() + " threads (Java, 2048^3, median; the best of mm on OpenBLAS "
                + "with 1 thread times " + r.threads() + " (with MKL on libtorch's threads, MKL_NUM_THREADS unset: mm on " + r.threads()
                + " threads), mm on OpenBLAS with " + r.threads() + " threads, and the same product as a 1x1 "
                + "convolution on oneDNN with " + r.threads() + " threads; see the tuning rows): ")
                .append(Double.isNaN(r.peakGflops()) ? "not measured" : f("%.1f GFLOP/s", r.peakGflops())).append("\n\n");
        b.append("| workload | unit | Java ms | Java rate | Java peak RSS | PyTorch ms | PyTorch rate | PyTorch peak RSS | Java speed-up, paired | round by round | overall medians | Java FLOP rate, % of matmul peak |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
        for (BenchResult.Row row : r.rows()) {
            if (row.java() == null) {
                b.append("| ").append(row.workload()).append(" | ").append(row.note()).append(" ||||||||||\n");
                continue;
            }
            String name = row.python() != null && !row.note().isEmpty() ? row.workload() + " (" + row.note() + ")" : row.workload();
            b.append(f("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", name, row.unit(), ms(row.java()),
                    rate(row, row.java()), mib(row.java().peakRssKb()), row.python() == null ? row.note() : ms(row.python()),
                    rate(row, row.python()), row.python() == null ? "-" : mib(row.python().peakRssKb()),
                    Double.isNaN(row.pairedSpeedup()) ? "-" : f("**%.2fx**", row.pairedSpeedup()), ratios(row.roundSpeedups()),
                    Double.isNaN(row.speedup()) ? "-" : f("%.2fx", row.speedup()), percentOfPeak(row, r.peakGflops())));
        }
        b.append("\nMs are medians over every timed unit of every round. \"Round by round\" is PyTorch's median over Java's in each "
                + "round (> 1: Java faster), the two sides having run back to back; \"Java speed-up, paired\" is the median of those "
                + "ratios (a load spike that hits one side in one round moves it little); \"overall medians\" is the ratio of the "
                + "overall medians.\n\n");
        b.append("### One step, identical weights and inputs\n\n");
        b.append("| workload | D loss Java | D loss PyTorch | G loss Java | G loss PyTorch | weight changes: relative L2 difference "
                + "| max abs weight difference | largest weight change of the step |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchResult.Row row : r.rows()) {
            BenchResult.Check c = row.check();
            if (c != null) {
                b.append(f("| %s | %.7f | %.7f | %.7f | %.7f | %.2e | %.2e | %.2e |%n", row.workload(), c.dLossJava(), c.dLossPython(),
                        c.gLossJava(), c.gLossPython(), c.relativeChangeDiff(), c.maxWeightDiff(), c.maxWeightChange()));
            }
        }
        if (r.rows().stream().anyMatch(row -> row.check() != null && row.workload().startsWith("lstm"))) {
            b.append("\nThe LSTM's discriminator uses dropout; each side draws its own masks, so its losses agree only in distribution.\n");
        }
        if (!r.tuning().isEmpty()) {
            b.append("\n### Tuning (Java against Java, alternated the same way)\n\n");
            b.append("| setting | workload | baseline | ms | variant | ms | variant time / baseline time | round by round |\n");
            b.append("|---|---|---|---:|---|---:|---:|---|\n");
            for (BenchResult.Tuning t : r.tuning()) {
                List<Double> rounds = java.util.stream.IntStream.range(0, Math.min(t.base().roundMedians().size(), t.changed().roundMedians().size()))
                        .mapToObj(i -> t.changed().roundMedians().get(i) / t.base().roundMedians().get(i)).toList();
                b.append(f("| %s | %s | %s | %s | %s | %s | %.2fx | %s |%n", t.what(), t.workload(), t.baseline(), ms(t.base()), t.variant(),
                        ms(t.changed()), t.factor(), ratios(rounds)));
            }
        }
        List<BenchResult.Tuning> checked = r.tuning().stream().filter(t -> t.check() != null).toList();
        if (!checked.isEmpty()) {
            b.append("\nOne identical step on both sides of a tuning row (the same weights and inputs), losses and their relative differences:\n\n");
            for (BenchResult.Tuning t : checked) {
                BenchResult.Check c = t.check();
                b.append(f("- %s, %s against %s: D loss %.7f against %.7f (%.1e), G loss %.7f against %.7f (%.1e)%n", t.workload(), t.baseline(),
                        t.variant(), c.dLossJava(), c.dLossPython(), relative(c.dLossJava(), c.dLossPython()), c.gLossJava(), c.gLossPython(),
                        relative(c.gLossJava(), c.gLossPython())));
            }
        }
        if (r.reptile() != null) {
            b.append("\n### Reptile's overhead over its inner steps\n\n").append(reptileLine(r.reptile()))
                    .append(" (the overhead: refilling the fast weights from theta per task, accumulating phi, theta - mean(phi), and the two "
                            + "outer Adam steps).\n");
        }
        if (r.profile() != null) {
            b.append("\n### Where the DCGAN step's time goes (Java)\n\n").append(profileText(r.profile(), r.peakGflops()));
        }
        if (r.soak() != null) {
            b.append("\n### Resident memory over a long run\n\n").append(soakLine(r.soak())).append(f(" (%.0f s)%n", r.soak().seconds()));
        }
        return b.toString();
    }
}
