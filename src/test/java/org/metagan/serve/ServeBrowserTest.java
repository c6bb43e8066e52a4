package org.metagan.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.cli.CliRun;
import org.metagan.core.ImageGrid;
import org.metagan.data.ImageSet;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard end to end in the system's headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * never a browser a test tool downloads): the run list, a loss curve that grows in the open page while a real training
 * runs, the upload-adapt-download flow, and the token off loopback. Screenshots go to target/serve-screenshots/.
 * Skipped, with the reason, where /usr/bin/chromium or /usr/bin/chromedriver is missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the run list last, so that its screenshot shows the other tests' runs
class ServeBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/serve-screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(240);

    /** Selenium warns that it has no DevTools bindings for this Chromium's version; the tests use none (held: a logger only weakly referenced loses its level). */
    static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    @TempDir
    static Path base;
    static Path runs;
    static Dashboard dashboard;
    static WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: the system browser is missing (" + CHROMIUM + " and " + CHROMEDRIVER
                        + " from Debian's chromium and chromium-driver; .ci/run installs them)");
        TestData.mnist();
        runs = Files.createDirectories(base.resolve("runs"));
        CliRun.Result meta = CliRun.run("meta-train", "--algorithm", "reptile", "--iterations", "1", "--meta-batch", "1", "--inner-steps", "1",
                "--eval-every", "-1", "--threads", "1", "--out", runs.resolve("meta").toString());
        assertThat(meta.code()).as(meta.err()).isZero();
        dashboard = Dashboard.start(new Dashboard.Options("127.0.0.1", 0, runs, null, 10, 100_000));
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,900");
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + dashboard.port() + path;
    }

    private static void screenshot(String name) throws IOException {
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static int points() {
        return Integer.parseInt(browser.findElement(By.id("curve")).getAttribute("data-points"));
    }

    @Test
    @Order(4)
    void runList_showsTheRunsWithConfigAndProvenance() throws IOException {
        browser.get(url("/"));
        var row = browser.findElement(By.cssSelector("tr.run[data-run='meta']"));
        assertThat(row.getText()).contains("algorithm reptile");
        assertThat(row.getText()).contains("provenance.json");
        row.findElement(By.tagName("summary")).click();
        assertThat(row.findElement(By.tagName("pre")).getText()).contains("algorithm: reptile");
        screenshot("runs.png");
    }

    @Test
    @Order(1)
    void aRunningTraining_growsItsCurveInTheOpenPage_withoutAReload() throws Exception {
        Path live = Files.createDirectories(runs.resolve("live"));
        browser.get(url("/run?name=live"));
        ((JavascriptExecutor) browser).executeScript("window.loadedOnce = 'yes';");
        assertThat(points()).isZero();
        List<String> common = List.of("--dataset", "mnist", "--model", "mlp", "--batch", "16", "--log-every", "2", "--sample-every", "10",
                "--threads", "1", "--out", live.toString());
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);

        CliRun.Result first = CompletableFuture.supplyAsync(() -> CliRun.run(CliRun.args("train", common, "--steps", "20"))).get();
        assertThat(first.code()).as(first.err()).isZero();
        wait.until(d -> points() == 10);
        wait.until(d -> !d.findElement(By.id("grid")).getAttribute("src").isEmpty());
        String firstGrid = browser.findElement(By.id("grid")).getAttribute("src");
        // the second half runs while the page is open: the curve grows in place
        CompletableFuture<CliRun.Result> second = CompletableFuture.supplyAsync(
                () -> CliRun.run(CliRun.args("train", common, "--steps", "40", "--resume")));
        wait.until(d -> points() == 20);
        assertThat(second.get().code()).as(second.get().err()).isZero();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loadedOnce;")).as("the page was not reloaded").isEqualTo("yes");
        assertThat(browser.findElements(By.cssSelector("#curve polyline.series"))).extracting(e -> e.getAttribute("data-key"))
                .contains("d_loss", "g_loss");
        // a newer grid was pushed too (its name or modification time differs): the one of step 40, or the final one written after it
        wait.until(d -> !d.findElement(By.id("grid")).getAttribute("src").equals(firstGrid)
                && d.findElement(By.id("grid-name")).getText().matches("live/samples/(step-000040|final)\\.png"));
        assertThat(browser.findElement(By.id("curve-status")).getText()).isEqualTo("20 points, last step 40");
        screenshot("live-run.png");
    }

    @Test
    @Order(2)
    void uploadAdaptDownload_givesAZipOfImagesOfTheShotsSize() throws Exception {
        ImageSet digits = TestData.mnistTrain(5);
        Path shots = Files.createDirectories(base.resolve("my-shots"));
        List<String> files = new ArrayList<>();
        int per = digits.imageSize();
        for (int i = 0; i < 4; i++) {
            Path f = shots.resolve("digit-" + i + ".png");
            ImageGrid.writePng(f, Arrays.copyOfRange(digits.pixels(), i * per, (i + 1) * per), 1, 1, 28, 28, 1);
            files.add(f.toString());
        }
        browser.get(url("/fewshot"));
        browser.findElement(By.id("shots")).sendKeys(String.join("\n", files));
        new Select(browser.findElement(By.id("checkpoint"))).selectByValue("meta/checkpoints/step-000001.ckpt");
        var steps = browser.findElement(By.id("steps"));
        steps.clear();
        steps.sendKeys("2");
        var export = browser.findElement(By.id("export"));
        export.clear();
        export.sendKeys("12");
        browser.findElement(By.id("adapt")).click();
        new WebDriverWait(browser, PATIENCE).until(d -> !d.getCurrentUrl().endsWith("/fewshot"));
        assertThat(browser.findElements(By.id("state"))).as(browser.getPageSource()).hasSize(1);

        new WebDriverWait(browser, PATIENCE).until(d -> List.of("done", "failed").contains(d.findElement(By.id("state")).getText()));
        assertThat(browser.findElement(By.id("state")).getText()).as(browser.findElement(By.id("message")).getText()).isEqualTo("done");
        new WebDriverWait(browser, PATIENCE).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "var g = document.getElementById('job-grid'); return g.complete && g.naturalWidth > 0;"));
        screenshot("fewshot.png");

        String zip = browser.findElement(By.id("zip")).getAttribute("href");
        HttpResponse<byte[]> r = Http.get(dashboard.port(), zip.substring(zip.indexOf("/fewshot/")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
        int images = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().endsWith(".png")) {
                    assertThat(e.getName()).startsWith("png/shots/");
                    BufferedImage image = ImageIO.read(new ByteArrayInputStream(in.readAllBytes()));
                    assertThat(image.getWidth()).isEqualTo(28);
                    assertThat(image.getHeight()).isEqualTo(28);
                    images++;
                }
            }
        }
        assertThat(images).isEqualTo(12);
        try (var s = Files.list(runs.resolve(FewShotJobs.FOLDER))) {
            Path job = s.findFirst().orElseThrow();
            try (var shotFiles = Files.list(job.resolve("shots"))) {
                assertThat(shotFiles.map(p -> p.getFileName().toString()).sorted().toList())
                        .containsExactly("shot-01.png", "shot-02.png", "shot-03.png", "shot-04.png");
            }
        }
    }

    @Test
    @Order(3)
    void offLoopback_theBrowserNeedsTheToken() throws IOException {
        try (Dashboard open = Dashboard.start(new Dashboard.Options("0.0.0.0", 0, runs, null, 10, 100_000))) {
            String root = "http://127.0.0.1:" + open.port() + "/";
            browser.get(root);
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("requires the token");
            assertThat(browser.findElements(By.id("runs"))).isEmpty();
            browser.get(root + "?token=" + open.token());
            assertThat(browser.findElements(By.cssSelector("tr.run[data-run='meta']"))).hasSize(1);
            // the cookie set by the right token carries it to the next pages
            browser.get(root + "fewshot");
            assertThat(browser.findElements(By.id("fewshot"))).hasSize(1);
        }
    }
}
