package org.metagan.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.data.ClassSplit;
import org.metagan.data.Episode;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;
import org.metagan.fewshot.AdaptSettings;
import org.metagan.fewshot.Adaptation;
import org.metagan.fewshot.FewShotModel;
import org.metagan.nn.ImageShape;

/**
 * Few-shot evaluation of one model on the unseen classes: for each meta-test class, K support images drawn
 * by seed from that class's training images, adaptation of a copy of the weights for N steps, samples at
 * every N asked for, and one scoring call per N over all classes against their real test images.
 */
public final class FewShotEvaluation {
    private FewShotEvaluation() {}

    /**
     * @param scores     scores per number of adaptation steps
     * @param grids      per N: the first {@code gridPerClass} samples of every class, class after class
     * @param support    the K shots of every class, class after class
     * @param dLoss      discriminator loss per adaptation step, averaged over classes
     * @param gLoss      generator loss per adaptation step, averaged over classes
     */
    public record Result(Map<Integer, FewShotScores> scores, Map<Integer, float[]> grids, float[] support, double[] dLoss,
                         double[] gLoss) {}

    /** The K support images of class {@code label}: a pure function of (seed, class, K). */
    public static ImageSet support(TaskDistribution testTasks, int label, int shots, long seed) {
        Episode e = testTasks.episode(label, supportStream(label, shots, seed), shots, 0);
        return e.support();
    }

    /** The stream the K shots of class {@code label} are drawn from: the first K of its permutation are the shots. */
    private static Rng supportStream(int label, int shots, long seed) {
        return new Rng(seed).split("support/" + label + "/" + shots);
    }

    /**
     * @param shotPool     the meta-test dataset's training images (the K shots are drawn from its meta-test classes)
     * @param realTest     the meta-test dataset's test images (filtered to the meta-test classes here)
     * @param steps        the N to score, e.g. {0, 10, 100}
     * @param samples      generated images per class
     * @param gridPerClass samples per class kept for the grid
     */
    public static Result run(FewShotModel model, ClassSplit split, ImageSet shotPool, ImageSet realTest, int shots, int[] steps,
                             int samples, int gridPerClass, AdaptSettings settings, long seed, FewShotScorer scorer) {
        return run(adapting(model, settings), model.shape(), split, shotPool, realTest, shots, steps, samples, gridPerClass, seed,
                scorer);
    }

    /**
     * How a method turns one class's K shots into images: samples after each N of {@code steps} (and, for methods
     * that adapt, the losses of every step), from {@code rng} alone, so a class's images do not depend on the
     * other classes evaluated.
     */
    @FunctionalInterface
    public interface ClassGenerator {
        Adaptation.Result generate(ImageSet support, int[] steps, int samples, Rng rng);
    }

    /** A few-shot model adapted from its own weights (which stay unchanged) with {@code settings}. */
    public static ClassGenerator adapting(FewShotModel model, AdaptSettings settings) {
        return (support, steps, samples, rng) -> Adaptation.run(model, model.theta(), support, steps, samples, settings, rng);
    }

    /** Draws {@code count} images of the class of {@code k} shots {@code [K, C, H, W]} in one pass (FusionGan, PairGan). */
    @FunctionalInterface
    public interface OnePassSampler {
        float[] sample(float[] shots, int k, int count, Rng noise);
    }

    /** A one-pass generator: its images at N = 0 only (it has no adaptation steps; {@code steps} must be {0}). */
    public static ClassGenerator onePass(OnePassSampler sampler) {
        return (support, steps, samples, rng) -> {
            if (steps.length != 1 || steps[0] != 0) {
                throw new IllegalArgumentException("a one-pass generator is evaluated at N = 0 only, not at " + java.util.Arrays.toString(steps));
            }
            float[] px = sampler.sample(support.pixels(), support.size(), samples, rng);
            return new Adaptation.Result(List.of(new Adaptation.Snapshot(0, px, samples)), new double[0], new double[0]);
        };
    }

