package io.github.edgenet.lora.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.Allocations;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.io.LoraCodecException.Reason;
import io.github.edgenet.lora.quant.QuantizedLora;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LoraCodecTest {
  static MicroLora randomLora(RandomSource r, int in, int out, int rank, float alpha, LoraScaling s) {
    float[] a = new float[rank * in];
    float[] bt = new float[rank * out];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (r.nextGaussian() / Math.sqrt(in));
    }
    for (int i = 0; i < bt.length; i++) {
      bt[i] = (float) r.nextGaussian();
    }
    if (a.length > 1) {
      a[1] = -0.0f; // signed zero and a subnormal survive bit for bit
      a[0] = Float.MIN_VALUE;
    }
    return MicroLora.ofWeights(in, out, rank, alpha, s, a, bt);
  }

  static LoraAdapter adapter(RandomSource r, WeightFormat format, int in, int out, int rank) {
    LoraScaling scaling = r.nextBoolean() ? LoraScaling.STANDARD : LoraScaling.RANK_STABILIZED;
    MicroLora f32 = randomLora(r, in, out, rank, 0.5f + 16 * r.nextFloat(), scaling);
    return format == WeightFormat.F32 ? f32 : QuantizedLora.quantize(f32, format);
  }

  /** Forward outputs of both adapters on the same inputs, compared bit for bit. */
  static void assertSameForward(LoraAdapter expected, LoraAdapter actual, RandomSource r) {
    for (int t = 0; t < 3; t++) {
      float[] x = new float[expected.inputDim()];
      float[] y0 = new float[expected.outputDim()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      for (int i = 0; i < y0.length; i++) {
        y0[i] = (float) r.nextGaussian();
      }
      float[] y1 = y0.clone();
      expected.forward(x, y0);
      actual.forward(x, y1);
      for (int i = 0; i < y0.length; i++) {
        assertEquals(Float.floatToRawIntBits(y0[i]), Float.floatToRawIntBits(y1[i]), "y[" + i + "]");
      }
    }
  }

  static void assertSameAdapter(LoraAdapter expected, LoraAdapter actual) {
    assertEquals(expected.getClass(), actual.getClass());
    assertEquals(expected.format(), actual.format());
    assertEquals(expected.inputDim(), actual.inputDim());
    assertEquals(expected.outputDim(), actual.outputDim());
    assertEquals(expected.rank(), actual.rank());
    assertEquals(Float.floatToRawIntBits(expected.scale()), Float.floatToRawIntBits(actual.scale()));
    assertEquals(expected.weightBytes(), actual.weightBytes());
    if (expected instanceof MicroLora e && actual instanceof MicroLora a) {
      assertEquals(e.alpha(), a.alpha());
      assertEquals(e.scaling(), a.scaling());
      assertArrayEquals(bits(e.viewA()), bits(a.viewA()));
      assertArrayEquals(bits(e.viewBTransposed()), bits(a.viewBTransposed()));
    } else if (expected instanceof QuantizedLora e && actual instanceof QuantizedLora a) {
      assertEquals(e.alpha(), a.alpha());
      assertEquals(e.scaling(), a.scaling());
      assertArrayEquals(e.a().toGgml(), a.a().toGgml());
      assertArrayEquals(e.bTransposed().toGgml(), a.bTransposed().toGgml());
    }
  }

  static int[] bits(FloatBuffer view) {
    int[] out = new int[view.remaining()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.floatToRawIntBits(view.get(i));
    }
    return out;
  }

  static Stream<Arguments> shapes() {
    int[][] dims = {{1, 1, 1}, {31, 33, 3}, {32, 32, 16}, {65, 7, 5}, {100, 257, 8}, {1, 300, 2}};
    return Stream.of(WeightFormat.values())
        .flatMap(f -> Arrays.stream(dims).map(d -> Arguments.of(f, d[0], d[1], d[2])));
  }

  @ParameterizedTest(name = "{0} {1}->{2} rank {3}")
  @MethodSource("shapes")
  void roundTripKeepsEveryBitAndEveryOutput(WeightFormat format, int in, int out, int rank)
      throws Exception {
    RandomSource r = RandomSource.seeded(31L * in + 7L * out + rank + format.ordinal());
    LoraAdapter original = adapter(r, format, in, out, rank);
    byte[] bytes = LoraCodec.encode(original);
    assertEquals(LoraCodec.HEADER_BYTES + LoraCodec.CHECKSUM_BYTES
        + format.bytesFor(rank, in) + format.bytesFor(rank, out), bytes.length);

    LoraAdapter decoded = LoraCodec.decode(bytes);
    assertSameAdapter(original, decoded);
    assertSameForward(original, decoded, r);
    assertArrayEquals(bytes, LoraCodec.encode(decoded), "re-encoding gives the same bytes");

    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    LoraCodec.encode(original, stream);
    assertArrayEquals(bytes, stream.toByteArray());
  }

  @Test
  void streamsReadExactlyOneEncodingAtATime() throws Exception {
    RandomSource r = RandomSource.seeded(5);
    LoraAdapter[] adapters = {
      adapter(r, WeightFormat.Q4_0, 40, 24, 3), adapter(r, WeightFormat.F32, 9, 5, 2),
      adapter(r, WeightFormat.Q8_0, 64, 1, 1)
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (LoraAdapter a : adapters) {
      LoraCodec.encode(a, out);
    }
    out.write(42); // a trailing byte that belongs to the next record
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    for (LoraAdapter a : adapters) {
      LoraAdapter back = LoraCodec.decode(in, 1 << 20);
      assertSameAdapter(a, back);
      assertSameForward(a, back, r);
    }
    assertEquals(42, in.read());
  }

  /** The layout the javadoc documents, checked byte by byte with an independent CRC32C. */
  @Test
  void layoutIsTheDocumentedOne() throws Exception {
    MicroLora lora = MicroLora.ofWeights(
        2, 1, 1, 3f, LoraScaling.RANK_STABILIZED, new float[] {0.5f, -2f}, new float[] {1.25f});
    byte[] bytes = LoraCodec.encode(lora);
    String header = "454c5241" + "0001" + "00" + "01" + "00000002" + "00000001" + "00000001"
        + "40400000" + "0000000c";
    String payload = "3f000000" + "c0000000" + "3fa00000";
    byte[] body = HexFormat.of().parseHex(header + payload);
    assertEquals(body.length + 4, bytes.length);
    assertArrayEquals(body, Arrays.copyOf(bytes, body.length));
    assertEquals(crc32c(body, body.length), ByteBuffer.wrap(bytes, body.length, 4).getInt());

    QuantizedLora q = QuantizedLora.quantize(lora, WeightFormat.Q8_0);
    byte[] qBytes = LoraCodec.encode(q);
    assertEquals(1, qBytes[6], "format code of Q8_0");
    assertEquals(34 + 34, ByteBuffer.wrap(qBytes, 24, 4).getInt(), "one block per factor row");
    assertArrayEquals(q.a().toGgml(), Arrays.copyOfRange(qBytes, 28, 28 + 34), "ggml blocks verbatim");
    assertEquals(2, LoraCodec.encode(QuantizedLora.quantize(lora, WeightFormat.Q4_0))[6]);
  }

  /** Bitwise CRC32C (Castagnoli, reflected polynomial 0x82F63B78), independent of java.util.zip. */
  static int crc32c(byte[] bytes, int length) {
    int crc = ~0;
    for (int i = 0; i < length; i++) {
      crc ^= bytes[i] & 0xFF;
      for (int k = 0; k < 8; k++) {
        crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
      }
    }
    return ~crc;
  }

  // --- untrusted input ---------------------------------------------------------------------------

  static Reason reasonOf(byte[] bytes) {
    return assertThrows(LoraCodecException.class, () -> LoraCodec.decode(bytes)).reason();
  }

  /** Writes a big-endian int at {@code offset} and recomputes the checksum. */
  static byte[] patch(byte[] bytes, int offset, int value) {
    byte[] out = bytes.clone();
    ByteBuffer.wrap(out).putInt(offset, value);
    return reseal(out);
  }

  static byte[] reseal(byte[] out) {
    ByteBuffer.wrap(out).putInt(out.length - 4, crc32c(out, out.length - 4));
    return out;
  }

  static long allocatedBytes() {
    return Allocations.current();
  }

  @Test
  void everyHeaderFieldIsChecked() {
    byte[] good = LoraCodec.encode(adapter(RandomSource.seeded(1), WeightFormat.F32, 20, 12, 2));
    assertEquals(Reason.BAD_MAGIC, reasonOf(patch(good, 0, 0x454C5242)));
    byte[] version = good.clone();
    version[5] = 2;
    assertEquals(Reason.UNSUPPORTED_VERSION, reasonOf(reseal(version)));
    byte[] format = good.clone();
    format[6] = 3;
    assertEquals(Reason.BAD_HEADER_VALUE, reasonOf(reseal(format)));
    byte[] scaling = good.clone();
    scaling[7] = (byte) 0xFF;
    assertEquals(Reason.BAD_HEADER_VALUE, reasonOf(reseal(scaling)));
    for (int bad : new int[] {0, -1, 65537, Integer.MIN_VALUE}) {
      assertEquals(Reason.BAD_HEADER_VALUE, reasonOf(patch(good, 8, bad)), "inputDim " + bad);
      assertEquals(Reason.BAD_HEADER_VALUE, reasonOf(patch(good, 12, bad)), "outputDim " + bad);
    }
    for (int bad : new int[] {0, 17, -3}) {
      assertEquals(Reason.BAD_HEADER_VALUE, reasonOf(patch(good, 16, bad)), "rank " + bad);
    }
    for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, -0f}) {
      assertEquals(Reason.BAD_HEADER_VALUE,
          reasonOf(patch(good, 20, Float.floatToRawIntBits(bad))), "alpha " + bad);
    }
    assertEquals(Reason.LENGTH_MISMATCH, reasonOf(patch(good, 24, 4 * 2 * (20 + 12) + 4)));
    assertEquals(Reason.LENGTH_MISMATCH, reasonOf(patch(good, 16, 1)), "rank 1 implies less");
    assertEquals(Reason.LENGTH_MISMATCH, reasonOf(Arrays.copyOf(good, good.length + 1)));
    byte[] flipped = good.clone();
    flipped[40] ^= 1;
    assertEquals(Reason.CHECKSUM_MISMATCH, reasonOf(flipped));
  }

  @ParameterizedTest
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void nonFiniteWeightsAreRejectedEvenWithAValidChecksum(float bad) {
    byte[] good = LoraCodec.encode(adapter(RandomSource.seeded(2), WeightFormat.F32, 3, 4, 2));
    int lastBtWeight = good.length - 8;
    assertEquals(Reason.NON_FINITE_WEIGHT, reasonOf(patch(good, lastBtWeight, Float.floatToRawIntBits(bad))));
    assertEquals(Reason.NON_FINITE_WEIGHT, reasonOf(patch(good, 28, Float.floatToRawIntBits(bad))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Q8_0", "Q4_0"})
  void nonFiniteBlockScalesAreRejected(String name) {
    WeightFormat format = WeightFormat.valueOf(name);
    byte[] good = LoraCodec.encode(adapter(RandomSource.seeded(3), format, 40, 8, 2));
    int blockBytes = (int) format.bytesFor(1, 32);
    for (int halfBits : new int[] {0x7C00, 0xFC00, 0x7E00}) { // +Inf, -Inf, NaN, little-endian
      byte[] bad = good.clone();
      int secondBlock = 28 + blockBytes;
      bad[secondBlock] = (byte) halfBits;
      bad[secondBlock + 1] = (byte) (halfBits >>> 8);
      assertEquals(Reason.NON_FINITE_WEIGHT, reasonOf(reseal(bad)));
    }
  }

  /** A 32-byte input whose header claims the largest adapter allocates nothing like its size. */
  @Test
  void aHugeClaimCostsNothing() throws Exception {
    Allocations.assumeSupported();
    ByteBuffer header = ByteBuffer.allocate(32);
    header.putInt(LoraCodec.MAGIC).putShort((short) 1).put((byte) 0).put((byte) 0)
        .putInt(65536).putInt(65536).putInt(16).putFloat(16f).putInt(16 * (65536 + 65536) * 4);
    byte[] claim = header.array();
    for (int warm = 0; warm < 3; warm++) {
      decodeMeasured(claim);
    }
    Outcome o = decodeMeasured(claim);
    assertEquals(Reason.TRUNCATED, o.reason());
    assertTrue(o.allocated() < 16 << 10, "decoding a false claim allocated " + o.allocated() + " bytes");

    for (int warm = 0; warm < 3; warm++) {
      streamMeasured(claim, 1 << 20);
    }
    Outcome s = streamMeasured(claim, 1 << 20);
    assertEquals(Reason.LENGTH_OVER_LIMIT, s.reason());
    assertTrue(s.allocated() < 16 << 10, "a stream over the limit allocated " + s.allocated() + " bytes");

    // Within the limit, the stream reads in growing chunks: the 8 MiB claim on 32 real bytes
    // costs the first chunk (8 KiB), not the claim (reading it all at once allocated 8 MiB).
    for (int warm = 0; warm < 3; warm++) {
      streamMeasured(claim, 9 << 20);
    }
    Outcome t = streamMeasured(claim, 9 << 20);
    assertEquals(Reason.TRUNCATED, t.reason());
    assertTrue(t.allocated() < 64 << 10, "a truncated 8 MiB claim allocated " + t.allocated() + " bytes");

    // With 1 MiB of the claim really there, memory follows the bytes that arrived: the doubling
    // buffers sum to under four times the bytes read, half of the claim.
    byte[] part = Arrays.copyOf(claim, (1 << 20) + 100);
    streamMeasured(part, 9 << 20);
    Outcome p = streamMeasured(part, 9 << 20);
    assertEquals(Reason.TRUNCATED, p.reason());
    assertTrue(p.allocated() < 5L * part.length, "1 MiB of a claimed 8 MiB allocated " + p.allocated());
  }

  /** Encodings larger than the first chunk round-trip through the growing buffer, any cut fails. */
  @ParameterizedTest
  @ValueSource(strings = {"F32", "Q8_0", "Q4_0"})
  void streamsLargerThanOneChunkRoundTrip(String name) throws Exception {
    RandomSource r = RandomSource.seeded(21);
    LoraAdapter big = adapter(r, WeightFormat.valueOf(name), 4000, 3000, 16);
    byte[] bytes = LoraCodec.encode(big);
    assertTrue(bytes.length > 3 * (8 << 10), name + " encoding of " + bytes.length + " bytes");
    ByteArrayOutputStream twice = new ByteArrayOutputStream();
    twice.write(bytes);
    twice.write(bytes);
    ByteArrayInputStream in = new ByteArrayInputStream(twice.toByteArray());
    for (int i = 0; i < 2; i++) {
      LoraAdapter back = LoraCodec.decode(in, bytes.length);
      assertSameAdapter(big, back);
    }
    assertEquals(-1, in.read());
    for (int cut : new int[] {8 << 10, (8 << 10) + 1, 16 << 10, bytes.length - 1}) {
      LoraCodecException e = assertThrows(LoraCodecException.class,
          () -> LoraCodec.decode(new ByteArrayInputStream(Arrays.copyOf(bytes, cut)), bytes.length));
      assertEquals(Reason.TRUNCATED, e.reason(), "cut at " + cut);
    }
  }

  /** The reason of a failed decode (null if it succeeded) and the bytes the decode allocated. */
  record Outcome(Reason reason, long allocated) {}

  static Outcome decodeMeasured(byte[] input) {
    long before = allocatedBytes();
    try {
      LoraCodec.decode(input);
      return new Outcome(null, allocatedBytes() - before);
    } catch (LoraCodecException e) {
      long allocated = allocatedBytes() - before;
      return new Outcome(e.reason(), allocated);
    }
  }

  static Outcome streamMeasured(byte[] input, int maxBytes) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    long before = allocatedBytes();
    try {
      LoraCodec.decode(in, maxBytes);
      return new Outcome(null, allocatedBytes() - before);
    } catch (LoraCodecException e) {
      long allocated = allocatedBytes() - before;
      return new Outcome(e.reason(), allocated);
    }
  }

  static Stream<Arguments> fuzzSeeds() {
    return Stream.of(11L, 12L, 13L).flatMap(
        seed -> Stream.of(WeightFormat.values()).map(f -> Arguments.of(seed, f)));
  }

  /**
   * Every truncation and every single-byte corruption of a valid encoding, plus random garbage,
   * gives a {@link LoraCodecException} (never another exception) and allocates at most a few times
   * the input size.
   */
  @ParameterizedTest(name = "seed {0} {1}")
  @MethodSource("fuzzSeeds")
  void truncationsAndCorruptionsGiveTypedErrors(long seed, WeightFormat format) throws Exception {
    System.out.println("LoraCodecTest fuzz seed " + seed + " " + format);
    RandomSource r = RandomSource.seeded(seed);
    LoraAdapter original = adapter(r, format, 1 + r.nextInt(70), 1 + r.nextInt(70), 1 + r.nextInt(16));
    byte[] good = LoraCodec.encode(original);
    boolean measure = Allocations.supported();
    long bound = 4L * good.length + (16 << 10);
    byte[] flips = new byte[good.length];
    for (int i = 0; i < flips.length; i++) {
      flips[i] = (byte) (1 + r.nextInt(255));
    }

    // Two passes over the same inputs; allocations are checked on the second, after every error
    // path has run once (the first run of a string concatenation site links it, which allocates).
    for (int pass = 0; pass < 2; pass++) {
      boolean check = measure && pass == 1;
      for (int length = 0; length < good.length; length++) {
        Outcome o = decodeMeasured(Arrays.copyOf(good, length));
        assertEquals(Reason.TRUNCATED, o.reason(), "seed " + seed + ", truncated to " + length);
        assertTrue(!check || o.allocated() < bound, "truncated to " + length + ": " + o.allocated());
        if (pass == 0) {
          byte[] cut = Arrays.copyOf(good, length);
          LoraCodecException s = assertThrows(LoraCodecException.class,
              () -> LoraCodec.decode(new ByteArrayInputStream(cut), 1 << 20));
          assertEquals(Reason.TRUNCATED, s.reason(), "stream truncated to " + length);
        }
      }
      for (int position = 0; position < good.length; position++) {
        byte[] bad = good.clone();
        bad[position] ^= flips[position];
        Outcome o = decodeMeasured(bad);
        assertTrue(o.reason() != null, "seed " + seed + ", byte " + position + " corrupted: decoded");
        assertTrue(!check || o.allocated() < bound, "byte " + position + ": " + o.allocated());
        if (position < 4) {
          assertEquals(Reason.BAD_MAGIC, o.reason());
        } else if (position < 6) {
          assertEquals(Reason.UNSUPPORTED_VERSION, o.reason());
        }
      }
    }
    for (int trial = 0; trial < 300; trial++) {
      byte[] garbage = new byte[r.nextInt(2 * good.length)];
      r.nextBytes(garbage);
      if (garbage.length >= 6 && r.nextBoolean()) { // get past magic and version half the time
        System.arraycopy(good, 0, garbage, 0, 6 + r.nextInt(Math.min(garbage.length, 28) - 5));
      }
      try {
        LoraCodec.decode(garbage);
        throw new AssertionError("seed " + seed + ": garbage decoded, trial " + trial);
      } catch (LoraCodecException expected) {
        // the only acceptable outcome
      }
    }
    // The typed errors were checked; the allocation bounds only with the counter: else, skipped.
    assumeTrue(measure, "per-thread allocation counting unavailable: allocation bounds not checked");
  }

  @Test
  void encodingRejectsWhatTheFormatCannotHold() {
    MicroLora wide = MicroLora.builder(65537, 1).rank(1).seed(1).build();
    assertThrows(IllegalArgumentException.class, () -> LoraCodec.encode(wide));
    LoraAdapter foreign = new LoraAdapter() {
      @Override public int inputDim() { return 1; }
      @Override public int outputDim() { return 1; }
      @Override public int rank() { return 1; }
      @Override public float scale() { return 1; }
      @Override public WeightFormat format() { return WeightFormat.F32; }
      @Override public long weightBytes() { return 8; }
      @Override public void forward(float[] x, int xo, float[] y, int yo) {}
      @Override public void forwardBatch(float[] xs, int xo, float[] ys, int yo, int batch) {}
      @Override public float[] deltaWeight() { return new float[1]; }
    };
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LoraCodec.encode(foreign));
    assertTrue(e.getMessage().contains("MicroLora"), e.getMessage());
    assertThrows(NullPointerException.class, () -> LoraCodec.encode(null));
    assertThrows(IllegalArgumentException.class,
        () -> LoraCodec.decode(new ByteArrayInputStream(new byte[0]), 31));
  }

  @Test
  void ioErrorsOfTheStreamPropagateAsIoErrors() {
    java.io.InputStream broken = new java.io.InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk gone");
      }
    };
    assertThrows(IOException.class, () -> LoraCodec.decode(broken, 1 << 20));
  }

  @Test
  void decodedQuantizedAdaptersAreQuantized() throws Exception {
    LoraAdapter q = adapter(RandomSource.seeded(9), WeightFormat.Q4_0, 33, 65, 4);
    assertInstanceOf(QuantizedLora.class, LoraCodec.decode(LoraCodec.encode(q)));
  }
}
