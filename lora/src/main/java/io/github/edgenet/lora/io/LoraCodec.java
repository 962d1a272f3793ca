package io.github.edgenet.lora.io;

import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.io.LoraCodecException.Reason;
import io.github.edgenet.lora.quant.QuantizedLora;
import io.github.edgenet.lora.quant.QuantizedMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A versioned binary format for {@link MicroLora} (f32) and {@link QuantizedLora} (Q8_0, Q4_0)
 * adapters, with a CRC32C over everything.
 *
 * <pre>{@code
 * byte[] bytes = LoraCodec.encode(adapter);
 * try {
 *   LoraAdapter back = LoraCodec.decode(bytes); // same class, format, shape, alpha, weights
 * } catch (LoraCodecException e) {
 *   log(e.reason());                            // TRUNCATED, CHECKSUM_MISMATCH, ...
 * }
 * }</pre>
 *
 * <p><b>Layout</b> (version 1). Integers are big-endian; {@code P} is the payload length.
 *
 * <pre>
 * offset  bytes  field
 *      0      4  magic: the ASCII bytes "ELRA" (0x45 0x4C 0x52 0x41)
 *      4      2  version: 1
 *      6      1  weight format: 0 = F32, 1 = Q8_0, 2 = Q4_0
 *      7      1  scaling rule: 0 = STANDARD (alpha / rank), 1 = RANK_STABILIZED (alpha / sqrt(rank))
 *      8      4  inputDim, 1..65536
 *     12      4  outputDim, 1..65536
 *     16      4  rank, 1..16
 *     20      4  alpha: IEEE 754 binary32 bits, finite and &gt; 0
 *     24      4  P: payload length in bytes; must equal the length implied by the fields above
 *     28      P  payload: A (rank x inputDim), then Bt (B transposed, rank x outputDim)
 *   28+P      4  CRC32C (Castagnoli) of bytes [0, 28+P)
 * </pre>
 *
 * <p>Payload: for F32, the weights of {@code A} row by row, then those of {@code Bt}, each as 4
 * big-endian bytes of its raw IEEE bits ({@code P = 4 rank (inputDim + outputDim)}). For Q8_0 and
 * Q4_0, the two matrices in ggml's own block layout, {@link QuantizedMatrix#toGgml()}, copied
 * verbatim: per row {@code ceil(cols/32)} blocks of a half-float scale (little-endian, as in a
 * GGUF file) and 32 (Q8_0) or 16 (Q4_0) bytes of codes ({@code P = format.bytesFor(rank,
 * inputDim) + format.bytesFor(rank, outputDim)}). The scale {@code alpha -> scale} is not stored:
 * it is {@code scaling.scale(alpha, rank)}, as for the adapter that was encoded. The largest
 * encoding (F32, rank 16, both dimensions 65536) is 8 MiB + 32 bytes.
 *
 * <p><b>Decoding is for untrusted input.</b> Checks run in this order, and the first that fails
 * throws {@link LoraCodecException} with its {@link Reason}: enough bytes for the magic, the
 * magic, the version, enough bytes for the header, every header value, the payload length field
 * against the length the header implies, the total length (shorter: {@code TRUNCATED}, longer:
 * {@code LENGTH_MISMATCH}), the checksum, then every weight (non-finite floats or block scales).
 * All lengths are computed and checked before anything proportional to them is allocated, so a
 * header that claims huge dimensions costs nothing; a successful decode allocates about three
 * times the input size. No other exception escapes a decode (besides {@link IOException} from a
 * stream).
 *
 * <p>Thread-safety: stateless, all methods may be called from any thread. Encoding a
 * {@link MicroLora} that is being trained encodes one consistent {@link MicroLora#snapshot()}.
 */
public final class LoraCodec {
  /** The first four bytes of every encoding, ASCII {@code "ELRA"}. */
  public static final int MAGIC = 0x454C5241;

  /** The format version this class writes, and the only one it reads. */
  public static final int VERSION = 1;

  /** Bytes before the payload. */
  public static final int HEADER_BYTES = 28;

  /** The first buffer a stream decode fills; it doubles until it holds the announced length. */
  private static final int FIRST_CHUNK_BYTES = 8 << 10;

  /** Bytes of the trailing checksum. */
  public static final int CHECKSUM_BYTES = 4;

  /** Largest {@code inputDim} and {@code outputDim} the format accepts. */
  public static final int MAX_DIMENSION = 65536;

  private static final int MAX_RANK = MicroLora.MAX_RANK;
  private static final WeightFormat[] FORMATS = {WeightFormat.F32, WeightFormat.Q8_0, WeightFormat.Q4_0};
  private static final LoraScaling[] SCALINGS = {LoraScaling.STANDARD, LoraScaling.RANK_STABILIZED};
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

  private LoraCodec() {}

  /**
   * Encodes {@code adapter}: a {@link MicroLora} as F32, a {@link QuantizedLora} in its own block
   * format.
   *
   * @param adapter the adapter to encode
   * @return a new array of {@code 32 + P} bytes (see the layout above)
   * @throws IllegalArgumentException if the adapter is of another class, or a dimension exceeds
   *     {@value #MAX_DIMENSION}
   */
  public static byte[] encode(LoraAdapter adapter) {
    Objects.requireNonNull(adapter, "adapter");
    return switch (adapter) {
      case MicroLora lora -> encodeF32(lora.snapshot());
      case QuantizedLora lora -> encodeQuantized(lora);
      default -> throw new IllegalArgumentException(
          "only MicroLora and QuantizedLora can be encoded, not " + adapter.getClass().getName());
    };
  }

  /**
   * Writes {@link #encode(LoraAdapter)} to {@code out} (not flushed, not closed).
   *
   * @param adapter the adapter to encode
   * @param out where the encoding is written
   * @throws IllegalArgumentException as {@link #encode(LoraAdapter)}
   * @throws IOException from the stream
   */
  public static void encode(LoraAdapter adapter, OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    out.write(encode(adapter));
  }

  /**
   * Decodes one adapter from exactly the bytes of {@code bytes} (nothing may follow it).
   *
   * @param bytes the encoding, untrusted; not kept
   * @return a {@link MicroLora} for F32, a {@link QuantizedLora} for Q8_0 and Q4_0, whose forward
   *     pass is bit for bit the encoded adapter's
   * @throws LoraCodecException if the bytes are not a valid encoding; nothing else is thrown for
   *     bad bytes
   */
  public static LoraAdapter decode(byte[] bytes) throws LoraCodecException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < 4) {
      throw new LoraCodecException(Reason.TRUNCATED, bytes.length + " bytes, the magic alone is 4");
    }
    Header header = header(bytes, bytes.length);
    long total = header.totalBytes();
    if (bytes.length < total) {
      throw new LoraCodecException(
          Reason.TRUNCATED, "the header announces " + total + " bytes, got " + bytes.length);
    }
    if (bytes.length > total) {
      throw new LoraCodecException(Reason.LENGTH_MISMATCH,
          "the header announces " + total + " bytes, got " + bytes.length);
    }
    return body(header, bytes);
  }

  /**
   * Reads one adapter from {@code in}: exactly its bytes and no more, so several encodings may
   * follow one another in a stream. The header is read and checked first; nothing more is read
   * unless its announced length is at most {@code maxBytes}. The buffer then grows in doubling
   * chunks (from 8 KiB) as the bytes really arrive, so a truncated
   * stream whose header claims a large adapter costs about twice the bytes it held, not the claim.
   *
   * @param in the stream, untrusted; read up to the encoding's end
   * @param maxBytes the largest encoding accepted, in bytes (at least {@code 32})
   * @return the decoded adapter: a {@link MicroLora} for F32, a {@link QuantizedLora} otherwise
   * @throws LoraCodecException if the stream ends early ({@code TRUNCATED}), the announced length
   *     exceeds {@code maxBytes} ({@code LENGTH_OVER_LIMIT}) or the bytes are not a valid encoding
   * @throws IOException from the stream
   * @throws IllegalArgumentException if {@code maxBytes < 32}
   */
  public static LoraAdapter decode(InputStream in, int maxBytes)
      throws IOException, LoraCodecException {
    Objects.requireNonNull(in, "in");
    if (maxBytes < HEADER_BYTES + CHECKSUM_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes must be >= " + (HEADER_BYTES + CHECKSUM_BYTES) + ", was " + maxBytes);
    }
    byte[] head = in.readNBytes(HEADER_BYTES);
    if (head.length < 4) {
      throw new LoraCodecException(
          Reason.TRUNCATED, "the stream ended after " + head.length + " bytes, the magic alone is 4");
    }
    Header header = header(head, head.length);
    long total = header.totalBytes();
    if (total > maxBytes) {
      throw new LoraCodecException(Reason.LENGTH_OVER_LIMIT,
          "the header announces " + total + " bytes, the limit is " + maxBytes);
    }
    // Grow the buffer as bytes arrive (doubling from FIRST_CHUNK_BYTES): a header that lies about
    // the length of a truncated stream costs a chunk, not the announced length.
    int length = (int) total;
    byte[] bytes = Arrays.copyOf(head, Math.min(length, FIRST_CHUNK_BYTES));
    int filled = HEADER_BYTES;
    while (true) {
      filled += in.readNBytes(bytes, filled, bytes.length - filled);
      if (filled < bytes.length) {
        throw new LoraCodecException(Reason.TRUNCATED,
            "the header announces " + total + " bytes, the stream ended after " + filled);
      }
      if (filled == length) {
        return body(header, bytes);
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
    }
  }

  // --- encoding ----------------------------------------------------------------------------------

  private static byte[] encodeF32(MicroLora lora) {
    checkEncodable(lora);
    FloatBuffer a = lora.viewA();
    FloatBuffer bt = lora.viewBTransposed();
    long payload = 4L * (a.remaining() + bt.remaining());
    byte[] out = newEncoding(lora, WeightFormat.F32, lora.alpha(), lora.scaling(), payload);
    // A big-endian float view copies the raw bits (NaN payloads included; there are none).
    FloatBuffer weights = ByteBuffer.wrap(out, HEADER_BYTES, (int) payload).slice().asFloatBuffer();
    weights.put(a).put(bt);
    return seal(out);
  }

  private static byte[] encodeQuantized(QuantizedLora lora) {
    checkEncodable(lora);
    byte[] a = lora.a().toGgml();
    byte[] bt = lora.bTransposed().toGgml();
    byte[] out = newEncoding(lora, lora.format(), lora.alpha(), lora.scaling(), (long) a.length + bt.length);
    System.arraycopy(a, 0, out, HEADER_BYTES, a.length);
    System.arraycopy(bt, 0, out, HEADER_BYTES + a.length, bt.length);
    return seal(out);
  }

  private static void checkEncodable(LoraAdapter adapter) {
    if (adapter.inputDim() > MAX_DIMENSION || adapter.outputDim() > MAX_DIMENSION) {
      throw new IllegalArgumentException("dimensions must be <= " + MAX_DIMENSION + " to encode, were "
          + adapter.inputDim() + " -> " + adapter.outputDim());
    }
  }

  private static byte[] newEncoding(
      LoraAdapter adapter, WeightFormat format, float alpha, LoraScaling scaling, long payload) {
    byte[] out = new byte[Math.toIntExact(HEADER_BYTES + payload + CHECKSUM_BYTES)];
    INT.set(out, 0, MAGIC);
    SHORT.set(out, 4, (short) VERSION);
    out[6] = (byte) format.ordinal();
    out[7] = (byte) scaling.ordinal();
    INT.set(out, 8, adapter.inputDim());
    INT.set(out, 12, adapter.outputDim());
    INT.set(out, 16, adapter.rank());
    INT.set(out, 20, Float.floatToRawIntBits(alpha));
    INT.set(out, 24, (int) payload);
    return out;
  }

  private static byte[] seal(byte[] out) {
    int end = out.length - CHECKSUM_BYTES;
    INT.set(out, end, crc(out, end));
    return out;
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  // --- decoding ----------------------------------------------------------------------------------

  /** The checked header fields. */
  private record Header(
      WeightFormat format, LoraScaling scaling, int inputDim, int outputDim, int rank, float alpha,
      int payloadBytes) {
    long totalBytes() {
      return (long) HEADER_BYTES + payloadBytes + CHECKSUM_BYTES;
    }
  }

  /** Parses and checks the header from the first {@code available} (at least 4) bytes. */
  private static Header header(byte[] bytes, int available) throws LoraCodecException {
    int magic = (int) INT.get(bytes, 0);
    if (magic != MAGIC) {
      throw new LoraCodecException(
          Reason.BAD_MAGIC, "expected 0x" + Integer.toHexString(MAGIC) + ", got 0x" + Integer.toHexString(magic));
    }
    if (available < 6) {
      throw new LoraCodecException(Reason.TRUNCATED, available + " bytes, the version ends at 6");
    }
    int version = Short.toUnsignedInt((short) SHORT.get(bytes, 4));
    if (version != VERSION) {
      throw new LoraCodecException(
          Reason.UNSUPPORTED_VERSION, "version " + version + ", this library reads " + VERSION);
    }
    if (available < HEADER_BYTES) {
      throw new LoraCodecException(
          Reason.TRUNCATED, available + " bytes, the header is " + HEADER_BYTES);
    }
    int formatCode = Byte.toUnsignedInt(bytes[6]);
    if (formatCode >= FORMATS.length) {
      throw new LoraCodecException(Reason.BAD_HEADER_VALUE, "unknown weight format " + formatCode);
    }
    int scalingCode = Byte.toUnsignedInt(bytes[7]);
    if (scalingCode >= SCALINGS.length) {
      throw new LoraCodecException(Reason.BAD_HEADER_VALUE, "unknown scaling rule " + scalingCode);
    }
    int inputDim = checkDimension("inputDim", (int) INT.get(bytes, 8));
    int outputDim = checkDimension("outputDim", (int) INT.get(bytes, 12));
    int rank = (int) INT.get(bytes, 16);
    if (rank < 1 || rank > MAX_RANK) {
      throw new LoraCodecException(
          Reason.BAD_HEADER_VALUE, "rank must be in 1.." + MAX_RANK + ", was " + rank);
    }
    float alpha = Float.intBitsToFloat((int) INT.get(bytes, 20));
    if (!(Float.isFinite(alpha) && alpha > 0f)) {
      throw new LoraCodecException(
          Reason.BAD_HEADER_VALUE, "alpha must be finite and > 0, was " + alpha);
    }
    WeightFormat format = FORMATS[formatCode];
    long expected = format.bytesFor(rank, inputDim) + format.bytesFor(rank, outputDim);
    long declared = Integer.toUnsignedLong((int) INT.get(bytes, 24));
    if (declared != expected) {
      throw new LoraCodecException(Reason.LENGTH_MISMATCH, "the payload length field says "
          + declared + " bytes, a " + inputDim + " -> " + outputDim + " rank " + rank + " " + format
          + " adapter has " + expected);
    }
    return new Header(
        format, SCALINGS[scalingCode], inputDim, outputDim, rank, alpha, (int) expected);
  }

  private static int checkDimension(String name, int value) throws LoraCodecException {
    if (value < 1 || value > MAX_DIMENSION) {
      throw new LoraCodecException(Reason.BAD_HEADER_VALUE,
          name + " must be in 1.." + MAX_DIMENSION + ", was " + Integer.toUnsignedString(value));
    }
    return value;
  }

  /** Checks the checksum and the weights of an encoding whose length matches its header. */
  private static LoraAdapter body(Header h, byte[] bytes) throws LoraCodecException {
    int end = bytes.length - CHECKSUM_BYTES;
    int stored = (int) INT.get(bytes, end);
    int actual = crc(bytes, end);
    if (stored != actual) {
      throw new LoraCodecException(Reason.CHECKSUM_MISMATCH, "stored 0x" + Integer.toHexString(stored)
          + ", computed 0x" + Integer.toHexString(actual));
    }
    if (h.format() == WeightFormat.F32) {
      float[] a = readFloats(bytes, HEADER_BYTES, h.rank() * h.inputDim(), "A");
      float[] bt = readFloats(bytes, HEADER_BYTES + 4 * a.length, h.rank() * h.outputDim(), "Bt");
      return MicroLora.ofWeights(h.inputDim(), h.outputDim(), h.rank(), h.alpha(), h.scaling(), a, bt);
    }
    int aBytes = (int) h.format().bytesFor(h.rank(), h.inputDim());
    int btBytes = h.payloadBytes() - aBytes;
    QuantizedMatrix a = readBlocks(bytes, HEADER_BYTES, aBytes, h.rank(), h.inputDim(), h.format(), "A");
    QuantizedMatrix bt =
        readBlocks(bytes, HEADER_BYTES + aBytes, btBytes, h.rank(), h.outputDim(), h.format(), "Bt");
    return QuantizedLora.of(a, bt, h.alpha(), h.scaling());
  }

  private static float[] readFloats(byte[] bytes, int offset, int count, String name)
      throws LoraCodecException {
    float[] w = new float[count];
    ByteBuffer.wrap(bytes, offset, 4 * count).slice().asFloatBuffer().get(w);
    for (int i = 0; i < count; i++) {
      if (!Float.isFinite(w[i])) {
        throw new LoraCodecException(Reason.NON_FINITE_WEIGHT, name + "[" + i + "] is " + w[i]);
      }
    }
    return w;
  }

  private static QuantizedMatrix readBlocks(
      byte[] bytes, int offset, int length, int rows, int cols, WeightFormat format, String name)
      throws LoraCodecException {
    int blockBytes = (int) format.bytesFor(1, WeightFormat.BLOCK_SIZE);
    for (int o = 0, b = 0; o < length; o += blockBytes, b++) {
      // ggml stores the half-float scale little-endian at the start of each block.
      short half = (short) ((bytes[offset + o] & 0xFF) | (bytes[offset + o + 1] << 8));
      if (!Float.isFinite(Float.float16ToFloat(half))) {
        throw new LoraCodecException(Reason.NON_FINITE_WEIGHT, name + " block " + b
            + " has a non-finite scale (half bits 0x" + Integer.toHexString(half & 0xFFFF) + ")");
      }
    }
    return QuantizedMatrix.fromGgml(Arrays.copyOfRange(bytes, offset, offset + length), rows, cols, format);
  }
}
