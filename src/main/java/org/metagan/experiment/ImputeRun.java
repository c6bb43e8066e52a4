package org.metagan.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.IdxReader;
import org.metagan.data.IdxWriter;
import org.metagan.data.ImageSet;
import org.metagan.data.corrupt.CorruptedCopy;
import org.metagan.data.corrupt.Corruptions;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.metagan.robust.Gain;
import org.metagan.robust.Imputation;
import org.metagan.robust.MisganImputer;
import org.metagan.train.GainCheckpoint;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.TrainingData;

/**
 * What {@code metagan impute} does: fills the missing pixels of grey images (IDX, with a mask file as {@code data corrupt}
 * writes: 1 observed, 0 missing) by a GAIN checkpoint ({@code train --robust gain}), MisGAN's imputer (a checkpoint of
 * {@code train --robust misgan --misgan-imputer}) or a baseline (per-pixel mean, k
 * nearest neighbours on observed pixels; {@link Imputation}), writes the completed images and, given the clean
 * originals, the RMSE on the missing pixels in [0, 1] units.
 */
public final class ImputeRun {
    /** Completed images, written to the output folder. */
    public static final String IMAGES = "images-idx3-ubyte.gz";
    public static final String LABELS = "labels-idx1-ubyte.gz";
    public static final String GRID = "imputations.png";
    public static final String REPORT = "report.json";
    /** Images per GAIN forward pass. */
    private static final int CHUNK = 512;

    private ImputeRun() {}

    /** How to impute: {@code gain} or {@code misgan} (need a checkpoint), {@code mean} or {@code knn}. */
    public enum Method {
        GAIN, MISGAN, MEAN, KNN;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.cliName().equals(s == null ? "" : s.strip().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new UserError("expected --method gain, misgan, mean or knn but found '" + s + "'; pass one of them");
        }
    }

    /**
     * What was done; also {@code report.json}.
     *
     * @param rmseMissing RMSE over the missing pixels against the originals (null without them)
     */
    public record Report(String method, String checkpoint, String images, String masks, String truth, int count, int height,
                         int width, double missingRate, Double rmseMissing, int k, int pool, long seed) {}

    /** Images in [0, 1] {@code [count, H*W]} with masks of the same layout. */
    public record Damaged(float[] values, float[] masks, int count, int height, int width, byte[] labels) {}

