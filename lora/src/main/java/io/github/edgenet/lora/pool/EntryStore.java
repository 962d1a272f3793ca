package io.github.edgenet.lora.pool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.github.edgenet.lora.LoraAdapter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The entries of an {@link AdapterPool}, their routing rows and the byte budget, kept in step with
 * Caffeine (which chooses the victims). The pool's budget invariant lives here: the pinned plus
 * unpinned bytes never exceed {@code maxBytes}, because an insertion evicts before it inserts.
 *
 * <p>Not thread-safe on its own: the changes run under the pool's write lock, the queries under
 * either lock; only {@link #onCaffeineEviction} may run on any thread (it defers to the next
 * change when the current thread does not hold the write lock).
 */
final class EntryStore {
  private static final System.Logger LOG = System.getLogger(AdapterPool.class.getName());

  /** A removal notice, queued under the write lock and delivered after it is released. */
  record Removal(String key, LoraAdapter adapter, float[] embedding, RemovalReason reason) {}

  private final int dim;
  private final long maxBytes;
  private final ReentrantReadWriteLock lock;
  private final Consumer<String> forgotten;
  private final Cache<String, Entry> cache;
  private final Policy.Eviction<String, Entry> eviction;
  private final HashMap<String, Entry> entries = new HashMap<>();
  private final RoutingTable table;
  private final ArrayList<Removal> pendingRemovals = new ArrayList<>();
  private final ConcurrentLinkedQueue<Entry> strayEvictions = new ConcurrentLinkedQueue<>();
  private final LongAdder evictions = new LongAdder();
  private long pinnedBytes;
  private long unpinnedBytes;
  private int pinnedCount;

