package dev.monoscope.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Damage lasts until the next keyframe, and where that is can only be read from the clip: the schedule places
 * keyframes a GOP apart on the content clock, but an encoder counts pictures, and the pictures a dropped-frames window
 * leaves out move every later keyframe. So a damage truth ends at the first keyframe, as probed, that follows the
 * window's last damaged packet: a window that spans a keyframe (spared by the noise filter) damages the pictures on
 * both sides of it, and the damage after it lasts to the next one.
 */
final class DamageTruth {

    private DamageTruth() {}

    /** {@code label} with each damage truth ending at the keyframe that repairs its last damage, on the media clock. */
    static ClipMaker.Label endAtKeyframes(ClipMaker.Label label, Path clip) {
        if (label.truths().stream().noneMatch(t -> t.type().equals(Injected.DAMAGE))) {
            return label;
        }
        List<Double> keys = keyframes(label, clip);
        List<Truth> truths = new ArrayList<>();
        for (Truth t : label.truths()) {
            double end = t.end();
            if (t.type().equals(Injected.DAMAGE)) {
                Injected window = label.injected(t);
                double last = t.start() + (window == null ? 0 : window.value());
                end = keys.stream()
                        .filter(k -> k > t.start() + 1e-3 && k >= last - 1e-3)
                        .findFirst()
                        .orElse(t.end());
            }
            truths.add(new Truth(t.type(), t.start(), end));
        }
        return new ClipMaker.Label(
                label.recipe(), label.hash(), label.duration(), label.videoOffset(), label.audioOffset(), truths);
    }

    /** The clip's keyframe times on the media clock (0 at the container's start), in order. */
    private static List<Double> keyframes(ClipMaker.Label label, Path clip) {
        Path log = Corpus.dir().resolve(".keys-" + label.recipe().name() + ".csv");
        try {
            Ffmpeg.run(
                    "ffprobe",
                    List.of(
                            "-v",
                            "quiet",
                            "-select_streams",
                            "v:0",
                            "-show_entries",
                            "format=start_time:packet=pts_time,flags",
                            "-of",
                            "csv=p=0",
                            clip.toString()),
                    log,
                    false,
                    120);
            List<Double> keys = new ArrayList<>();
            double start = 0;
            for (String line : Files.readAllLines(log)) {
                String[] f = line.split(",");
                if (f.length == 1 && !f[0].isBlank()) {
                    start = Double.parseDouble(f[0]); // the format's start_time, printed after the packets
                } else if (f.length >= 2 && f[1].contains("K") && !f[0].equals("N/A")) {
                    keys.add(Double.parseDouble(f[0]));
                }
            }
            Files.deleteIfExists(log);
            double origin = start;
            return keys.stream().map(k -> k - origin).sorted().toList();
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException(
                    String.format(Locale.ROOT, "cannot read the keyframes of %s: %s", clip, e.getMessage()), e);
        }
    }
}
