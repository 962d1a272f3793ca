package io.github.edgenet.core.internal.vector;

import static io.github.edgenet.core.internal.vector.BlockKernels.Q4_0_BYTES;
import static io.github.edgenet.core.internal.vector.FloatLanes.EIGHTH;
import static io.github.edgenet.core.internal.vector.FloatLanes.FOLD_128;
import static io.github.edgenet.core.internal.vector.FloatLanes.FOLD_256;
import static io.github.edgenet.core.internal.vector.FloatLanes.FOLD_512;
import static io.github.edgenet.core.internal.vector.FloatLanes.FOURTH;
import static io.github.edgenet.core.internal.vector.FloatLanes.HALF;
import static io.github.edgenet.core.internal.vector.FloatLanes.QUARTER;
import static io.github.edgenet.core.internal.vector.FloatLanes.SECOND;
import static io.github.edgenet.core.internal.vector.FloatLanes.SIXTEENTH;
import static io.github.edgenet.core.internal.vector.FloatLanes.THIRD;
import static io.github.edgenet.core.internal.vector.FloatLanes.UPPER_HALF;
import static io.github.edgenet.core.internal.vector.FloatLanes.UPPER_QUARTERS;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The block-quantized kernels (llama.cpp Q8_0 / Q4_0) on the Vector API; created only by
 * {@link KernelProvider} (reflectively, and only when {@code jdk.incubator.vector} is present).
 *
 * <p>A block of 32 weights is processed as {@code 32 / L} chunks of {@code L} lanes (L = 16 with
 * 512-bit vectors, 8 with 256-bit). Each chunk of quants is loaded as {@code L} bytes and widened
 * in one step to {@code L} ints or floats ({@code vpmovsxbd}, then {@code vcvtdq2ps}). Within a
 * block the products are accumulated in a vector; the block's scale is then applied once, by one
 * fused multiply-add of the block vector with the broadcast scale into the running accumulator
 * ({@code acc = fma(blockSum, broadcast(d), acc)}), which is reduced horizontally once, at the end.
 * The int8 x int8 dots sum the block's products exactly in int lanes and convert to float once per
 * block. A partial last block (n not a multiple of 32) runs the scalar code, which never reads the
 * f32 side past {@code n}. The fused low-rank kernels treat two ranks per pass over {@code y}.
 *
 * <p>Other vector widths (128-bit, or wider than 512) use the scalar {@link BlockKernels}.
 */
final class PanamaBlockKernels implements BlockKernelSupport {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  /** Bytes with as many lanes as a float vector: 16 bytes for 512-bit vectors, 8 for 256-bit. */
  private static final VectorSpecies<Byte> B =
      L == 16 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
  /** Whether the SIMD block kernels apply to this vector width. */
  static final boolean SUPPORTED = (L == 8 || L == 16) && I.length() == L;

  /** Whether to fuse multiply-adds: a static final the JIT folds (see {@code PanamaKernels.FMA}). */
  private static final boolean FMA = CpuFeatures.hasFma();

  private final String name = FloatLanes.kernelName(FMA);

  /**
   * @throws UnsupportedOperationException on a vector shape without a fixed-order lane sum, as
   *     {@code PanamaKernels} (see {@link FloatLanes#requireSupported()})
   */
  PanamaBlockKernels() {
    FloatLanes.requireSupported();
  }

  @Override
  public String name() {
    return name;
  }

  // The hot kernels below are written flat, without helper methods: C2 inlines at most
  // MaxInlineLevel (15) calls deep, the Vector API itself needs about five, and a caller's stack
  // (adapter, facade, dispatch) several more. When the limit is hit, an operation silently runs
  // its Java fallback, a thousand times slower. Keep these methods shallow. Lane sums are written
  // out in place in the fixed order of FloatLanes (never reduceLanes(ADD), whose order differs
  // between the interpreter and C2).

