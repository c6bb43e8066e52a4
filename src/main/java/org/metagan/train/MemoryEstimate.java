package org.metagan.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.metagan.core.UserError;
import org.metagan.gan.GanLoss;
import org.metagan.nn.Discriminator;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory a training configuration needs, estimated before any tensor is allocated, and checked
 * against what the machine has, so that a run that cannot fit stops with a clear message instead of
 * being killed by the kernel's OOM killer hours later (or at its first step).
 *
 * <p>The formula (float32 values, 4 bytes each):
 * <ul>
 *   <li><b>state</b> (native, libtorch): G parameters x 5 (weights, gradients, Adam m and v, EMA copy) plus
 *       D parameters x 4 (weights, gradients, m, v); parameter counts are read off freshly built networks;</li>
 *   <li><b>activations</b> (native): per image, the sizes of the intermediate tensors of one forward pass
 *       ({@code A_G}, {@code A_D}): the input plus {@value #COPIES_PER_LAYER} tensors of each matrix-product layer's
 *       output size (the layer's, its normalisation's and its activation's), the layers and their output shapes read
 *       off the built networks ({@link Generator#layers()}, {@link Discriminator#layers()}); a D step keeps the graphs of D on the real and
 *       the fake batch ({@code 2 A_D}), times 2.5 when a gradient penalty differentiates through D again;
 *       a G step keeps {@code A_G + A_D}; backward roughly doubles either; the peak is the larger step,
 *       times the batch, times a safety factor of {@value #SAFETY} (autograd's saved masks and temporaries);</li>
 *   <li><b>checkpoint</b> (native and heap): a resume or a rollback reads a whole checkpoint into the Java heap
 *       and into new tensors (its size, once each), and writing one copies the largest tensor twice;</li>
 *   <li><b>batches</b> (heap): three copies of a batch of images and two of its noise.</li>
 * </ul>
 * The training images themselves are already in the heap when this runs. The estimate is compared with
 * the JVM's free heap ({@code -Xmx} less what is in use) and with the physical memory available
 * ({@code MemAvailable} of /proc/meminfo, and the cgroup limit when one is set). Measured against peak
 * resident memory of real runs in RELIABILITY.md.
 *
 * @param stateBytes      parameters, gradients, optimiser moments and EMA
 * @param activationBytes the peak of one training step's graphs for the configured batch
 * @param checkpointBytes one checkpoint's size (read in full on resume or rollback)
 * @param heapBytes       Java heap the loop allocates beyond the training images
 */
public record MemoryEstimate(long stateBytes, long activationBytes, long checkpointBytes, long heapBytes) {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryEstimate.class);
    static final double SAFETY = 2.0;
    /** Warn when the estimate uses more than this share of what is available. */
    static final double WARN_SHARE = 0.8;
    /** Environment variable that turns the check into a warning ("off"). */
    public static final String SWITCH = "METAGAN_MEMORY_CHECK";

    /** Tensors of a layer's output size kept per matrix-product layer: its output, its normalisation's, its activation's. */
    static final int COPIES_PER_LAYER = 3;

    /** Native bytes: state, activations, and a checkpoint's tensors while one is restored. */
    public long nativeBytes() {
        return stateBytes + activationBytes + checkpointBytes;
    }

    /** All the memory the run will add to the process: native plus heap. */
    public long totalBytes() {
        return nativeBytes() + heapBytes;
    }

    /**
     * What the estimate needs of G and D, read off freshly built networks (a few ms): parameter counts and the values of
     * the intermediate tensors of one forward pass per image ({@code A_G}, {@code A_D}). With packing, D's input is
     * {@code [C P, H, W]} per pack, so its per-image values are a pack's divided by P; a mixture generator (MGAN) counts
     * all its members' parameters and, when separate, every member's pass (each runs on the whole batch).
     */
    record Sizes(long generatorParameters, long discriminatorParameters, long generatorActivations, long discriminatorActivations,
                 long classifierParameters) {
        static Sizes of(ModelKind kind, ImageShape s, int zDim, int conditionDim) {
            org.metagan.core.Rng rng = new org.metagan.core.Rng(0);
            try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                return of(kind.generator(s, zDim, conditionDim, rng), kind.discriminator(s, conditionDim, false, rng), 1, 1);
            }
        }

        /** The sizes of {@code config}'s generator and of one of its discriminators (packing and {@code --d-width} included). */
        static Sizes of(TrainConfig config, ImageShape s, int conditionDim) {
            org.metagan.core.Rng rng = new org.metagan.core.Rng(0);
            ImageShape packed = new ImageShape(s.channels() * config.pack(), s.height(), s.width());
            try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                return of(GanFactory.generator(config, s, conditionDim, rng),
                        config.modelKind().discriminator(packed, conditionDim, false, config.dWidth(), rng), config.pack(),
                        config.generators());
            }
        }

        /** MGAN's classifier head is K logits on D's features: {@code (F + 1) K} parameters, none with one generator. */
        private static Sizes of(Generator g, Discriminator d, int pack, int generators) {
            return new Sizes(g.parameters().numel(), d.parameters().numel(), activationsPerImage(g.zDim() + g.conditionDim(), g.layers()),
                    activationsPerImage(d.imageShape().size(), d.layers()) / pack, generators == 1 ? 0 : (d.featureDim() + 1L) * generators);
        }
    }

    /** Values of the intermediate tensors of one forward pass per image: the input and each layer's output copies. */
    static long activationsPerImage(long inputSize, List<Network.Layer> layers) {
        return inputSize + COPIES_PER_LAYER * layers.stream().mapToLong(Network.Layer::outputSize).sum();
    }

    /**
     * The estimate for {@code config} on images of {@code shape}. With M discriminators (GMAN) every D term counts M times:
     * their state, and their graphs, which all stay alive until the step's scope closes; MGAN's classifier is one linear
     * layer on D's features (its parameters counted with D's, its activations negligible).
     */
    public static MemoryEstimate of(TrainConfig config, ImageShape shape, int conditionDim) {
        Sizes z = Sizes.of(config, shape, conditionDim);
        long m = config.discriminators();
        long dParameters = m * z.discriminatorParameters() + z.classifierParameters();
        long state = 4 * (5 * z.generatorParameters() + 4 * dParameters);
        double penalty = config.ganLoss() == GanLoss.WGAN_GP || config.ganLoss() == GanLoss.R1 ? 2.5 : 1;
        double perImage = Math.max(2 * (2 * m * z.discriminatorActivations()) * penalty,
                2.0 * (z.generatorActivations() + m * z.discriminatorActivations()));
        long batch = config.batch();
        long chw = shape.size();
        long activations = (long) Math.min(Long.MAX_VALUE / 2.0, 4 * SAFETY * batch * perImage);
        long checkpoint = 4 * (5 * z.generatorParameters() + 3 * dParameters); // G, EMA, G's m and v; D and its m and v
        long largest = Math.max(z.generatorParameters(), z.discriminatorParameters());
        long heap = checkpoint + 8 * largest + 4 * batch * (3 * chw + 2L * config.zDim() + 2);
        return new MemoryEstimate(state, activations, checkpoint, heap);
    }

    /** What the machine offers: free Java heap and available physical memory (bytes; -1 when unknown). */
    public record Available(long freeHeap, long maxHeap, long physical, String physicalSource) {
        public static Available now() {
            Runtime rt = Runtime.getRuntime();
            long used = rt.totalMemory() - rt.freeMemory();
            long max = rt.maxMemory();
            long meminfo = memAvailable(Path.of("/proc/meminfo"));
            long cgroup = cgroupRoom();
            long physical = meminfo;
            String source = "MemAvailable in /proc/meminfo";
            if (cgroup >= 0 && (physical < 0 || cgroup < physical)) {
                physical = cgroup;
                source = "the cgroup memory limit";
            }
            return new Available(max == Long.MAX_VALUE ? -1 : max - used, max, physical, source);
        }
    }

    static long memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: unknown
        }
        return -1;
    }

    /** Room left under a cgroup v2 memory limit, or -1 when there is none. */
    static long cgroupRoom() {
        try {
            String max = Files.readString(Path.of("/sys/fs/cgroup/memory.max")).strip();
            if (max.equals("max")) {
                return -1;
            }
            long current = Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/memory.current")).strip());
            return Math.max(0, Long.parseLong(max) - current);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The largest batch whose estimate fits in {@code bytes} (0 when even one image does not). */
    public long largestBatchFitting(TrainConfig config, ImageShape shape, int conditionDim, long bytes) {
        long perImage = Math.max(1, (activationBytes + 4L * config.batch() * (3L * shape.size() + 2L * config.zDim() + 2))
                / config.batch());
        long fixed = totalBytes() - perImage * config.batch();
        return Math.max(0, (bytes - fixed) / perImage);
    }

    /**
     * Fails with a {@link UserError} when the estimate exceeds the free heap or the available memory, and
     * warns when it comes within {@value #WARN_SHARE} of either; {@code METAGAN_MEMORY_CHECK=off} makes a
     * failure a warning.
     */
    public void check(TrainConfig config, ImageShape shape, int conditionDim, Available available) {
        boolean enforce = !"off".equalsIgnoreCase(System.getenv(SWITCH));
        String parts = String.format(Locale.ROOT, "activations for --batch %d: %s, parameters/gradients/Adam/EMA: %s, a checkpoint: %s, heap: %s",
                config.batch(), mb(activationBytes), mb(stateBytes), mb(checkpointBytes), mb(heapBytes));
        if (available.physical() >= 0) {
            long total = totalBytes();
            if (total > available.physical()) {
                long fits = largestBatchFitting(config, shape, conditionDim, (long) (available.physical() * WARN_SHARE));
                fail(enforce, "expected the run to fit in memory but it needs about " + mb(total) + " (" + parts + ") and "
                        + mb(available.physical()) + " are available (" + available.physicalSource() + "); lower --batch"
                        + (fits > 0 ? " to " + fits + " or less" : "") + " or free memory (" + SWITCH + "=off tries anyway)");
                return;
            }
            if (total > WARN_SHARE * available.physical()) {
                LOG.warn("this run needs about {} of the {} available ({}); it may run out of memory", mb(total),
                        mb(available.physical()), parts);
            }
        }
        if (available.freeHeap() >= 0 && heapBytes > available.freeHeap()) {
            fail(enforce, "expected the run to fit in the Java heap but it needs about " + mb(heapBytes) + " of heap and "
                    + mb(available.freeHeap()) + " are free (max heap " + mb(available.maxHeap()) + "; " + parts + "); lower --batch or"
                    + " raise the heap with METAGAN_JAVA_OPTS=-Xmx...");
            return;
        }
        LOG.debug("memory estimate: {} ({})", mb(totalBytes()), parts);
    }

    private static void fail(boolean enforce, String message) {
        if (enforce) {
            throw new UserError(message);
        }
        LOG.warn("{} ({}=off: trying anyway)", message, SWITCH);
    }

    static String mb(long bytes) {
        if (bytes >= 10L << 30) {
            return String.format(Locale.ROOT, "%.0f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
    }
}
