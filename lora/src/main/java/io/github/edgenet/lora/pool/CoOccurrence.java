package io.github.edgenet.lora.pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts how often two adapters are used by the same requester within a time window, in bounded
 * memory.
 *
 * <ul>
 *   <li>Per requester, a ring of its last {@link #RING} distinct keys with the time of their last
 *       use. At most {@code maxRequesters} requesters are tracked; the least recently active one is
 *       forgotten first.
 *   <li>Per unordered pair of keys, a count. At most {@code maxPairs} pairs are tracked; when a new
 *       pair finds the map full, every count is halved and pairs reaching 0 are dropped (the decay
 *       of TinyLFU's reset); if the map is still full the new pair is not recorded.
 *   <li>Blocked pairs (a merge of them exists): not counted, at most three per merged adapter.
 * </ul>
 *
 * <p>A use of key {@code k} at time {@code t} adds 1 to the pair {@code (k, j)} for every other
 * distinct key {@code j} in the requester's ring last used at {@code t' >= t - window}. When a
 * count reaches the threshold, the pair is returned as due and its count restarts from 0.
 *
 * <p>Not thread-safe: the pool guards it with its own lock.
 */
final class CoOccurrence {
  /** Distinct recent keys remembered per requester. */
  static final int RING = 16;

  /** An unordered pair of keys, stored with {@code first < second}. */
  record Pair(String first, String second) {
    static Pair of(String a, String b) {
      return a.compareTo(b) < 0 ? new Pair(a, b) : new Pair(b, a);
    }

    boolean contains(String key) {
      return first.equals(key) || second.equals(key);
    }
  }

  /** The recent distinct keys of one requester. */
  private static final class Ring {
    final String[] keys = new String[RING];
    final long[] times = new long[RING];
    int size;
  }

  private final long windowNanos;
  private final int threshold;
  private final int maxPairs;
  private final LinkedHashMap<String, Ring> requesters;
  private final HashMap<Pair, int[]> counts = new HashMap<>();
  private final HashMap<Pair, String> blocked = new HashMap<>();

  CoOccurrence(long windowNanos, int threshold, int maxRequesters, int maxPairs) {
    this.windowNanos = windowNanos;
    this.threshold = threshold;
    this.maxPairs = maxPairs;
    this.requesters = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Ring> eldest) {
        return size() > maxRequesters;
      }
    };
  }

  /** Records that {@code requester} used {@code key} at {@code now}; returns the pairs now due. */
  List<Pair> record(String requester, String key, long now) {
    Ring ring = requesters.computeIfAbsent(requester, r -> new Ring());
    List<Pair> due = List.of();
    int self = -1;
    for (int i = 0; i < ring.size; i++) {
      if (ring.keys[i].equals(key)) {
        self = i;
        continue;
      }
      if (now - ring.times[i] > windowNanos) {
        continue;
      }
      Pair pair = Pair.of(key, ring.keys[i]);
      if (blocked.containsKey(pair)) {
        continue;
      }
      int[] count = counts.get(pair);
      if (count == null) {
        if (counts.size() >= maxPairs) {
          decay();
        }
        if (counts.size() >= maxPairs) {
          continue;
        }
        count = new int[1];
        counts.put(pair, count);
      }
      if (++count[0] >= threshold) {
        counts.remove(pair);
        if (due.isEmpty()) {
          due = new ArrayList<>(2);
        }
        due.add(pair);
      }
    }
    if (self < 0) {
      if (ring.size < RING) {
        self = ring.size++;
      } else {
        self = 0; // replace the key used longest ago
        for (int i = 1; i < RING; i++) {
          if (ring.times[i] < ring.times[self]) {
            self = i;
          }
        }
      }
      ring.keys[self] = key;
    }
    ring.times[self] = now;
    return due;
  }

  /** Halves every count and drops the pairs that reach 0. */
  private void decay() {
    Iterator<int[]> it = counts.values().iterator();
    while (it.hasNext()) {
      int[] count = it.next();
      count[0] >>>= 1;
      if (count[0] == 0) {
        it.remove();
      }
    }
  }

  /** Stops counting {@code pair} while the adapter {@code mergedKey} exists. */
  void block(Pair pair, String mergedKey) {
    counts.remove(pair);
    blocked.put(pair, mergedKey);
  }

  /** Forgets everything about {@code key}: its pairs, its blocks, its place in the rings. */
  void forget(String key) {
    counts.keySet().removeIf(p -> p.contains(key));
    blocked.entrySet().removeIf(e -> e.getKey().contains(key) || e.getValue().equals(key));
    for (Ring ring : requesters.values()) {
      for (int i = 0; i < ring.size; i++) {
        if (ring.keys[i].equals(key)) {
          ring.size--;
          ring.keys[i] = ring.keys[ring.size];
          ring.times[i] = ring.times[ring.size];
          ring.keys[ring.size] = null;
          break;
        }
      }
    }
  }

  /** The current count of a pair (0 if untracked), for tests. */
  int count(String a, String b) {
    int[] count = counts.get(Pair.of(a, b));
    return count == null ? 0 : count[0];
  }

  int trackedPairs() {
    return counts.size();
  }

  int trackedRequesters() {
    return requesters.size();
  }

  int blockedPairs() {
    return blocked.size();
  }
}
