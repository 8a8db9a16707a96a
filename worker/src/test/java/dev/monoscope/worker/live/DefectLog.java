package dev.monoscope.worker.live;

import dev.monoscope.api.worker.Cue;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.worker.defect.DefectListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records what the tracker tells its listeners, with the wall-clock instant, and lets a test wait for an event. */
public final class DefectLog implements DefectListener {

    /** One start or end, as it was told. */
    public record Event(boolean started, Defect defect, long nanos, int index) {
        public String type() {
            return defect.type;
        }
    }

    private final List<Event> events = new ArrayList<>();
    private final List<Cue> cues = new ArrayList<>();
    private final long createdNanos = System.nanoTime();

    @Override
    public synchronized void defectStarted(Defect defect) {
        events.add(new Event(true, defect.copy(), System.nanoTime(), events.size()));
        notifyAll();
    }

    @Override
    public synchronized void defectEnded(Defect defect) {
        events.add(new Event(false, defect.copy(), System.nanoTime(), events.size()));
        notifyAll();
    }

    @Override
    public synchronized void cue(Cue cue) {
        cues.add(cue);
        notifyAll();
    }

    public synchronized List<Cue> cues() {
        return new ArrayList<>(cues);
    }

    /** The first {@code n} cues, once that many came; fails the test after {@code timeout}. */
    public synchronized List<Cue> awaitCues(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (cues.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + cues.size() + " cues within " + timeout.toSeconds() + " s");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return new ArrayList<>(cues.subList(0, n));
    }

    public long createdNanos() {
        return createdNanos;
    }

    /** How many events so far: pass it to {@code after} to wait only for later ones. */
    public synchronized int size() {
        return events.size();
    }

    public synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    public Event awaitStarted(String type, int after, Duration timeout) throws InterruptedException {
        return await(e -> e.started() && e.type().equals(type), after, timeout, "start of " + type);
    }

    public Event awaitEnded(String type, int after, Duration timeout) throws InterruptedException {
        return await(e -> !e.started() && e.type().equals(type), after, timeout, "end of " + type);
    }

    /** The first event at or past index {@code after} that matches; fails the test after {@code timeout}. */
    public synchronized Event await(Predicate<Event> match, int after, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = after; i < events.size(); i++) {
                if (match.test(events.get(i))) {
                    return events.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s; events: " + describe());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public synchronized String describe() {
        StringBuilder b = new StringBuilder();
        for (Event e : events) {
            b.append(String.format(
                            "%n  %6.2f s: %s %s start=%s end=%s",
                            (e.nanos() - createdNanos) / 1e9,
                            e.started() ? "started" : "ended  ",
                            e.type(),
                            e.defect().start,
                            e.defect().end))
                    .append(e.defect().details == null || e.defect().details.isEmpty() ? "" : " " + e.defect().details);
        }
        return b.toString();
    }
}
