package dev.monoscope.eval;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The child processes of the evaluation: each has a deadline, and none outlives the JVM (Ctrl-C, a killed run). */
final class Processes {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> LIVE.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly))));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private Processes() {}

    /** What {@link #run} returns for a process it killed at its deadline. */
    static final int TIMED_OUT = Integer.MIN_VALUE;

    /** Runs {@code pb} to its end (its exit status) or to its deadline (then kills it and its children). */
    static int run(ProcessBuilder pb, long timeoutSeconds) {
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + pb.command(), e);
        }
        LIVE.add(p);
        try {
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                return p.exitValue();
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return TIMED_OUT;
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + pb.command(), e);
        } finally {
            LIVE.remove(p);
        }
    }
}
