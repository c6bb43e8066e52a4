package org.metagan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layer rule of ARCHITECTURE.md, checked on the sources: a package refers (by import or by a qualified name) only
 * to packages of a lower layer; packages of one layer (gan and metrics; train, fewshot, pair, ssl and sequence) do not refer to each other.
 */
class PackageRuleTest {
    private static final Map<String, Integer> LAYER = Map.ofEntries(Map.entry("core", 0), Map.entry("data", 1), Map.entry("nn", 2),
            Map.entry("gan", 3), Map.entry("metrics", 3), Map.entry("meta", 4), Map.entry("run", 5), Map.entry("train", 6),
            Map.entry("fewshot", 6), Map.entry("pair", 6), Map.entry("ssl", 6), Map.entry("sequence", 6), Map.entry("experiment", 7), Map.entry("serve", 8), Map.entry("cli", 9));
    private static final Pattern REFERENCE = Pattern.compile("org\\.metagan\\.(\\w+)\\.[A-Za-z]");

    @Test
    void everyReferencePointsDown() throws IOException {
        Path root = Path.of("src/main/java/org/metagan");
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path f : files) {
            String pkg = root.relativize(f).getName(0).toString();
            if (!LAYER.containsKey(pkg)) {
                continue;
            }
            Matcher m = REFERENCE.matcher(Files.readString(f));
            while (m.find()) {
                String other = m.group(1);
                if (!other.equals(pkg) && LAYER.containsKey(other) && LAYER.get(other) >= LAYER.get(pkg)) {
                    violations.add(f + ": " + pkg + " refers to " + other);
                }
            }
        }
        assertThat(files).hasSizeGreaterThan(100);
        assertThat(violations).isEmpty();
    }
}
