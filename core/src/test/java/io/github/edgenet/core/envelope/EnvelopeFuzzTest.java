package io.github.edgenet.core.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.EnvelopeException.Reason;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.testing.Allocations;
import io.github.edgenet.core.testing.SeededCases;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fuzzing of the decoder: whatever the bytes, the only outcome of a bad frame is an {@link
 * EnvelopeException} (no other exception, no error, no big allocation). Each failure message starts
 * with the seed; rerun one case with {@code -Dtest=EnvelopeFuzzTest}.
 */
class EnvelopeFuzzTest {
  /** Generous bound for one rejected decode; allocating a claimed payload would be gigabytes. */
  private static final long MAX_ALLOCATION_PER_REJECTION = 1 << 20;

  static Stream<Long> seeds() {
    return SeededCases.seeds(1, 6);
  }

  private final VirtualClock clock = new VirtualClock();

  /** Decodes {@code frame}, which must be rejected; returns the reason. */
  private static Reason rejected(long seed, String what, EnvelopeDecoder decoder, byte[] frame) {
    long before = Allocations.current();
    try {
      Envelope accepted = decoder.decode(frame);
      fail("seed=" + seed + " " + what + ": accepted " + accepted);
      return null;
    } catch (EnvelopeException e) {
      long allocated = Allocations.current() - before;
      if (allocated > MAX_ALLOCATION_PER_REJECTION) {
        fail(
            "seed="
                + seed
                + " "
                + what
                + ": rejecting allocated "
                + allocated
                + " bytes ("
                + e
                + ")");
      }
      return e.reason();
    } catch (Throwable t) {
      throw new AssertionError("seed=" + seed + " " + what + ": not an EnvelopeException: " + t, t);
    }
  }

  private long nextSequence = 1;

  /** A valid frame with a random payload and type; sequence numbers increase from 1. */
  private byte[] validFrame(RandomSource random, NodeIdentity signer, int maxPayload) {
    byte[] payload = new byte[random.nextInt(maxPayload + 1)];
    random.nextBytes(payload);
    return Frames.build(
        signer, random.nextInt(65536), nextSequence++, clock.epochMillis(), payload);
  }

