package org.metagan.ssl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.metagan.core.Rng;
import org.metagan.nn.Tensors;

/**
 * Images of the semi-supervised GAN's generator. Its generator is unconditional (Salimans et al. 2016: z alone, the
 * classes live in the discriminator), so images <em>of a class</em> are the classifier's labelling, not a conditional
 * generator's: {@link #labelledByClassifier} draws candidates from the generator, labels each by the argmax of the
 * trained classifier's K logits (without its noise) and keeps, for each class asked for, the images labelled so with the
 * highest class probability (softmax over the K logits).
 */
public final class SslSamples {
    /** Images drawn per generator call. */
    static final int CHUNK = 500;
    /** Candidates drawn at least per image asked for: the kept images are the most confident quarter of their class at most. */
    public static final int CANDIDATES_PER_IMAGE = 4;
    /** Candidates drawn at most per image asked for, before a class the generator (almost) never gives is refused. */
    static final int MAX_CANDIDATES_PER_IMAGE = 40;

    private SslSamples() {}

    /** {@code count} images {@code [count, C, H, W]} of {@code g} (its batch norm on running statistics), latent codes N(0, 1) of {@code rng}. */
    public static float[] unlabelled(SslGenerator g, int count, Rng rng) {
        int per = g.shape().size();
        float[] out = new float[count * per];
        boolean wasTraining = g.isTraining();
        g.setTraining(false);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (int start = 0; start < count; start += CHUNK) {
                int b = Math.min(CHUNK, count - start);
                try (PointerScope scope = new PointerScope()) {
                    float[] px = Tensors.toFloats(g.forward(Tensors.gaussian(rng, b, g.zDim()), null));
                    System.arraycopy(px, 0, out, start * per, px.length);
                }
            }
        } finally {
            g.setTraining(wasTraining);
        }
        return out;
    }

    /** A candidate: its pixels, the classifier's probability of its class, and its draw number (ties: the earlier first). */
    private record Candidate(float[] pixels, double confidence, long index) {}

    private static final Comparator<Candidate> LESS_CONFIDENT_FIRST = Comparator.comparingDouble(Candidate::confidence)
            .thenComparing(Comparator.comparingLong(Candidate::index).reversed());

    /**
     * Images of the classes by the classifier's labelling.
     *
     * @param pixels {@code [labels.length, C, H, W]}, class by class, within a class the most confident first
     * @param labels the classifier's class of each (its argmax)
     * @param drawn  the generator's draws they were chosen from
     */
    public record Labelled(float[] pixels, int[] labels, long drawn) {
        /** Images of class {@code c}. */
        public int count(int c) {
            return (int) java.util.Arrays.stream(labels).filter(l -> l == c).count();
        }
    }

    /**
     * Up to {@code perClass} images of every class of the classifier: at least {@value #CANDIDATES_PER_IMAGE} x K x
     * perClass draws of {@code gan}'s generator (more, up to {@value #MAX_CANDIDATES_PER_IMAGE} x, until every class has
     * enough), each labelled by the classifier's argmax; per class its most confident images (highest softmax probability
     * of that class over the K logits). A class the generator gives fewer times than asked in all those draws (a collapsed
     * generator) has fewer images: {@link Labelled#count} says how many.
     */
    public static Labelled labelledByClassifier(SslGan gan, int perClass, Rng rng) {
        int k = gan.classifier().classes();
        List<PriorityQueue<Candidate>> kept = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            kept.add(new PriorityQueue<>(LESS_CONFIDENT_FIRST));
        }
        int per = gan.shape().size();
        long minimum = (long) CANDIDATES_PER_IMAGE * k * perClass;
        long maximum = (long) MAX_CANDIDATES_PER_IMAGE * k * perClass;
        long drawn = 0;
        while (drawn < minimum || (drawn < maximum && kept.stream().anyMatch(q -> q.size() < perClass))) {
            int b = (int) Math.min(CHUNK, maximum - drawn);
            float[] px = unlabelled(gan.generator(), b, rng);
            float[] logits = gan.logits(px, b);
            for (int i = 0; i < b; i++) {
                int best = SslGan.argmax(logits, i, k);
                double z = 0;
                for (int c = 0; c < k; c++) {
                    z += Math.exp(logits[i * k + c] - logits[i * k + best]);
                }
                Candidate cand = new Candidate(null, 1 / z, drawn + i);
                PriorityQueue<Candidate> q = kept.get(best);
                if (q.size() < perClass || LESS_CONFIDENT_FIRST.compare(cand, q.peek()) > 0) {
                    float[] image = new float[per];
                    System.arraycopy(px, i * per, image, 0, per);
                    q.add(new Candidate(image, cand.confidence(), cand.index()));
                    if (q.size() > perClass) {
                        q.poll();
                    }
                }
            }
            drawn += b;
        }
        int total = kept.stream().mapToInt(PriorityQueue::size).sum();
        float[] pixels = new float[total * per];
        int[] labels = new int[total];
        int at = 0;
        for (int c = 0; c < k; c++) {
            List<Candidate> l = new ArrayList<>(kept.get(c));
            l.sort(LESS_CONFIDENT_FIRST.reversed());
            for (Candidate cand : l) {
                System.arraycopy(cand.pixels(), 0, pixels, at * per, per);
                labels[at++] = c;
            }
        }
        return new Labelled(pixels, labels, drawn);
    }
}
