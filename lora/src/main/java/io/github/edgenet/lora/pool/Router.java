package io.github.edgenet.lora.pool;

import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.pool.AdapterPool.Route;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The pool's routing: the nearest entry by cosine similarity (one {@link VectorKernels#gemv} over
 * the {@link RoutingTable}), a hit when it meets the threshold, otherwise a miss that creates an
 * adapter when there is a factory. Also the task embeddings' argument checks and normalization,
 * which every way into the pool shares.
 *
 * <p>A hit runs under the pool's read lock and allocates only its result; a creation re-checks for
 * a hit under the write lock (another thread may have created the adapter meanwhile), through the
 * pool's {@link AdapterPool#write} path. Each route counts exactly one hit or one miss.
 */
final class Router {
  private static final ThreadLocal<float[]> DOTS = ThreadLocal.withInitial(() -> new float[64]);

  private final AdapterPool pool;
  private final EntryStore store;
  private final ReentrantReadWriteLock lock;
  private final int dim;
  private final float threshold;
  private final Function<float[], ? extends LoraAdapter> factory;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder creations = new LongAdder();
  /** Under the write lock. */
  private long createdSequence;

  Router(AdapterPool pool, EntryStore store, ReentrantReadWriteLock lock, int dim, float threshold,
      Function<float[], ? extends LoraAdapter> factory) {
    this.pool = pool;
    this.store = store;
    this.lock = lock;
    this.dim = dim;
    this.threshold = threshold;
    this.factory = factory;
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  long creations() {
    return creations.sum();
  }

  /** {@link AdapterPool#route(float[])}. */
  Optional<Route> route(float[] taskEmbedding) {
    float squaredNorm = checkQuery(taskEmbedding);
    lock.readLock().lock();
    try {
      Route hit = nearest(taskEmbedding, squaredNorm);
      if (hit != null) {
        hits.increment();
        return Optional.of(hit);
      }
      if (factory == null) {
        misses.increment();
        return Optional.empty();
      }
    } finally {
      lock.readLock().unlock();
    }
    return Optional.of(routeAndCreate(taskEmbedding, squaredNorm));
  }

  private Route routeAndCreate(float[] query, float squaredNorm) {
    return pool.write(() -> {
      Route hit = nearest(query, squaredNorm); // another thread may have created it meanwhile
      if (hit != null) {
        hits.increment();
        return hit;
      }
      misses.increment();
      LoraAdapter created = factory.apply(query.clone());
      if (created == null) {
        throw new IllegalStateException("the factory returned null");
      }
      String key = nextCreatedKey();
      Entry e = store.insert(key, normalize(query), created, null);
      creations.increment();
      float similarity = VectorKernels.dot(e.embedding, query) / (float) Math.sqrt(squaredNorm);
      return new Route(key, created, similarity, true);
    });
  }

  /** The nearest entry if it meets the threshold, else null. Under either lock. */
  private Route nearest(float[] query, float squaredNorm) {
    RoutingTable table = store.table();
    int n = table.size();
    if (n == 0) {
      return null;
    }
    float[] dots = DOTS.get();
    if (dots.length < n) {
      dots = new float[Math.max(n, 2 * dots.length)];
      DOTS.set(dots);
    }
    int best = table.nearest(query, dots);
    float similarity = dots[best] / (float) Math.sqrt(squaredNorm);
    if (!(similarity >= threshold)) {
      return null;
    }
    Entry e = table.entry(best);
    store.touch(e.key); // a use, for the eviction policy
    return new Route(e.key, e.adapter, similarity, false);
  }

  /** {@code "created-<n>"} for the next unused {@code n}. */
  private String nextCreatedKey() {
    String key;
    do {
      key = "created-" + ++createdSequence;
    } while (store.contains(key));
    return key;
  }

  // --- task embeddings ---------------------------------------------------------------------------

  /** A query's squared length, after checking it (float, as the routing's dot products). */
  private float checkQuery(float[] embedding) {
    checkLength(embedding);
    float squared = VectorKernels.dot(embedding, embedding);
    if (!(squared > 0f && squared < Float.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("the task embedding must be finite and not all zero, "
          + "its squared length was " + squared);
    }
    return squared;
  }

  /** An embedding to store: the right length, finite, not all zero. */
  float[] checkEmbedding(float[] embedding) {
    checkLength(embedding);
    double squared = 0;
    for (int i = 0; i < embedding.length; i++) {
      if (!Float.isFinite(embedding[i])) {
        throw new IllegalArgumentException(
            "the task embedding must be finite, element " + i + " was " + embedding[i]);
      }
      squared += (double) embedding[i] * embedding[i];
    }
    if (squared == 0) {
      throw new IllegalArgumentException("the task embedding must not be all zero");
    }
    return embedding;
  }

  private void checkLength(float[] embedding) {
    Objects.requireNonNull(embedding, "taskEmbedding");
    if (embedding.length != dim) {
      throw new IllegalArgumentException(
          "the task embedding must have " + dim + " floats, had " + embedding.length);
    }
  }

  /** A new array: {@code v / |v|}, computed in double. */
  static float[] normalize(float[] v) {
    double squared = 0;
    for (float x : v) {
      squared += (double) x * x;
    }
    double norm = Math.sqrt(squared);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}
