package dev.monoscope.sandbox;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/**
 * The {@code ffmpeg} executable of the bytedeco natives jar, found through JavaCPP's loader (the sandbox runs the
 * worker as a process and uses none of its code): it encodes and plays the demo stream.
 */
final class FfmpegExecutable {

    private static Path executable;

    private FfmpegExecutable() {}

    /** Its path, extracted into the JavaCPP cache on first use. */
    static synchronized Path path() {
        if (executable == null) {
            executable = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        }
        return executable;
    }

    /** A process running ffmpeg with {@code args}; libavutil's own dependencies sit beside it, off its RUNPATH. */
    static ProcessBuilder command(List<String> args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(path().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String dir = path().getParent().toString();
        String existing = System.getenv("LD_LIBRARY_PATH");
        pb.environment().put("LD_LIBRARY_PATH", existing == null || existing.isEmpty() ? dir : dir + ":" + existing);
        return pb;
    }
}
