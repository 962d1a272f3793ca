package io.github.edgenet.core.internal.vector;

import static io.github.edgenet.core.internal.vector.BlockKernels.Q4_0_BYTES;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The block-quantized kernels (llama.cpp Q8_0 / Q4_0) on the Vector API; created only by
 * {@link PanamaKernels}, which is loaded only when {@code jdk.incubator.vector} is present.
 *
 * <p>A block of 32 weights is processed as {@code 32 / L} chunks of {@code L} lanes (L = 16 with
 * 512-bit vectors, 8 with 256-bit). Each chunk of quants is loaded as {@code L} bytes and widened
 * in one step to {@code L} ints or floats ({@code vpmovsxbd}, then {@code vcvtdq2ps}). Within a
 * block the products are accumulated in a vector; the block's scale is then applied once, by one
 * fused multiply-add of the block vector with the broadcast scale into a running accumulator
 * ({@code acc = fma(blockSum, broadcast(d), acc)}), two blocks at a time into two accumulators;
 * the accumulators are reduced horizontally once, at the end. The int8 x int8 dots sum the block's
 * products exactly in int lanes and convert to float once per block. A partial last block (n not
 * a multiple of 32) runs the scalar code, which never reads the f32 side past {@code n}.
 *
 * <p>Other vector widths (128-bit, or wider than 512) use the scalar {@link BlockKernels}.
 */