  /** Random bytes, sometimes with a valid magic, version, length field and timestamp. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomBytesAreRejected(long seed) {
    RandomSource random =
        SeededCases.random("EnvelopeFuzzTest.randomBytesAreRejected", seed);
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    for (int i = 0; i < 3000; i++) {
      int length = random.nextBoolean() ? random.nextInt(200) : random.nextInt(5000);
      byte[] frame = new byte[length];
      random.nextBytes(frame);
      int shape = random.nextInt(4);
      if (shape >= 1 && length >= 4) {
        frame[0] = 'E';
        frame[1] = 'N';
        frame[2] = 'V';
        frame[3] = 1;
      }
      if (shape >= 2 && length >= 122) {
        Frames.putInt(frame, 54, length - 122);
      }
      if (shape >= 3 && length >= 122) {
        Frames.putLong(frame, 46, clock.epochMillis() - random.nextInt(1000));
      }
      Reason reason =
          rejected(
              seed,
              "random frame " + i + " of " + length + " bytes, shape " + shape,
              decoder,
              frame);
      if (shape == 3 && length >= 122) {
        assertEquals(Reason.BAD_SIGNATURE, reason, "seed=" + seed + " frame " + i);
      }
    }
    assertEquals(0, decoder.trackedPeers(), "seed=" + seed + ": garbage created replay state");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyTruncationIsRejected(long seed) throws Exception {
    RandomSource random =
        SeededCases.random("EnvelopeFuzzTest.everyTruncationIsRejected", seed);
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    NodeIdentity signer = NodeIdentity.generate(random);
    for (int round = 0; round < 3; round++) {
      byte[] frame = validFrame(random, signer, 300);
      for (int length = 0; length < frame.length; length++) {
        Reason reason =
            rejected(
                seed,
                "prefix of " + length + "/" + frame.length,
                decoder,
                Arrays.copyOf(frame, length));
        assertEquals(
            Reason.TRUNCATED, reason, "seed=" + seed + " prefix of " + length + "/" + frame.length);
      }
      decoder.decode(frame); // the decoder is intact, and the frame was never seen
    }
  }

  /** Every single-bit flip of a valid frame is rejected, and leaves the decoder unchanged. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everySingleBitFlipIsRejected(long seed) throws Exception {
    RandomSource random =
        SeededCases.random("EnvelopeFuzzTest.everySingleBitFlipIsRejected", seed);
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    NodeIdentity signer = NodeIdentity.generate(random);
    byte[] frame = validFrame(random, signer, 40);
    for (int bit = 0; bit < frame.length * 8; bit++) {
      byte[] bad = frame.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      rejected(seed, "bit " + bit + " of " + frame.length + " bytes flipped", decoder, bad);
    }
    assertEquals(0, decoder.trackedPeers(), "seed=" + seed);
    decoder.decode(frame);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void multipleBitFlipsAreRejected(long seed) throws Exception {
    RandomSource random =
        SeededCases.random("EnvelopeFuzzTest.multipleBitFlipsAreRejected", seed);
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    NodeIdentity signer = NodeIdentity.generate(random);
    for (int i = 0; i < 300; i++) {
      byte[] frame = validFrame(random, signer, 200);
      byte[] bad = frame.clone();
      int flips = 2 + random.nextInt(15);
      StringBuilder bits = new StringBuilder();
      for (int f = 0; f < flips; f++) {
        int bit = random.nextInt(frame.length * 8);
        bad[bit / 8] ^= (byte) (1 << (bit % 8));
        bits.append(bit).append(' ');
      }
      if (!Arrays.equals(bad, frame)) { // two flips of the same bit cancel out
        rejected(seed, "frame " + i + " with bits flipped: " + bits, decoder, bad);
      }
    }
  }

  /**
   * Payload length fields claiming up to 4 GiB, in small frames, with valid signatures over the
   * lie: rejected, under the default limits and under the loosest limits there are, and the
   * rejection allocates almost nothing.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void hugeLengthFieldsAllocateNothing(long seed) {
    assumeTrue(Allocations.supported(), "per-thread allocation counting");
    RandomSource random =
        SeededCases.random("EnvelopeFuzzTest.hugeLengthFieldsAllocateNothing", seed);
    NodeIdentity signer = NodeIdentity.generate(random);
    EnvelopeDecoder strict = EnvelopeDecoder.create(clock);
    EnvelopeDecoder loose =
        EnvelopeDecoder.create(
            clock, EnvelopeLimits.builder().maxPayloadBytes(EnvelopeLimits.MAX_PAYLOAD).build());
    long[] claims = {
      1L << 30, // 1 GiB
      Integer.MAX_VALUE,
      Integer.MAX_VALUE - 122L,
      EnvelopeLimits.MAX_PAYLOAD,
      1L << 31,
      0xFFFF_FFFFL,
      (1L << 20) + 1, // one byte over the default limit
      random.nextLong() >>> 32,
    };
    for (long claim : claims) {
      byte[] frame = validFrame(random, signer, 64);
      Frames.putInt(frame, 54, (int) claim);
      Frames.resign(frame, signer);
      for (EnvelopeDecoder decoder : new EnvelopeDecoder[] {strict, loose}) {
        boolean isLoose = decoder == loose;
        String what =
            "payload length " + claim + (isLoose ? " (loose limits)" : " (default limits)");
        for (int warm = 0; warm < 3; warm++) {
          rejected(seed, what, decoder, frame);
        }
        long before = Allocations.current();
        Reason reason = rejected(seed, what, decoder, frame);
        long allocated = Allocations.current() - before;
        assertTrue(
            allocated < 16 * 1024,
            "seed=" + seed + " " + what + ": allocated " + allocated + " bytes");
        Reason expected =
            !isLoose || claim > EnvelopeLimits.MAX_PAYLOAD
                ? Reason.LENGTH_OVER_LIMIT
                : Reason.TRUNCATED;
        assertEquals(expected, reason, "seed=" + seed + " " + what);
      }
    }
  }
}