    /**
     * Reads {@code images} (an IDX images file, or a {@code data corrupt} folder) and {@code masks} (an IDX file; null:
     * the folder's).
     */
    public static Damaged read(Path images, Path masks) {
        Path imageFile = images;
        Path labelFile = null;
        if (Files.isDirectory(images)) {
            imageFile = images.resolve(CorruptedCopy.IMAGES);
            labelFile = images.resolve(CorruptedCopy.LABELS);
            if (masks == null) {
                masks = images.resolve(CorruptedCopy.MASKS);
            }
            if (!Files.isRegularFile(imageFile) || !Files.isRegularFile(masks)) {
                throw new UserError("expected a 'data corrupt' folder holding " + CorruptedCopy.IMAGES + " and " + CorruptedCopy.MASKS
                        + " but found neither or one in --images " + images + "; pass that folder, or --images FILE --masks FILE");
            }
        } else if (masks == null) {
            throw new UserError("expected --masks FILE (IDX of 0 missing, 1 observed) with --images " + images
                    + " but found none; pass --masks, or --images a 'data corrupt' folder");
        }
        IdxReader.Images img = IdxReader.readImages(imageFile);
        IdxReader.Images msk = IdxReader.readImages(masks);
        if (img.count() != msk.count() || img.rows() != msk.rows() || img.cols() != msk.cols()) {
            throw new UserError("expected masks of the images' shape " + img.count() + "x" + img.rows() + "x" + img.cols() + " but found "
                    + msk.count() + "x" + msk.rows() + "x" + msk.cols() + " in --masks " + masks + "; pass the masks written with these images");
        }
        float[] values = new float[img.pixels().length];
        float[] m = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            int b = msk.pixels()[i] & 0xff;
            if (b > 1) {
                throw new UserError("expected mask values 0 (missing) or 1 (observed) but found " + b + " at value " + i + " of --masks "
                        + masks + "; pass a mask file as 'data corrupt' writes");
            }
            m[i] = b;
            values[i] = b == 1 ? (img.pixels()[i] & 0xff) / 255f : 0f;
        }
        byte[] labels = labelFile != null && Files.isRegularFile(labelFile) ? IdxReader.readLabels(labelFile) : null;
        return new Damaged(values, m, img.count(), img.rows(), img.cols(), labels);
    }

    /**
     * The clean originals of {@code damaged} in [0, 1]: an IDX images file, or a dataset (name or path) whose split is
     * the one {@code images}' manifest names.
     */
    public static float[] truth(String truth, String data, Path images, Damaged damaged) {
        Path file = Path.of(truth);
        float[] values;
        if (Files.isRegularFile(file) && file.getFileName().toString().contains("idx3")) {
            IdxReader.Images t = IdxReader.readImages(file);
            values = new float[t.pixels().length];
            for (int i = 0; i < values.length; i++) {
                values[i] = (t.pixels()[i] & 0xff) / 255f;
            }
        } else {
            Path manifest = Files.isDirectory(images) ? images.resolve(CorruptedCopy.MANIFEST) : null;
            if (manifest == null || !Files.isRegularFile(manifest)) {
                throw new UserError("expected --truth to be an IDX images file, or a dataset with --images a 'data corrupt' folder"
                        + " (its manifest names the split), but found '" + truth + "' with --images " + images + "; pass the originals' IDX file");
            }
            String split;
            try {
                JsonNode m = Configs.JSON.readTree(manifest.toFile());
                split = m.path("split").asText();
            } catch (IOException e) {
                throw new UserError("expected a readable manifest at " + manifest + " but could not read it (" + e.getMessage()
                        + "); write the folder again with 'data corrupt'", e);
            }
            TrainingData td = TrainingData.load(truth, data, null, 0);
            ImageSet set = split.equals("test") ? td.test() : td.train();
            values = Corruptions.toUnitRange(set);
        }
        if (values.length != damaged.values().length) {
            throw new UserError("expected originals of " + damaged.count() + " images of " + damaged.height() + "x" + damaged.width()
                    + " (" + damaged.values().length + " values) but found " + values.length + " values in --truth " + truth
                    + "; pass the originals of these images");
        }
        return values;
    }

    /** Completes {@code damaged} with {@code method}; observed values are returned unchanged. */
    public static float[] impute(Method method, Damaged damaged, Path checkpoint, int k, int pool, long seed) {
        int d = damaged.height() * damaged.width();
        return switch (method) {
            case MEAN -> Imputation.mean(damaged.values(), damaged.masks(), damaged.count(), d);
            case KNN -> Imputation.knn(damaged.values(), damaged.masks(), damaged.count(), d, k, pool);
            case GAIN -> {
                if (checkpoint == null) {
                    throw new UserError("expected --checkpoint FILE (written by 'train --robust gain') with --method gain but found none;"
                            + " pass it, or --method mean or knn");
                }
                GainCheckpoint.Loaded ck = GainCheckpoint.load(checkpoint);
                ImageShape expected = new ImageShape(1, damaged.height(), damaged.width());
                if (!ck.shape().equals(expected)) {
                    throw new UserError("expected a GAIN checkpoint for " + expected + " images but " + checkpoint + " holds one for "
                            + ck.shape() + "; pass a checkpoint trained on images of this size");
                }
                yield gain(ck.gain(), damaged, new Rng(seed).split("impute"));
            }
            case MISGAN -> {
                if (checkpoint == null) {
                    throw new UserError("expected --checkpoint FILE (written by 'train --robust misgan --misgan-imputer') with --method misgan"
                            + " but found none; pass it, or --method mean or knn");
                }
                GanCheckpoint.Loaded ck = GanCheckpoint.load(checkpoint);
                if (!ck.hasImputer()) {
                    throw new UserError("expected a checkpoint holding MisGAN's imputer but " + checkpoint + " was trained without it"
                            + " (--robust " + ck.config().robust() + ", --misgan-imputer " + ck.config().misganImputer()
                            + "); train with --robust misgan --misgan-imputer");
                }
                ImageShape expected = new ImageShape(1, damaged.height(), damaged.width());
                if (!ck.facts().shape().equals(expected)) {
                    throw new UserError("expected a MisGAN checkpoint for " + expected + " images but " + checkpoint + " holds one for "
                            + ck.facts().shape() + "; pass a checkpoint trained on images of this size");
                }
                yield misgan(ck.imputer(), damaged, new Rng(seed).split("impute"));
            }
        };
    }

    /**
     * MisGAN's imputation of every image, {@link #CHUNK} at a time, drawing from {@code rng} in order: the imputer works in
     * [-1, 1]; its completions are brought back to [0, 1] for the missing values only, so observed values are returned
     * exactly as given.
     */
    public static float[] misgan(MisganImputer imputer, Damaged damaged, Rng rng) {
        int d = damaged.height() * damaged.width();
        float[] out = damaged.values().clone();
        for (int start = 0; start < damaged.count(); start += CHUNK) {
            int n = Math.min(CHUNK, damaged.count() - start);
            float[] x = java.util.Arrays.copyOfRange(damaged.values(), start * d, (start + n) * d);
            float[] m = java.util.Arrays.copyOfRange(damaged.masks(), start * d, (start + n) * d);
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * x[i] - 1;
            }
            try (PointerScope scope = new PointerScope()) {
                float[] done = Tensors.toFloats(imputer.impute(Tensors.fromFloats(x, n, d), Tensors.fromFloats(m, n, d), rng));
                for (int i = 0; i < done.length; i++) {
                    if (m[i] == 0f) {
                        out[start * d + i] = (done[i] + 1) / 2;
                    }
                }
            }
        }
        return out;
    }

    /** GAIN's imputation of every image, {@link #CHUNK} at a time, drawing from {@code rng} in order. */
    public static float[] gain(Gain gain, Damaged damaged, Rng rng) {
        int d = damaged.height() * damaged.width();
        float[] out = new float[damaged.values().length];
        for (int start = 0; start < damaged.count(); start += CHUNK) {
            int n = Math.min(CHUNK, damaged.count() - start);
            float[] x = java.util.Arrays.copyOfRange(damaged.values(), start * d, (start + n) * d);
            float[] m = java.util.Arrays.copyOfRange(damaged.masks(), start * d, (start + n) * d);
            try (PointerScope scope = new PointerScope()) {
                float[] done = Tensors.toFloats(gain.impute(Tensors.fromFloats(x, n, d), Tensors.fromFloats(m, n, d), rng));
                System.arraycopy(done, 0, out, start * d, n * d);
            }
        }
        return out;
    }

    /** Writes the completed images (IDX), the labels when known, a grid of the first 32 (damaged above completed) and the report. */
    public static void write(Path out, Damaged damaged, float[] imputed, Report report) {
        try {
            Files.createDirectories(out);
            byte[] bytes = new byte[imputed.length];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Math.round(Math.min(1f, Math.max(0f, imputed[i])) * 255f);
            }
            IdxWriter.writeImages(out.resolve(IMAGES), new IdxReader.Images(damaged.count(), damaged.height(), damaged.width(), bytes));
            if (damaged.labels() != null) {
                IdxWriter.writeLabels(out.resolve(LABELS), damaged.labels());
            }
            int n = Math.min(32, damaged.count());
            org.metagan.train.GainTrainer.writePairs(out.resolve(GRID), damaged.values(), imputed, n,
                    new ImageShape(1, damaged.height(), damaged.width()));
            AtomicFiles.writeString(out.resolve(REPORT), Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the imputed images into " + out, e);
        }
    }

    /** The fraction of mask values that are 0. */
    public static double missingRate(float[] masks) {
        long missing = 0;
        for (float m : masks) {
            missing += m == 0f ? 1 : 0;
        }
        return masks.length == 0 ? 0 : (double) missing / masks.length;
    }
}
