package dev.monoscope.eval;

import java.util.List;

/**
 * Everything that decides one clip of the corpus. {@code scene} is what the picture does: {@code defects} (a moving
 * source with injected defects), {@code sync} (flash-and-beep pattern with A/V offsets) or a hard negative's name
 * ({@link Scenes}). {@code source}: a lavfi source name or {@code capture:<file>} (a real broadcast capture, looped).
 * {@code grain}: {@code none}, {@code pre} (grain is part of the picture, so it freezes with it) or {@code post}
 * (grain added after the defects, as an analogue path would).
 */
record Recipe(
        String name,
        String set,
        String scene,
        String source,
        String codec,
        String tier,
        int height,
        int fps,
        double gop,
        String grain,
        String container,
        double duration,
        long seed,
        List<Injected> defects) {

    /**
     * Bumped when the generator changes what a recipe makes in a way its FFmpeg command does not show (the label's
     * offsets, the probing, FFmpeg's global options): the cache key also covers the command itself
     * ({@link ClipMaker#hash}). 3: the same bytes on every run and machine.
     */
    static final int GENERATOR_VERSION = 3;

    int width() {
        return (height * 16 / 9 + 1) / 2 * 2;
    }

    /** The bit rate of the tier for this codec and picture size, in kb/s (starved: ~350 kb/s for H.264 at 720p). */
    int kbps() {
        double at720 = switch (tier) {
            case "starved" -> 350;
            case "low" -> 900;
            case "mid" -> 2500;
            default -> 6000;
        };
        double codecFactor = switch (codec) {
            case "hevc" -> 0.7;
            case "mpeg2" -> 2.5;
            default -> 1.0;
        };
        return (int) Math.max(150, at720 * codecFactor * width() * height / (1280.0 * 720));
    }

    /** The cell a held-out rule names: codec × bit-rate tier. */
    String cell() {
        return codec + "-" + tier;
    }

    /** The file (or, for HLS, the playlist) the clip is made as, relative to the corpus folder. */
    String file() {
        return container.equals("hls") ? name + "/index.m3u8" : name + "." + container;
    }
}
