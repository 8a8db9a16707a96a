package dev.monoscope.eval;

import static dev.monoscope.eval.Sources.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/** The filter graphs of a recipe: its picture with the video defects, its sound with the audio defects. */
final class Graphs {

    /** Programme audio: pink noise at about -24 LUFS. */
    private static final double PROGRAMME_AMPLITUDE = 0.24;

    private Graphs() {}

    /** The video graph, ending in {@code [v]}. */
    static String video(Recipe r) {
        if (Scenes.NEGATIVES.contains(r.scene())) {
            return Scenes.graph(r);
        }
        StringBuilder g = new StringBuilder(Sources.chain(r.source(), r, r.seed(), r.duration()));
        if (r.grain().equals("pre")) {
            g.append(grain(r));
        }
        String last = "b0";
        g.append('[').append(last).append("];");
        last = freezes(r, g, last);
        g.append('[').append(last).append("]null");
        for (Injected b : of(r, Injected.BLACK)) {
            g.append(",drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='between(n,")
                    .append(frame(r, b.start()))
                    .append(',')
                    .append(frame(r, b.end()) - 1)
                    .append(")'");
        }
        if (r.grain().equals("post")) {
            g.append(grain(r));
        }
        if (r.scene().equals("sync")) {
            // a white flash on the frame at every whole second; the beeps follow them (audio())
            g.append(",drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='eq(mod(n,")
                    .append(r.fps())
                    .append("),0)'");
        }
        List<String> drops = new ArrayList<>();
        for (Injected d : of(r, Injected.FRAME_DROP)) {
            // one in two (value 0.5) or two in three (0.67) pictures left out, timestamps kept
            int period = d.value() > 0.6 ? 3 : 2;
            drops.add("between(n," + frame(r, d.start()) + "," + (frame(r, d.end()) - 1) + ")*gt(mod(n-"
                    + frame(r, d.start()) + "," + period + "),0)");
        }
        if (!drops.isEmpty()) {
            g.append(",select='not(").append(String.join("+", drops)).append(")'");
        }
        return g.append(",format=yuv420p[v]").toString();
    }

    /** Appends one freezeframes filter per injected freeze; the label of the last output. */
    private static String freezes(Recipe r, StringBuilder g, String last) {
        int i = 0;
        for (Injected f : of(r, Injected.FREEZE)) {
            // the picture at the freeze's first frame is repeated up to its last
            int first = frame(r, f.start());
            int lastFrame = frame(r, f.end()) - 1;
            String next = "b" + (++i);
            g.append(String.format(
                    "[%s]split[p%d][q%d];[p%d][q%d]freezeframes=first=%d:last=%d:replace=%d[%s];",
                    last, i, i, i, i, first + 1, lastFrame, first, next));
            last = next;
        }
        return last;
    }

    /** The audio graph, ending in {@code [a]}: stereo, 48 kHz. */
    static String audio(Recipe r) {
        String d = num(r.duration());
        if (r.scene().equals("sync")) {
            // a 40 ms 1 kHz beep at every whole second, shifted by the offset inside an A/V offset window
            String offset = of(r, Injected.AV_OFFSET).stream()
                    .map(o -> "between(t," + num(o.start()) + "," + num(o.end()) + ")*" + num(o.value() / 1000))
                    .collect(Collectors.joining("+", "(", ")"));
            return "aevalsrc='if(lt(mod(t-" + (offset.equals("()") ? "0" : offset)
                    + ",1),0.04),0.35*sin(2*PI*1000*t),0)':s=48000:d=" + d + ",pan=stereo|c0=c0|c1=c0[a]";
        }
        List<String> windows = new ArrayList<>();
        for (Injected a : r.defects()) {
            if (a.audio()) {
                windows.add("gte(t," + num(a.start()) + ")*lt(t," + num(a.end()) + ")*" + num(a.value() - 1));
            }
        }
        Random rnd = new Random(r.seed() * 17 + 3);
        if (Scenes.NEGATIVES.contains(r.scene())) {
            // quiet passages of 2.5-4 s at -38..-48 dBFS: above the silence threshold, too short for loudness
            for (double t = 5 + rnd.nextDouble() * 5; t + 5 < r.duration(); t += 12 + rnd.nextDouble() * 8) {
                double gain = Math.pow(10, -(16 + rnd.nextDouble() * 10) / 20);
                windows.add(
                        "gte(t," + num(t) + ")*lt(t," + num(t + 2.5 + rnd.nextDouble() * 1.5) + ")*" + num(gain - 1));
            }
        }
        String gain = windows.isEmpty() ? "1" : "(1+" + String.join("+", windows) + ")";
        return "anoisesrc=c=pink:a=" + PROGRAMME_AMPLITUDE + ":r=48000:seed=" + (r.seed() & 0xffffff) + ":d=" + d
                + ",pan=stereo|c0=c0|c1=c0,aeval='clip(val(ch)*" + gain + ",-1,1)':c=same[a]";
    }

    private static String grain(Recipe r) {
        return ",noise=alls=" + (6 + (int) (r.seed() % 10)) + ":allf=t";
    }

    static int frame(Recipe r, double t) {
        return (int) Math.round(t * r.fps());
    }

    static List<Injected> of(Recipe r, String type) {
        return r.defects().stream().filter(d -> d.type().equals(type)).toList();
    }
}
