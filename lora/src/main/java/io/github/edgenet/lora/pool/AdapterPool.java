package io.github.edgenet.lora.pool;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraMerge;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.pool.CoOccurrence.Pair;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A memory-bounded pool of LoRA adapters that routes a task to the adapter whose task embedding is
 * nearest, creates one on a miss when allowed, and can merge adapters whose tasks keep occurring
 * together.
 *
 * <pre>{@code
 * RandomSource random = RandomSource.seeded(seed);
 * AdapterPool pool = AdapterPool.builder(64)               // task embeddings of 64 floats
 *     .maximumBytes(64L << 20)                             // hard budget: 64 MiB of adapters
 *     .similarityThreshold(0.85f)                          // cosine needed for a hit
 *     .factory(e -> MicroLora.builder(256, 256).rank(4).random(random).build())
 *     .removalListener((key, adapter, embedding, reason) -> {
 *       if (reason == RemovalReason.SIZE) store.save(key, embedding, LoraCodec.encode(adapter));
 *     })
 *     .build();
 *
 * pool.put("translate-fr", frEmbedding, frAdapter);
 * AdapterPool.Route route = pool.route(taskEmbedding).orElseThrow(); // with a factory: never empty
 * route.adapter().forward(x, y);                                     // the live adapter
 * }</pre>
 *
 * <p><b>Routing.</b> {@link #route(float[])} computes the cosine similarity of the task embedding
 * to every adapter's embedding and takes the largest (exact ties go to the lower row of the routing
 * matrix, which depends only on the history of insertions and removals). If it is at
 * least the {@linkplain Builder#similarityThreshold threshold} the route is a <em>hit</em>;
 * otherwise it is a <em>miss</em>, and with a {@linkplain Builder#factory factory} the pool
 * creates an adapter for the task, stores it under a new key {@code "created-<n>"} with the task's
 * embedding and returns it. Each call counts exactly one hit or one miss in {@link #stats()}. The
 * embeddings are kept normalized as the rows of one contiguous matrix, so a route is one SIMD
 * matrix-vector product ({@link VectorKernels#gemv}) plus a scan: {@code O(entries x dim)}, no
 * allocation besides the result.
 *
 * <p><b>Memory budget.</b> Each entry costs {@link #entryBytes(LoraAdapter)} {@code =
 * adapter.weightBytes() + 4 * embeddingDimension + }{@value #ENTRY_OVERHEAD_BYTES} bytes (the
 * last an allowance for the objects around the weights). The sum over all entries, pinned ones
 * included, never exceeds {@link Builder#maximumBytes}: not after any operation, and not in
 * between either, because an insertion first evicts, then inserts. Victims are chosen by
 * Caffeine's W-TinyLFU policy (its {@code coldest} order: rarely and not recently used first) among
 * the unpinned entries; routes and {@link #get} count as uses. A new adapter is always admitted
 * (Caffeine alone could reject a newcomer that is less popular than its victim; the pool makes
 * room explicitly instead). Caffeine's own size eviction, configured with the same weights and a
 * same-thread executor, stays as a backstop that never has to act.
 *
 * <p><b>Pinning.</b> A {@linkplain #pin pinned} adapter is never evicted. Pinned bytes count
 * against the same budget. Pinning always succeeds and evicts nothing: the adapter is already in
 * the pool, hence within the budget. The budget binds later: a {@link #put}, a creation on a miss
 * or a merge that could only fit by evicting a pinned adapter fails (with {@link
 * IllegalStateException}, resp. a refused merge) and changes nothing. With everything pinned,
 * nothing new fits until something is unpinned or invalidated.
 *
 * <p><b>Removals.</b> The {@linkplain Builder#removalListener removal listener} hears of every
 * adapter that leaves the pool, with the {@link RemovalReason}: {@code SIZE} (evicted for room:
 * persist it here, e.g. with {@link io.github.edgenet.lora.io.LoraCodec}), {@code EXPLICIT}
 * ({@link #invalidate}) or {@code REPLACED} ({@link #put} on an existing key). It is called
 * synchronously on the thread whose operation caused the removal, after the pool's locks are
 * released and before that operation returns, so it may call the pool.
 *
 * <p><b>Live adapters and training.</b> The pool hands out the adapter it holds, not a copy:
 * training it (e.g. with {@link io.github.edgenet.lora.LoraTrainer}) changes what every later
 * route returns. Concurrent inference and training on one {@link MicroLora} are safe by its
 * Hogwild model: forwards never lock; a trainer's step writes the weights under the adapter's own
 * lock, so two trainers' steps never interleave, and a forward that overlaps a step sees every
 * weight from just before or just after it (within one step of a consistent version). Keep one
 * {@code LoraTrainer} per adapter (a trainer itself is single-threaded); to serve one exact
 * version while training, train a {@link MicroLora#snapshot()} and publish it with {@link
 * MicroLora#copyWeightsFrom}, or {@link #put} the trained copy under the same key. A {@link
 * io.github.edgenet.lora.quant.QuantizedLora} is immutable: retrain its dequantized copy and put
 * the re-quantized result. An adapter removed from the pool stays valid for whoever holds it; its
 * later training no longer reaches the pool.
 *
 * <p><b>Automatic merging</b> (off unless {@link Builder#autoMerge} is set). {@link
 * #recordUse(String, String)} (also called by {@link #route(String, float[])}) notes that a
 * requester used an adapter, at the {@linkplain Builder#clock clock}'s time. Two adapters
 * co-occur when the same requester used both within the window; when a pair's co-occurrence
 * count reaches the threshold, the pool merges the two {@link MicroLora}s with {@link LoraMerge},
 * weighted by their recorded uses ({@code w_a = uses_a / (uses_a + uses_b)} at the time of the
 * merge), at rank {@link Builder#mergeRank} (default: the larger source
 * rank), and accepts the result only if its {@linkplain LoraMerge.Result#relativeError() relative
 * error} is at most {@link Builder#maxMergeError}. The merged adapter enters the pool under {@code
 * "merged-<n>"} with the normalized weighted mean of the sources' embeddings and a {@link
 * MergeProvenance}; the sources stay. Quantized adapters are not merged (refused as {@code
 * NOT_F32}): merging their dequantized weights would produce an f32 adapter larger than both.
 * Memory for the counts is bounded: see {@link Builder#coOccurrenceLimits}. Given the clock's
 * readings, the sequence of calls decides every merge (single-threaded use is deterministic).
 *
 * <p><b>Thread-safety.</b> Thread-safe. Routes, {@link #get} and the queries hold a read lock and
 * run in parallel; operations that change the entries (put, pin, unpin, invalidate, creation on a
 * miss, a merge's insertion) hold the write lock. The factory is called under the write lock, one
 * call at a time (so it may use one non-thread-safe {@link io.github.edgenet.core.RandomSource});
 * it must not call the pool. A merge is computed without any pool lock and inserted under the
 * write lock after checking that its sources are unchanged.
 *
 * <p><b>Inside.</b> This class is the public face; {@link Router} routes (and checks task
 * embeddings), {@link EntryStore} keeps the entries, the byte budget and Caffeine in step, {@link
 * AutoMerger} does the automatic merging.
 * Every change runs through {@link #write}: write lock, Caffeine's stray evictions, the change,
 * then unlock and deliver the removal notices.
 */
public final class AdapterPool {
  /** Bytes charged per entry on top of its weights and embedding: object headers, map entries. */
  public static final int ENTRY_OVERHEAD_BYTES = 256;

  private final int dim;
  private final long maxBytes;
  private final AdapterRemovalListener removalListener;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final EntryStore store;
  private final Router router;
  /** Null when automatic merging is off. */
  private final AutoMerger merger;

  private AdapterPool(Builder b) {
    this.dim = b.dim;
    this.maxBytes = b.maxBytes;
    this.removalListener = b.removalListener;
    this.store = new EntryStore(dim, maxBytes, lock, this::forgetInMerger);
    this.router = new Router(this, store, lock, dim, b.threshold, b.factory);
    this.merger = b.mergeThreshold == 0
        ? null
        : new AutoMerger(this, store, b.clock, dim,
            new CoOccurrence(b.mergeWindowNanos, b.mergeThreshold, b.maxRequesters, b.maxPairs),
            b.mergeRank, b.maxMergeError, b.mergeListener);
  }

  private void forgetInMerger(String key) {
    if (merger != null) {
      merger.forget(key);
    }
  }

  /**
   * A builder for a pool whose task embeddings have {@code embeddingDimension} floats.
   *
   * @param embeddingDimension the length of every task embedding, at least 1
   * @return a builder for a pool whose task embeddings have {@code embeddingDimension} floats
   * @throws IllegalArgumentException if {@code embeddingDimension < 1}
   */
  public static Builder builder(int embeddingDimension) {
    if (embeddingDimension < 1) {
      throw new IllegalArgumentException(
          "embeddingDimension must be >= 1, was " + embeddingDimension);
    }
    return new Builder(embeddingDimension);
  }

  // --- the public types --------------------------------------------------------------------------

  /**
   * The outcome of a successful route.
   *
   * @param key the adapter's key in the pool
   * @param adapter the live adapter (not a copy)
   * @param similarity the cosine similarity of the task embedding to the adapter's, in [-1, 1] up to
   *     float rounding; for a created adapter, its similarity to its own task (about 1)
   * @param created whether the adapter was created for this route by the factory
   */
  public record Route(String key, LoraAdapter adapter, float similarity, boolean created) {}

  /**
   * A snapshot of the pool's counters and memory. The entry and byte figures are consistent with
   * each other (taken under the read lock); routes running at the same moment may or may not be
   * included in the counters.
   *
   * @param hits routes whose nearest adapter met the threshold
   * @param misses routes that did not (including those that created an adapter)
   * @param creations adapters created by the factory
   * @param evictions adapters removed to make room ({@link RemovalReason#SIZE})
   * @param merges merged adapters that entered the pool
   * @param refusedMerges due pairs that were not merged (see {@link MergeListener.Refusal})
   * @param entries adapters in the pool
   * @param pinnedEntries pinned adapters among them
   * @param bytes the entries' total cost, {@link #entryBytes} summed, at most {@code maxBytes}
   * @param pinnedBytes the pinned entries' part of {@code bytes}
   * @param maxBytes the budget
   */
  public record Stats(
      long hits, long misses, long creations, long evictions, long merges, long refusedMerges,
      int entries, int pinnedEntries, long bytes, long pinnedBytes, long maxBytes) {
    /**
     * The share of routes that were hits.
     *
     * @return {@code hits / (hits + misses)}, or NaN before the first route
     */
    public double hitRate() {
      long routes = hits + misses;
      return routes == 0 ? Double.NaN : (double) hits / routes;
    }
  }

  // --- queries -----------------------------------------------------------------------------------

  /**
   * The length of the task embeddings.
   *
   * @return the length of the task embeddings
   */
  public int embeddingDimension() {
    return dim;
  }

  /**
   * The budget, in bytes.
   *
   * @return the budget, in bytes
   */
  public long maximumBytes() {
    return maxBytes;
  }

  /**
   * What {@code adapter} costs against the budget: {@code adapter.weightBytes() + 4 *
   * embeddingDimension() + }{@value #ENTRY_OVERHEAD_BYTES}.
   *
   * @param adapter the adapter
   * @return its cost, in bytes
   */
  public long entryBytes(LoraAdapter adapter) {
    return store.entryBytes(adapter);
  }

  /**
   * The live adapter stored under {@code key}, if any. Counts as a use for the eviction policy
   * (not as a hit or miss).
   *
   * @param key the adapter's key in the pool
   * @return the live adapter stored under {@code key}, if any
   */
  public Optional<LoraAdapter> get(String key) {
    Objects.requireNonNull(key, "key");
    lock.readLock().lock();
    try {
      Entry e = store.get(key);
      if (e == null) {
        return Optional.empty();
      }
      store.touch(key);
      return Optional.of(e.adapter);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * A copy of the normalized task embedding stored under {@code key}, if any.
   *
   * @param key the adapter's key in the pool
   * @return a copy of the normalized task embedding stored under {@code key}, if any
   */
  public Optional<float[]> embedding(String key) {
    Objects.requireNonNull(key, "key");
    return read(() -> {
      Entry e = store.get(key);
      return e == null ? Optional.empty() : Optional.of(e.embedding.clone());
    });
  }

  /**
   * Where the adapter under {@code key} came from, if the pool merged it and it is still here.
   *
   * @param key the adapter's key in the pool
   * @return its provenance; empty if it is not in the pool or was not made by a merge
   */
  public Optional<MergeProvenance> provenance(String key) {
    Objects.requireNonNull(key, "key");
    return read(() -> {
      Entry e = store.get(key);
      return e == null ? Optional.<MergeProvenance>empty() : Optional.ofNullable(e.provenance);
    });
  }

  /**
   * Whether an adapter is stored under {@code key} and pinned.
   *
   * @param key the adapter's key in the pool
   * @return whether an adapter is stored under {@code key} and pinned
   */
  public boolean isPinned(String key) {
    Objects.requireNonNull(key, "key");
    return read(() -> {
      Entry e = store.get(key);
      return e != null && e.pinned;
    });
  }

  /**
   * A snapshot of the keys in the pool.
   *
   * @return a snapshot of the keys in the pool
   */
  public Set<String> keys() {
    return read(store::keys);
  }

  /**
   * The number of adapters in the pool.
   *
   * @return the number of adapters in the pool
   */
  public int size() {
    return read(store::size);
  }

  /**
   * A snapshot of the counters and memory use; see {@link Stats}.
   *
   * @return a snapshot of the counters and memory use
   */
  public Stats stats() {
    return read(() -> new Stats(router.hits(), router.misses(), router.creations(),
        store.evictions(), merger == null ? 0 : merger.merges(),
        merger == null ? 0 : merger.refusedMerges(), store.size(), store.pinnedCount(),
        store.bytes(), store.pinnedBytes(), maxBytes));
  }

  // --- routing -----------------------------------------------------------------------------------

  /**
   * Routes a task to the adapter with the nearest embedding (cosine similarity). A hit returns
   * that adapter; a miss returns a newly created adapter if the pool has a factory, else nothing.
   *
   * @param taskEmbedding {@link #embeddingDimension()} floats, finite, not all zero (any length:
   *     only the direction matters); not kept
   * @return the route, empty only on a miss without a factory
   * @throws IllegalArgumentException if the embedding has the wrong length, a non-finite value or
   *     no direction (its squared length is 0 or overflows float)
   * @throws IllegalStateException if the created adapter does not fit in the budget left by the
   *     pinned adapters (the miss is counted, the adapter is not kept)
   */
  public Optional<Route> route(float[] taskEmbedding) {
    return router.route(taskEmbedding);
  }

  /**
   * {@link #route(float[])}, then {@link #recordUse(String, String) recordUse(requester, key)} for
   * the adapter routed to.
   *
   * @param requester who used the adapter: a node, a user, a session (any stable name)
   * @param taskEmbedding the task's embedding, as for {@link #route(float[])}
   * @return the route, as {@link #route(float[])}
   * @throws IllegalArgumentException as {@link #route(float[])}
   */
  public Optional<Route> route(String requester, float[] taskEmbedding) {
    Objects.requireNonNull(requester, "requester");
    Optional<Route> route = route(taskEmbedding);
    route.ifPresent(r -> recordUse(requester, r.key()));
    return route;
  }

  // --- changes -----------------------------------------------------------------------------------

  /**
   * Stores {@code adapter} under {@code key} with its task embedding, replacing (and reporting as
   * {@code REPLACED}) any adapter stored under that key; a pinned key stays pinned. Evicts unpinned
   * adapters first if needed to stay within the budget.
   *
   * @param key the adapter's key in the pool
   * @param taskEmbedding {@link #embeddingDimension()} finite floats, not all zero; copied and
   *     normalized
   * @param adapter the adapter
   * @throws IllegalArgumentException if the embedding is invalid, or {@link #entryBytes} of the
   *     adapter exceeds the whole budget
   * @throws IllegalStateException if the adapter only fits by evicting pinned adapters (nothing
   *     changes)
   */
  public void put(String key, float[] taskEmbedding, LoraAdapter adapter) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(adapter, "adapter");
    float[] normalized = Router.normalize(router.checkEmbedding(taskEmbedding));
    write(() -> store.insert(key, normalized, adapter, null));
  }

  /**
   * Pins the adapter under {@code key}: it is never evicted until {@link #unpin unpinned}. Always
   * succeeds and evicts nothing: the adapter is already counted in the budget. Pinned bytes then
   * limit what later puts can evict (see the class documentation).
   *
   * @param key the adapter's key in the pool
   * @return false if no adapter is stored under {@code key}, true if it is now pinned (or was)
   */
  public boolean pin(String key) {
    Objects.requireNonNull(key, "key");
    return write(() -> store.pin(key));
  }

  /**
   * Unpins the adapter under {@code key}, making it evictable again. Evicts nothing.
   *
   * @param key the adapter's key in the pool
   * @return false if no adapter is stored under {@code key}, true otherwise
   */
  public boolean unpin(String key) {
    Objects.requireNonNull(key, "key");
    return write(() -> store.unpin(key));
  }

  /**
   * Removes the adapter under {@code key}, pinned or not, reporting it as {@code EXPLICIT}.
   *
   * @param key the adapter's key in the pool
   * @return whether an adapter was removed
   */
  public boolean invalidate(String key) {
    Objects.requireNonNull(key, "key");
    return write(() -> store.invalidate(key));
  }

  /**
   * Records that {@code requester} used the adapter under {@code key} now (the clock's {@link
   * Clock#nanos()}), for automatic merging: it adds to the adapter's use count (the weight of a
   * merge) and, if merging is on, to the co-occurrence count of every pair it forms with the
   * requester's other adapters used within the window. If a pair's count reaches the threshold,
   * the merge is attempted before this method returns (see the class documentation).
   *
   * @param requester who used the adapter: a node, a user, a session (any stable name)
   * @param key the adapter's key in the pool
   * @return false if no adapter is stored under {@code key} (nothing is recorded)
   * @throws IllegalArgumentException from {@link LoraMerge.Builder#merge()} if a merged adapter's
   *     weights would overflow float (only for sources with weights near {@code 1e19})
   */
  public boolean recordUse(String requester, String key) {
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(key, "key");
    List<Pair> due;
    lock.readLock().lock();
    try {
      Entry e = store.get(key);
      if (e == null) {
        return false;
      }
      e.uses.incrementAndGet();
      if (merger == null) {
        return true;
      }
      due = merger.record(requester, key);
    } finally {
      lock.readLock().unlock();
    }
    merger.mergeAll(due);
    return true;
  }

  // --- the write path --------------------------------------------------------------------------

  /**
   * Runs {@code change} under the write lock, after removing the entries Caffeine evicted on its
   * own; then releases the lock and delivers the removal notices the change queued (also when it
   * throws). Every change to the entries goes through here.
   */
  <T> T write(Supplier<T> change) {
    lock.writeLock().lock();
    try {
      store.applyStrayEvictions();
      return change.get();
    } finally {
      unlockWriteAndNotify();
    }
  }

  /** Runs {@code query} under the read lock. */
  <T> T read(Supplier<T> query) {
    lock.readLock().lock();
    try {
      return query.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Releases the write lock, then delivers the removal notices queued under it. */
  private void unlockWriteAndNotify() {
    List<EntryStore.Removal> notices =
        lock.getWriteHoldCount() == 1 ? store.drainRemovals() : List.of();
    lock.writeLock().unlock();
    if (removalListener == null || notices.isEmpty()) {
      return;
    }
    EachThenThrow.forEach(notices,
        r -> removalListener.onRemoval(r.key(), r.adapter(), r.embedding(), r.reason()));
  }

  // --- test hooks --------------------------------------------------------------------------------

  /** Caffeine's weighted size (the unpinned bytes), after its pending maintenance. */
  long caffeineWeightedSize() {
    return read(store::caffeineWeightedSize);
  }

  /** Caffeine's current maximum. */
  long caffeineMaximum() {
    return store.caffeineMaximum();
  }

  /** The number of rows in the routing table. */
  int routingRows() {
    return read(() -> store.table().size());
  }

  /** Runs {@code action} on the co-occurrence tracker under its lock (null when merging is off). */
  <T> T withTracker(Function<CoOccurrence, T> action) {
    return merger == null ? action.apply(null) : merger.withTracker(action);
  }

  @Override
  public String toString() {
    Stats s = stats();
    return "AdapterPool[" + s.entries() + " adapters, " + s.bytes() + "/" + maxBytes + " bytes, "
        + s.pinnedEntries() + " pinned]";
  }

  /**
   * Configures an {@link AdapterPool}. Required: {@link #maximumBytes}. Defaults: similarity
   * threshold 0.8, no factory (a miss returns nothing), no removal listener, {@link
   * Clock#system()}, automatic merging off.
   *
   * <p>Not thread-safe; {@link #build()} may be called more than once (each pool is independent).
   */
  public static final class Builder {
    private final int dim;
    private long maxBytes = -1;
    private float threshold = 0.8f;
    private Function<float[], ? extends LoraAdapter> factory;
    private AdapterRemovalListener removalListener;
    private Clock clock = Clock.system();
    private int mergeThreshold;
    private long mergeWindowNanos;
    private int mergeRank;
    private double maxMergeError = 0.05;
    private MergeListener mergeListener;
    private int maxRequesters = 1024;
    private int maxPairs = 4096;

    private Builder(int dim) {
      this.dim = dim;
    }

    /**
     * The hard memory budget over all entries, pinned ones included, in bytes (see {@link
     * AdapterPool#entryBytes}).
     *
     * @param maxBytes the budget, in bytes
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maximumBytes(long maxBytes) {
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be > 0, was " + maxBytes);
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /**
     * The cosine similarity a route needs for a hit, in [-1, 1] (default 0.8). -1 makes every
     * route to a non-empty pool a hit.
     *
     * @param threshold the cosine similarity a hit needs
     * @return this builder
     * @throws IllegalArgumentException if outside [-1, 1]
     */
    public Builder similarityThreshold(float threshold) {
      if (!(threshold >= -1f && threshold <= 1f)) {
        throw new IllegalArgumentException("threshold must be in [-1, 1], was " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * Creates an adapter on a miss, given (a copy of) the task embedding, e.g. {@code e ->
     * MicroLora.builder(in, out).rank(4).random(random).build()} with a seeded {@link
     * io.github.edgenet.core.RandomSource} the host supplies. Called under the pool's write lock,
     * one call at a time; must not call the pool; must not return null.
     *
     * @param factory creates an adapter from (a copy of) the task embedding
     * @return this builder
     */
    public Builder factory(Function<float[], ? extends LoraAdapter> factory) {
      this.factory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Hears of every adapter leaving the pool (see {@link AdapterPool} for when).
     *
     * @param listener told of every removal
     * @return this builder
     */
    public Builder removalListener(AdapterRemovalListener listener) {
      this.removalListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The source of time for co-occurrence windows and merge timestamps (default: the system's).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Turns on automatic merging: a pair of adapters is merged when the same requester has used
     * both within {@code window} of each other {@code threshold} times (see {@link
     * AdapterPool#recordUse}).
     *
     * @param threshold how many co-occurrences make a pair due for merging
     * @param window how close in time two uses must be to co-occur
     * @return this builder
     * @throws IllegalArgumentException if {@code threshold < 1} or the window is negative
     */
    public Builder autoMerge(int threshold, Duration window) {
      Objects.requireNonNull(window, "window");
      if (threshold < 1) {
        throw new IllegalArgumentException("threshold must be >= 1, was " + threshold);
      }
      if (window.isNegative()) {
        throw new IllegalArgumentException("window must be >= 0, was " + window);
      }
      this.mergeThreshold = threshold;
      this.mergeWindowNanos = saturatedNanos(window);
      return this;
    }

    /**
     * The largest relative truncation error a merge may have to be accepted (default 0.05).
     *
     * @param bound the largest accepted relative error, in [0, 1]
     * @return this builder
     * @throws IllegalArgumentException if not in [0, 1]
     */
    public Builder maxMergeError(double bound) {
      if (!(bound >= 0 && bound <= 1)) {
        throw new IllegalArgumentException("bound must be in [0, 1], was " + bound);
      }
      this.maxMergeError = bound;
      return this;
    }

    /**
     * The rank of merged adapters, 1 to {@value MicroLora#MAX_RANK} (default: the larger of the
     * two sources' ranks, so a merge never costs more memory than its larger source).
     *
     * @param rank the rank of merged adapters
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder mergeRank(int rank) {
      if (rank < 1 || rank > MicroLora.MAX_RANK) {
        throw new IllegalArgumentException(
            "rank must be in 1.." + MicroLora.MAX_RANK + ", was " + rank);
      }
      this.mergeRank = rank;
      return this;
    }

    /**
     * Hears of merges and refused merges.
     *
     * @param listener told of merges and refused merges
     * @return this builder
     */
    public Builder mergeListener(MergeListener listener) {
      this.mergeListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Bounds the memory of co-occurrence counting (defaults 1024 and 4096): at most {@code
     * maxRequesters} requesters are tracked (each with its last 16 distinct adapters; the least
     * recently active requester is forgotten first) and at most {@code maxPairs} pair counts
     * (when full, all counts are halved and zeros dropped; if still full, a new pair is not
     * counted). About {@code 200 * maxRequesters + 100 * maxPairs} bytes in the worst case.
     *
     * @param maxRequesters the most requesters tracked
     * @param maxPairs the most pair counts kept
     * @return this builder
     * @throws IllegalArgumentException if a limit is less than 1
     */
    public Builder coOccurrenceLimits(int maxRequesters, int maxPairs) {
      if (maxRequesters < 1 || maxPairs < 1) {
        throw new IllegalArgumentException("limits must be >= 1, were " + maxRequesters
            + " requesters and " + maxPairs + " pairs");
      }
      this.maxRequesters = maxRequesters;
      this.maxPairs = maxPairs;
      return this;
    }

    /**
     * A new, empty pool.
     *
     * @return a new, empty pool
     * @throws IllegalStateException if {@link #maximumBytes} was not set
     */
    public AdapterPool build() {
      if (maxBytes < 0) {
        throw new IllegalStateException("a budget is required: call maximumBytes(...)");
      }
      return new AdapterPool(this);
    }

    private static long saturatedNanos(Duration d) {
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
  }
}
