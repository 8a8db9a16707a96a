package dev.monoscope.eval;

import static dev.monoscope.eval.Sources.num;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes a recipe's clip with FFmpeg and writes its label ({@code <name>.label.json}) beside it: the truth on the
 * media clock a monitor reports on (0 at the first frame of either stream), from the streams' start times. A clip
 * whose label carries the recipe's hash is not made again.
 */
final class ClipMaker {

    static final ObjectMapper JSON = new ObjectMapper();

    private ClipMaker() {}

    /** The clip's label, making the clip first when the cache lacks it or holds another recipe's. */
    static Label make(Recipe r) {
        Path dir = Corpus.dir();
        Path labelFile = dir.resolve(r.name() + ".label.json");
        Path clip = dir.resolve(r.file());
        try {
            if (Files.isRegularFile(labelFile) && Files.exists(clip)) {
                Label cached = Label.read(labelFile);
                if (cached.hash().equals(hash(r))) {
                    return cached;
                }
            }
            Files.createDirectories(dir);
            encode(r, dir);
            Label label = label(r, clip);
            Files.writeString(labelFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(label.toJson()));
            return label;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make " + r.name(), e);
        }
    }

    /**
     * The cache key: the recipe, the generator's version and the FFmpeg command that makes the clip (with the
     * corpus folder left out), so that any change to the picture, the sound or the encode makes the clip again.
     */
    static String hash(Recipe r) {
        String command = String.join(" ", Graphs.video(r), Graphs.audio(r), String.join(" ", videoCodec(r)), damage(r))
                .replace(Corpus.dir().toString(), "<corpus>");
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((Recipe.GENERATOR_VERSION + "|" + r + "|" + command).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The noise bitstream filter on the packets of each damage window (keyframes spared), or "" without one. */
    private static String damage(Recipe r) {
        List<Injected> damage = Graphs.of(r, Injected.DAMAGE);
        if (damage.isEmpty()) {
            return "";
        }
        String windows = damage.stream()
                .map(d -> "between((pts-startpts)*tb," + num(d.start()) + "," + num(d.start() + d.value()) + ")")
                .collect(Collectors.joining("+"));
        return "noise=amount='if((" + windows + ")*not(key),40,0)'";
    }

    private static void encode(Recipe r, Path dir) throws IOException {
        boolean hls = r.container().equals("hls");
        Path tmp = dir.resolve(".tmp-" + r.name() + (hls ? "" : "." + r.container()));
        Path log = dir.resolve(".log-" + r.name() + ".txt");
        deleteTree(tmp);
        List<String> args = new ArrayList<>(globalOptions(r));
        args.addAll(List.of(
                "-filter_complex",
                Sources.BITEXACT_SCALING + Graphs.video(r) + ";" + Graphs.audio(r),
                "-map",
                "[v]",
                "-map",
                "[a]",
                "-t",
                num(r.duration()),
                "-fps_mode",
                "passthrough"));
        args.addAll(videoCodec(r));
        args.addAll(
                r.codec().equals("mpeg2")
                        ? List.of("-c:a", "mp2", "-b:a", "192k")
                        // the fast coder: the default one's float code rounds differently on another CPU
                        : List.of("-c:a", "aac", "-aac_coder", "fast", "-b:a", "128k"));
        if (!damage(r).isEmpty()) {
            // bytes of the pictures in each window changed (keyframes spared: the truth ends at the next one)
            args.addAll(List.of("-bsf:v", damage(r)));
        }
        switch (r.container()) {
            case "ts" ->
                args.addAll(List.of("-pcr_period", "20", "-pes_payload_size", "0", "-f", "mpegts", tmp.toString()));
            case "mp4" -> args.addAll(List.of("-f", "mp4", tmp.toString()));
            case "hls" -> {
                Files.createDirectories(tmp);
                args.addAll(List.of(
                        "-f",
                        "hls",
                        "-hls_time",
                        num(Math.max(2, r.gop())),
                        "-hls_list_size",
                        "0",
                        "-hls_playlist_type",
                        "vod",
                        "-hls_segment_options",
                        "pcr_period=20:pes_payload_size=0",
                        "-hls_segment_filename",
                        tmp.resolve("seg%03d.ts").toString(),
                        tmp.resolve("index.m3u8").toString()));
            }
            default -> throw new IllegalArgumentException("unknown container " + r.container());
        }
        Ffmpeg.run("ffmpeg", args, log, true, 1800);
        Path target = hls ? dir.resolve(r.name()) : dir.resolve(r.file());
        deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(log);
    }

    /**
     * One filter thread (see {@link #videoCodec}); and for the slow zooms, FFmpeg's plain C code throughout: zoompan
     * scales with settings of its own, which the graph's bit-exact flags do not reach (the CPU's fastest code).
     */
    private static List<String> globalOptions(Recipe r) {
        List<String> options = new ArrayList<>(List.of("-loglevel", "error", "-y", "-filter_complex_threads", "1"));
        if (r.scene().equals("zoom")) {
            options.addAll(List.of("-cpuflags", "0"));
        }
        return options;
    }

    /**
     * The encoder's options. One thread, here and in the filters, so that a recipe makes the same bytes on every run
     * and machine: x265's frame threads and x264's threads under a bit-rate cap encode differently from one run to
     * the next, the thread count itself changes what they and MPEG-2's slices make, and the noise filter's temporal
     * grain draws from one generator in every slice thread. MPEG-2's DCT is bit-exact, as is the scaling
     * ({@link Sources#BITEXACT_SCALING}): FFmpeg otherwise picks the CPU's fastest code, and another CPU makes other
     * pictures.
     */
    private static List<String> videoCodec(Recipe r) {
        int k = r.kbps();
        int g = (int) Math.round(r.gop() * r.fps());
        List<String> rate = List.of("-b:v", k + "k", "-maxrate", (k * 3 / 2) + "k", "-bufsize", (k * 2) + "k");
        List<String> args = new ArrayList<>();
        switch (r.codec()) {
            case "h264" ->
                args.addAll(List.of(
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-g",
                        "" + g,
                        "-keyint_min",
                        "" + g,
                        "-sc_threshold",
                        "0"));
            case "hevc" ->
                args.addAll(List.of(
                        "-c:v",
                        "libx265",
                        "-preset",
                        "ultrafast",
                        "-x265-params",
                        "keyint=" + g + ":min-keyint=" + g + ":scenecut=0:pools=1:frame-threads=1:log-level=error"));
            case "mpeg2" ->
                args.addAll(List.of(
                        "-c:v",
                        "mpeg2video",
                        "-g",
                        "" + g,
                        "-sc_threshold",
                        "1000000000",
                        "-bf",
                        "2",
                        // FFmpeg's own DCT picks a CPU's fastest, not bit-exact, code
                        "-flags",
                        "+bitexact",
                        "-dct",
                        "int",
                        "-idct",
                        "simple"));
            default -> throw new IllegalArgumentException("unknown codec " + r.codec());
        }
        args.addAll(rate);
        args.addAll(List.of("-threads", "1"));
        if (r.codec().equals("hevc") && r.container().equals("mp4")) {
            args.addAll(List.of("-tag:v", "hvc1"));
        }
        return args;
    }

    /** The truth on the media clock: content time plus where each stream starts against the first one. */
    private static Label label(Recipe r, Path clip) throws IOException {
        Path probeLog = Corpus.dir().resolve(".probe-" + r.name() + ".json");
        Ffmpeg.run(
                "ffprobe",
                // quiet: the log is the JSON alone (a clip with injected damage makes the decoder complain, and
                // those lines would land in it)
                List.of(
                        "-v",
                        "quiet",
                        "-show_entries",
                        "format=start_time,duration:stream=codec_type,start_time",
                        "-of",
                        "json",
                        clip.toString()),
                probeLog,
                false,
                120);
        JsonNode probe = JSON.readTree(probeLog.toFile());
        Files.deleteIfExists(probeLog);
        double start = probe.path("format").path("start_time").asDouble();
        double video = 0;
        double audio = 0;
        for (JsonNode s : probe.path("streams")) {
            double t = s.path("start_time").asDouble() - start;
            if (s.path("codec_type").asText().equals("video")) {
                video = t;
            } else if (s.path("codec_type").asText().equals("audio")) {
                audio = t;
            }
        }
        if (!r.codec().equals("mpeg2") && !r.container().equals("mp4")) {
            // AAC's 1024 priming samples: MP4's edit list skips them, ADTS in TS cannot, so the content starts after
            audio += 1024 / 48000.0;
        }
        List<Truth> truths = new ArrayList<>();
        for (Injected d : r.defects()) {
            double off = d.audio() ? audio : video;
            truths.add(new Truth(d.type(), d.start() + off, d.end() + off));
        }
        return new Label(
                r, hash(r), probe.path("format").path("duration").asDouble(r.duration()), video, audio, truths);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** What the label file says; {@link #toJson()} and {@link #read(Path)} are its format. */
    record Label(
            Recipe recipe, String hash, double duration, double videoOffset, double audioOffset, List<Truth> truths) {

        /** The injected defect a truth of this label stands for (same type, same start on the media clock), or null. */
        Injected injected(Truth truth) {
            return recipe.defects().stream()
                    .filter(d -> d.type().equals(truth.type())
                            && Math.abs(d.start() + (d.audio() ? audioOffset : videoOffset) - truth.start()) < 1e-6)
                    .findFirst()
                    .orElse(null);
        }

        ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("name", recipe.name());
            o.put("file", recipe.file());
            o.put("recipeHash", hash);
            o.set("recipe", JSON.valueToTree(recipe));
            o.put("duration", duration);
            o.put("videoOffset", videoOffset);
            o.put("audioOffset", audioOffset);
            ArrayNode t = o.putArray("truth");
            truths.forEach(x -> t.add(JSON.valueToTree(x)));
            return o;
        }

        static Label read(Path file) throws IOException {
            JsonNode o = JSON.readTree(file.toFile());
            Recipe recipe = JSON.treeToValue(o.path("recipe"), Recipe.class);
            List<Truth> truths = new ArrayList<>();
            for (JsonNode t : o.path("truth")) {
                truths.add(JSON.treeToValue(t, Truth.class));
            }
            return new Label(
                    recipe,
                    o.path("recipeHash").asText(),
                    o.path("duration").asDouble(),
                    o.path("videoOffset").asDouble(),
                    o.path("audioOffset").asDouble(),
                    truths);
        }
    }
}
