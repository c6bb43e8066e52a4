package org.metagan.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a result came from: seed, code version, library versions, data hash and machine. */
public final class Provenance {
    private Provenance() {}

    public static Map<String, Object> collect(long seed, Map<String, Object> dataset) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("created", Instant.now().toString());
        p.put("seed", seed);
        p.put("git-commit", gitCommit());
        p.put("metagan-version", version(Provenance.class, "dev"));
        p.put("libtorch-javacpp", version(org.bytedeco.pytorch.Tensor.class, "unknown"));
        p.put("java", System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        p.put("cores", Runtime.getRuntime().availableProcessors());
        p.put("max-heap-mb", Runtime.getRuntime().maxMemory() >> 20);
        p.put("dataset", dataset);
        return p;
    }

    public static void write(Path file, Map<String, Object> provenance) throws IOException {
        AtomicFiles.writeString(file, Configs.JSON.writeValueAsString(provenance));
    }

    private static String version(Class<?> c, String fallback) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? fallback : v;
    }

    /** The commit of the working tree the program runs from, or "unknown". */
    public static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }
}
