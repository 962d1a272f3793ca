package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.identity.SignatureVerifier;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signed envelopes: sealing (encode + Ed25519 sign) and opening (decode + verify + replay check),
 * against Bouncy Castle's raw {@code Ed25519.verify} of the very same bytes as the baseline.
 *
 * <p>Every decoded frame must be new to the decoder (a replay is rejected before verification,
 * which would measure the wrong thing), so the state pre-signs {@value #FRAMES} distinct frames and
 * every benchmark cycles through them; when the decoder has seen them all it is replaced by a fresh
 * one sharing the same {@link SignatureVerifier} (once per {@value #FRAMES} operations). The
 * baselines read the same frames in the same order, so memory effects are the same.
 *
 * <p>Each method returns its result, so nothing is dead code (JMH sample 08); there are no loops
 * inside a benchmark method (sample 11).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EnvelopeBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EnvelopeBenchmark {
  static final int FRAMES = 1 << 14;

  @Param({"64", "1024"})
  int payloadSize;

  private final VirtualClock clock = new VirtualClock();
  private EnvelopeSender sender;
  private byte[] payload;
  private byte[] buffer;
  private byte[][] frames;
  private Ed25519.PublicPoint publicPoint;
  private SignatureVerifier verifier;
  private EnvelopeLimits limits;
  private EnvelopeDecoder decoder;
  private int next;

  @Setup
  public void setUp() {
    NodeIdentity identity = NodeIdentity.generate(RandomSource.seeded(1));
    sender = EnvelopeSender.create(identity, clock, 1);
    payload = new byte[payloadSize];
    RandomSource.seeded(2).nextBytes(payload);
    buffer = new byte[EnvelopeSender.frameLength(payloadSize)];
    frames = new byte[FRAMES][];
    EnvelopeSender framer = EnvelopeSender.create(identity, clock, 1);
    for (int i = 0; i < FRAMES; i++) {
      frames[i] = framer.encode(7, payload);
    }
    publicPoint = Ed25519.validatePublicKeyPartialExport(identity.id().toBytes(), 0);
    verifier = SignatureVerifier.create(1024);
    limits = EnvelopeLimits.defaults();
    decoder = EnvelopeDecoder.create(clock, limits, verifier);
  }

  private byte[] nextFrame() {
    byte[] frame = frames[next];
    if (++next == FRAMES) {
      next = 0;
    }
    return frame;
  }

  /** Seal into a new array: header, payload copy, signature. */
  @Benchmark
  public byte[] encodeAndSign() {
    return sender.encode(7, payload);
  }

  /** Seal into a reused buffer: no allocation by edgenet. */
  @Benchmark
  public int encodeAndSignInto() {
    return sender.encodeInto(7, payload, 0, payload.length, buffer, 0);
  }

  /** Open: size checks, freshness, replay pre-check, verification (cached key), replay record. */
  @Benchmark
  public Envelope decodeAndVerify() throws EnvelopeException {
    if (next == 0) {
      decoder = EnvelopeDecoder.create(clock, limits, verifier); // all frames seen: start over
    }
    return decoder.decode(nextFrame());
  }

  /** Baseline: Bouncy Castle verifying the same signed bytes, decoding the key every time. */
  @Benchmark
  public boolean rawBouncyCastleVerify() {
    byte[] frame = nextFrame();
    int signed = frame.length - 64;
    return Ed25519.verify(frame, signed, frame, 6, frame, 0, signed);
  }

  /** Lower bound: Bouncy Castle verifying with the key already decoded. */
  @Benchmark
  public boolean bouncyCastleVerifyPrecomputedKey() {
    byte[] frame = nextFrame();
    int signed = frame.length - 64;
    return Ed25519.verify(frame, signed, publicPoint, frame, 0, signed);
  }
}