  @Override
  public float dotQ8_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n) {
    if (!SUPPORTED) {
      return BlockKernels.dotQ8_0(q, qo, d, dO, x, xo, n);
    }
    int full = n >>> 5;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < full; b++) {
      int i = b << 5;
      FloatVector w = (FloatVector) ByteVector.fromArray(B, q, qo + i).convertShape(VectorOperators.B2F, F, 0);
      FloatVector s = w.mul(FloatVector.fromArray(F, x, xo + i));
      for (int c = L; c < 32; c += L) {
        w = (FloatVector) ByteVector.fromArray(B, q, qo + i + c).convertShape(VectorOperators.B2F, F, 0);
        FloatVector xv = FloatVector.fromArray(F, x, xo + i + c);
        s = FMA ? w.fma(xv, s) : w.mul(xv).add(s);
      }
      FloatVector dv = FloatVector.broadcast(F, Float.float16ToFloat(d[dO + b]));
      acc = FMA ? s.fma(dv, acc) : s.mul(dv).add(acc);
    }
    acc = L == 16 ? (FloatVector) acc.add(acc.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : acc;
    acc = L >= 8 ? (FloatVector) acc.add(acc.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : acc;
    acc = acc.add(acc.rearrange(FOLD_128));
    float sum = acc.lane(0) + acc.lane(1);
    int i = full << 5;
    if (i < n) {
      sum += BlockKernels.dotQ8_0(q, qo + i, d, dO + full, x, xo + i, n - i);
    }
    return sum;
  }

  @Override
  public float dotQ4_0(byte[] q, int qo, short[] d, int dO, float[] x, int xo, int n) {
    if (!SUPPORTED) {
      return BlockKernels.dotQ4_0(q, qo, d, dO, x, xo, n);
    }
    int full = n >>> 5;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < full; b++) {
      int i = b << 5, qb = qo + b * Q4_0_BYTES;
      FloatVector s = FloatVector.zero(F);
      // Chunk k holds elements k.. (low nibbles) and 16+k.. (high nibbles) of the block.
      for (int k = 0; k < 16; k += L) {
        IntVector p = (IntVector) ByteVector.fromArray(B, q, qb + k).convertShape(VectorOperators.B2I, I, 0);
        FloatVector lo = (FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
        FloatVector hi = (FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0);
        FloatVector x0 = FloatVector.fromArray(F, x, xo + i + k);
        FloatVector x1 = FloatVector.fromArray(F, x, xo + i + 16 + k);
        s = FMA ? hi.fma(x1, lo.fma(x0, s)) : hi.mul(x1).add(lo.mul(x0).add(s));
      }
      FloatVector dv = FloatVector.broadcast(F, Float.float16ToFloat(d[dO + b]));
      acc = FMA ? s.fma(dv, acc) : s.mul(dv).add(acc);
    }
    acc = L == 16 ? (FloatVector) acc.add(acc.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : acc;
    acc = L >= 8 ? (FloatVector) acc.add(acc.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : acc;
    acc = acc.add(acc.rearrange(FOLD_128));
    float sum = acc.lane(0) + acc.lane(1);
    int i = full << 5;
    if (i < n) {
      sum += BlockKernels.dotQ4_0(q, qo + full * Q4_0_BYTES, d, dO + full, x, xo + i, n - i);
    }
    return sum;
  }

  @Override
  public void axpyQ8_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    if (!SUPPORTED) {
      BlockKernels.axpyQ8_0(alpha, q, qo, d, dO, y, yo, n);
      return;
    }
    int full = n >>> 5;
    for (int b = 0; b < full; b++) {
      int i = b << 5;
      FloatVector c = FloatVector.broadcast(F, alpha * Float.float16ToFloat(d[dO + b]));
      for (int k = 0; k < 32; k += L) {
        int yi = yo + i + k;
        FloatVector w = (FloatVector) ByteVector.fromArray(B, q, qo + i + k).convertShape(VectorOperators.B2F, F, 0);
        FloatVector yv = FloatVector.fromArray(F, y, yi);
        (FMA ? w.fma(c, yv) : w.mul(c).add(yv)).intoArray(y, yi);
      }
    }
    int i = full << 5;
    if (i < n) {
      BlockKernels.axpyQ8_0(alpha, q, qo + i, d, dO + full, y, yo + i, n - i);
    }
  }

  @Override
  public void axpyQ4_0(float alpha, byte[] q, int qo, short[] d, int dO, float[] y, int yo, int n) {
    if (!SUPPORTED) {
      BlockKernels.axpyQ4_0(alpha, q, qo, d, dO, y, yo, n);
      return;
    }
    int full = n >>> 5;
    for (int b = 0; b < full; b++) {
      int yb = yo + (b << 5), qb = qo + b * Q4_0_BYTES;
      FloatVector c = FloatVector.broadcast(F, alpha * Float.float16ToFloat(d[dO + b]));
      for (int k = 0; k < 16; k += L) {
        IntVector p = (IntVector) ByteVector.fromArray(B, q, qb + k).convertShape(VectorOperators.B2I, I, 0);
        FloatVector lo = (FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
        FloatVector hi = (FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0);
        int l = yb + k, h = yb + 16 + k;
        FloatVector yl = FloatVector.fromArray(F, y, l), yh = FloatVector.fromArray(F, y, h);
        (FMA ? lo.fma(c, yl) : lo.mul(c).add(yl)).intoArray(y, l);
        (FMA ? hi.fma(c, yh) : hi.mul(c).add(yh)).intoArray(y, h);
      }
    }
    int i = full << 5;
    if (i < n) {
      BlockKernels.axpyQ4_0(alpha, q, qo + full * Q4_0_BYTES, d, dO + full, y, yo + i, n - i);
    }
  }

  // ---- quantized x quantized -------------------------------------------------------------------

  @Override
  public float dotQ8_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks) {
    if (!SUPPORTED) {
      return BlockKernels.dotQ8_0Q8_0(wq, wqo, wd, wdo, xq, xqo, xd, xdo, blocks);
    }
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < blocks; b++) {
      int wb = wqo + (b << 5), xb = xqo + (b << 5);
      // Exact int lanes: products of two int8 fit easily, and 32 of them too.
      IntVector s = IntVector.zero(I);
      for (int c = 0; c < 32; c += L) {
        IntVector w = (IntVector) ByteVector.fromArray(B, wq, wb + c).convertShape(VectorOperators.B2I, I, 0);
        IntVector v = (IntVector) ByteVector.fromArray(B, xq, xb + c).convertShape(VectorOperators.B2I, I, 0);
        s = s.add(w.mul(v));
      }
      // One float multiply d_w * d_x per block, as ggml.
      FloatVector dv = FloatVector.broadcast(F,
          Float.float16ToFloat(wd[wdo + b]) * Float.float16ToFloat(xd[xdo + b]));
      FloatVector sf = (FloatVector) s.convert(VectorOperators.I2F, 0);
      acc = FMA ? sf.fma(dv, acc) : sf.mul(dv).add(acc);
    }
    acc = L == 16 ? (FloatVector) acc.add(acc.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : acc;
    acc = L >= 8 ? (FloatVector) acc.add(acc.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : acc;
    acc = acc.add(acc.rearrange(FOLD_128));
    return acc.lane(0) + acc.lane(1);
  }

  @Override
  public float dotQ4_0Q8_0(
      byte[] wq, int wqo, short[] wd, int wdo, byte[] xq, int xqo, short[] xd, int xdo, int blocks) {
    if (!SUPPORTED) {
      return BlockKernels.dotQ4_0Q8_0(wq, wqo, wd, wdo, xq, xqo, xd, xdo, blocks);
    }
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < blocks; b++) {
      int wb = wqo + b * Q4_0_BYTES, xb = xqo + (b << 5);
      IntVector s = IntVector.zero(I);
      for (int k = 0; k < 16; k += L) {
        IntVector p = (IntVector) ByteVector.fromArray(B, wq, wb + k).convertShape(VectorOperators.B2I, I, 0);
        IntVector v0 = (IntVector) ByteVector.fromArray(B, xq, xb + k).convertShape(VectorOperators.B2I, I, 0);
        IntVector v1 = (IntVector) ByteVector.fromArray(B, xq, xb + 16 + k).convertShape(VectorOperators.B2I, I, 0);
        s = s.add(p.and(0x0F).sub(8).mul(v0))
            .add(p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8).mul(v1));
      }
      FloatVector dv = FloatVector.broadcast(F,
          Float.float16ToFloat(wd[wdo + b]) * Float.float16ToFloat(xd[xdo + b]));
      FloatVector sf = (FloatVector) s.convert(VectorOperators.I2F, 0);
      acc = FMA ? sf.fma(dv, acc) : sf.mul(dv).add(acc);
    }
    acc = L == 16 ? (FloatVector) acc.add(acc.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : acc;
    acc = L >= 8 ? (FloatVector) acc.add(acc.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : acc;
    acc = acc.add(acc.rearrange(FOLD_128));
    return acc.lane(0) + acc.lane(1);
  }

  // ---- quantization of activations -------------------------------------------------------------

  @Override
  public int quantizeQ8_0(float[] x, int xo, int n, byte[] q, int qo, short[] d, int dO) {
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

  // ---- the quantized LoRA forward ----------------------------------------------------------------

  @Override
  public void lowRankAddQ8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in, int out,
      float scale, float[] x, int xo, float[] y, int yo) {
    int ab = BlockKernels.blocks(in), bb = BlockKernels.blocks(out);
    int k = 0;
    // Two ranks at a time: one pass over y (load, two FMAs, store) for two rows of Bt.
    for (; k + 2 <= rank; k += 2) {
      float h0 = dotQ8_0(aq, k * ab * 32, ad, k * ab, x, xo, in);
      float h1 = dotQ8_0(aq, (k + 1) * ab * 32, ad, (k + 1) * ab, x, xo, in);
      axpy2Q8_0(scale * h0, scale * h1, bq, k * bb, bd, bb, y, yo, out);
    }
    if (k < rank) {
      float h = dotQ8_0(aq, k * ab * 32, ad, k * ab, x, xo, in);
      axpyQ8_0(scale * h, bq, k * bb * 32, bd, k * bb, y, yo, out);
    }
  }

  @Override
  public void lowRankAddQ4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in, int out,
      float scale, float[] x, int xo, float[] y, int yo) {
    int ab = BlockKernels.blocks(in), bb = BlockKernels.blocks(out);
    int k = 0;
    for (; k + 2 <= rank; k += 2) {
      float h0 = dotQ4_0(aq, k * ab * Q4_0_BYTES, ad, k * ab, x, xo, in);
      float h1 = dotQ4_0(aq, (k + 1) * ab * Q4_0_BYTES, ad, (k + 1) * ab, x, xo, in);
      axpy2Q4_0(scale * h0, scale * h1, bq, k * bb, bd, bb, y, yo, out);
    }
    if (k < rank) {
      float h = dotQ4_0(aq, k * ab * Q4_0_BYTES, ad, k * ab, x, xo, in);
      axpyQ4_0(scale * h, bq, k * bb * Q4_0_BYTES, bd, k * bb, y, yo, out);
    }
  }

  /**
   * {@code y += alpha0 * deq(row0) + alpha1 * deq(row1)} for two consecutive Q8_0 rows of
   * {@code rowBlocks} blocks starting at block {@code b0}; one load and store of y per chunk.
   */
  private void axpy2Q8_0(float alpha0, float alpha1, byte[] q, int b0, short[] d, int rowBlocks,
      float[] y, int yo, int n) {
    if (!SUPPORTED) {
      BlockKernels.axpyQ8_0(alpha0, q, b0 * 32, d, b0, y, yo, n);
      BlockKernels.axpyQ8_0(alpha1, q, (b0 + rowBlocks) * 32, d, b0 + rowBlocks, y, yo, n);
      return;
    }
    int full = n >>> 5;
    int q0 = b0 * 32, q1 = (b0 + rowBlocks) * 32, d0 = b0, d1 = b0 + rowBlocks;
    for (int b = 0; b < full; b++) {
      int i = b << 5;
      FloatVector c0 = FloatVector.broadcast(F, alpha0 * Float.float16ToFloat(d[d0 + b]));
      FloatVector c1 = FloatVector.broadcast(F, alpha1 * Float.float16ToFloat(d[d1 + b]));
      for (int k = 0; k < 32; k += L) {
        int yi = yo + i + k;
        FloatVector w0 = (FloatVector) ByteVector.fromArray(B, q, q0 + i + k).convertShape(VectorOperators.B2F, F, 0);
        FloatVector w1 = (FloatVector) ByteVector.fromArray(B, q, q1 + i + k).convertShape(VectorOperators.B2F, F, 0);
        FloatVector yv = FloatVector.fromArray(F, y, yi);
        (FMA ? w1.fma(c1, w0.fma(c0, yv)) : w1.mul(c1).add(w0.mul(c0).add(yv))).intoArray(y, yi);
      }
    }
    int i = full << 5;
    if (i < n) {
      BlockKernels.axpyQ8_0(alpha0, q, q0 + i, d, d0 + full, y, yo + i, n - i);
      BlockKernels.axpyQ8_0(alpha1, q, q1 + i, d, d1 + full, y, yo + i, n - i);
    }
  }

  /** {@link #axpy2Q8_0} for two Q4_0 rows. */
  private void axpy2Q4_0(float alpha0, float alpha1, byte[] q, int b0, short[] d, int rowBlocks,
      float[] y, int yo, int n) {
    if (!SUPPORTED) {
      BlockKernels.axpyQ4_0(alpha0, q, b0 * Q4_0_BYTES, d, b0, y, yo, n);
      BlockKernels.axpyQ4_0(alpha1, q, (b0 + rowBlocks) * Q4_0_BYTES, d, b0 + rowBlocks, y, yo, n);
      return;
    }
    int full = n >>> 5;
    int q0 = b0 * Q4_0_BYTES, q1 = (b0 + rowBlocks) * Q4_0_BYTES, d0 = b0, d1 = b0 + rowBlocks;
    for (int b = 0; b < full; b++) {
      int yb = yo + (b << 5), qb = b * Q4_0_BYTES;
      FloatVector c0 = FloatVector.broadcast(F, alpha0 * Float.float16ToFloat(d[d0 + b]));
      FloatVector c1 = FloatVector.broadcast(F, alpha1 * Float.float16ToFloat(d[d1 + b]));
      for (int k = 0; k < 16; k += L) {
        IntVector p0 = (IntVector) ByteVector.fromArray(B, q, q0 + qb + k).convertShape(VectorOperators.B2I, I, 0);
        IntVector p1 = (IntVector) ByteVector.fromArray(B, q, q1 + qb + k).convertShape(VectorOperators.B2I, I, 0);
        FloatVector l0 = (FloatVector) p0.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
        FloatVector l1 = (FloatVector) p1.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
        FloatVector h0 = (FloatVector) p0.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0);
        FloatVector h1 = (FloatVector) p1.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0);
        int lo = yb + k, hi = yb + 16 + k;
        FloatVector yl = FloatVector.fromArray(F, y, lo), yh = FloatVector.fromArray(F, y, hi);
        (FMA ? l1.fma(c1, l0.fma(c0, yl)) : l1.mul(c1).add(l0.mul(c0).add(yl))).intoArray(y, lo);
        (FMA ? h1.fma(c1, h0.fma(c0, yh)) : h1.mul(c1).add(h0.mul(c0).add(yh))).intoArray(y, hi);
      }
    }
    int i = full << 5;
    if (i < n) {
      BlockKernels.axpyQ4_0(alpha0, q, q0 + full * Q4_0_BYTES, d, d0 + full, y, yo + i, n - i);
      BlockKernels.axpyQ4_0(alpha1, q, q1 + full * Q4_0_BYTES, d, d1 + full, y, yo + i, n - i);
    }
  }

  // ---- the quantized LoRA forward, four rows of a batch per pass -------------------------------

  @Override
  public void gemvBatchQ8_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo, int batch,
      float[] ys, int yo) {
    gemvBatch(false, q, d, rows, cols, xs, xo, batch, ys, yo);
  }

  @Override
  public void gemvBatchQ4_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo, int batch,
      float[] ys, int yo) {
    gemvBatch(true, q, d, rows, cols, xs, xo, batch, ys, yo);
  }

  /**
   * Four vectors per pass over each row when rows are whole blocks (each chunk of codes widened and
   * scaled once for the four: one call per batch instead of a block dot per row and vector), then
   * vector by vector.
   */
  private void gemvBatch(boolean q4, byte[] q, short[] d, int rows, int cols, float[] xs, int xo,
      int batch, float[] ys, int yo) {
    int blocks = BlockKernels.blocks(cols);
    int rowBytes = blocks * (q4 ? Q4_0_BYTES : BlockKernels.Q8_0_BYTES);
    int b = 0;
    if (SUPPORTED && (cols & 31) == 0) {
      for (; b + 4 <= batch; b += 4) {
        int x0 = xo + b * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int y0 = yo + b * rows;
        for (int r = 0; r < rows; r++) {
          if (q4) {
            row4Q4_0(q, r * rowBytes, d, r * blocks, blocks, xs, x0, x1, x2, x3, ys, y0 + r, rows);
          } else {
            row4Q8_0(q, r * rowBytes, d, r * blocks, blocks, xs, x0, x1, x2, x3, ys, y0 + r, rows);
          }
        }
      }
    }
    for (; b < batch; b++) {
      int x = xo + b * cols, y = yo + b * rows;
      if (SUPPORTED && (cols & 31) == 0 && rows >= 4) {
        // Four rows per pass; the last pass overlaps the one before when rows is not a multiple
        // of four (it rewrites the same values). Same arithmetic as row4: a vector's outputs do
        // not depend on its place in the batch.
        for (int r = 0; r < rows; r += 4) {
          int first = Math.min(r, rows - 4);
          if (q4) {
            rows4Q4_0(q, first * rowBytes, rowBytes, d, first * blocks, blocks, xs, x, ys, y + first);
          } else {
            rows4Q8_0(q, first * rowBytes, rowBytes, d, first * blocks, blocks, xs, x, ys, y + first);
          }
        }
      } else if (SUPPORTED && (cols & 31) == 0) {
        // Fewer than four rows: row4 with the vector four times and output stride 0 (four equal
        // writes), for the same arithmetic as the vectors before.
        for (int r = 0; r < rows; r++) {
          if (q4) {
            row4Q4_0(q, r * rowBytes, d, r * blocks, blocks, xs, x, x, x, x, ys, y + r, 0);
          } else {
            row4Q8_0(q, r * rowBytes, d, r * blocks, blocks, xs, x, x, x, x, ys, y + r, 0);
          }
        }
      } else {
        for (int r = 0; r < rows; r++) {
          ys[y + r] = q4
              ? dotQ4_0(q, r * rowBytes, d, r * blocks, xs, x, cols)
              : dotQ8_0(q, r * rowBytes, d, r * blocks, xs, x, cols);
        }
      }
    }
  }

  /**
   * Four consecutive Q8_0 rows (from byte {@code qo}, {@code rowBytes} apart) times one vector,
   * into {@code ys[y..y+3]}: each chunk of x is loaded once for the four rows, four FMA chains run
   * at once, and the four sums share one tree. Per row the arithmetic is {@link #row4Q8_0}'s.
   */
  private static void rows4Q8_0(byte[] q, int qo, int rowBytes, short[] d, int dO, int blocks,
      float[] xs, int x, float[] ys, int y) {
    int q1 = qo + rowBytes, q2 = q1 + rowBytes, q3 = q2 + rowBytes;
    int d1 = dO + blocks, d2 = d1 + blocks, d3 = d2 + blocks;
    FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0;
    for (int b = 0; b < blocks; b++) {
      FloatVector s0 = FloatVector.broadcast(F, Float.float16ToFloat(d[dO + b]));
      FloatVector s1 = FloatVector.broadcast(F, Float.float16ToFloat(d[d1 + b]));
      FloatVector s2 = FloatVector.broadcast(F, Float.float16ToFloat(d[d2 + b]));
      FloatVector s3 = FloatVector.broadcast(F, Float.float16ToFloat(d[d3 + b]));
      for (int c = b << 5, end = c + 32; c < end; c += L) {
        FloatVector xv = FloatVector.fromArray(F, xs, x + c);
        FloatVector w = ((FloatVector) ByteVector.fromArray(B, q, qo + c).convertShape(VectorOperators.B2F, F, 0))
            .mul(s0);
        g0 = FMA ? w.fma(xv, g0) : w.mul(xv).add(g0);
        w = ((FloatVector) ByteVector.fromArray(B, q, q1 + c).convertShape(VectorOperators.B2F, F, 0)).mul(s1);
        g1 = FMA ? w.fma(xv, g1) : w.mul(xv).add(g1);
        w = ((FloatVector) ByteVector.fromArray(B, q, q2 + c).convertShape(VectorOperators.B2F, F, 0)).mul(s2);
        g2 = FMA ? w.fma(xv, g2) : w.mul(xv).add(g2);
        w = ((FloatVector) ByteVector.fromArray(B, q, q3 + c).convertShape(VectorOperators.B2F, F, 0)).mul(s3);
        g3 = FMA ? w.fma(xv, g3) : w.mul(xv).add(g3);
      }
    }
    FloatVector ac = g0.blend(g2, UPPER_HALF).add(g2.blend(g0, UPPER_HALF).rearrange(HALF));
    FloatVector bd = g1.blend(g3, UPPER_HALF).add(g3.blend(g1, UPPER_HALF).rearrange(HALF));
    FloatVector sums = ac.blend(bd, UPPER_QUARTERS).add(bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER));
    sums = L >= 8 ? sums.add(sums.rearrange(EIGHTH)) : sums;
    sums = L >= 16 ? sums.add(sums.rearrange(SIXTEENTH)) : sums;
    ys[y] = sums.lane(0);
    ys[y + 1] = sums.lane(SECOND);
    ys[y + 2] = sums.lane(THIRD);
    ys[y + 3] = sums.lane(FOURTH);
  }

  /** {@link #rows4Q8_0} on Q4_0 rows; per row the arithmetic is {@link #row4Q4_0}'s. */
  private static void rows4Q4_0(byte[] q, int qo, int rowBytes, short[] d, int dO, int blocks,
      float[] xs, int x, float[] ys, int y) {
    int q1 = qo + rowBytes, q2 = q1 + rowBytes, q3 = q2 + rowBytes;
    int d1 = dO + blocks, d2 = d1 + blocks, d3 = d2 + blocks;
    FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0;
    for (int b = 0; b < blocks; b++) {
      FloatVector s0 = FloatVector.broadcast(F, Float.float16ToFloat(d[dO + b]));
      FloatVector s1 = FloatVector.broadcast(F, Float.float16ToFloat(d[d1 + b]));
      FloatVector s2 = FloatVector.broadcast(F, Float.float16ToFloat(d[d2 + b]));
      FloatVector s3 = FloatVector.broadcast(F, Float.float16ToFloat(d[d3 + b]));
      int qb = b * Q4_0_BYTES, e = b << 5;
      for (int j = 0; j < 16; j += L) {
        int lo = e + j, hi = e + 16 + j;
        FloatVector xl = FloatVector.fromArray(F, xs, x + lo), xh = FloatVector.fromArray(F, xs, x + hi);
        IntVector p = (IntVector) ByteVector.fromArray(B, q, qo + qb + j).convertShape(VectorOperators.B2I, I, 0);
        FloatVector wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(s0);
        FloatVector wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(s0);
        g0 = FMA ? wh.fma(xh, wl.fma(xl, g0)) : wh.mul(xh).add(wl.mul(xl).add(g0));
        p = (IntVector) ByteVector.fromArray(B, q, q1 + qb + j).convertShape(VectorOperators.B2I, I, 0);
        wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(s1);
        wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8).convert(VectorOperators.I2F, 0))
            .mul(s1);
        g1 = FMA ? wh.fma(xh, wl.fma(xl, g1)) : wh.mul(xh).add(wl.mul(xl).add(g1));
        p = (IntVector) ByteVector.fromArray(B, q, q2 + qb + j).convertShape(VectorOperators.B2I, I, 0);
        wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(s2);
        wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8).convert(VectorOperators.I2F, 0))
            .mul(s2);
        g2 = FMA ? wh.fma(xh, wl.fma(xl, g2)) : wh.mul(xh).add(wl.mul(xl).add(g2));
        p = (IntVector) ByteVector.fromArray(B, q, q3 + qb + j).convertShape(VectorOperators.B2I, I, 0);
        wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(s3);
        wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8).convert(VectorOperators.I2F, 0))
            .mul(s3);
        g3 = FMA ? wh.fma(xh, wl.fma(xl, g3)) : wh.mul(xh).add(wl.mul(xl).add(g3));
      }
    }
    FloatVector ac = g0.blend(g2, UPPER_HALF).add(g2.blend(g0, UPPER_HALF).rearrange(HALF));
    FloatVector bd = g1.blend(g3, UPPER_HALF).add(g3.blend(g1, UPPER_HALF).rearrange(HALF));
    FloatVector sums = ac.blend(bd, UPPER_QUARTERS).add(bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER));
    sums = L >= 8 ? sums.add(sums.rearrange(EIGHTH)) : sums;
    sums = L >= 16 ? sums.add(sums.rearrange(SIXTEENTH)) : sums;
    ys[y] = sums.lane(0);
    ys[y + 1] = sums.lane(SECOND);
    ys[y + 2] = sums.lane(THIRD);
    ys[y + 3] = sums.lane(FOURTH);
  }

  @Override
  public void gemvTransposedAddBatchQ8_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo,
      int batch, float[] ys, int yo) {
    gemvTransposedAddBatch(false, q, d, rows, cols, xs, xo, batch, ys, yo);
  }

  @Override
  public void gemvTransposedAddBatchQ4_0(byte[] q, short[] d, int rows, int cols, float[] xs, int xo,
      int batch, float[] ys, int yo) {
    gemvTransposedAddBatch(true, q, d, rows, cols, xs, xo, batch, ys, yo);
  }

  /**
   * Four vectors at a time when rows are whole blocks: each block of outputs stays in registers
   * while every row adds into it (its codes widened and scaled once for the four), so the outputs
   * are loaded and stored once instead of once per row; then vector by vector, row by row.
   */
  private void gemvTransposedAddBatch(boolean q4, byte[] q, short[] d, int rows, int cols,
      float[] xs, int xo, int batch, float[] ys, int yo) {
    int blocks = BlockKernels.blocks(cols);
    int rowBytes = blocks * (q4 ? Q4_0_BYTES : BlockKernels.Q8_0_BYTES);
    int b = 0;
    if (SUPPORTED && (cols & 31) == 0) {
      for (; b + 4 <= batch; b += 4) {
        int g0 = xo + b * rows;
        int y0 = yo + b * cols;
        for (int k = 0; k < blocks; k++) {
          if (q4) {
            block4Q4_0(q, rowBytes, d, blocks, rows, k, xs, g0, ys, y0, cols);
          } else {
            block4Q8_0(q, rowBytes, d, blocks, rows, k, xs, g0, ys, y0, cols);
          }
        }
      }
    }
    for (; b < batch; b++) {
      for (int r = 0; r < rows; r++) {
        float g = xs[xo + b * rows + r];
        if (g != 0f) {
          if (q4) {
            axpyQ4_0(g, q, r * rowBytes, d, r * blocks, ys, yo + b * cols, cols);
          } else {
            axpyQ8_0(g, q, r * rowBytes, d, r * blocks, ys, yo + b * cols, cols);
          }
        }
      }
    }
  }

  /**
   * Block {@code k} (outputs {@code 32k .. 32k+31}) of four vectors {@code ys[y0 + i*cols ..]}
   * plus the sum over rows of the row's block {@code k} times {@code xs[g0 + i*rows + r]}.
   */
  private static void block4Q8_0(byte[] q, int rowBytes, short[] d, int blocks, int rows, int k,
      float[] xs, int g0, float[] ys, int y0, int cols) {
    int g1 = g0 + rows, g2 = g1 + rows, g3 = g2 + rows;
    int y1 = y0 + cols, y2 = y1 + cols, y3 = y2 + cols;
    for (int j = k << 5, end = j + 32; j < end; j += L) {
      FloatVector a0 = FloatVector.fromArray(F, ys, y0 + j), a1 = FloatVector.fromArray(F, ys, y1 + j);
      FloatVector a2 = FloatVector.fromArray(F, ys, y2 + j), a3 = FloatVector.fromArray(F, ys, y3 + j);
      for (int r = 0; r < rows; r++) {
        FloatVector w = ((FloatVector) ByteVector.fromArray(B, q, r * rowBytes + j)
            .convertShape(VectorOperators.B2F, F, 0))
            .mul(Float.float16ToFloat(d[r * blocks + k]));
        FloatVector c = FloatVector.broadcast(F, xs[g0 + r]);
        a0 = FMA ? w.fma(c, a0) : w.mul(c).add(a0);
        c = FloatVector.broadcast(F, xs[g1 + r]);
        a1 = FMA ? w.fma(c, a1) : w.mul(c).add(a1);
        c = FloatVector.broadcast(F, xs[g2 + r]);
        a2 = FMA ? w.fma(c, a2) : w.mul(c).add(a2);
        c = FloatVector.broadcast(F, xs[g3 + r]);
        a3 = FMA ? w.fma(c, a3) : w.mul(c).add(a3);
      }
      a0.intoArray(ys, y0 + j);
      a1.intoArray(ys, y1 + j);
      a2.intoArray(ys, y2 + j);
      a3.intoArray(ys, y3 + j);
    }
  }

  /**
   * {@link #block4Q8_0} on Q4_0 rows: the low nibbles are outputs {@code 32k + j}, the high ones
   * {@code 32k + 16 + j}.
   */
  private static void block4Q4_0(byte[] q, int rowBytes, short[] d, int blocks, int rows, int k,
      float[] xs, int g0, float[] ys, int y0, int cols) {
    int g1 = g0 + rows, g2 = g1 + rows, g3 = g2 + rows;
    int y1 = y0 + cols, y2 = y1 + cols, y3 = y2 + cols;
    int e = k << 5;
    for (int j = 0; j < 16; j += L) {
      int lo = e + j, hi = e + 16 + j;
      FloatVector l0 = FloatVector.fromArray(F, ys, y0 + lo), l1 = FloatVector.fromArray(F, ys, y1 + lo);
      FloatVector l2 = FloatVector.fromArray(F, ys, y2 + lo), l3 = FloatVector.fromArray(F, ys, y3 + lo);
      FloatVector h0 = FloatVector.fromArray(F, ys, y0 + hi), h1 = FloatVector.fromArray(F, ys, y1 + hi);
      FloatVector h2 = FloatVector.fromArray(F, ys, y2 + hi), h3 = FloatVector.fromArray(F, ys, y3 + hi);
      for (int r = 0; r < rows; r++) {
        FloatVector s = FloatVector.broadcast(F, Float.float16ToFloat(d[r * blocks + k]));
        IntVector p = (IntVector) ByteVector.fromArray(B, q, r * rowBytes + k * Q4_0_BYTES + j)
            .convertShape(VectorOperators.B2I, I, 0);
        FloatVector wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(s);
        FloatVector wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(s);
        FloatVector c = FloatVector.broadcast(F, xs[g0 + r]);
        l0 = FMA ? wl.fma(c, l0) : wl.mul(c).add(l0);
        h0 = FMA ? wh.fma(c, h0) : wh.mul(c).add(h0);
        c = FloatVector.broadcast(F, xs[g1 + r]);
        l1 = FMA ? wl.fma(c, l1) : wl.mul(c).add(l1);
        h1 = FMA ? wh.fma(c, h1) : wh.mul(c).add(h1);
        c = FloatVector.broadcast(F, xs[g2 + r]);
        l2 = FMA ? wl.fma(c, l2) : wl.mul(c).add(l2);
        h2 = FMA ? wh.fma(c, h2) : wh.mul(c).add(h2);
        c = FloatVector.broadcast(F, xs[g3 + r]);
        l3 = FMA ? wl.fma(c, l3) : wl.mul(c).add(l3);
        h3 = FMA ? wh.fma(c, h3) : wh.mul(c).add(h3);
      }
      l0.intoArray(ys, y0 + lo);
      l1.intoArray(ys, y1 + lo);
      l2.intoArray(ys, y2 + lo);
      l3.intoArray(ys, y3 + lo);
      h0.intoArray(ys, y0 + hi);
      h1.intoArray(ys, y1 + hi);
      h2.intoArray(ys, y2 + hi);
      h3.intoArray(ys, y3 + hi);
    }
  }

  /**
   * One Q8_0 row of whole blocks dot four vectors, into {@code ys[y]}, {@code ys[y + stride]},
   * {@code ys[y + 2 stride]}, {@code ys[y + 3 stride]}.
   */
  private static void row4Q8_0(byte[] q, int qo, short[] d, int dO, int blocks, float[] xs,
      int x0, int x1, int x2, int x3, float[] ys, int y, int stride) {
    FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0;
    for (int b = 0; b < blocks; b++) {
      FloatVector s = FloatVector.broadcast(F, Float.float16ToFloat(d[dO + b]));
      for (int c = b << 5, end = c + 32; c < end; c += L) {
        FloatVector w = ((FloatVector) ByteVector.fromArray(B, q, qo + c).convertShape(VectorOperators.B2F, F, 0))
            .mul(s);
        FloatVector xv = FloatVector.fromArray(F, xs, x0 + c);
        g0 = FMA ? w.fma(xv, g0) : w.mul(xv).add(g0);
        xv = FloatVector.fromArray(F, xs, x1 + c);
        g1 = FMA ? w.fma(xv, g1) : w.mul(xv).add(g1);
        xv = FloatVector.fromArray(F, xs, x2 + c);
        g2 = FMA ? w.fma(xv, g2) : w.mul(xv).add(g2);
        xv = FloatVector.fromArray(F, xs, x3 + c);
        g3 = FMA ? w.fma(xv, g3) : w.mul(xv).add(g3);
      }
    }
    // Four sums in one tree (FloatLanes): fewer permutes than four chains, for this
    // kernel, which is bound by its many short reductions rather than their latency.
    FloatVector ac = g0.blend(g2, UPPER_HALF).add(g2.blend(g0, UPPER_HALF).rearrange(HALF));
    FloatVector bd = g1.blend(g3, UPPER_HALF).add(g3.blend(g1, UPPER_HALF).rearrange(HALF));
    FloatVector sums = ac.blend(bd, UPPER_QUARTERS).add(bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER));
    sums = L >= 8 ? sums.add(sums.rearrange(EIGHTH)) : sums;
    sums = L >= 16 ? sums.add(sums.rearrange(SIXTEENTH)) : sums;
    ys[y] = sums.lane(0);
    ys[y + stride] = sums.lane(SECOND);
    ys[y + 2 * stride] = sums.lane(THIRD);
    ys[y + 3 * stride] = sums.lane(FOURTH);
  }

  /** {@link #row4Q8_0} on a Q4_0 row (element j in the low nibble of byte j, j + 16 in its high). */
  private static void row4Q4_0(byte[] q, int qo, short[] d, int dO, int blocks, float[] xs,
      int x0, int x1, int x2, int x3, float[] ys, int y, int stride) {
    FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0;
    for (int b = 0; b < blocks; b++) {
      FloatVector s = FloatVector.broadcast(F, Float.float16ToFloat(d[dO + b]));
      int qb = qo + b * Q4_0_BYTES, e = b << 5;
      for (int j = 0; j < 16; j += L) {
        IntVector p = (IntVector) ByteVector.fromArray(B, q, qb + j).convertShape(VectorOperators.B2I, I, 0);
        FloatVector wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(s);
        FloatVector wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(s);
        int lo = e + j, hi = e + 16 + j;
        g0 = FMA ? wh.fma(FloatVector.fromArray(F, xs, x0 + hi), wl.fma(FloatVector.fromArray(F, xs, x0 + lo), g0))
            : wh.mul(FloatVector.fromArray(F, xs, x0 + hi)).add(wl.mul(FloatVector.fromArray(F, xs, x0 + lo)).add(g0));
        g1 = FMA ? wh.fma(FloatVector.fromArray(F, xs, x1 + hi), wl.fma(FloatVector.fromArray(F, xs, x1 + lo), g1))
            : wh.mul(FloatVector.fromArray(F, xs, x1 + hi)).add(wl.mul(FloatVector.fromArray(F, xs, x1 + lo)).add(g1));
        g2 = FMA ? wh.fma(FloatVector.fromArray(F, xs, x2 + hi), wl.fma(FloatVector.fromArray(F, xs, x2 + lo), g2))
            : wh.mul(FloatVector.fromArray(F, xs, x2 + hi)).add(wl.mul(FloatVector.fromArray(F, xs, x2 + lo)).add(g2));
        g3 = FMA ? wh.fma(FloatVector.fromArray(F, xs, x3 + hi), wl.fma(FloatVector.fromArray(F, xs, x3 + lo), g3))
            : wh.mul(FloatVector.fromArray(F, xs, x3 + hi)).add(wl.mul(FloatVector.fromArray(F, xs, x3 + lo)).add(g3));
      }
    }
    // Four sums in one tree (FloatLanes): fewer permutes than four chains, for this
    // kernel, which is bound by its many short reductions rather than their latency.
    FloatVector ac = g0.blend(g2, UPPER_HALF).add(g2.blend(g0, UPPER_HALF).rearrange(HALF));
    FloatVector bd = g1.blend(g3, UPPER_HALF).add(g3.blend(g1, UPPER_HALF).rearrange(HALF));
    FloatVector sums = ac.blend(bd, UPPER_QUARTERS).add(bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER));
    sums = L >= 8 ? sums.add(sums.rearrange(EIGHTH)) : sums;
    sums = L >= 16 ? sums.add(sums.rearrange(SIXTEENTH)) : sums;
    ys[y] = sums.lane(0);
    ys[y + stride] = sums.lane(SECOND);
    ys[y + 2 * stride] = sums.lane(THIRD);
    ys[y + 3 * stride] = sums.lane(FOURTH);
  }

  @Override
  public void lowRankAddRowsQ8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in, int out,
      float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count) {
    lowRankAddRows(false, aq, ad, bq, bd, rank, in, out, scale, xs, xo, ys, yo, rows, ro, count);
  }

  @Override
  public void lowRankAddRowsQ4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int rank, int in, int out,
      float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro, int count) {
    lowRankAddRows(true, aq, ad, bq, bd, rank, in, out, scale, xs, xo, ys, yo, rows, ro, count);
  }

  /** Four rows at a time through the shared-widening kernels when the shape allows, then singly. */
  private void lowRankAddRows(boolean q4, byte[] aq, short[] ad, byte[] bq, short[] bd, int rank,
      int in, int out, float scale, float[] xs, int xo, float[] ys, int yo, int[] rows, int ro,
      int count) {
    int i = 0;
    if (SUPPORTED && (in & 31) == 0 && (out & 31) == 0) {
      for (; i + 4 <= count; i += 4) {
        int r0 = rows == null ? i : rows[ro + i], r1 = rows == null ? i + 1 : rows[ro + i + 1];
        int r2 = rows == null ? i + 2 : rows[ro + i + 2], r3 = rows == null ? i + 3 : rows[ro + i + 3];
        int x0 = xo + r0 * in, x1 = xo + r1 * in, x2 = xo + r2 * in, x3 = xo + r3 * in;
        int y0 = yo + r0 * out, y1 = yo + r1 * out, y2 = yo + r2 * out, y3 = yo + r3 * out;
        lowRankAdd4(q4, aq, ad, bq, bd, rank, in, out, scale, xs, x0, x1, x2, x3, ys, y0, y1, y2, y3);
      }
    }
    for (; i < count; i++) {
      int r = rows == null ? i : rows[ro + i];
      if (q4) {
        lowRankAddQ4_0(aq, ad, bq, bd, rank, in, out, scale, xs, xo + r * in, ys, yo + r * out);
      } else {
        lowRankAddQ8_0(aq, ad, bq, bd, rank, in, out, scale, xs, xo + r * in, ys, yo + r * out);
      }
    }
  }

  /**
   * The forward for four vectors at arbitrary offsets, {@code in} and {@code out} whole blocks: each
   * chunk of {@code A} and {@code Bt} is loaded, widened and multiplied by its block's scale once
   * (giving exactly the dequantized weight) and then serves the four vectors, two ranks per pass.
   * The widening, not the FMA, is what a quantized forward spends its time on, so sharing it is
   * the point. Q4_0: chunk {@code j} of a block's 16 bytes holds elements {@code j..} (low nibbles)
   * and {@code 16+j..} (high nibbles). The four outputs must not overlap. Each rank pair is a method
   * of its own: as one method the Q4_0 kernel outgrew C2's inlining budget and parts of it ran the
   * Vector API's Java fallback, a thousand times slower.
   */
  private void lowRankAdd4(boolean q4, byte[] aq, short[] ad, byte[] bq, short[] bd, int rank,
      int in, int out, float scale, float[] xs, int x0, int x1, int x2, int x3,
      float[] ys, int y0, int y1, int y2, int y3) {
    int ab = in >>> 5, bb = out >>> 5;
    int k = 0;
    for (; k + 2 <= rank; k += 2) {
      if (q4) {
        pair4Q4_0(aq, ad, bq, bd, k, ab, bb, scale, xs, x0, x1, x2, x3, ys, y0, y1, y2, y3);
      } else {
        pair4Q8_0(aq, ad, bq, bd, k, ab, bb, scale, xs, x0, x1, x2, x3, ys, y0, y1, y2, y3);
      }
    }
    if (k < rank) {
      if (q4) {
        one4Q4_0(aq, ad, bq, bd, k, ab, bb, scale, xs, x0, x1, x2, x3, ys, y0, y1, y2, y3);
      } else {
        one4Q8_0(aq, ad, bq, bd, k, ab, bb, scale, xs, x0, x1, x2, x3, ys, y0, y1, y2, y3);
      }
    }
  }

  /** Ranks {@code k} and {@code k+1} of {@link #lowRankAdd4}: one pass over each factor's two rows. */
  private void pair4Q8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int k, int ab, int bb,
      float scale, float[] xs, int x0, int x1, int x2, int x3, float[] ys, int y0, int y1, int y2, int y3) {
    int qa = k * ab * 32, qa1 = qa + ab * 32, da = k * ab;
    FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0, h0 = g0, h1 = g0, h2 = g0, h3 = g0;
    for (int b = 0; b < ab; b++) {
      FloatVector d0 = FloatVector.broadcast(F, Float.float16ToFloat(ad[da + b]));
      FloatVector d1 = FloatVector.broadcast(F, Float.float16ToFloat(ad[da + ab + b]));
      for (int c = b << 5, end = c + 32; c < end; c += L) {
        FloatVector w = ((FloatVector) ByteVector.fromArray(B, aq, qa + c).convertShape(VectorOperators.B2F, F, 0))
            .mul(d0);
        FloatVector v = ((FloatVector) ByteVector.fromArray(B, aq, qa1 + c)
            .convertShape(VectorOperators.B2F, F, 0)).mul(d1);
        FloatVector xv = FloatVector.fromArray(F, xs, x0 + c);
        g0 = FMA ? w.fma(xv, g0) : w.mul(xv).add(g0);
        h0 = FMA ? v.fma(xv, h0) : v.mul(xv).add(h0);
        xv = FloatVector.fromArray(F, xs, x1 + c);
        g1 = FMA ? w.fma(xv, g1) : w.mul(xv).add(g1);
        h1 = FMA ? v.fma(xv, h1) : v.mul(xv).add(h1);
        xv = FloatVector.fromArray(F, xs, x2 + c);
        g2 = FMA ? w.fma(xv, g2) : w.mul(xv).add(g2);
        h2 = FMA ? v.fma(xv, h2) : v.mul(xv).add(h2);
        xv = FloatVector.fromArray(F, xs, x3 + c);
        g3 = FMA ? w.fma(xv, g3) : w.mul(xv).add(g3);
        h3 = FMA ? v.fma(xv, h3) : v.mul(xv).add(h3);
      }
    }
    g0 = L == 16 ? (FloatVector) g0.add(g0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g0;
    g0 = L >= 8 ? (FloatVector) g0.add(g0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g0;
    g0 = g0.add(g0.rearrange(FOLD_128));
    FloatVector cg0 = FloatVector.broadcast(F, scale * (g0.lane(0) + g0.lane(1)));
    g1 = L == 16 ? (FloatVector) g1.add(g1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g1;
    g1 = L >= 8 ? (FloatVector) g1.add(g1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g1;
    g1 = g1.add(g1.rearrange(FOLD_128));
    FloatVector cg1 = FloatVector.broadcast(F, scale * (g1.lane(0) + g1.lane(1)));
    g2 = L == 16 ? (FloatVector) g2.add(g2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g2;
    g2 = L >= 8 ? (FloatVector) g2.add(g2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g2;
    g2 = g2.add(g2.rearrange(FOLD_128));
    FloatVector cg2 = FloatVector.broadcast(F, scale * (g2.lane(0) + g2.lane(1)));
    g3 = L == 16 ? (FloatVector) g3.add(g3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g3;
    g3 = L >= 8 ? (FloatVector) g3.add(g3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g3;
    g3 = g3.add(g3.rearrange(FOLD_128));
    FloatVector cg3 = FloatVector.broadcast(F, scale * (g3.lane(0) + g3.lane(1)));
    h0 = L == 16 ? (FloatVector) h0.add(h0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : h0;
    h0 = L >= 8 ? (FloatVector) h0.add(h0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : h0;
    h0 = h0.add(h0.rearrange(FOLD_128));
    FloatVector ch0 = FloatVector.broadcast(F, scale * (h0.lane(0) + h0.lane(1)));
    h1 = L == 16 ? (FloatVector) h1.add(h1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : h1;
    h1 = L >= 8 ? (FloatVector) h1.add(h1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : h1;
    h1 = h1.add(h1.rearrange(FOLD_128));
    FloatVector ch1 = FloatVector.broadcast(F, scale * (h1.lane(0) + h1.lane(1)));
    h2 = L == 16 ? (FloatVector) h2.add(h2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : h2;
    h2 = L >= 8 ? (FloatVector) h2.add(h2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : h2;
    h2 = h2.add(h2.rearrange(FOLD_128));
    FloatVector ch2 = FloatVector.broadcast(F, scale * (h2.lane(0) + h2.lane(1)));
    h3 = L == 16 ? (FloatVector) h3.add(h3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : h3;
    h3 = L >= 8 ? (FloatVector) h3.add(h3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : h3;
    h3 = h3.add(h3.rearrange(FOLD_128));
    FloatVector ch3 = FloatVector.broadcast(F, scale * (h3.lane(0) + h3.lane(1)));
    int qb = k * bb * 32, qb1 = qb + bb * 32, db = k * bb;
    for (int b = 0; b < bb; b++) {
      FloatVector e0 = FloatVector.broadcast(F, Float.float16ToFloat(bd[db + b]));
      FloatVector e1 = FloatVector.broadcast(F, Float.float16ToFloat(bd[db + bb + b]));
      for (int c = b << 5, end = c + 32; c < end; c += L) {
        FloatVector w = ((FloatVector) ByteVector.fromArray(B, bq, qb + c).convertShape(VectorOperators.B2F, F, 0))
            .mul(e0);
        FloatVector v = ((FloatVector) ByteVector.fromArray(B, bq, qb1 + c)
            .convertShape(VectorOperators.B2F, F, 0)).mul(e1);
        // The four rows are loaded before any is stored (4K aliasing, see PanamaKernels.lowRankAdd4).
        FloatVector u0 = FloatVector.fromArray(F, ys, y0 + c), u1 = FloatVector.fromArray(F, ys, y1 + c);
        FloatVector u2 = FloatVector.fromArray(F, ys, y2 + c), u3 = FloatVector.fromArray(F, ys, y3 + c);
        (FMA ? v.fma(ch0, w.fma(cg0, u0)) : v.mul(ch0).add(w.mul(cg0).add(u0))).intoArray(ys, y0 + c);
        (FMA ? v.fma(ch1, w.fma(cg1, u1)) : v.mul(ch1).add(w.mul(cg1).add(u1))).intoArray(ys, y1 + c);
        (FMA ? v.fma(ch2, w.fma(cg2, u2)) : v.mul(ch2).add(w.mul(cg2).add(u2))).intoArray(ys, y2 + c);
        (FMA ? v.fma(ch3, w.fma(cg3, u3)) : v.mul(ch3).add(w.mul(cg3).add(u3))).intoArray(ys, y3 + c);
      }
    }
  }

  /** The last rank {@code k} of an odd rank in {@link #lowRankAdd4}. */
  private void one4Q8_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int k, int ab, int bb,
      float scale, float[] xs, int x0, int x1, int x2, int x3, float[] ys, int y0, int y1, int y2, int y3) {
    int qa = k * ab * 32, da = k * ab;
    FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0;
    for (int b = 0; b < ab; b++) {
      FloatVector d0 = FloatVector.broadcast(F, Float.float16ToFloat(ad[da + b]));
      for (int c = b << 5, end = c + 32; c < end; c += L) {
        FloatVector w = ((FloatVector) ByteVector.fromArray(B, aq, qa + c).convertShape(VectorOperators.B2F, F, 0))
            .mul(d0);
        FloatVector xv = FloatVector.fromArray(F, xs, x0 + c);
        g0 = FMA ? w.fma(xv, g0) : w.mul(xv).add(g0);
        xv = FloatVector.fromArray(F, xs, x1 + c);
        g1 = FMA ? w.fma(xv, g1) : w.mul(xv).add(g1);
        xv = FloatVector.fromArray(F, xs, x2 + c);
        g2 = FMA ? w.fma(xv, g2) : w.mul(xv).add(g2);
        xv = FloatVector.fromArray(F, xs, x3 + c);
        g3 = FMA ? w.fma(xv, g3) : w.mul(xv).add(g3);
      }
    }
    g0 = L == 16 ? (FloatVector) g0.add(g0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g0;
    g0 = L >= 8 ? (FloatVector) g0.add(g0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g0;
    g0 = g0.add(g0.rearrange(FOLD_128));
    FloatVector cg0 = FloatVector.broadcast(F, scale * (g0.lane(0) + g0.lane(1)));
    g1 = L == 16 ? (FloatVector) g1.add(g1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g1;
    g1 = L >= 8 ? (FloatVector) g1.add(g1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g1;
    g1 = g1.add(g1.rearrange(FOLD_128));
    FloatVector cg1 = FloatVector.broadcast(F, scale * (g1.lane(0) + g1.lane(1)));
    g2 = L == 16 ? (FloatVector) g2.add(g2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g2;
    g2 = L >= 8 ? (FloatVector) g2.add(g2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g2;
    g2 = g2.add(g2.rearrange(FOLD_128));
    FloatVector cg2 = FloatVector.broadcast(F, scale * (g2.lane(0) + g2.lane(1)));
    g3 = L == 16 ? (FloatVector) g3.add(g3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g3;
    g3 = L >= 8 ? (FloatVector) g3.add(g3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g3;
    g3 = g3.add(g3.rearrange(FOLD_128));
    FloatVector cg3 = FloatVector.broadcast(F, scale * (g3.lane(0) + g3.lane(1)));
    int qb = k * bb * 32, db = k * bb;
    for (int b = 0; b < bb; b++) {
      FloatVector e0 = FloatVector.broadcast(F, Float.float16ToFloat(bd[db + b]));
      for (int c = b << 5, end = c + 32; c < end; c += L) {
        FloatVector w = ((FloatVector) ByteVector.fromArray(B, bq, qb + c).convertShape(VectorOperators.B2F, F, 0))
            .mul(e0);
        FloatVector u0 = FloatVector.fromArray(F, ys, y0 + c), u1 = FloatVector.fromArray(F, ys, y1 + c);
        FloatVector u2 = FloatVector.fromArray(F, ys, y2 + c), u3 = FloatVector.fromArray(F, ys, y3 + c);
        (FMA ? w.fma(cg0, u0) : w.mul(cg0).add(u0)).intoArray(ys, y0 + c);
        (FMA ? w.fma(cg1, u1) : w.mul(cg1).add(u1)).intoArray(ys, y1 + c);
        (FMA ? w.fma(cg2, u2) : w.mul(cg2).add(u2)).intoArray(ys, y2 + c);
        (FMA ? w.fma(cg3, u3) : w.mul(cg3).add(u3)).intoArray(ys, y3 + c);
      }
    }
  }

  /** {@link #pair4Q8_0} on Q4_0 blocks. */
  private void pair4Q4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int k, int ab, int bb,
      float scale, float[] xs, int x0, int x1, int x2, int x3, float[] ys, int y0, int y1, int y2, int y3) {
    int qa = k * ab * Q4_0_BYTES, qa1 = qa + ab * Q4_0_BYTES, da = k * ab;
    FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0, h0 = g0, h1 = g0, h2 = g0, h3 = g0;
    for (int b = 0; b < ab; b++) {
      FloatVector d0 = FloatVector.broadcast(F, Float.float16ToFloat(ad[da + b]));
      FloatVector d1 = FloatVector.broadcast(F, Float.float16ToFloat(ad[da + ab + b]));
      int qo = b * Q4_0_BYTES, e = b << 5;
      for (int j = 0; j < 16; j += L) {
        IntVector p = (IntVector) ByteVector.fromArray(B, aq, qa + qo + j).convertShape(VectorOperators.B2I, I, 0);
        IntVector r = (IntVector) ByteVector.fromArray(B, aq, qa1 + qo + j).convertShape(VectorOperators.B2I, I, 0);
        FloatVector wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d0);
        FloatVector vl = ((FloatVector) r.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d1);
        FloatVector wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(d0);
        FloatVector vh = ((FloatVector) r.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(d1);
        int lo = e + j, hi = e + 16 + j;
        FloatVector xl = FloatVector.fromArray(F, xs, x0 + lo), xh = FloatVector.fromArray(F, xs, x0 + hi);
        g0 = FMA ? wh.fma(xh, wl.fma(xl, g0)) : wh.mul(xh).add(wl.mul(xl).add(g0));
        h0 = FMA ? vh.fma(xh, vl.fma(xl, h0)) : vh.mul(xh).add(vl.mul(xl).add(h0));
        xl = FloatVector.fromArray(F, xs, x1 + lo);
        xh = FloatVector.fromArray(F, xs, x1 + hi);
        g1 = FMA ? wh.fma(xh, wl.fma(xl, g1)) : wh.mul(xh).add(wl.mul(xl).add(g1));
        h1 = FMA ? vh.fma(xh, vl.fma(xl, h1)) : vh.mul(xh).add(vl.mul(xl).add(h1));
        xl = FloatVector.fromArray(F, xs, x2 + lo);
        xh = FloatVector.fromArray(F, xs, x2 + hi);
        g2 = FMA ? wh.fma(xh, wl.fma(xl, g2)) : wh.mul(xh).add(wl.mul(xl).add(g2));
        h2 = FMA ? vh.fma(xh, vl.fma(xl, h2)) : vh.mul(xh).add(vl.mul(xl).add(h2));
        xl = FloatVector.fromArray(F, xs, x3 + lo);
        xh = FloatVector.fromArray(F, xs, x3 + hi);
        g3 = FMA ? wh.fma(xh, wl.fma(xl, g3)) : wh.mul(xh).add(wl.mul(xl).add(g3));
        h3 = FMA ? vh.fma(xh, vl.fma(xl, h3)) : vh.mul(xh).add(vl.mul(xl).add(h3));
      }
    }
    g0 = L == 16 ? (FloatVector) g0.add(g0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g0;
    g0 = L >= 8 ? (FloatVector) g0.add(g0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g0;
    g0 = g0.add(g0.rearrange(FOLD_128));
    FloatVector cg0 = FloatVector.broadcast(F, scale * (g0.lane(0) + g0.lane(1)));
    g1 = L == 16 ? (FloatVector) g1.add(g1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g1;
    g1 = L >= 8 ? (FloatVector) g1.add(g1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g1;
    g1 = g1.add(g1.rearrange(FOLD_128));
    FloatVector cg1 = FloatVector.broadcast(F, scale * (g1.lane(0) + g1.lane(1)));
    g2 = L == 16 ? (FloatVector) g2.add(g2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g2;
    g2 = L >= 8 ? (FloatVector) g2.add(g2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g2;
    g2 = g2.add(g2.rearrange(FOLD_128));
    FloatVector cg2 = FloatVector.broadcast(F, scale * (g2.lane(0) + g2.lane(1)));
    g3 = L == 16 ? (FloatVector) g3.add(g3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g3;
    g3 = L >= 8 ? (FloatVector) g3.add(g3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g3;
    g3 = g3.add(g3.rearrange(FOLD_128));
    FloatVector cg3 = FloatVector.broadcast(F, scale * (g3.lane(0) + g3.lane(1)));
    h0 = L == 16 ? (FloatVector) h0.add(h0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : h0;
    h0 = L >= 8 ? (FloatVector) h0.add(h0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : h0;
    h0 = h0.add(h0.rearrange(FOLD_128));
    FloatVector ch0 = FloatVector.broadcast(F, scale * (h0.lane(0) + h0.lane(1)));
    h1 = L == 16 ? (FloatVector) h1.add(h1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : h1;
    h1 = L >= 8 ? (FloatVector) h1.add(h1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : h1;
    h1 = h1.add(h1.rearrange(FOLD_128));
    FloatVector ch1 = FloatVector.broadcast(F, scale * (h1.lane(0) + h1.lane(1)));
    h2 = L == 16 ? (FloatVector) h2.add(h2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : h2;
    h2 = L >= 8 ? (FloatVector) h2.add(h2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : h2;
    h2 = h2.add(h2.rearrange(FOLD_128));
    FloatVector ch2 = FloatVector.broadcast(F, scale * (h2.lane(0) + h2.lane(1)));
    h3 = L == 16 ? (FloatVector) h3.add(h3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : h3;
    h3 = L >= 8 ? (FloatVector) h3.add(h3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : h3;
    h3 = h3.add(h3.rearrange(FOLD_128));
    FloatVector ch3 = FloatVector.broadcast(F, scale * (h3.lane(0) + h3.lane(1)));
    int qb = k * bb * Q4_0_BYTES, qb1 = qb + bb * Q4_0_BYTES, db = k * bb;
    for (int b = 0; b < bb; b++) {
      FloatVector e0 = FloatVector.broadcast(F, Float.float16ToFloat(bd[db + b]));
      FloatVector e1 = FloatVector.broadcast(F, Float.float16ToFloat(bd[db + bb + b]));
      int qo = b * Q4_0_BYTES, e = b << 5;
      for (int j = 0; j < 16; j += L) {
        IntVector p = (IntVector) ByteVector.fromArray(B, bq, qb + qo + j).convertShape(VectorOperators.B2I, I, 0);
        IntVector r = (IntVector) ByteVector.fromArray(B, bq, qb1 + qo + j).convertShape(VectorOperators.B2I, I, 0);
        FloatVector wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(e0);
        FloatVector vl = ((FloatVector) r.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(e1);
        FloatVector wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(e0);
        FloatVector vh = ((FloatVector) r.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(e1);
        int lo = e + j, hi = e + 16 + j;
        FloatVector yl0 = FloatVector.fromArray(F, ys, y0 + lo), yh0 = FloatVector.fromArray(F, ys, y0 + hi);
        FloatVector yl1 = FloatVector.fromArray(F, ys, y1 + lo), yh1 = FloatVector.fromArray(F, ys, y1 + hi);
        FloatVector yl2 = FloatVector.fromArray(F, ys, y2 + lo), yh2 = FloatVector.fromArray(F, ys, y2 + hi);
        FloatVector yl3 = FloatVector.fromArray(F, ys, y3 + lo), yh3 = FloatVector.fromArray(F, ys, y3 + hi);
        (FMA ? vl.fma(ch0, wl.fma(cg0, yl0)) : vl.mul(ch0).add(wl.mul(cg0).add(yl0))).intoArray(ys, y0 + lo);
        (FMA ? vh.fma(ch0, wh.fma(cg0, yh0)) : vh.mul(ch0).add(wh.mul(cg0).add(yh0))).intoArray(ys, y0 + hi);
        (FMA ? vl.fma(ch1, wl.fma(cg1, yl1)) : vl.mul(ch1).add(wl.mul(cg1).add(yl1))).intoArray(ys, y1 + lo);
        (FMA ? vh.fma(ch1, wh.fma(cg1, yh1)) : vh.mul(ch1).add(wh.mul(cg1).add(yh1))).intoArray(ys, y1 + hi);
        (FMA ? vl.fma(ch2, wl.fma(cg2, yl2)) : vl.mul(ch2).add(wl.mul(cg2).add(yl2))).intoArray(ys, y2 + lo);
        (FMA ? vh.fma(ch2, wh.fma(cg2, yh2)) : vh.mul(ch2).add(wh.mul(cg2).add(yh2))).intoArray(ys, y2 + hi);
        (FMA ? vl.fma(ch3, wl.fma(cg3, yl3)) : vl.mul(ch3).add(wl.mul(cg3).add(yl3))).intoArray(ys, y3 + lo);
        (FMA ? vh.fma(ch3, wh.fma(cg3, yh3)) : vh.mul(ch3).add(wh.mul(cg3).add(yh3))).intoArray(ys, y3 + hi);
      }
    }
  }

  /** {@link #one4Q8_0} on Q4_0 blocks. */
  private void one4Q4_0(byte[] aq, short[] ad, byte[] bq, short[] bd, int k, int ab, int bb,
      float scale, float[] xs, int x0, int x1, int x2, int x3, float[] ys, int y0, int y1, int y2, int y3) {
    int qa = k * ab * Q4_0_BYTES, da = k * ab;
    FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0;
    for (int b = 0; b < ab; b++) {
      FloatVector d0 = FloatVector.broadcast(F, Float.float16ToFloat(ad[da + b]));
      int qo = b * Q4_0_BYTES, e = b << 5;
      for (int j = 0; j < 16; j += L) {
        IntVector p = (IntVector) ByteVector.fromArray(B, aq, qa + qo + j).convertShape(VectorOperators.B2I, I, 0);
        FloatVector wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d0);
        FloatVector wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(d0);
        int lo = e + j, hi = e + 16 + j;
        g0 = FMA ? wh.fma(FloatVector.fromArray(F, xs, x0 + hi), wl.fma(FloatVector.fromArray(F, xs, x0 + lo), g0))
            : wh.mul(FloatVector.fromArray(F, xs, x0 + hi)).add(wl.mul(FloatVector.fromArray(F, xs, x0 + lo)).add(g0));
        g1 = FMA ? wh.fma(FloatVector.fromArray(F, xs, x1 + hi), wl.fma(FloatVector.fromArray(F, xs, x1 + lo), g1))
            : wh.mul(FloatVector.fromArray(F, xs, x1 + hi)).add(wl.mul(FloatVector.fromArray(F, xs, x1 + lo)).add(g1));
        g2 = FMA ? wh.fma(FloatVector.fromArray(F, xs, x2 + hi), wl.fma(FloatVector.fromArray(F, xs, x2 + lo), g2))
            : wh.mul(FloatVector.fromArray(F, xs, x2 + hi)).add(wl.mul(FloatVector.fromArray(F, xs, x2 + lo)).add(g2));
        g3 = FMA ? wh.fma(FloatVector.fromArray(F, xs, x3 + hi), wl.fma(FloatVector.fromArray(F, xs, x3 + lo), g3))
            : wh.mul(FloatVector.fromArray(F, xs, x3 + hi)).add(wl.mul(FloatVector.fromArray(F, xs, x3 + lo)).add(g3));
      }
    }
    g0 = L == 16 ? (FloatVector) g0.add(g0.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g0;
    g0 = L >= 8 ? (FloatVector) g0.add(g0.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g0;
    g0 = g0.add(g0.rearrange(FOLD_128));
    FloatVector cg0 = FloatVector.broadcast(F, scale * (g0.lane(0) + g0.lane(1)));
    g1 = L == 16 ? (FloatVector) g1.add(g1.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g1;
    g1 = L >= 8 ? (FloatVector) g1.add(g1.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g1;
    g1 = g1.add(g1.rearrange(FOLD_128));
    FloatVector cg1 = FloatVector.broadcast(F, scale * (g1.lane(0) + g1.lane(1)));
    g2 = L == 16 ? (FloatVector) g2.add(g2.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g2;
    g2 = L >= 8 ? (FloatVector) g2.add(g2.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g2;
    g2 = g2.add(g2.rearrange(FOLD_128));
    FloatVector cg2 = FloatVector.broadcast(F, scale * (g2.lane(0) + g2.lane(1)));
    g3 = L == 16 ? (FloatVector) g3.add(g3.rearrange(FOLD_512)).reinterpretShape(FloatVector.SPECIES_256, 0) : g3;
    g3 = L >= 8 ? (FloatVector) g3.add(g3.rearrange(FOLD_256)).reinterpretShape(FloatVector.SPECIES_128, 0) : g3;
    g3 = g3.add(g3.rearrange(FOLD_128));
    FloatVector cg3 = FloatVector.broadcast(F, scale * (g3.lane(0) + g3.lane(1)));
    int qb = k * bb * Q4_0_BYTES, db = k * bb;
    for (int b = 0; b < bb; b++) {
      FloatVector e0 = FloatVector.broadcast(F, Float.float16ToFloat(bd[db + b]));
      int qo = b * Q4_0_BYTES, e = b << 5;
      for (int j = 0; j < 16; j += L) {
        IntVector p = (IntVector) ByteVector.fromArray(B, bq, qb + qo + j).convertShape(VectorOperators.B2I, I, 0);
        FloatVector wl = ((FloatVector) p.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(e0);
        FloatVector wh = ((FloatVector) p.lanewise(VectorOperators.LSHR, 4).and(0x0F).sub(8)
            .convert(VectorOperators.I2F, 0)).mul(e0);
        int lo = e + j, hi = e + 16 + j;
        FloatVector yl0 = FloatVector.fromArray(F, ys, y0 + lo), yh0 = FloatVector.fromArray(F, ys, y0 + hi);
        FloatVector yl1 = FloatVector.fromArray(F, ys, y1 + lo), yh1 = FloatVector.fromArray(F, ys, y1 + hi);
        FloatVector yl2 = FloatVector.fromArray(F, ys, y2 + lo), yh2 = FloatVector.fromArray(F, ys, y2 + hi);
        FloatVector yl3 = FloatVector.fromArray(F, ys, y3 + lo), yh3 = FloatVector.fromArray(F, ys, y3 + hi);
        (FMA ? wl.fma(cg0, yl0) : wl.mul(cg0).add(yl0)).intoArray(ys, y0 + lo);
        (FMA ? wh.fma(cg0, yh0) : wh.mul(cg0).add(yh0)).intoArray(ys, y0 + hi);
        (FMA ? wl.fma(cg1, yl1) : wl.mul(cg1).add(yl1)).intoArray(ys, y1 + lo);
        (FMA ? wh.fma(cg1, yh1) : wh.mul(cg1).add(yh1)).intoArray(ys, y1 + hi);
        (FMA ? wl.fma(cg2, yl2) : wl.mul(cg2).add(yl2)).intoArray(ys, y2 + lo);
        (FMA ? wh.fma(cg2, yh2) : wh.mul(cg2).add(yh2)).intoArray(ys, y2 + hi);
        (FMA ? wl.fma(cg3, yl3) : wl.mul(cg3).add(yl3)).intoArray(ys, y3 + lo);
        (FMA ? wh.fma(cg3, yh3) : wh.mul(cg3).add(yh3)).intoArray(ys, y3 + hi);
      }
    }
  }
}
