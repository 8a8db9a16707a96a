package dev.monoscope.worker.decode;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/**
 * The {@code ffmpeg} executable that the bytedeco natives jar ships, built on the same libraries the worker decodes
 * with: it makes the test media and the sandbox's demo stream, and is the benchmarks' baseline.
 */
public final class BundledFfmpeg {

    private static Path executable;

    private BundledFfmpeg() {}

    /** Its path, extracted into the JavaCPP cache on first use. */
    public static synchronized Path executable() {
        if (executable == null) {
            executable = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        }
        return executable;
    }

    /**
     * A process running {@code cmd} (normally starting with {@link #executable()}). The executable's RUNPATH covers
     * only its direct dependencies: libavutil's own (libva, libdrm, next to it) need LD_LIBRARY_PATH.
     */
    public static ProcessBuilder processBuilder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String dir = executable().getParent().toString();
        String existing = System.getenv("LD_LIBRARY_PATH");
        pb.environment().put("LD_LIBRARY_PATH", existing == null || existing.isEmpty() ? dir : dir + ":" + existing);
        return pb;
    }
}
