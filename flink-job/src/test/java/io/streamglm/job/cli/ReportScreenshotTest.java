package io.streamglm.job.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report renders in a real browser: headless Chromium (Debian's {@code chromium}) takes a screenshot of a
 * {@code fit --report} page and of a {@code report --fits} page, and the screenshot shows the charts (pixels of
 * the points' colour). The pages reference no resource at all (no src, href, url() or import), so none can fail
 * to load. Skipped where Chromium is not installed ({@code apt-get install chromium}).
 */
class ReportScreenshotTest {
    /** The colour of the charts' points, #1f4e8c. */
    private static final int POINT_RGB = 0x1f4e8c;
    private static final Pattern RESOURCE = Pattern.compile("src=|href=|url\\(|@import|<script|<link|<img");

    @TempDir
    Path dir;

    @Test
    void aFitReportAndARefitReportRenderInChromium() throws Exception {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "Debian's chromium is not installed");
        Path data = dir.resolve("data.csv");
        StringBuilder csv = new StringBuilder("y,x,region\n");
        for (int i = 0; i < 200; i++) {
            csv.append((i * 7) % 5).append(',').append((i % 13) / 4.0).append(',')
                    .append(i % 3 == 0 ? "north" : i % 3 == 1 ? "south" : "east").append('\n');
        }
        Files.writeString(data, csv);
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"response\": \"y\", \"family\": \"poisson\", \"terms\": {"
                + "\"x\": {\"type\": \"linear\"}, \"region\": {\"type\": \"categorical\"}}}");
        Path report = dir.resolve("fit.html");
        CliRun fit = CliRun.of("fit", "--data", data.toString(), "--spec", spec.toString(), "--out",
                dir.resolve("fit.json").toString(), "--report", report.toString(), "--quiet");
        assertThat(fit.exitCode()).as("stderr: %s", fit.err()).isZero();
        assertRenders(chromium, report);

        Path fits = dir.resolve("fits.jsonl");
        String record = Files.readString(dir.resolve("fit.json")).replace('\n', ' ');
        Files.write(fits, List.of(record.replaceFirst("\\{", "{\"model\": \"m\", \"refit\": \"r1\", "),
                record.replaceFirst("\\{", "{\"model\": \"m\", \"refit\": \"r2\", ")));
        Path refits = dir.resolve("refits.html");
        assertThat(CliRun.of("report", "--fits", fits.toString(), "--out", refits.toString()).exitCode()).isZero();
        assertRenders(chromium, refits);
    }

    private void assertRenders(Path chromium, Path page) throws IOException, InterruptedException {
        assertThat(RESOURCE.matcher(Files.readString(page)).find()).as("%s references a resource", page).isFalse();
        Path png = dir.resolve(page.getFileName() + ".png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1000,1600", "--screenshot=" + png, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertThat(finished).as("chromium finished within 120 s").isTrue();
        assertThat(p.exitValue()).as("chromium: %s", Files.readString(dir.resolve("chromium.log"))).isZero();
        BufferedImage image = ImageIO.read(new File(png.toString()));
        assertThat(image.getWidth()).isEqualTo(1000);
        int points = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                points += (image.getRGB(x, y) & 0xffffff) == POINT_RGB ? 1 : 0;
            }
        }
        assertThat(points).as("pixels of chart points in the screenshot of %s", page).isGreaterThan(100);
    }

    private static Path chromium() {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dirName, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
