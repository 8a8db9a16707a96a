package dev.monoscope.sandbox;

import java.nio.file.Path;
import java.util.Map;

/** The sandbox as the end-to-end tests start it: any free ports, 320x180 demo pictures to spare the CPU. */
final class TestSandboxes {

    private TestSandboxes() {}

    /** A sandbox with its state under {@code sandbox/target/<name>} and these chart values. */
    static Sandbox start(String name, Map<String, String> chartValues) {
        Path root = Path.of(System.getProperty("monoscope.root", ".."))
                .toAbsolutePath()
                .normalize();
        return Sandbox.start(
                new Sandbox.Options(root, root.resolve("sandbox/target/" + name), 0, 0, 320, 180, chartValues, 0));
    }
}
