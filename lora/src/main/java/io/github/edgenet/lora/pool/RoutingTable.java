package io.github.edgenet.lora.pool;

import io.github.edgenet.core.vector.VectorKernels;
import java.util.Arrays;

/**
 * The normalized task embeddings of all entries as the rows of one dense {@code size x dim}
 * row-major matrix, so that one {@link VectorKernels#gemv} gives the similarity of a query to
 * every entry. Rows stay packed: removing an entry moves the last row into its place.
 *
 * <p>Not thread-safe: {@link #nearest} runs under the pool's read lock, the mutators under its
 * write lock.
 */
final class RoutingTable {
  private final int dim;
  private float[] matrix;
  private Entry[] entries;
  private int size;

  RoutingTable(int dim) {
    this.dim = dim;
    this.matrix = new float[8 * dim];
    this.entries = new Entry[8];
  }

  int size() {
    return size;
  }

  Entry entry(int slot) {
    return entries[slot];
  }

  void add(Entry e) {
    if (size == entries.length) {
      int capacity = Math.multiplyExact(entries.length, 2);
      entries = Arrays.copyOf(entries, capacity);
      matrix = Arrays.copyOf(matrix, Math.multiplyExact(capacity, dim));
    }
    System.arraycopy(e.embedding, 0, matrix, size * dim, dim);
    entries[size] = e;
    e.slot = size++;
  }

  void remove(Entry e) {
    int slot = e.slot;
    if (slot < 0 || slot >= size || entries[slot] != e) {
      throw new IllegalStateException("routing table out of step at " + e + ", slot " + slot);
    }
    int last = --size;
    if (slot != last) {
      Entry moved = entries[last];
      System.arraycopy(matrix, last * dim, matrix, slot * dim, dim);
      entries[slot] = moved;
      moved.slot = slot;
    }
    entries[last] = null;
    e.slot = -1;
  }

  /**
   * The slot whose row has the largest dot product with {@code query} (the first on ties), or -1
   * when the table is empty; that dot product is left in {@code dots[slot]}. {@code dots} must
   * hold at least {@link #size()} floats.
   */
  int nearest(float[] query, float[] dots) {
    if (size == 0) {
      return -1;
    }
    VectorKernels.gemv(matrix, 0, size, dim, query, 0, dots, 0);
    int best = 0;
    float max = dots[0];
    for (int i = 1; i < size; i++) {
      if (dots[i] > max) {
        max = dots[i];
        best = i;
      }
    }
    return best;
  }
}
