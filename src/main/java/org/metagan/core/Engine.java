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
            throw new UserError("expected a CUDA device for --device cuda but found none (torch.cuda_is_available() is false: no GPU,"
                    + " or a CPU-only libtorch; build with -Pgpu on a machine with a GPU); pass --device cpu");
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

    /** The device every tensor is made on ({@code nn.Tensors}, the tensor factory, reads it): cpu, cuda or meta. */
    public static String device() {
        return device;
    }

    /**
     * Places tensors made from now on on {@code device} without {@link #init}'s checks: {@code cpu}, {@code cuda}, or
     * libtorch's {@code meta} device (shapes without storage: an operation that mixes a meta tensor with one made off the
     * factory fails), which the device-placement test uses; not for users.
     */
    public static synchronized void placeTensorsOn(String newDevice) {
        device = newDevice;
    }
}
