package org.metagan.core;

import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that configures libtorch: threads and device. Call {@link #init(int, String)} once
 * before any tensor work.
 *
 * <p>Intra-op threads default to the core count.
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static volatile boolean initialised;
    private static volatile String device = "cpu";

    private Engine() {}

    /**
     * @param threads intra-op threads, 0 = all available cores
     * @param requestedDevice {@code cpu} or {@code cuda}
     */
    public static synchronized void init(int threads, String requestedDevice) {
        if (!"cpu".equals(requestedDevice) && !"cuda".equals(requestedDevice)) {
            throw new UserError("expected --device cpu or cuda but found '" + requestedDevice + "'");
        }
        if ("cuda".equals(requestedDevice) && !torch.cuda_is_available()) {
            throw new UserError("--device cuda was requested but this build of libtorch sees no CUDA device; use --device cpu");
        }
        device = requestedDevice;
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        torch.set_num_threads(n);
        if (!initialised) {
            LOG.debug("libtorch initialised: {} intra-op threads, device {}", n, device);
        }
        initialised = true;
    }

    /** Initialises with defaults (all cores, CPU) unless already initialised. */
    public static void ensureInitialised() {
        if (!initialised) {
            init(0, "cpu");
        }
    }

    public static String device() {
        return device;
    }
}