    /**
     * The evaluation of any method: per unseen class, its K shots, {@code generator}'s images after each N, then one
     * scoring call per N over all classes.
     *
     * @param shape the images' shape
     */
    public static Result run(ClassGenerator generator, ImageShape shape, ClassSplit split, ImageSet shotPool, ImageSet realTest,
                             int shots, int[] steps, int samples, int gridPerClass, long seed, FewShotScorer scorer) {
        TaskDistribution testTasks = TaskDistribution.metaTest(shotPool, split);
        ImageSet real = unseenTestImages(split, realTest);
        List<Integer> classes = split.testList();
        int per = shape.size();
        Map<Integer, float[]> pixels = new LinkedHashMap<>();
        Map<Integer, float[]> grids = new LinkedHashMap<>();
        for (int n : steps) {
            pixels.put(n, new float[classes.size() * samples * per]);
            grids.put(n, new float[classes.size() * gridPerClass * per]);
        }
        int maxSteps = java.util.Arrays.stream(steps).max().orElse(0);
        double[] dLoss = new double[maxSteps];
        double[] gLoss = new double[maxSteps];
        float[] supportPixels = new float[classes.size() * shots * per];
        int[] labels = new int[classes.size() * samples];
        for (int ci = 0; ci < classes.size(); ci++) {
            int c = classes.get(ci);
            ImageSet s = support(testTasks, c, shots, seed);
            System.arraycopy(s.pixels(), 0, supportPixels, ci * shots * per, shots * per);
            Adaptation.Result r = generator.generate(s, steps, samples, new Rng(seed).split("adapt/" + c));
            for (int n : steps) {
                float[] px = r.at(n).pixels();
                System.arraycopy(px, 0, pixels.get(n), ci * samples * per, samples * per);
                System.arraycopy(px, 0, grids.get(n), ci * gridPerClass * per, gridPerClass * per);
            }
            for (int i = 0; i < maxSteps; i++) {
                dLoss[i] += r.dLoss()[i] / classes.size();
                gLoss[i] += r.gLoss()[i] / classes.size();
            }
            java.util.Arrays.fill(labels, ci * samples, (ci + 1) * samples, c);
        }
        ImageSet shotSet = shotSet(supportPixels, classes, shots, shotPool);
        Map<Integer, FewShotScores> scores = new LinkedHashMap<>();
        for (int n : steps) {
            scores.put(n, scorer.score(pixels.get(n), labels, real, shotSet));
        }
        return new Result(scores, grids, supportPixels, dLoss, gLoss);
    }

    /**
     * The real floor of the scores: in place of generated images, every training image of each unseen class except its
     * K shots (the very shots every method gets at this seed), scored by {@code scorer} against the same test images.
     * It is what real new instances of the class reach in these instruments: the reference for recall and coverage
     * (which real images do not reach 1 either when a class has few test instances), 1 for the distance ratios by
     * construction up to sampling, and the judge's accuracy on images it was trained on.
     *
     * @param shotPool the meta-test dataset's training images; a class needs more than {@code shots} of them
     */
    public static FewShotScores realFloor(ClassSplit split, ImageSet shotPool, ImageSet realTest, int shots, long seed,
                                          FewShotScorer scorer) {
        TaskDistribution testTasks = TaskDistribution.metaTest(shotPool, split);
        List<Integer> classes = split.testList();
        int per = shotPool.channels() * shotPool.height() * shotPool.width();
        float[] supportPixels = new float[classes.size() * shots * per];
        List<ImageSet> others = new ArrayList<>();
        int total = 0;
        for (int ci = 0; ci < classes.size(); ci++) {
            int c = classes.get(ci);
            int rest = shotPool.indicesOf(c).length - shots;
            if (rest < 1 && classes.stream().allMatch(other -> shotPool.indicesOf(other).length <= shots)) {
                throw new UserError("expected more than " + shots + " training images of an unseen class for the real floor but "
                        + shotPool.source() + " has at most " + shots + " of each; use fewer shots");
            }
            // the stream of support(): the first K of the permutation are the shots, the rest follows them
            Episode e = testTasks.episode(c, supportStream(c, shots, seed), shots, rest);
            System.arraycopy(e.support().pixels(), 0, supportPixels, ci * shots * per, shots * per);
            others.add(e.query());
            total += rest;
        }
        float[] pixels = new float[total * per];
        int[] labels = new int[total];
        int at = 0;
        for (int ci = 0; ci < classes.size(); ci++) {
            ImageSet q = others.get(ci);
            System.arraycopy(q.pixels(), 0, pixels, at * per, q.size() * per);
            java.util.Arrays.fill(labels, at, at + q.size(), classes.get(ci));
            at += q.size();
        }
        return scorer.score(pixels, labels, unseenTestImages(split, realTest), shotSet(supportPixels, classes, shots, shotPool));
    }

    /** The test images of the unseen classes only. */
    private static ImageSet unseenTestImages(ClassSplit split, ImageSet realTest) {
        return new ClassFilter(split.test().toString(), split.test()).apply(realTest, false);
    }

    /** The K shots of every unseen class {@code [classes * K, C, H, W]}, class after class, as a labelled set. */
    private static ImageSet shotSet(float[] supportPixels, List<Integer> classes, int shots, ImageSet shotPool) {
        int[] shotLabels = new int[classes.size() * shots];
        for (int ci = 0; ci < classes.size(); ci++) {
            java.util.Arrays.fill(shotLabels, ci * shots, (ci + 1) * shots, classes.get(ci));
        }
        return new ImageSet(supportPixels, shotLabels, shotPool.channels(), shotPool.height(), shotPool.width(),
                shotPool.classNames(), shotPool.source() + " [the " + shots + " shots of each unseen class]");
    }

    /** Scores as a flat map for a metrics log line. */
    public static Map<String, Object> flat(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        r.scores().forEach((n, s) -> {
            m.put("fid@" + n, s.fid());
            m.put("intra_fid@" + n, s.intraFid());
            m.put("recall@" + n, s.recall());
            m.put("pairwise_ratio@" + n, s.pairwiseRatio());
            m.put("nearest_shot_ratio@" + n, s.nearestShotRatio());
            m.put("accuracy@" + n, s.accuracy());
        });
        return m;
    }
}
