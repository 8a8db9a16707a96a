package dev.monoscope.eval;

import static dev.monoscope.eval.Sources.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hard negatives: clean pictures that naive detectors take for defects. Each makes a filter graph ending in
 * {@code [v]}; none holds a black, still or broken picture for as long as a detector's minimum duration.
 */
final class Scenes {

    /** Every hard negative, by name. */
    static final List<String> NEGATIVES =
            List.of("box", "bug", "zoom", "pan", "dark", "fades", "cuts", "credits", "ticker", "cartoon");

    private Scenes() {}

    static String graph(Recipe r) {
        Random rnd = new Random(r.seed() * 31 + 7);
        double d = r.duration();
        int h = r.height();
        int w = r.width();
        int fps = r.fps();
        String src = r.source();
        return switch (r.scene()) {
            case "box" -> {
                // a still with one small box moving slowly across it (>= 32 px at 1080p: h/18)
                int s = Math.max(16, h / 18 / 2 * 2);
                double speed = 0.2 + rnd.nextDouble() * 0.8;
                yield Sources.still(src, r, r.seed(), 0.5, d) + "[bg];color=c=white:s=" + s + "x" + s + ":r=" + fps
                        + ":d=" + num(d) + "[fg];[bg][fg]overlay=x='(W-w)*(0.5+0.4*sin(t*" + num(speed)
                        + "))':y='H*0.3+20*sin(t*" + num(speed * 1.7) + ")',format=yuv420p[v]";
            }
            case "bug" -> {
                // a title card (still) with one small animated element in a corner: a channel bug turning slowly
                // (a turn in 4-12 s). The whole element moves: testsrc2 alone at this size changes only its counter
                // digits and an 8-px square, under the 32 px at 1080p an element has to be seen at.
                int s = Math.max(32, h / 12 / 2 * 2);
                double turn = 2 * Math.PI / (4 + rnd.nextDouble() * 8);
                yield Sources.still(src, r, r.seed(), 0.5, d) + "[bg];testsrc2=s=" + s + "x" + s + ":r=" + fps
                        + ":d=" + num(d) + ",rotate=a=t*" + num(turn) + ":fillcolor=black[fg];[bg][fg]overlay=x=W-w-"
                        + (w / 20) + ":y=" + (h / 20) + ",format=yuv420p[v]";
            }
            case "zoom" ->
                Sources.still(src, r, r.seed(), 0.5, d) + ",scale=" + (w * 2) + ":" + (h * 2)
                        + ",zoompan=z='1+0.15*on/" + (int) (d * fps)
                        + "':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s="
                        + w + "x" + h + ":fps=" + fps + ",format=yuv420p[v]";
            case "pan" -> {
                // one pixel a picture, back and forth: a slow pan in which no picture repeats the one before
                String span = "(iw-ow)";
                yield Sources.still(src, r, r.seed(), 0.5, d) + ",scale=" + (w * 3 / 2 / 2 * 2) + ":"
                        + (h * 3 / 2 / 2 * 2) + ",crop=" + w + ":" + h + ":x='" + span + "-abs(mod(n,2*" + span + ")-"
                        + span + ")':y='(ih-oh)/2'[v]";
            }
            case "dark" ->
                Sources.chain(src, r, r.seed(), d) + ",lutyuv=y='16+(val-16)*0.25+" + (24 + rnd.nextInt(12)) + "'[v]";
            case "fades" -> Sources.chain(src, r, r.seed(), d) + fades(rnd, d) + "[v]";
            case "cuts" -> cuts(r, rnd);
            case "credits" -> credits(r, rnd);
            case "ticker" -> ticker(r, rnd);
            case "cartoon" -> {
                // holds of at most 1.4 s: pictures in a hold are left out, and fps repeats the last one
                double period = 2.5 + rnd.nextDouble() * 1.5;
                double hold = 0.6 + rnd.nextDouble() * 0.8;
                yield Sources.chain(src, r, r.seed(), d) + ",select='not(between(mod(t," + num(period) + "),0.2,"
                        + num(0.2 + hold) + "))',fps=" + fps + "[v]";
            }
            default -> throw new IllegalArgumentException("unknown scene " + r.scene());
        };
    }

