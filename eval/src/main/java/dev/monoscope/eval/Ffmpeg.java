package dev.monoscope.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPL build of FFmpeg (libx264, libx265) from the bytedeco natives jar, unpacked by the build into
 * {@code eval/target/ffmpeg-gpl}: it makes the corpus and runs the baseline filters. Used only by the evaluation.
 */
final class Ffmpeg {

    private Ffmpeg() {}

    static Path dir() {
        Path dir = Path.of(
                        System.getProperty("eval.ffmpeg.dir", "target/ffmpeg-gpl/org/bytedeco/ffmpeg/linux-x86_64-gpl"))
                .toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("ffmpeg"))) {
            throw new IllegalStateException(
                    "no GPL ffmpeg in " + dir + ": build the eval module first (mvn -pl eval" + " generate-resources)");
        }
        // the unpacked jar keeps no file modes
        dir.resolve("ffmpeg").toFile().setExecutable(true);
        dir.resolve("ffprobe").toFile().setExecutable(true);
        return dir;
    }

    /** {@code ffmpeg} (or {@code ffprobe}) with these arguments, at lower priority when {@code nice}. */
    static ProcessBuilder command(String tool, List<String> args, boolean nice) {
        List<String> cmd = new ArrayList<>();
        if (nice) {
            cmd.addAll(List.of("nice", "-n", "5"));
        }
        cmd.add(dir().resolve(tool).toString());
        cmd.add("-hide_banner");
        if (tool.equals("ffmpeg")) {
            cmd.add("-nostdin");
        }
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // the executables' RUNPATH covers only their direct dependencies (libva, libdrm lie beside them)
        pb.environment().put("LD_LIBRARY_PATH", dir().toString());
        return pb;
    }

    /** Runs the tool, its output into {@code log}; fails with the log's tail when it fails or outlives the deadline. */
    static void run(String tool, List<String> args, Path log, boolean nice, long timeoutSeconds) {
        ProcessBuilder pb = command(tool, args, nice).redirectErrorStream(true).redirectOutput(log.toFile());
        int status = Processes.run(pb, timeoutSeconds);
        if (status == Processes.TIMED_OUT) {
            throw new IllegalStateException(tool + " ran over " + timeoutSeconds + " s: " + args);
        }
        if (status != 0) {
            throw new IllegalStateException(
                    tool + " failed (" + status + "): " + String.join(" ", args) + "\n" + tail(log));
        }
    }

    static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
