package dev.monoscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.monoscope.api.v1alpha1.SourceSpec;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorSpec;
import dev.monoscope.api.worker.Defect;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The mosaic in a real browser (Debian's headless Chromium) against the sandbox: the operator installed by the chart
 * serves it, real workers watch the demo stream (black at 0:12 of every minute for 8 s). Three streams in two
 * namespaces; the tiles show moving pictures, turn to defect within 5 s of the worker's defect_started and back, the
 * stream page lists the defect, no serious axe-core violation, and the mosaic works from the keyboard alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 200, unit = TimeUnit.SECONDS)
class MosaicBrowserTest {

    static final int SCALE = 1000;

    static Sandbox sandbox;
    static KubernetesClient client;
    static Browser browser;
    static String mosaic;

    @BeforeAll
    @Timeout(value = 45, unit = TimeUnit.MINUTES) // the first run on a machine builds the control plane
    static void startSandboxAndBrowser() throws Exception {
        Path root = Path.of(System.getProperty("monoscope.root", ".."))
                .toAbsolutePath()
                .normalize();
        sandbox = Sandbox.start(new Sandbox.Options(
                root,
                root.resolve("sandbox/target/mosaic"),
                0,
                0,
                320,
                180,
                Map.of("status.minWriteInterval", "1s"),
                0));
        client = sandbox.controlPlane().client();
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("news")
                        .endMetadata()
                        .build())
                .create();
        apply("default", "demo", "tier: gold");
        apply("news", "channel-1", "tier: gold");
        apply("news", "channel-2", "tier: silver");
        mosaic = sandbox.operator().mosaicUrl().orElseThrow();
        browser = new Browser(1280, 800);
    }

    @AfterAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void everyStreamShowsAsATileWithAMovingPicture() throws Exception {
        browser.driver.get(mosaic);
        assertThat(browser.driver.findElements(By.cssSelector("section.namespace h2")))
                .extracting(WebElement::getText)
                .containsExactly("default", "news");
        String first = await("the demo's picture")
                .atMost(Duration.ofSeconds(60))
                .until(() -> pictureHash("default/demo"), h -> h != null);
        await("another picture of the demo")
                .atMost(Duration.ofSeconds(20))
                .until(() -> pictureHash("default/demo"), h -> h != null && !h.equals(first));
        await("every tile's picture")
                .atMost(Duration.ofSeconds(30))
                .until(() -> pictureHash("news/channel-1") != null && pictureHash("news/channel-2") != null);
        assertThat(tile("default/demo").findElement(By.cssSelector(".levels")).getText())
                .contains("track 1", "LUFS");
        Path shot = Path.of("target/mosaic.png");
        Files.write(shot, browser.driver.getScreenshotAs(OutputType.BYTES));
        System.out.println("mosaic: screenshot in " + shot.toAbsolutePath());
    }

    @Test
    @Order(2)
    void aTileTurnsToDefectWithinFiveSecondsOfTheWorkersDefectAndBackAfter() throws Exception {
        browser.driver.get(mosaic);
        await("the demo's tile healthy before the black")
                .atMost(Duration.ofSeconds(30))
                .until(() -> "healthy".equals(health("default/demo")));
        Duration untilBlack = sandbox.stream().until(DemoStream.BLACK_AT);
        await("the demo's tile shows the black")
                .atMost(untilBlack.plusSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "defect".equals(health("default/demo"))
                        && tile("default/demo")
                                .findElement(By.cssSelector(".defects"))
                                .getText()
                                .contains("black"));
        Instant shown = Instant.now();
        WebElement tile = tile("default/demo");
        assertThat(tile.findElement(By.cssSelector(".badge")).getText()).contains("Defect");
        assertThat(tile.findElement(By.cssSelector(".defects")).getText()).contains("black");
        Defect black = await("the black defect in status")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> demo().getStatus().activeDefects.stream()
                                .filter(d -> "black".equals(d.type))
                                .findFirst()
                                .orElse(null),
                        d -> d != null);
        Duration delay = Duration.between(Instant.parse(black.startedAt), shown);
        System.out.println("mosaic: the tile showed the defect " + delay.toMillis() + " ms after defect_started");
        assertThat(delay).isLessThanOrEqualTo(Duration.ofSeconds(5));
        await("the demo's tile healthy again after the black")
                .atMost(DemoStream.SEGMENT.plusSeconds(10))
                .until(() -> "healthy".equals(health("default/demo")));
    }

    @Test
    @Order(3)
    void theStreamPageListsTheDefect() {
        browser.driver.get(mosaic + "streams/default/demo");
        assertThat(browser.driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("default/demo");
        assertThat(browser.driver.findElements(By.cssSelector(".timeline tbody th")))
                .extracting(WebElement::getText)
                .contains("black");
        assertThat(browser.driver.findElement(By.cssSelector(".events")).getText())
                .contains("BlackVideo", "black started");
        assertThat(browser.driver.getPageSource()).contains(sandbox.stream().url());
    }

    @Test
    @Order(4)
    void noSeriousAccessibilityViolations() {
        browser.driver.get(mosaic);
        assertThat(browser.seriousAccessibilityViolations()).isEmpty();
        browser.driver.get(mosaic + "streams/news/channel-1");
        assertThat(browser.seriousAccessibilityViolations()).isEmpty();
    }

    @Test
    @Order(5)
    void theMosaicWorksFromTheKeyboardAlone() {
        browser.driver.get(mosaic);
        Actions keys = new Actions(browser.driver);
        for (int i = 0; i < 12 && !focusedTile().equals("default/demo"); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(focusedTile()).as("Tab reaches the first tile").isEqualTo("default/demo");
        keys.sendKeys(Keys.ARROW_RIGHT).perform();
        assertThat(focusedTile()).isEqualTo("news/channel-1");
        keys.sendKeys("u").perform();
        assertThat(browser.driver.findElement(By.id("filter-unhealthy")).isSelected())
                .isTrue();
        keys.sendKeys("u").perform();
        keys.sendKeys(Keys.ENTER).perform();
        await("the stream page")
                .atMost(Duration.ofSeconds(10))
                .until(() -> browser.driver.getCurrentUrl().endsWith("/streams/news/channel-1"));
        keys.sendKeys(Keys.TAB).perform();
        assertThat(browser.driver.switchTo().activeElement().getText()).contains("Mosaic");
        keys.sendKeys(Keys.ENTER).perform();
        await("back on the mosaic")
                .atMost(Duration.ofSeconds(10))
                .until(() -> browser.driver.getCurrentUrl().equals(mosaic));
    }

    /**
     * Scale: {@value #SCALE} more StreamMonitors (suspended: no worker pods, the page and its polling are what is
     * measured). The grid is in the page within 2 s, and over two refresh periods only the tiles on screen ask for a
     * picture, at most once per period each.
     */
    @Test
    @Order(6)
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aThousandStreamsShowInTwoSecondsAndOnlyTheTilesOnScreenAskForPictures() throws Exception {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("scale")
                        .endMetadata()
                        .build())
                .create();
        ExecutorService creators = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < SCALE; i++) {
                StreamMonitor m = new StreamMonitor();
                m.setMetadata(new ObjectMetaBuilder()
                        .withNamespace("scale")
                        .withName(String.format("stream-%04d", i))
                        .build());
                m.setSpec(new StreamMonitorSpec());
                m.getSpec().source = new SourceSpec();
                m.getSpec().source.url = sandbox.stream().url();
                m.getSpec().suspend = true;
                created.add(creators.submit(() -> client.resource(m).create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            creators.shutdown();
        }
        int all = SCALE + 3;
        browser.driver.get(mosaic + "mosaic/api/tiles");
        await("the operator's cache holds every StreamMonitor")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> tileCount() == all);

        browser.driver.get(mosaic);
        Number loaded = (Number) browser.driver.executeScript(
                "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;");
        System.out.printf("mosaic: %d tiles in the page %.0f ms after navigation started%n", all, loaded.doubleValue());
        assertThat(browser.driver.findElements(By.cssSelector(".tile[data-key]")))
                .hasSize(all);
        assertThat(loaded.doubleValue()).isLessThanOrEqualTo(2000);

        browser.driver.executeScript(
                "performance.setResourceTimingBufferSize(5000); performance.clearResourceTimings();");
        Thread.sleep(2 * 3000 + 500); // a window of two refresh periods, whose requests are then counted
        @SuppressWarnings("unchecked")
        List<String> asked = (List<String>)
                browser.driver.executeScript("return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".filter(n => n.includes('/mosaic/thumbnail/')).map(n => decodeURIComponent("
                        + "n.split('/mosaic/thumbnail/')[1]));");
        @SuppressWarnings("unchecked")
        List<String> onScreen = (List<String>) browser.driver.executeScript(
                "return Array.from(document.querySelectorAll('.tile[data-key]')).filter(t => {"
                        + " const r = t.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })"
                        + ".map(t => t.dataset.key);");
        System.out.printf(
                "mosaic: %d thumbnail requests in two refresh periods, %d tiles on screen of %d%n",
                asked.size(), onScreen.size(), all);
        assertThat(onScreen).isNotEmpty().hasSizeLessThan(all);
        assertThat(asked).isNotEmpty();
        assertThat(onScreen).containsAll(new HashSet<>(asked));
        assertThat(asked.size()).isLessThanOrEqualTo(3 * onScreen.size());
    }

    private static int tileCount() {
        Object n = browser.driver.executeAsyncScript(
                "const done = arguments[0]; fetch('/mosaic/api/tiles').then(r => r.json())"
                        + ".then(l => done(l.length), () => done(-1));");
        return ((Number) n).intValue();
    }

    private static void apply(String namespace, String name, String label) throws Exception {
        Path manifest = Files.writeString(Files.createTempFile("mosaic", ".yaml"), """
                apiVersion: monoscope.dev/v1alpha1
                kind: StreamMonitor
                metadata:
                  name: %s
                  namespace: %s
                  labels:
                    %s
                spec:
                  source:
                    url: %s
                """.formatted(
                        name, namespace, label, sandbox.stream().url()));
        sandbox.apply(manifest);
    }

    private static StreamMonitor demo() {
        return client.resources(StreamMonitor.class)
                .inNamespace("default")
                .withName("demo")
                .get();
    }

    private static WebElement tile(String key) {
        return browser.driver.findElement(By.cssSelector(".tile[data-key='" + key + "']"));
    }

    private static String health(String key) {
        return tile(key).getAttribute("data-health");
    }

    private static String focusedTile() {
        Object key = browser.driver.executeScript(
                "const t = document.activeElement.closest('.tile'); return t ? t.dataset.key : '';");
        return String.valueOf(key);
    }

    /** A digest of the pixels the tile's picture shows now, null while it shows none. */
    private static String pictureHash(String key) {
        Object hash = browser.driver.executeScript("""
                const img = document.querySelector(".tile[data-key='" + arguments[0] + "'] img");
                if (!img || !img.complete || !img.naturalWidth || !img.src.startsWith("blob:")) return null;
                const c = document.createElement("canvas");
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                const g = c.getContext("2d");
                g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, c.width, c.height).data;
                let h = 0;
                for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) | 0;
                return String(h);
                """, key);
        return hash == null ? null : hash.toString();
    }
}