final class PanamaBlockKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  /** Bytes with as many lanes as a float vector: 16 bytes for 512-bit vectors, 8 for 256-bit. */
  private static final VectorSpecies<Byte> B =
      L == 16 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
  /** Whether the SIMD block kernels apply to this vector width. */
  static final boolean SUPPORTED = (L == 8 || L == 16) && I.length() == L;

  private final boolean fma;

  PanamaBlockKernels(boolean fma) {
    this.fma = fma;
  }

  private FloatVector mulAdd(FloatVector a, FloatVector b, FloatVector acc) {
    return fma ? a.fma(b, acc) : a.mul(b).add(acc);
  }

  private static FloatVector scale(short[] d, int i) {
    return FloatVector.broadcast(F, Float.float16ToFloat(d[i]));
  }

  /** {@code L} signed bytes widened to floats. */
  private static FloatVector bytesToFloats(byte[] q, int off) {
    return (FloatVector) ByteVector.fromArray(B, q, off).convertShape(VectorOperators.B2F, F, 0);
  }

  /** {@code L} signed bytes widened to ints. */
  private static IntVector bytesToInts(byte[] q, int off) {
    return (IntVector) ByteVector.fromArray(B, q, off).convertShape(VectorOperators.B2I, I, 0);
  }

  private static IntVector lowNibbles(IntVector packed) {
    return packed.and(0x0F).sub(8);
  }

  private static IntVector highNibbles(IntVector packed) {
    return packed.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8);
  }

  private static FloatVector toFloats(IntVector v) {
    return (FloatVector) v.convert(VectorOperators.I2F, 0);
  }

  // ---- f32 x quantized -----------------------------------------------------------------------

  /** The lane-wise products of one Q8_0 block with 32 floats, not yet scaled. */
  private FloatVector blockQ8_0(byte[] q, int qb, float[] x, int xb) {
    FloatVector s = bytesToFloats(q, qb).mul(FloatVector.fromArray(F, x, xb));
    for (int c = L; c < 32; c += L) {
      s = mulAdd(bytesToFloats(q, qb + c), FloatVector.fromArray(F, x, xb + c), s);
    }
    return s;
  }

  /** The lane-wise products of one Q4_0 block with 32 floats, not yet scaled. */
  private FloatVector blockQ4_0(byte[] q, int qb, float[] x, int xb) {
    FloatVector s = FloatVector.zero(F);
    // Chunk k holds elements k.. (low nibbles) and 16+k.. (high nibbles) of the block.
    for (int k = 0; k < 16; k += L) {
      IntVector packed = bytesToInts(q, qb + k);
      s = mulAdd(toFloats(lowNibbles(packed)), FloatVector.fromArray(F, x, xb + k), s);
      s = mulAdd(toFloats(highNibbles(packed)), FloatVector.fromArray(F, x, xb + 16 + k), s);
    }
    return s;
  }

  float dotQ8_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n) {
    if (!SUPPORTED) {
      return BlockKernels.dotQ8_0(q, qo, d, dO, x, xo, n);
    }
    int full = n >>> 5;
    FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
    int b = 0;
    for (; b + 2 <= full; b += 2) {
      int i = b << 5;
      acc0 = mulAdd(blockQ8_0(q, qo + i, x, xo + i), scale(d, dO + b), acc0);
      acc1 = mulAdd(blockQ8_0(q, qo + i + 32, x, xo + i + 32), scale(d, dO + b + 1), acc1);
    }
    if (b < full) {
      int i = b << 5;
      acc0 = mulAdd(blockQ8_0(q, qo + i, x, xo + i), scale(d, dO + b), acc0);
      b++;
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    int i = b << 5;
    if (i < n) {
      sum += BlockKernels.dotQ8_0(q, qo + i, d, dO + b, x, xo + i, n - i);
    }
    return sum;
  }

  float dotQ4_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n) {
    if (!SUPPORTED) {
      return BlockKernels.dotQ4_0(q, qo, d, dO, x, xo, n);
    }
    int full = n >>> 5;
    FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
    int b = 0;
    for (; b + 2 <= full; b += 2) {
      int i = b << 5, qb = qo + b * Q4_0_BYTES;
      acc0 = mulAdd(blockQ4_0(q, qb, x, xo + i), scale(d, dO + b), acc0);
      acc1 = mulAdd(blockQ4_0(q, qb + Q4_0_BYTES, x, xo + i + 32), scale(d, dO + b + 1), acc1);
    }
    if (b < full) {
      acc0 = mulAdd(blockQ4_0(q, qo + b * Q4_0_BYTES, x, xo + (b << 5)), scale(d, dO + b), acc0);
      b++;
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    int i = b << 5;
    if (i < n) {
      sum += BlockKernels.dotQ4_0(q, qo + b * Q4_0_BYTES, d, dO + b, x, xo + i, n - i);
    }
    return sum;
  }

  void axpyQ8_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    if (!SUPPORTED) {
      BlockKernels.axpyQ8_0(alpha, q, qo, d, dO, y, yo, n);
      return;
    }
    int full = n >>> 5;
    int b = 0;
    for (; b < full; b++) {
      int i = b << 5;
      FloatVector c = FloatVector.broadcast(F, alpha * Float.float16ToFloat(d[dO + b]));
      for (int k = 0; k < 32; k += L) {
        int yi = yo + i + k;
        mulAdd(bytesToFloats(q, qo + i + k), c, FloatVector.fromArray(F, y, yi)).intoArray(y, yi);
      }
    }
    int i = b << 5;
    if (i < n) {
      BlockKernels.axpyQ8_0(alpha, q, qo + i, d, dO + b, y, yo + i, n - i);
    }
  }

  void axpyQ4_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    if (!SUPPORTED) {
      BlockKernels.axpyQ4_0(alpha, q, qo, d, dO, y, yo, n);
      return;
    }
    int full = n >>> 5;
    int b = 0;
    for (; b < full; b++) {
      int yb = yo + (b << 5), qb = qo + b * Q4_0_BYTES;
      FloatVector c = FloatVector.broadcast(F, alpha * Float.float16ToFloat(d[dO + b]));
      for (int k = 0; k < 16; k += L) {
        IntVector packed = bytesToInts(q, qb + k);
        int lo = yb + k, hi = yb + 16 + k;
        mulAdd(toFloats(lowNibbles(packed)), c, FloatVector.fromArray(F, y, lo)).intoArray(y, lo);
        mulAdd(toFloats(highNibbles(packed)), c, FloatVector.fromArray(F, y, hi)).intoArray(y, hi);
      }
    }
    int i = b << 5;
    if (i < n) {
      BlockKernels.axpyQ4_0(alpha, q, qo + b * Q4_0_BYTES, d, dO + b, y, yo + i, n - i);
    }
  }

  // ---- quantized x quantized -------------------------------------------------------------------

  float dotQ8_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks) {
    if (!SUPPORTED) {
      return BlockKernels.dotQ8_0Q8_0(wq, wqo, wd, wdo, xq, xqo, xd, xdo, blocks);
    }
    FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
    int b = 0;
    for (; b + 2 <= blocks; b += 2) {
      int i = b << 5;
      acc0 = mulAdd(toFloats(intBlockQ8_0(wq, wqo + i, xq, xqo + i)), scales(wd, wdo + b, xd, xdo + b), acc0);
      acc1 = mulAdd(toFloats(intBlockQ8_0(wq, wqo + i + 32, xq, xqo + i + 32)),
          scales(wd, wdo + b + 1, xd, xdo + b + 1), acc1);
    }
    if (b < blocks) {
      int i = b << 5;
      acc0 = mulAdd(toFloats(intBlockQ8_0(wq, wqo + i, xq, xqo + i)), scales(wd, wdo + b, xd, xdo + b), acc0);
    }
    return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
  }

  float dotQ4_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks) {
    if (!SUPPORTED) {
      return BlockKernels.dotQ4_0Q8_0(wq, wqo, wd, wdo, xq, xqo, xd, xdo, blocks);
    }
    FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
    int b = 0;
    for (; b + 2 <= blocks; b += 2) {
      int wb = wqo + b * Q4_0_BYTES, xb = xqo + (b << 5);
      acc0 = mulAdd(toFloats(intBlockQ4_0(wq, wb, xq, xb)), scales(wd, wdo + b, xd, xdo + b), acc0);
      acc1 = mulAdd(toFloats(intBlockQ4_0(wq, wb + Q4_0_BYTES, xq, xb + 32)),
          scales(wd, wdo + b + 1, xd, xdo + b + 1), acc1);
    }
    if (b < blocks) {
      acc0 = mulAdd(toFloats(intBlockQ4_0(wq, wqo + b * Q4_0_BYTES, xq, xqo + (b << 5))),
          scales(wd, wdo + b, xd, xdo + b), acc0);
    }
    return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
  }

  /** {@code broadcast(d_w * d_x)}: the one float multiply of the two block scales, as in ggml. */
  private static FloatVector scales(short[] wd, int wi, short[] xd, int xi) {
    return FloatVector.broadcast(F, Float.float16ToFloat(wd[wi]) * Float.float16ToFloat(xd[xi]));
  }

  /** Exact int lanes summing to the integer dot product of two Q8_0 blocks. */
  private static IntVector intBlockQ8_0(byte[] wq, int wb, byte[] xq, int xb) {
    IntVector s = bytesToInts(wq, wb).mul(bytesToInts(xq, xb));
    for (int c = L; c < 32; c += L) {
      s = s.add(bytesToInts(wq, wb + c).mul(bytesToInts(xq, xb + c)));
    }
    return s;
  }

  /** Exact int lanes summing to the integer dot product of a Q4_0 block with a Q8_0 block. */
  private static IntVector intBlockQ4_0(byte[] wq, int wb, byte[] xq, int xb) {
    IntVector s = IntVector.zero(I);
    for (int k = 0; k < 16; k += L) {
      IntVector packed = bytesToInts(wq, wb + k);
      s = s.add(lowNibbles(packed).mul(bytesToInts(xq, xb + k)));
      s = s.add(highNibbles(packed).mul(bytesToInts(xq, xb + 16 + k)));
    }
    return s;
  }

  // ---- quantization of activations -------------------------------------------------------------

  int quantizeQ8_0(float[] x, int xo, int n, byte[] q, int qo, short[] d, int dO) {
    if (!SUPPORTED) {
      return BlockKernels.quantizeQ8_0(x, xo, n, q, qo, d, dO);
    }
    int full = n >>> 5;
    for (int b = 0; b < full; b++) {
      int i = b << 5;
      FloatVector m = FloatVector.fromArray(F, x, xo + i).abs();
      for (int c = L; c < 32; c += L) {
        m = m.max(FloatVector.fromArray(F, x, xo + i + c).abs());
      }
      float amax = m.reduceLanes(VectorOperators.MAX); // NaN propagates, as in Math.max
      float dd = amax / 127f;
      float id = dd != 0f ? 1f / dd : 0f;
      short h = Float.floatToFloat16(dd);
      if (!Float.isFinite(Float.float16ToFloat(h))) {
        return b;
      }
      d[dO + b] = h;
      FloatVector vid = FloatVector.broadcast(F, id);
      for (int c = 0; c < 32; c += L) {
        FloatVector r = roundHalfAwayFromZero(FloatVector.fromArray(F, x, xo + i + c).mul(vid));
        ((ByteVector) r.convertShape(VectorOperators.F2B, B, 0)).intoArray(q, qo + i + c);
      }
    }
    int i = full << 5;
    if (i < n) {
      int bad = BlockKernels.quantizeQ8_0(x, xo + i, n - i, q, qo + i, d, dO + full);
      return bad < 0 ? -1 : full + bad;
    }
    return -1;
  }

  /**
   * Lane-wise {@link BlockKernels#roundHalfAwayFromZero} for |v| below 2^23 (here at most 127 and
   * a rounding error): truncate, then step away from zero where the exact remainder is a half or
   * more.
   */
  private static FloatVector roundHalfAwayFromZero(FloatVector v) {
    FloatVector t = (FloatVector) v.convert(VectorOperators.F2I, 0).convert(VectorOperators.I2F, 0);
    FloatVector frac = v.sub(t);
    VectorMask<Float> up = frac.compare(VectorOperators.GE, 0.5f);
    VectorMask<Float> down = frac.compare(VectorOperators.LE, -0.5f);
    return t.lanewise(VectorOperators.ADD, 1f, up).lanewise(VectorOperators.SUB, 1f, down);
  }
}
