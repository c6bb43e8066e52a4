package org.metagan.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's refusals over HTTP, against a server started in this JVM on a free port: names leaving the runs
 * folder (by {@code ..}, an absolute path, a symbolic link), uploads that are too large, too many, not images or named
 * with a path, posts from another origin, and requests without (or with a wrong) token when bound off loopback. Each is
 * refused with its status, and nothing is written outside the runs folder (nor a job folder inside it).
 */
class ServeSecurityTest {
    @TempDir
    static Path base;
    static final String SECRET = "content-of-a-file-outside-the-runs-folder";
    static Path runs;
    static Path outside;
    static Dashboard dashboard;
    static int port;
    static List<String> outsideBefore;

    @BeforeAll
    static void start() throws IOException {
        runs = Files.createDirectories(base.resolve("runs"));
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(outside.resolve("fake.ckpt"), "not a checkpoint");
        Path ok = Files.createDirectories(runs.resolve("ok"));
        Files.writeString(ok.resolve("config.yaml"), "model: mlp\n");
        Files.writeString(ok.resolve("metrics.jsonl"), "{\"step\":1,\"d_loss\":1.0,\"g_loss\":2.0}\n");
        Files.createSymbolicLink(runs.resolve("escape"), outside);
        Files.createSymbolicLink(ok.resolve("linked.txt"), outside.resolve("secret.txt"));
        dashboard = Dashboard.start(new Dashboard.Options("127.0.0.1", 0, runs, null, 3, 20_000));
        port = dashboard.port();
        outsideBefore = tree(base, runs);
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    @AfterEach
    void nothingWrittenOutsideTheRunsFolder_norAnyJob() throws IOException {
        assertThat(tree(base, runs)).isEqualTo(outsideBefore);
        assertThat(runs.resolve(FewShotJobs.FOLDER)).doesNotExist();
    }

    /** Every path under {@code root} except those under {@code skip}, with the size of each file. */
    private static List<String> tree(Path root, Path skip) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.startsWith(skip)).forEach(p -> all.add(root.relativize(p) + (Files.isRegularFile(p) ? " " + p.toFile().length() : "")));
        }
        Collections.sort(all);
        return all;
    }

    private static byte[] png(int side) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(side / 2, side / 2, 0, 255);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void assertStatus(HttpResponse<byte[]> r, int status) {
        assertThat(r.statusCode()).as(Http.text(r)).isEqualTo(status);
        assertThat(Http.text(r)).doesNotContain(SECRET);
    }

    @Test
    void aRunAndItsFiles_areServed() throws Exception {
        assertStatus(Http.get(port, "/"), 200);
        assertThat(Http.text(Http.get(port, "/"))).contains("href=\"/run?name=ok\"").doesNotContain("escape");
        assertStatus(Http.get(port, "/run?name=ok"), 200);
        HttpResponse<byte[]> config = Http.get(port, "/files/ok/config.yaml");
        assertStatus(config, 200);
        assertThat(Http.text(config)).isEqualTo("model: mlp\n");
        assertThat(config.headers().firstValue("Content-Security-Policy")).as("a run's files are shown, never run as scripts")
                .hasValue("sandbox allow-same-origin");
    }

    @Test
    void runNamesLeavingTheRunsFolder_areRefused() throws Exception {
        assertStatus(Http.get(port, "/run?name=..%2Foutside"), 400);
        assertStatus(Http.get(port, "/run?name=ok%2F..%2F..%2Foutside"), 400);
        assertStatus(Http.get(port, "/run?name=%2Fetc"), 400);
        assertStatus(Http.get(port, "/run?name=" + outside.toString().replace("/", "%2F")), 400);
        assertStatus(Http.get(port, "/run?name=escape"), 403);
        assertStatus(Http.get(port, "/events?name=..%2Foutside"), 400);
        assertStatus(Http.get(port, "/events?name=escape"), 403);
        assertStatus(Http.get(port, "/run?name=missing"), 404);
    }

    @Test
    void filePathsLeavingTheRunsFolder_areRefused() throws Exception {
        assertStatus(Http.get(port, "/files/..%2Foutside%2Fsecret.txt"), 400);
        assertStatus(Http.get(port, "/files/ok/..%2F..%2Foutside%2Fsecret.txt"), 400);
        assertStatus(Http.get(port, "/files/%2Fetc%2Fpasswd"), 400);
        assertStatus(Http.get(port, "/files/escape/secret.txt"), 403);
        assertStatus(Http.get(port, "/files/ok/linked.txt"), 403);
        assertStatus(Http.get(port, "/files/.serve-uploads"), 400);
    }

    @Test
    void uploads_overTheLimits_notImages_orNamedWithAPath_areRefused() throws Exception {
        Map<String, String> fields = Map.of("checkpoint", "ok/missing.ckpt", "steps", "1", "export", "4");
        byte[] image = png(28);
        assertStatus(Http.upload(port, List.of(new Http.Part("a.png", image), new Http.Part("b.png", image), new Http.Part("c.png", image),
                new Http.Part("d.png", image)), fields), 413);
        assertStatus(Http.upload(port, List.of(new Http.Part("big.png", new byte[30_000])), fields), 413);
        assertStatus(Http.upload(port, List.of(new Http.Part("huge.png", new byte[200_000])), fields), 413);
        byte[] large = png(200);
        assertThat(large.length).isLessThan(20_000);
        assertStatus(Http.upload(port, List.of(new Http.Part("text.png", "hello, not an image".getBytes(StandardCharsets.UTF_8))), fields), 415);
        byte[] truncated = java.util.Arrays.copyOf(image, image.length / 2);
        assertStatus(Http.upload(port, List.of(new Http.Part("cut.png", truncated)), fields), 415);
        assertStatus(Http.upload(port, List.of(new Http.Part("../evil.png", image)), fields), 400);
        assertStatus(Http.upload(port, List.of(new Http.Part(outside.resolve("evil.png").toString(), image)), fields), 400);
        assertStatus(Http.upload(port, List.of(), fields), 400);
    }

    @Test
    void uploads_withACheckpointOutsideTheRunsFolder_areRefused() throws Exception {
        List<Http.Part> one = List.of(new Http.Part("a.png", png(28)));
        assertStatus(Http.upload(port, one, Map.of("checkpoint", "../outside/fake.ckpt")), 400);
        assertStatus(Http.upload(port, one, Map.of("checkpoint", outside.resolve("fake.ckpt").toString())), 400);
        assertStatus(Http.upload(port, one, Map.of("checkpoint", "escape/fake.ckpt")), 403);
        assertStatus(Http.upload(port, one, Map.of("checkpoint", "ok/config.yaml")), 400);
        assertStatus(Http.upload(port, one, Map.of("checkpoint", "ok/missing.ckpt")), 404);
    }

    @Test
    void aPostFromAnotherOrigin_isRefused() throws Exception {
        assertStatus(Http.upload(port, List.of(new Http.Part("a.png", png(28))), Map.of("checkpoint", "ok/missing.ckpt"),
                "Origin", "http://evil.example"), 403);
    }

    @Test
    void offLoopback_everyRequestNeedsTheToken() throws Exception {
        try (Dashboard open = Dashboard.start(new Dashboard.Options("0.0.0.0", 0, runs, "the-test-token", 3, 20_000))) {
            int p = open.port();
            assertThat(open.token()).isEqualTo("the-test-token");
            for (String path : List.of("/", "/run?name=ok", "/files/ok/config.yaml", "/events?name=ok", "/fewshot", "/static/dashboard.js")) {
                assertStatus(Http.get(p, path), 401);
                assertStatus(Http.get(p, path + (path.contains("?") ? "&" : "?") + "token=wrong"), 403);
            }
            assertStatus(Http.upload(p, List.of(new Http.Part("a.png", png(28))), Map.of("checkpoint", "ok/missing.ckpt")), 401);
            assertStatus(Http.get(p, "/", "X-Metagan-Token", "the-test-token"), 200);
            HttpResponse<byte[]> byQuery = Http.get(p, "/?token=the-test-token");
            assertStatus(byQuery, 200);
            String cookie = byQuery.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("metagan-token=the-test-token").contains("HttpOnly").contains("SameSite=Strict");
            assertStatus(Http.get(p, "/files/ok/config.yaml", "Cookie", "metagan-token=the-test-token"), 200);
        }
        try (Dashboard generated = Dashboard.start(new Dashboard.Options("0.0.0.0", 0, runs, null, 3, 20_000))) {
            assertThat(generated.token()).hasSizeGreaterThanOrEqualTo(32);
            assertStatus(Http.get(generated.port(), "/"), 401);
        }
        assertThat(dashboard.token()).as("no token on loopback").isNull();
    }
}
