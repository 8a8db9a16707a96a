package dev.monoscope.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Places injected defects at seeded-random, non-overlapping times, one track for the picture and one for the sound,
 * with clean gaps between them. Long enough for every tool's minimum duration (black, freeze, silence: 2.5-6 s).
 */
final class Schedule {

    private Schedule() {}

    /** Video defects ({@code each} of black, freeze, damage, dropped frames); returns where the track ends. */
    static double video(Recipe r, Random rnd, int each, List<Injected> out) {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            types.addAll(List.of(Injected.BLACK, Injected.FREEZE, Injected.DAMAGE, Injected.FRAME_DROP));
        }
        Collections.shuffle(types, rnd);
        double cursor = 1.5 + rnd.nextDouble() * 1.5;
        for (String type : types) {
            double start;
            double end;
            double value = 0;
            switch (type) {
                case Injected.DAMAGE -> {
                    // damage in the middle of a GOP lasts until the next keyframe
                    double gop = r.gop();
                    double key = Math.ceil(cursor / gop) * gop;
                    double window = Math.max(1.0 / r.fps(), Math.min(0.04 + rnd.nextDouble() * 0.26, gop * 0.4));
                    value = frames(r, window);
                    start = frames(r, key + 2.0 / r.fps() + (gop - window - 3.0 / r.fps()) * rnd.nextDouble() * 0.8);
                    end = key + gop;
                }
                case Injected.FRAME_DROP -> {
                    start = frames(r, cursor);
                    end = frames(r, cursor + 2.5 + rnd.nextDouble() * 1.5);
                    value = rnd.nextBoolean() ? 0.5 : 0.67;
                }
                default -> {
                    start = frames(r, cursor);
                    end = frames(r, cursor + 2.5 + rnd.nextDouble() * 3.5);
                }
            }
            out.add(new Injected(type, start, end, value));
            cursor = end + 2.5 + rnd.nextDouble() * 1.5;
        }
        return cursor;
    }

    /** Audio defects ({@code each} of silence, a loudness step, clipping); returns where the track ends. */
    static double audio(Random rnd, int each, List<Injected> out) {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            types.addAll(List.of(Injected.SILENCE, Injected.LOUDNESS, Injected.CLIPPING));
        }
        Collections.shuffle(types, rnd);
        double cursor = 1 + rnd.nextDouble() * 2;
        for (String type : types) {
            double length;
            double value;
            double gap = 2.5 + rnd.nextDouble() * 1.5;
            switch (type) {
                case Injected.SILENCE -> {
                    length = 2.5 + rnd.nextDouble() * 3.5;
                    value = rnd.nextBoolean() ? 0 : 0.001; // digital silence, or a floor ~80 dB down
                }
                case Injected.LOUDNESS -> {
                    length = 8 + rnd.nextDouble() * 4;
                    value = rnd.nextBoolean() ? 2.8 : 0.12; // about +9 dB (-15 LUFS) or -18 dB (-42 LUFS)
                    gap += 2; // the 3 s short-term window settles
                }
                default -> {
                    length = 0.5 + rnd.nextDouble();
                    value = 30; // driven hard into full scale
                }
            }
            double start = ms(cursor);
            out.add(new Injected(type, start, ms(cursor + length), value));
            cursor = start + length + gap;
        }
        return cursor;
    }

    /** A/V offset windows on whole seconds (the flashes), 5-8 s each: audio 120-300 ms late or 100-250 ms early. */
    static double avOffsets(Random rnd, int count, List<Injected> out) {
        double cursor = 3;
        for (int i = 0; i < count; i++) {
            double start = Math.ceil(cursor);
            double end = start + 5 + rnd.nextInt(4);
            double ms = rnd.nextBoolean() ? 120 + rnd.nextInt(181) : -(100 + rnd.nextInt(151));
            out.add(new Injected(Injected.AV_OFFSET, start, end, ms));
            cursor = end + 5;
        }
        return cursor;
    }

    private static double frames(Recipe r, double t) {
        return Math.round(t * r.fps()) / (double) r.fps();
    }

    private static double ms(double t) {
        return Math.round(t * 1000) / 1000.0;
    }
}
