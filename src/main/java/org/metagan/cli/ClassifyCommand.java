package org.metagan.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.data.IdxReader;
import org.metagan.data.ImageFolderReader;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.ssl.SslCheckpoint;
import org.metagan.ssl.SslGan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan classify}: labels images with the classifier of an {@code ssl-train} checkpoint. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Label images with the classifier of a 'metagan ssl-train' checkpoint. With --labels, prints the accuracy; "
                + "otherwise writes one line 'index,class' per image (in the order of the file or of the sorted file names) to --out."})
final class ClassifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A checkpoint written by 'metagan ssl-train'.")
    Path checkpoint;
    @Option(names = "--images", required = true, description = "A folder of image files or an IDX images file.")
    Path images;
    @Option(names = "--labels", description = "IDX labels file of --images (an IDX file): print the accuracy.")
    Path labels;
    @Option(names = "--out", description = "Predictions CSV (default: predictions.csv).")
    Path out = Path.of("predictions.csv");
    @Option(names = "--threads", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Override
    public Integer call() throws IOException {
        Engine.init(threads, "cpu");
        SslCheckpoint.Loaded loaded = SslCheckpoint.load(checkpoint);
        ImageSet set = read(loaded.classNames());
        ImageShape shape = loaded.shape();
        if (set.channels() != shape.channels() || set.height() != shape.height() || set.width() != shape.width()) {
            throw new UserError("expected images of " + shape.channels() + "x" + shape.height() + "x" + shape.width() + " (as the checkpoint's) but "
                    + images + " holds " + set.channels() + "x" + set.height() + "x" + set.width() + "; pass images of the training dataset's size");
        }
        SslGan gan = loaded.gan();
        if (labels != null) {
            double accuracy = gan.accuracy(set);
            spec.commandLine().getOut().printf("accuracy %.4f on %d images of %s%n", accuracy, set.size(), images);
            return 0;
        }
        int[] predicted = gan.classify(set);
        StringBuilder csv = new StringBuilder("index,class\n");
        for (int i = 0; i < predicted.length; i++) {
            csv.append(i).append(',').append(loaded.classNames().get(predicted[i])).append('\n');
        }
        AtomicFiles.write(out, csv.toString().getBytes(StandardCharsets.UTF_8));
        spec.commandLine().getOut().printf("classified %d images of %s -> %s%n", set.size(), images, out);
        return 0;
    }

    private ImageSet read(java.util.List<String> classNames) {
        if (Files.isDirectory(images)) {
            if (labels != null) {
                throw new UserError("expected --labels only with an IDX images file but " + images + " is a folder; drop --labels");
            }
            return ImageFolderReader.readFlat(images, ImageOptions.DEFAULT);
        }
        if (labels != null) {
            return IdxReader.load(images, labels, classNames);
        }
        IdxReader.Images idx = IdxReader.readImages(images);
        byte[] px = idx.pixels();
        float[] pixels = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            pixels[i] = (px[i] & 0xff) / 127.5f - 1f;
        }
        return new ImageSet(pixels, new int[idx.count()], 1, idx.rows(), idx.cols(), java.util.List.of("unlabelled"), images.toString());
    }
}
