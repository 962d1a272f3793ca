package io.github.edgenet.lora.pool;

import io.github.edgenet.core.Clock;
import io.github.edgenet.lora.LoraMerge;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.pool.CoOccurrence.Pair;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The automatic merging of an {@link AdapterPool} (see "Automatic merging" in its class
 * documentation): counts co-occurrences, merges the pairs that become due and inserts the results
 * through the pool's write path.
 *
 * <p>Thread-safe: the co-occurrence tracker has its own lock, always taken after the pool's lock
 * when both are held; a merge is computed without any pool lock and inserted under the write lock
 * after checking that its sources are unchanged.
 */
final class AutoMerger {
  private final AdapterPool pool;
  private final EntryStore store;
  private final Clock clock;
  private final int dim;
  private final CoOccurrence tracker;
  private final ReentrantLock trackerLock = new ReentrantLock();
  private final int mergeRank;
  private final double maxMergeError;
  private final MergeListener listener;
  private final LongAdder merges = new LongAdder();
  private final LongAdder refusedMerges = new LongAdder();
  private long mergedSequence; // under the pool's write lock

  /** What the locked part of a merge did: inserted ({@code provenance}) or refused. */
  private record Insertion(MergeProvenance provenance, MergeListener.Refusal refusal) {}

  /**
   * @param mergeRank the rank of merged adapters, 0 for the larger source rank
   * @param listener told of merges and refusals, or null
   */
  AutoMerger(AdapterPool pool, EntryStore store, Clock clock, int dim, CoOccurrence tracker,
      int mergeRank, double maxMergeError, MergeListener listener) {
    this.pool = pool;
    this.store = store;
    this.clock = clock;
    this.dim = dim;
    this.tracker = tracker;
    this.mergeRank = mergeRank;
    this.maxMergeError = maxMergeError;
    this.listener = listener;
  }

  long merges() {
    return merges.sum();
  }

  long refusedMerges() {
    return refusedMerges.sum();
  }

  /** Records a use at the clock's time; the pairs it made due. Under the pool's read lock. */
  List<Pair> record(String requester, String key) {
    trackerLock.lock();
    try {
      return tracker.record(requester, key, clock.nanos());
    } finally {
      trackerLock.unlock();
    }
  }

  /** Forgets every count of {@code key}, which left the pool. Under the pool's write lock. */
  void forget(String key) {
    trackerLock.lock();
    try {
      tracker.forget(key);
    } finally {
      trackerLock.unlock();
    }
  }

  /**
   * Tries to merge each due pair, in order. An exception of the listener is rethrown after every
   * pair has had its turn (later ones suppressed into the first). No pool lock may be held.
   */
  void mergeAll(List<Pair> due) {
    EachThenThrow.forEach(due, this::tryMerge); // a listener's exception: the others still merge
  }

  private void tryMerge(Pair pair) {
    Entry[] sources = pool.read(() -> new Entry[] {store.get(pair.first()), store.get(pair.second())});
    Entry a = sources[0];
    Entry b = sources[1];
    if (a == null || b == null) {
      refuse(pair, MergeListener.Refusal.SOURCE_ABSENT, Double.NaN);
      return;
    }
    if (!(a.adapter instanceof MicroLora la) || !(b.adapter instanceof MicroLora lb)) {
      refuse(pair, MergeListener.Refusal.NOT_F32, Double.NaN);
      return;
    }
    if (la.inputDim() != lb.inputDim() || la.outputDim() != lb.outputDim()) {
      refuse(pair, MergeListener.Refusal.SHAPE_MISMATCH, Double.NaN);
      return;
    }
    double usesA = Math.max(1, a.uses.get());
    double usesB = Math.max(1, b.uses.get());
    double wa = usesA / (usesA + usesB);
    double wb = 1 - wa;
    int rank = mergeRank != 0 ? mergeRank : Math.max(la.rank(), lb.rank());
    // The expensive part runs without the pool's locks; LoraMerge snapshots each live source.
    LoraMerge.Result result = LoraMerge.builder().add(la, wa).add(lb, wb).rank(rank).merge();
    if (!(result.relativeError() <= maxMergeError)) {
      refuse(pair, MergeListener.Refusal.ERROR_BOUND, result.relativeError());
      return;
    }
    float[] embedding = weightedMeanDirection(a.embedding, wa, b.embedding, wb);
    if (embedding == null) {
      refuse(pair, MergeListener.Refusal.DEGENERATE_EMBEDDING, Double.NaN);
      return;
    }
    Insertion done = pool.write(() -> insert(pair, a, b, wa, wb, rank, result, embedding));
    if (done.refusal() != null) {
      refuse(pair, done.refusal(), Double.NaN);
    } else if (listener != null) {
      listener.onMerge(done.provenance());
    }
  }

  /** The locked part of a merge: checks the sources are unchanged and the result fits. */
  private Insertion insert(Pair pair, Entry a, Entry b, double wa, double wb, int rank,
      LoraMerge.Result result, float[] embedding) {
    if (store.get(a.key) != a || store.get(b.key) != b) {
      return new Insertion(null, MergeListener.Refusal.SOURCE_ABSENT);
    }
    MicroLora merged = result.adapter();
    if (store.entryBytes(merged) > store.roomBesidesPinned()) {
      return new Insertion(null, MergeListener.Refusal.NO_ROOM);
    }
    String key = nextMergedKey();
    MergeProvenance p = new MergeProvenance(key,
        List.of(new MergeProvenance.Source(a.key, wa), new MergeProvenance.Source(b.key, wb)),
        result.relativeError(), rank, clock.epochMillis());
    store.insert(key, embedding, merged, p);
    merges.increment();
    trackerLock.lock();
    try {
      tracker.block(pair, key);
      tracker.block(Pair.of(key, a.key), key);
      tracker.block(Pair.of(key, b.key), key);
    } finally {
      trackerLock.unlock();
    }
    return new Insertion(p, null);
  }

  /** {@code wa a + wb b}, normalized; null if it is (numerically) zero. */
  private float[] weightedMeanDirection(float[] a, double wa, float[] b, double wb) {
    double[] mean = new double[dim];
    double squared = 0;
    for (int i = 0; i < dim; i++) {
      mean[i] = wa * a[i] + wb * b[i];
      squared += mean[i] * mean[i];
    }
    if (!(squared > 1e-12)) {
      return null;
    }
    float[] embedding = new float[dim];
    double norm = Math.sqrt(squared);
    for (int i = 0; i < dim; i++) {
      embedding[i] = (float) (mean[i] / norm);
    }
    return embedding;
  }

  private void refuse(Pair pair, MergeListener.Refusal reason, double error) {
    refusedMerges.increment();
    if (listener != null) {
      listener.onRefusal(pair.first(), pair.second(), reason, error);
    }
  }

  /** {@code "merged-<n>"} for the next unused {@code n}. Under the pool's write lock. */
  private String nextMergedKey() {
    String key;
    do {
      key = "merged-" + ++mergedSequence;
    } while (store.contains(key));
    return key;
  }

  /** Runs {@code action} on the tracker under its lock (a test hook). */
  <T> T withTracker(Function<CoOccurrence, T> action) {
    trackerLock.lock();
    try {
      return action.apply(tracker);
    } finally {
      trackerLock.unlock();
    }
  }
}
