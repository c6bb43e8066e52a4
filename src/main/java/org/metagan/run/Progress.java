package org.metagan.run;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress bar with ETA on an interactive terminal; elsewhere (CI logs, pipes) a log line every
 * {@code logEvery} steps instead of a redrawn bar.
 */
public final class Progress implements TrainingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private final ProgressBar bar;
    private final long total;
    private final int logEvery;

    public Progress(String task, long start, long total, int logEvery, boolean interactive) {
        this.total = total;
        this.logEvery = logEvery;
        this.bar = interactive
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).startsFrom(start, java.time.Duration.ZERO)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build()
                : null;
    }

    @Override
    public void onStep(StepRecord r) {
        if (bar != null) {
            bar.stepTo(r.step());
            bar.setExtraMessage(String.format("D %.3f G %.3f", r.dLoss(), r.gLoss()));
        } else if (r.step() % logEvery == 0 || r.step() == total) {
            LOG.info("step {}/{}  D {}  G {}  {} ms/step", r.step(), total, fmt(r.dLoss()), fmt(r.gLoss()), fmt(r.msPerStep()));
        }
    }

    private static String fmt(double v) {
        return String.format("%.3f", v);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
