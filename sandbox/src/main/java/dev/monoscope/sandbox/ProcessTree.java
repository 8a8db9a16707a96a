package dev.monoscope.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Stops a process and everything it started: SIGTERM to the whole tree, then SIGKILL after a grace period. */
final class ProcessTree {

    private ProcessTree() {}

    /** Stops the tree and returns once every process of it has exited (or been killed). */
    static void stop(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        CompletableFuture<?>[] exits = tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeoutOrInterrupt) {
            if (timeoutOrInterrupt instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        // Children that the root started after the snapshot are caught here too.
        List<ProcessHandle> left = new ArrayList<>(root.descendants().toList());
        left.addAll(tree);
        left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : left) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
