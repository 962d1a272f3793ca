package io.github.edgenet.swarm.internal;

import io.github.edgenet.core.vector.QuantizedKernels;
import io.github.edgenet.core.vector.VectorKernels;

/**
 * The scan structure of collective memory: dense slots {@code 0 .. size-1} of unit centroids in
 * one row-major {@code float[]}, a confidence per slot, and optionally a Q8_0 copy of the rows with
 * a proven per-row error bound. Scores are {@code confidence * dot(query, unit)} computed with
 * core's SIMD kernels; top-k selection uses preallocated heap arrays, so a scan allocates nothing.
 *
 * <h2>The Q8_0 candidate bound</h2>
 *
 * For a row {@code x} (norm 1 up to rounding) and its dequantized copy {@code x'}, with residual
 * {@code e = x - x'} (its norm is measured in double at quantization time and stored), Cauchy-Schwarz
 * gives {@code |q.x - q.x'| <= |q| |e|}. The float kernels add at most {@code gamma_m sum |a_j b_j|
 * <= gamma_m |a| |b|} each (Higham, "Accuracy and stability of numerical algorithms", 3.1, valid for
 * any summation order and with FMA), where {@code gamma_m = m u / (1 - m u)}, {@code u = 2^-24} and
 * {@code m = d + 64} covers the per-block partial sums and scale multiplies. Multiplying by the
 * confidence and rounding the lower bound to float add a few units u. So the f32 score {@code s}
 * and the Q8_0 score {@code a} of a row satisfy
 * {@code |s - a| <= b = c (|q| |e| + gamma_m |q| (2 + |e|) + 8u) (1 + 1e-4)}. With
 * {@code L} the k-th largest {@code a - b}, at least k rows have {@code s >= L}, so the k-th largest
 * f32 score is {@code >= L}, and every row with {@code a + b < L} has {@code s < L}: it cannot be in
 * the exact top k, ties included. The quantized scan keeps the rows with {@code a + b >= L} and
 * re-ranks them exactly in f32: the result equals the exact scan's, slot for slot.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
public final class PatternIndex {
  private static final double U = 0x1p-24;

  private final int d;
  private final int capacity;
  private final int maxK;
  private final float[] units;
  private final float[] conf;
  private final boolean quantized;
  private final int blocks;
  private final byte[] quants;
  private final short[] scales;
  private final float[] err;
  private final float[] approx;
  private final float[] dequant;
  private final int[] heapSlot;
  private final float[] heapScore;
  private final double gamma;
  private int size;
  private int lastCandidates;

  /**
   * An empty index.
   *
   * @param dimension vector length {@code d >= 1}
   * @param capacity the most slots
   * @param maxK the largest k a scan may ask for
   * @param quantized whether to keep the Q8_0 copy
   */
  public PatternIndex(int dimension, int capacity, int maxK, boolean quantized) {
    this.d = dimension;
    this.capacity = capacity;
    this.maxK = maxK;
    this.units = new float[Math.multiplyExact(capacity, dimension)];
    this.conf = new float[capacity];
    this.quantized = quantized;
    this.blocks = QuantizedKernels.blocks(dimension);
    this.quants = quantized ? new byte[Math.multiplyExact(capacity, blocks * QuantizedKernels.Q8_0_BLOCK_BYTES)] : null;
    this.scales = quantized ? new short[capacity * blocks] : null;
    this.err = quantized ? new float[capacity] : null;
    this.approx = quantized ? new float[capacity] : null;
    this.dequant = new float[dimension];
    this.heapSlot = new int[maxK];
    this.heapScore = new float[maxK];
    double m = dimension + 64.0;
    this.gamma = m * U / (1 - m * U);
  }

  /** Slots in use. */
  public int size() {
    return size;
  }

  /** Whether the Q8_0 copy is kept. */
  public boolean quantized() {
    return quantized;
  }

  /** The f32 rows scanned by the last quantized top-k (its candidate count). */
  public int lastCandidates() {
    return lastCandidates;
  }

  /** Appends a slot; returns its index. The caller checked capacity. */
  public int add(float[] unit, float confidence) {
    int slot = size++;
    set(slot, unit, confidence);
    return slot;
  }

  /** Overwrites a slot's row and confidence (and its Q8_0 copy). */
  public void set(int slot, float[] unit, float confidence) {
    System.arraycopy(unit, 0, units, slot * d, d);
    conf[slot] = confidence;
    if (quantized) {
      int qOff = slot * blocks * QuantizedKernels.Q8_0_BLOCK_BYTES;
      QuantizedKernels.quantizeQ8_0(unit, 0, d, quants, qOff, scales, slot * blocks);
      QuantizedKernels.dequantizeQ8_0(quants, qOff, scales, slot * blocks, dequant, 0, d);
      double e2 = 0;
      for (int j = 0; j < d; j++) {
        double diff = (double) unit[j] - dequant[j];
        e2 += diff * diff;
      }
      err[slot] = (float) (Math.sqrt(e2) * (1 + 1e-6));
    }
  }

  /** Sets a slot's confidence. */
  public void setConfidence(int slot, float confidence) {
    conf[slot] = confidence;
  }

  /** The residual norm bound of a slot's Q8_0 copy. */
  public float quantizationError(int slot) {
    return err[slot];
  }

  /** The exact f32 score of a slot. */
  public float score(float[] q, int slot) {
    return conf[slot] * VectorKernels.dot(q, 0, units, slot * d, d);
  }

  /** The plain cosine of a unit query with a slot's unit row (no confidence). */
  public float similarity(float[] q, int slot) {
    return VectorKernels.dot(q, 0, units, slot * d, d);
  }

  /** The slot most similar to {@code q} (cosine, no confidence), or -1 when empty. */
  public int nearest(float[] q) {
    int best = -1;
    float bestSim = Float.NEGATIVE_INFINITY;
    for (int s = 0; s < size; s++) {
      float sim = VectorKernels.dot(q, 0, units, s * d, d);
      if (sim > bestSim) {
        bestSim = sim;
        best = s;
      }
    }
    return best;
  }

  // Heap of the k best (score, slot): a min-heap whose root is the worst kept; worse means a lower
  // score, or an equal score and a higher slot.
  private static boolean worse(float sa, int a, float sb, int b) {
    return sa < sb || (sa == sb && a > b);
  }

  private int heapSize;

  private void heapOffer(int k, float score, int slot) {
    if (heapSize < k) {
      int i = heapSize++;
      heapScore[i] = score;
      heapSlot[i] = slot;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!worse(heapScore[i], heapSlot[i], heapScore[parent], heapSlot[parent])) {
          break;
        }
        swap(i, parent);
        i = parent;
      }
    } else if (worse(heapScore[0], heapSlot[0], score, slot)) {
      heapScore[0] = score;
      heapSlot[0] = slot;
      int i = 0;
      while (true) {
        int l = 2 * i + 1;
        int r = l + 1;
        int m = i;
        if (l < heapSize && worse(heapScore[l], heapSlot[l], heapScore[m], heapSlot[m])) {
          m = l;
        }
        if (r < heapSize && worse(heapScore[r], heapSlot[r], heapScore[m], heapSlot[m])) {
          m = r;
        }
        if (m == i) {
          break;
        }
        swap(i, m);
        i = m;
      }
    }
  }

  private void swap(int i, int j) {
    float s = heapScore[i];
    heapScore[i] = heapScore[j];
    heapScore[j] = s;
    int t = heapSlot[i];
    heapSlot[i] = heapSlot[j];
    heapSlot[j] = t;
  }

  /** Writes the heap best first into the outputs; returns the count. */
  private int drain(int[] outSlots, float[] outScores) {
    int n = heapSize;
    for (int i = 0; i < n; i++) {
      outSlots[i] = heapSlot[i];
      outScores[i] = heapScore[i];
    }
    for (int i = 1; i < n; i++) { // insertion sort, best first: n <= maxK is small
      int s = outSlots[i];
      float v = outScores[i];
      int j = i - 1;
      while (j >= 0 && worse(outScores[j], outSlots[j], v, s)) {
        outSlots[j + 1] = outSlots[j];
        outScores[j + 1] = outScores[j];
        j--;
      }
      outSlots[j + 1] = s;
      outScores[j + 1] = v;
    }
    heapSize = 0;
    return n;
  }

  private void checkK(int k) {
    if (k < 1 || k > maxK) {
      throw new IllegalArgumentException("k must be in [1, " + maxK + "], was " + k);
    }
  }

  /** Exact top-k by f32 score, best first (ties: lower slot first). Returns the count. */
  public int topK(float[] q, int k, int[] outSlots, float[] outScores) {
    checkK(k);
    heapSize = 0;
    for (int s = 0; s < size; s++) {
      heapOffer(k, conf[s] * VectorKernels.dot(q, 0, units, s * d, d), s);
    }
    return drain(outSlots, outScores);
  }

  /**
   * The same answer as {@link #topK}, computed by a Q8_0 scan, the candidate bound (see the class
   * comment) and an exact f32 re-rank of the candidates.
   *
   * @throws IllegalStateException if the index keeps no Q8_0 copy
   */
  public int topKQuantized(float[] q, int k, int[] outSlots, float[] outScores) {
    if (!quantized) {
      throw new IllegalStateException("this index keeps no Q8_0 copy");
    }
    checkK(k);
    double qn = Math.sqrt(VectorKernels.dot(q, q)) * (1 + 1e-6);
    int bq = blocks * QuantizedKernels.Q8_0_BLOCK_BYTES;
    heapSize = 0;
    for (int s = 0; s < size; s++) {
      float a = conf[s] * QuantizedKernels.dotQ8_0(quants, s * bq, scales, s * blocks, q, 0, d);
      approx[s] = a;
      heapOffer(k, (float) (a - bound(s, qn)), s);
    }
    if (heapSize == 0) {
      lastCandidates = 0;
      return 0;
    }
    // L: the k-th largest lower bound (the heap root), or the smallest if fewer than k rows.
    double cut = heapScore[0];
    if (heapSize < k) {
      cut = Double.NEGATIVE_INFINITY;
    }
    heapSize = 0;
    int candidates = 0;
    for (int s = 0; s < size; s++) {
      if (approx[s] + bound(s, qn) >= cut) {
        candidates++;
        heapOffer(k, conf[s] * VectorKernels.dot(q, 0, units, s * d, d), s);
      }
    }
    lastCandidates = candidates;
    return drain(outSlots, outScores);
  }

  private double bound(int s, double qn) {
    double e = err[s];
    return Math.abs(conf[s]) * (qn * e + gamma * qn * (2 + e) + 8 * U) * (1 + 1e-4);
  }
}