  /**
   * @param lock the pool's lock, to tell whether Caffeine evicted under the write lock
   * @param forgotten told the key of every entry that leaves (the merge tracker forgets it)
   */
  EntryStore(int dim, long maxBytes, ReentrantReadWriteLock lock, Consumer<String> forgotten) {
    this.dim = dim;
    this.maxBytes = maxBytes;
    this.lock = lock;
    this.forgotten = forgotten;
    this.table = new RoutingTable(dim);
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String key, Entry e) -> e.pinned ? 0 : e.bytes)
        .executor(Runnable::run)
        .evictionListener(this::onCaffeineEviction)
        .build();
    this.eviction = cache.policy().eviction().orElseThrow();
  }

  // --- queries (either lock) ---------------------------------------------------------------------

  /** What {@code adapter} costs against the budget, see {@link AdapterPool#entryBytes}. */
  long entryBytes(LoraAdapter adapter) {
    return adapter.weightBytes() + 4L * dim + AdapterPool.ENTRY_OVERHEAD_BYTES;
  }

  Entry get(String key) {
    return entries.get(key);
  }

  boolean contains(String key) {
    return entries.containsKey(key);
  }

  /** Tells Caffeine's policy that {@code key} was used. */
  void touch(String key) {
    cache.getIfPresent(key);
  }

  RoutingTable table() {
    return table;
  }

  Set<String> keys() {
    return Set.copyOf(entries.keySet());
  }

  int size() {
    return entries.size();
  }

  int pinnedCount() {
    return pinnedCount;
  }

  long bytes() {
    return pinnedBytes + unpinnedBytes;
  }

  long pinnedBytes() {
    return pinnedBytes;
  }

  /** The bytes an unpinned newcomer may use at most: the budget less the pinned bytes. */
  long roomBesidesPinned() {
    return maxBytes - pinnedBytes;
  }

  long evictions() {
    return evictions.sum();
  }

  // --- changes (write lock held) -----------------------------------------------------------------

  /** Inserts a new entry under {@code key}, replacing any old one; evicts first if needed. */
  Entry insert(String key, float[] normalized, LoraAdapter adapter, MergeProvenance p) {
    long cost = entryBytes(adapter);
    if (cost > maxBytes || cost > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the adapter costs " + cost + " bytes, over the budget of "
          + maxBytes + ": " + adapter);
    }
    Entry old = entries.get(key);
    boolean pinned = old != null && old.pinned;
    long pinnedAfter = pinnedBytes - (pinned ? old.bytes : 0) + (pinned ? cost : 0);
    long unpinnedLimit = maxBytes - pinnedAfter - (pinned ? 0 : cost);
    if (unpinnedLimit < 0) {
      throw new IllegalStateException("no room for " + key + " (" + cost + " bytes): "
          + (pinned ? "as a pinned adapter it would make " + pinnedAfter + " pinned bytes"
              : pinnedBytes + " of the budget's " + maxBytes + " bytes are pinned"));
    }
    if (old != null) {
      remove(old, RemovalReason.REPLACED, true);
    }
    while (unpinnedBytes > unpinnedLimit) {
      evictColdest(unpinnedBytes - unpinnedLimit);
    }
    Entry e = new Entry(key, adapter, normalized, (int) cost, p);
    e.pinned = pinned;
    entries.put(key, e);
    table.add(e);
    if (pinned) {
      pinnedBytes += cost;
      pinnedCount++;
    } else {
      unpinnedBytes += cost;
    }
    eviction.setMaximum(maxBytes - pinnedBytes);
    cache.put(key, e);
    return e;
  }

  /** Pins the entry under {@code key}; false if there is none. */
  boolean pin(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return false;
    }
    if (!e.pinned) {
      if (pinnedBytes + unpinnedBytes > maxBytes) { // cannot happen: e is already counted
        throw new IllegalStateException("the pool's accounting is out of step: " + pinnedBytes
            + " pinned and " + unpinnedBytes + " unpinned bytes, budget " + maxBytes);
      }
      e.pinned = true;
      unpinnedBytes -= e.bytes;
      pinnedBytes += e.bytes;
      pinnedCount++;
      cache.put(key, e); // weighs 0 now: Caffeine never evicts it
      eviction.setMaximum(maxBytes - pinnedBytes);
    }
    return true;
  }

  /** Unpins the entry under {@code key}; false if there is none. */
  boolean unpin(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return false;
    }
    if (e.pinned) {
      e.pinned = false;
      pinnedBytes -= e.bytes;
      unpinnedBytes += e.bytes;
      pinnedCount--;
      eviction.setMaximum(maxBytes - pinnedBytes);
      cache.put(key, e);
    }
    return true;
  }

  /** Removes the entry under {@code key} as {@code EXPLICIT}; false if there is none. */
  boolean invalidate(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return false;
    }
    boolean wasPinned = e.pinned;
    remove(e, RemovalReason.EXPLICIT, true);
    if (wasPinned) {
      eviction.setMaximum(maxBytes - pinnedBytes);
    }
    return true;
  }

  /** Removes the entries Caffeine evicted on its own while this thread did not hold the lock. */
  void applyStrayEvictions() {
    for (Entry e; (e = strayEvictions.poll()) != null; ) {
      if (entries.get(e.key) == e) {
        remove(e, RemovalReason.SIZE, false);
      }
    }
  }

  /** The removal notices queued so far, oldest first; the queue is then empty. */
  List<Removal> drainRemovals() {
    if (pendingRemovals.isEmpty()) {
      return List.of();
    }
    List<Removal> notices = new ArrayList<>(pendingRemovals);
    pendingRemovals.clear();
    return notices;
  }

  /** Evicts unpinned entries, coldest first, until at least {@code bytes} are freed. */
  private void evictColdest(long bytes) {
    cache.cleanUp(); // let the policy see the uses still in Caffeine's read buffers
    List<Entry> victims = eviction.coldest(stream -> {
      List<Entry> chosen = new ArrayList<>();
      long freed = 0;
      for (var it = stream.iterator(); it.hasNext() && freed < bytes; ) {
        Entry e = it.next().getValue();
        if (!e.pinned && entries.get(e.key) == e) {
          chosen.add(e);
          freed += e.bytes;
        }
      }
      return chosen;
    });
    if (victims.isEmpty()) {
      throw new IllegalStateException("the pool's accounting is out of step: " + unpinnedBytes
          + " unpinned bytes but no unpinned entry to evict");
    }
    for (Entry victim : victims) {
      remove(victim, RemovalReason.SIZE, true);
    }
  }

  /** Removes an entry from every structure and queues its removal notice. */
  private void remove(Entry e, RemovalReason reason, boolean fromCache) {
    entries.remove(e.key);
    table.remove(e);
    if (e.pinned) {
      pinnedBytes -= e.bytes;
      pinnedCount--;
    } else {
      unpinnedBytes -= e.bytes;
    }
    if (fromCache) {
      cache.asMap().remove(e.key, e);
    }
    if (reason == RemovalReason.SIZE) {
      evictions.increment();
    }
    forgotten.accept(e.key);
    pendingRemovals.add(new Removal(e.key, e.adapter, e.embedding.clone(), reason));
  }

  /**
   * Caffeine's own size eviction. The store keeps Caffeine's weighted size within its maximum
   * before every write, so this never fires; if it did (a Caffeine behaviour change), the entry is
   * removed from the pool's structures under the write lock, now or at the next change.
   */
  private void onCaffeineEviction(String key, Entry e, RemovalCause cause) {
    if (e == null || !cause.wasEvicted()) {
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "Caffeine evicted {0} on its own ({1})", key, cause);
    if (lock.isWriteLockedByCurrentThread()) {
      if (entries.get(key) == e) {
        remove(e, RemovalReason.SIZE, false);
      }
    } else {
      strayEvictions.add(e);
    }
  }

  // --- test hooks --------------------------------------------------------------------------------

  /** Caffeine's weighted size (the unpinned bytes), after its pending maintenance. */
  long caffeineWeightedSize() {
    cache.cleanUp();
    return eviction.weightedSize().orElseThrow();
  }

  /** Caffeine's current maximum. */
  long caffeineMaximum() {
    return eviction.getMaximum();
  }
}
