package org.metagan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The checkpoints written before the run kernel existed (src/test/resources/fixtures/checkpoints, see its README). */
public final class CheckpointFixtures {
    public static final String GAN = "gan-dcgan-8px-step0.ckpt.gz";
    public static final String META = "meta-reptile-dcgan-8px-step0.ckpt.gz";
    public static final String META_CONDITIONED = "meta-episodic-conditioned-8px-step0.ckpt.gz";
    public static final String PAIR = "pair-warp-8px-step2.ckpt.gz";

    private CheckpointFixtures() {}

    /** Unpacks fixture {@code name} into {@code runDir}/checkpoints/step-{@code step}.ckpt and returns that file. */
    public static Path unpack(String name, Path runDir, long step) throws IOException {
        Path file = runDir.resolve("checkpoints").resolve(String.format("step-%06d.ckpt", step));
        Files.createDirectories(file.getParent());
        try (InputStream in = new GZIPInputStream(CheckpointFixtures.class.getResourceAsStream("/fixtures/checkpoints/" + name))) {
            Files.copy(in, file);
        }
        return file;
    }
}
