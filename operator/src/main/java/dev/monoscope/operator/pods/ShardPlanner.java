package dev.monoscope.operator.pods;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the enabled detectors of a stream over {@code spec.replicas} shards, deterministically (the same input
 * always gives the same split, so pod hashes are stable). signalLoss and corruption (flagged by the decoder,
 * which every shard runs anyway) go on every shard; black and freeze always share one, so that black can suppress
 * freeze; every other detector is a unit of its own. Units are dealt to shards in order, round robin.
 */
public final class ShardPlanner {

    static final List<String> ON_EVERY_SHARD = List.of("signalLoss", "corruption", "delivery");
    static final List<String> TOGETHER = List.of("black", "freeze");

    private ShardPlanner() {}

    /** One list of detector keys per shard, each in the order of {@code enabled}. */
    public static List<List<String>> plan(List<String> enabled, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1");
        }
        List<List<String>> units = new ArrayList<>();
        List<String> together = new ArrayList<>();
        for (String key : enabled) {
            if (ON_EVERY_SHARD.contains(key)) {
                continue;
            }
            if (TOGETHER.contains(key)) {
                if (together.isEmpty()) {
                    units.add(together);
                }
                together.add(key);
            } else {
                units.add(List.of(key));
            }
        }
        List<List<String>> plan = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            plan.add(new ArrayList<>());
        }
        for (int u = 0; u < units.size(); u++) {
            plan.get(u % shards).addAll(units.get(u));
        }
        for (List<String> shard : plan) {
            shard.addAll(enabled.stream().filter(ON_EVERY_SHARD::contains).toList());
            shard.sort((a, b) -> enabled.indexOf(a) - enabled.indexOf(b));
        }
        return plan.stream().map(List::copyOf).toList();
    }
}
