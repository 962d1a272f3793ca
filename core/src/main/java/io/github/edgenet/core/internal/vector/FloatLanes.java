package io.github.edgenet.core.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The constants of the Panama kernels' lane sums, which add a vector's lanes in one fixed order
 * whatever runs the code. The kernels use them instead of {@code reduceLanes(VectorOperators.ADD)}.
 *
 * <p>Why: {@code reduceLanes(ADD)} on floats may add the lanes in any order, and HotSpot does use
 * two. The interpreter and C1 run the Vector API's Java code, which adds lane 0, 1, 2, ... in turn;
 * C2 emits a tree of halves. Kernels built on it returned results that differed in the last bit
 * before and after their compilation, so two identical adapters (one warm, one cold), or a seeded
 * simulation and its re-run, could disagree. The lane sums use only lanewise {@code add}, constant
 * {@code rearrange}s and {@code reinterpretShape}, which the Vector API defines exactly on every
 * tier: the result is a function of the lanes alone. {@code CompiledKernelsTest} checks every
 * kernel for the same bits interpreted and compiled; {@code LaneSumOrderTest} checks the order.
 *
 * <p><b>The order</b> is a tree of halves: lane i + lane i+8 of a 512-bit vector, then lane i +
 * lane i+4 of those eight, lane i + lane i+2 of those four, and lane 0 + lane 1 (for 256- and
 * 128-bit vectors the tree starts lower down). Each halving narrows the vector to the next shape
 * ({@code reinterpretShape}, free), so that the later permutes work on 256 and 128 bits, which are
 * cheaper than 512-bit ones. In a kernel, with {@code acc} the accumulator:
 *
 * <pre>{@code
 * acc = L == 16 ? (FloatVector) acc.add(acc.rearrange(FOLD_512)).reinterpretShape(SPECIES_256, 0) : acc;
 * acc = L >= 8 ? (FloatVector) acc.add(acc.rearrange(FOLD_256)).reinterpretShape(SPECIES_128, 0) : acc;
 * acc = acc.add(acc.rearrange(FOLD_128));
 * float sum = acc.lane(0) + acc.lane(1);
 * }</pre>
 *
 * The {@code L} tests are constants the JIT folds away. Kernels with several accumulators run
 * one such chain per accumulator where they wait for the sums before going on (the low-rank
 * kernels: the chains are independent and overlap, and a chain is short).
 *
 * <p><b>Four sums in one tree</b>, for kernels bound by many short reductions rather than by the
 * latency of one (the four-row {@code gemv}, the four-vector {@code gemvBatch} and its block
 * versions): {@code ac = a.blend(c, UPPER_HALF) + c.blend(a, UPPER_HALF).rearrange(HALF)} holds
 * a's first halving in its lower half and c's in its upper, {@code bd} likewise; {@code
 * ac.blend(bd, UPPER_QUARTERS) + bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER)} then holds the
 * quarter sums of a, b, c and d in its four quarters, and two more halvings ({@link #EIGHTH},
 * {@link #SIXTEENTH}) leave the totals at lanes 0, {@link #SECOND}, {@link #THIRD} and {@link
 * #FOURTH}. Five permutes for four sums instead of twelve; each total is bit-identical to the chain
 * of that vector (the same pairs, and IEEE addition is commutative), which {@code
 * LaneSumOrderTest} checks.
 *
 * <p><b>Why written out in each kernel</b> rather than as a helper method: a helper taking a
 * vector is an ordinary method to C2, which refuses to inline it once a kernel is large (its node
 * budget, {@code NodeCountInliningCutoff}) or the call site is rarely taken ({@code MaxInlineSize});
 * the call then boxes its vectors, an allocation per call. The Vector API's own methods are
 * force-inlined and never refused. So: no method of ours takes or returns a vector. The written-out
 * copies are generated, not typed: the kernels' templates say {@code #lanesum acc: ...} or {@code
 * #lanesum4 a b c d: ...}, and the tests' {@code KernelTemplate} expands them into the lines above,
 * so the order is written once, in the generator (docs/decisions.md, "Kernel templates").
 *
 * <p>Shapes other than 128, 256 and 512 bits (possible on SVE) have no such tree; {@link
 * PanamaKernels} refuses them and the scalar kernels run.
 */
final class FloatLanes {
  private static final int L = FloatVector.SPECIES_PREFERRED.length();

  /** Whether the preferred float species has a lane-sum tree (128, 256 or 512 bits). */
  static final boolean SUPPORTED = L == 4 || L == 8 || L == 16;

  /**
   * Fails unless this vector shape has a fixed-order lane sum: what both Panama kernel families
   * check when created.
   *
   * @throws UnsupportedOperationException if {@link #SUPPORTED} is false; {@link KernelProvider}
   *     then picks the scalar kernels
   */
  static void requireSupported() {
    if (!SUPPORTED) {
      throw new UnsupportedOperationException(FloatVector.SPECIES_PREFERRED.vectorBitSize()
          + "-bit vectors: no fixed-order lane sum for this shape");
    }
  }

  /**
   * The name the Panama kernel families report.
   *
   * @param fma whether the kernels fuse multiply-adds
   * @return e.g. {@code "Panama(512-bit, FMA)"}
   */
  static String kernelName(boolean fma) {
    return "Panama(" + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit" + (fma ? ", FMA" : "")
        + ")";
  }

  /** Lane i to lane i xor 8 on 512 bits, i xor 4 on 256 bits, i xor 2 on 128 bits. */
  static final VectorShuffle<Float> FOLD_512 = swap(FloatVector.SPECIES_512, 8);
  static final VectorShuffle<Float> FOLD_256 = swap(FloatVector.SPECIES_256, 4);
  static final VectorShuffle<Float> FOLD_128 = swap(FloatVector.SPECIES_128, 2);

  /** On the preferred species: lane i to lane i xor L/2, L/4, L/8, L/16 (the last two from 8 and 16 lanes). */
  static final VectorShuffle<Float> HALF = swap(FloatVector.SPECIES_PREFERRED, L / 2);
  static final VectorShuffle<Float> QUARTER = swap(FloatVector.SPECIES_PREFERRED, L / 4);
  static final VectorShuffle<Float> EIGHTH = swap(FloatVector.SPECIES_PREFERRED, Math.max(1, L / 8));
  static final VectorShuffle<Float> SIXTEENTH = swap(FloatVector.SPECIES_PREFERRED, Math.max(1, L / 16));
  /** The lanes a merge takes from its second vector: index bit L/2, or bit L/4, set. */
  static final VectorMask<Float> UPPER_HALF = lanesWith(L / 2);
  static final VectorMask<Float> UPPER_QUARTERS = lanesWith(L / 4);
  /** Lanes of the second, third and fourth totals of four sums in one tree. */
  static final int SECOND = L / 4, THIRD = L / 2, FOURTH = 3 * L / 4;

  private FloatLanes() {}

  private static VectorMask<Float> lanesWith(int bit) {
    boolean[] set = new boolean[L];
    for (int i = 0; i < L; i++) {
      set[i] = (i & bit) != 0;
    }
    return VectorMask.fromArray(FloatVector.SPECIES_PREFERRED, set, 0);
  }

  private static VectorShuffle<Float> swap(VectorSpecies<Float> species, int distance) {
    int n = species.length();
    return VectorShuffle.fromOp(species, i -> (i ^ distance) % n); // in range on any shape
  }
}
