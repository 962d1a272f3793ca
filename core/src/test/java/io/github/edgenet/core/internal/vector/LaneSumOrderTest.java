package io.github.edgenet.core.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Panama kernels add a vector's lanes in the order {@link FloatLanes} documents, bit for bit,
 * and their multi-vector sums agree with the single one. The inputs are built so that the order
 * matters: lanes of wildly different magnitudes that cancel, where another order of the additions
 * gives other bits (the last test counts how often).
 *
 * <p>Runs in the normal test JVM, where these kernels may or may not be compiled yet: the model is
 * exact either way, which is the point. {@code CompiledKernelsTest} checks the same property
 * across tiers for every kernel.
 */
class LaneSumOrderTest {
  private static final int L = FloatVector.SPECIES_PREFERRED.length();
  private static final PanamaKernels PANAMA = new PanamaKernels();

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  /** The documented tree: lane i + lane (i xor L/2), then L/4, ..., the total is lane 0. */
  static float butterfly(float[] lanes) {
    return tree(lanes, false);
  }

  /** The butterfly with its levels in the given order (reversed: distances 1, 2, 4, ...). */
  static float tree(float[] lanes, boolean reversed) {
    float[] v = lanes.clone();
    for (int level = 0, n = v.length; (1 << level) < n; level++) {
      int d = reversed ? 1 << level : n >> (level + 1);
      float[] next = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        next[i] = v[i] + v[i ^ d];
      }
      v = next;
    }
    return v[0];
  }

  /** Lanes whose sum depends on the order: values of different magnitudes that partly cancel. */
  static float[] orderSensitive(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      float magnitude = (float) Math.scalb(1.0, r.nextInt(-4, 4));
      v[i] = (float) (r.nextDouble(-1, 1) * magnitude);
    }
    return v;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void oneVectorSumsInTheDocumentedOrder(long seed) {
    System.out.println("seed " + seed + ", " + L + " lanes");
    float[] x = orderSensitive(seed, L);
    assertEquals(Float.floatToRawIntBits(butterfly(x)), Float.floatToRawIntBits(PANAMA.sum(x, 0, L)),
        "sum of " + Arrays.toString(x));
    float[] ones = new float[L];
    Arrays.fill(ones, 1f);
    assertEquals(Float.floatToRawIntBits(butterfly(x)), Float.floatToRawIntBits(PANAMA.dot(x, 0, ones, 0, L)),
        "dot with ones");
  }

  /**
   * gemv sums four rows in one merged tree (then a pair and a single row in chains), gemvBatch four
   * vectors: every total must equal the documented single sum.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mergedTreesEqualTheSingleSum(long seed) {
    System.out.println("seed " + seed + ", " + L + " lanes");
    float[] m = orderSensitive(seed, 7 * L); // rows 0-3 take the merged tree, 4-5 the two-row pass, 6 dot
    float[] ones = new float[L];
    Arrays.fill(ones, 1f);
    float[] y = new float[7];
    PANAMA.gemv(m, 0, 7, L, ones, 0, y, 0);
    float[] rows4 = new float[4 * 7];
    PANAMA.gemvBatch(ones, 0, 1, L, m, 0, 7, rows4, 0); // a 1 x L matrix times seven vectors
    for (int r = 0; r < 7; r++) {
      float expected = butterfly(Arrays.copyOfRange(m, r * L, (r + 1) * L));
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(y[r]), "gemv row " + r);
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(rows4[r]), "gemvBatch vector " + r);
    }
  }

  /** The model itself is order-sensitive on these inputs, or the tests above prove little. */
  @Test
  void theInputsTellOrdersApart() {
    int n = L;
    int fromSequential = 0, fromReversed = 0;
    for (long seed : seeds().toArray()) {
      float[] x = orderSensitive(seed, n);
      float sequential = 0;
      for (float v : x) {
        sequential += v;
      }
      fromSequential += butterfly(x) != sequential ? 1 : 0;
      fromReversed += butterfly(x) != tree(x, true) ? 1 : 0;
    }
    // Measured on 16 lanes: 127 and 113 of 200 (about half as many are expected on 4 lanes).
    System.out.println("of 200 inputs of " + n + " lanes, the butterfly differs from the sequential"
        + " order on " + fromSequential + " and from the reversed tree on " + fromReversed);
    assertTrue(fromSequential >= 50 && fromReversed >= 50, fromSequential + ", " + fromReversed);
  }
}