    /** Fades through black every 8-12 s: 0.4 s out, black for 0.6-1.2 s, 0.4 s in. */
    private static String fades(Random rnd, double d) {
        StringBuilder f = new StringBuilder();
        for (double t = 4 + rnd.nextDouble() * 3; t + 3 < d; t += 8 + rnd.nextDouble() * 4) {
            double black = 0.6 + rnd.nextDouble() * 0.6;
            double mid = t + 0.4 + black / 2;
            double in = t + 0.4 + black;
            f.append(",fade=t=out:st=")
                    .append(num(t))
                    .append(":d=0.4:enable='between(t,")
                    .append(num(t - 0.05))
                    .append(',')
                    .append(num(mid))
                    .append(")'");
            f.append(",fade=t=in:st=")
                    .append(num(in))
                    .append(":d=0.4:enable='between(t,")
                    .append(num(mid))
                    .append(',')
                    .append(num(in + 0.45))
                    .append(")'");
        }
        return f.toString();
    }

    /** Hard cuts between sources every 2-6 s; some after a short black (<= 1.5 s), some after a short hold. */
    private static String cuts(Recipe r, Random rnd) {
        List<String> sources = new ArrayList<>(List.of("testsrc2", "cellauto", "gradients"));
        if (!r.source().equals("mandelbrot") || !r.set().equals("tuning")) {
            sources.add(r.source());
        }
        StringBuilder g = new StringBuilder();
        double t = 0;
        int n = 0;
        while (t < r.duration()) {
            double len = Math.min(2 + rnd.nextDouble() * 4, r.duration() - t + 0.1);
            String src = sources.get(rnd.nextInt(sources.size()));
            g.append(Sources.chain(src, r, r.seed() + n, len));
            double pad = 0.8 + rnd.nextDouble() * 0.7;
            switch (rnd.nextInt(3)) {
                case 0 ->
                    g.append(",tpad=stop_mode=add:color=black:stop_duration=").append(num(pad));
                case 1 -> g.append(",tpad=stop_mode=clone:stop_duration=").append(num(pad));
                default -> pad = 0;
            }
            g.append("[c").append(n).append("];");
            t += len + pad;
            n++;
        }
        for (int i = 0; i < n; i++) {
            g.append("[c").append(i).append(']');
        }
        return g.append("concat=n=")
                .append(n)
                .append(":v=1:a=0,format=yuv420p[v]")
                .toString();
    }

    /** White lines of "text" on black scrolling up: mostly dark, never black by the 98 % rule. */
    private static String credits(Recipe r, Random rnd) {
        int w = r.width();
        int h = r.height();
        // whole pixels a picture, so that no picture repeats the one before
        int step = Math.max(1, Math.round(h / 12f / r.fps()));
        int tall = (int) (r.duration() * r.fps() * step) + 2 * h;
        int line = Math.max(8, h / 40);
        StringBuilder g = new StringBuilder("color=c=black:s=" + w + "x" + tall + ":r=1:d=1");
        for (int y = line; y < tall - line; y += line * 3) {
            int lw = w / 6 + rnd.nextInt(w / 3);
            g.append(",drawbox=x=")
                    .append((w - lw) / 2)
                    .append(":y=")
                    .append(y)
                    .append(":w=")
                    .append(lw)
                    .append(":h=")
                    .append(line)
                    .append(":color=white:t=fill");
        }
        return g.append(",loop=loop=-1:size=1,setpts=N/(")
                .append(r.fps())
                .append("*TB),fps=")
                .append(r.fps())
                .append(",crop=")
                .append(w)
                .append(':')
                .append(h)
                .append(":0:'n*")
                .append(step)
                .append("',format=yuv420p,trim=duration=")
                .append(num(r.duration()))
                .append("[v]")
                .toString();
    }

    /** A static news background with a ticker of "words" moving along a band at the bottom. */
    private static String ticker(Recipe r, Random rnd) {
        int w = r.width();
        int h = r.height();
        int band = h / 12 / 2 * 2;
        int strip = w * 4;
        StringBuilder words = new StringBuilder("color=c=0x102060:s=" + strip + "x" + band + ":r=1:d=1");
        for (int x = 10; x < strip - 40; x += 30 + rnd.nextInt(120)) {
            words.append(",drawbox=x=")
                    .append(x)
                    .append(":y=")
                    .append(band / 4)
                    .append(":w=")
                    .append(20 + rnd.nextInt(60))
                    .append(":h=")
                    .append(band / 2)
                    .append(":color=white:t=fill");
        }
        return Sources.still(r.source(), r, r.seed(), 0.5, r.duration()) + "[bg];" + words
                + ",loop=loop=-1:size=1,setpts=N/(" + r.fps() + "*TB),fps=" + r.fps() + ",trim=duration="
                + num(r.duration()) + "[tk];[bg][tk]overlay=x='W-mod(t*" + (w / 8) + ",w+W)':y=H-h-" + (h / 20)
                + ",format=yuv420p[v]";
    }
}
