package org.metagan.experiment.augment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.data.ImageSet;

/** The files of a run: results.json, results.md, report.html, and a grid of each arm's synthetic images. */
final class AugmentOutput {
    private AugmentOutput() {}

    /** Writes results.json, results.md and report.html to {@code out}, each atomically. */
    static void write(AugmentResult r, Path out) throws IOException {
        AtomicFiles.writeString(out.resolve("results.json"), Configs.JSON.writeValueAsString(r));
        AtomicFiles.writeString(out.resolve("results.md"), AugmentReport.markdown(r));
        AtomicFiles.writeString(out.resolve("report.html"), AugmentReport.html(r));
    }

    /** The first {@code perRow} images of every class, one row per class; a class with fewer leaves its cells black. */
    static void writeGrid(Path file, ImageSet images, int perRow) throws IOException {
        List<Integer> idx = new ArrayList<>();
        for (int c = 0; c < images.numClasses(); c++) {
            int[] members = images.indicesOf(c);
            for (int i = 0; i < perRow; i++) {
                idx.add(i < members.length ? members[i] : -1);
            }
        }
        int per = images.imageSize();
        float[] px = new float[idx.size() * per];
        Arrays.fill(px, -1f);
        for (int i = 0; i < idx.size(); i++) {
            if (idx.get(i) >= 0) {
                System.arraycopy(images.pixels(), idx.get(i) * per, px, i * per, per);
            }
        }
        Files.createDirectories(file.getParent());
        ImageGrid.writePng(file, px, idx.size(), images.channels(), images.height(), images.width(), perRow);
    }
}
