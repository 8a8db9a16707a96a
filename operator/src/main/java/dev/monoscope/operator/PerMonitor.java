package dev.monoscope.operator;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory state kept per StreamMonitor (by UID), so that a reconcile touches its own entries only: with a thousand
 * StreamMonitors, scanning every entry on every reconcile was a quarter of the operator's CPU.
 */
public final class PerMonitor<K, V> {

    private final Map<String, Map<K, V>> byMonitor = new ConcurrentHashMap<>();

    public V get(String uid, K key) {
        Map<K, V> entries = byMonitor.get(uid);
        return entries == null ? null : entries.get(key);
    }

    /** Returns the value it replaces, if any. */
    public V put(String uid, K key, V value) {
        return byMonitor.computeIfAbsent(uid, u -> new ConcurrentHashMap<>()).put(key, value);
    }

    /** Returns the value removed, if any. */
    public V remove(String uid, K key) {
        Object[] removed = new Object[1];
        byMonitor.computeIfPresent(uid, (u, entries) -> {
            removed[0] = entries.remove(key);
            return entries.isEmpty() ? null : entries;
        });
        @SuppressWarnings("unchecked")
        V value = (V) removed[0];
        return value;
    }

    /** A StreamMonitor's entries (a snapshot). */
    public Map<K, V> of(String uid) {
        Map<K, V> entries = byMonitor.get(uid);
        return entries == null ? Map.of() : Map.copyOf(entries);
    }

    /** Drops the StreamMonitor's entries whose key is not in {@code keys}. */
    public void retainOnly(String uid, Set<K> keys) {
        byMonitor.computeIfPresent(uid, (u, entries) -> {
            entries.keySet().retainAll(keys);
            return entries.isEmpty() ? null : entries;
        });
    }

    public int size(String uid) {
        Map<K, V> entries = byMonitor.get(uid);
        return entries == null ? 0 : entries.size();
    }

    public void forget(String uid) {
        byMonitor.remove(uid);
    }
}
