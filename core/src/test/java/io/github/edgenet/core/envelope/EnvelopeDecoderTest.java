package io.github.edgenet.core.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.EnvelopeException.Reason;
import io.github.edgenet.core.identity.NodeIdentity;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeDecoderTest {
  private final VirtualClock clock = new VirtualClock();
  private final NodeIdentity alice = NodeIdentity.generate(RandomSource.seeded(21));
  private final NodeIdentity bob = NodeIdentity.generate(RandomSource.seeded(22));

  private static EnvelopeException rejected(EnvelopeDecoder decoder, byte[] frame) {
    try {
      Envelope accepted = decoder.decode(frame);
      fail("accepted " + accepted);
      return null;
    } catch (EnvelopeException e) {
      return e;
    }
  }

  private static Reason reason(EnvelopeDecoder decoder, byte[] frame) {
    return rejected(decoder, frame).reason();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 63, 1000})
  void roundTrip(int payloadLength) throws Exception {
    EnvelopeSender sender = EnvelopeSender.create(alice, clock, 7);
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    byte[] payload = new byte[payloadLength];
    RandomSource.seeded(payloadLength).nextBytes(payload);

    byte[] frame = sender.encode(65535, payload);
    Envelope envelope = decoder.decode(frame);

    assertEquals(EnvelopeSender.frameLength(payloadLength), frame.length);
    assertEquals(122 + payloadLength, frame.length);
    assertEquals(65535, envelope.type());
    assertEquals(alice.id(), envelope.sender());
    assertEquals(7, envelope.sequence());
    assertEquals(clock.epochMillis(), envelope.timestampMillis());
    assertEquals(payloadLength, envelope.payloadLength());
    assertArrayEquals(payload, envelope.payloadBytes());
    ByteBuffer view = envelope.payload();
    assertTrue(view.isReadOnly());
    assertEquals(payloadLength, view.remaining());
    Arrays.fill(frame, (byte) 0);
    assertArrayEquals(payload, envelope.payloadBytes(), "the envelope owns its payload");
    assertEquals(8, sender.nextSequence());
  }

  /** The encoder writes exactly the documented layout; a hand-built frame decodes. */
  @Test
  void frameLayoutIsTheDocumentedOne() throws Exception {
    EnvelopeSender sender = EnvelopeSender.create(alice, clock, 0x0102030405060708L);
    byte[] payload = {10, 20, 30};
    byte[] frame = sender.encode(0xBEEF, payload);

    byte[] byHand = Frames.build(alice, 0xBEEF, 0x0102030405060708L, clock.epochMillis(), payload);
    assertArrayEquals(byHand, frame, "Ed25519 is deterministic: same bytes, same signature");
    assertEquals("454e5601", java.util.HexFormat.of().formatHex(frame, 0, 4));
    assertEquals("beef", java.util.HexFormat.of().formatHex(frame, 4, 6));
    assertEquals(alice.id().toHex(), java.util.HexFormat.of().formatHex(frame, 6, 38));
    assertEquals("0102030405060708", java.util.HexFormat.of().formatHex(frame, 38, 46));
    assertEquals(clock.epochMillis(), ByteBuffer.wrap(frame).getLong(46));
    assertEquals(3, ByteBuffer.wrap(frame).getInt(54));
    assertTrue(NodeIdentity.verify(alice.id(), frame, 0, 61, frame, 61));
    assertEquals(0xBEEF, EnvelopeDecoder.create(clock).decode(byHand).type());
  }

  @Test
  void encodeIntoWritesAtOffsetsAndAcceptsThePayloadInPlace() throws Exception {
    byte[] payload = "in place".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] expected = EnvelopeSender.create(alice, clock, 5).encode(3, payload);

    byte[] buffer = new byte[10 + expected.length + 10];
    System.arraycopy(payload, 0, buffer, 10 + 58, payload.length); // already where it belongs
    int n =
        EnvelopeSender.create(alice, clock, 5)
            .encodeInto(3, buffer, 68, payload.length, buffer, 10);
    assertEquals(expected.length, n);
    assertArrayEquals(expected, Arrays.copyOfRange(buffer, 10, 10 + n));

    Envelope envelope = EnvelopeDecoder.create(clock).decode(buffer, 10, n);
    assertEquals(
        "in place", new String(envelope.payloadBytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void replayIsRejected() throws Exception {
    EnvelopeSender sender = EnvelopeSender.create(alice, clock, 1);
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    byte[] frame = sender.encode(1, new byte[] {1});
    decoder.decode(frame);
    EnvelopeException e = rejected(decoder, frame);
    assertEquals(Reason.REPLAYED, e.reason());
    assertTrue(e.getMessage().contains("sequence 1 from " + alice.id()), e.getMessage());
  }

  @Test
  void outOfOrderWithinTheWindowIsAcceptedOnce() throws Exception {
    EnvelopeSender sender = EnvelopeSender.create(alice, clock, 10);
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    byte[][] frames = new byte[5][];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = sender.encode(1, new byte[] {(byte) i}); // sequences 10..14
    }
    for (int i : new int[] {4, 0, 2, 1, 3}) {
      assertEquals(10 + i, decoder.decode(frames[i]).sequence());
    }
    for (byte[] frame : frames) {
      assertEquals(Reason.REPLAYED, reason(decoder, frame));
    }
  }

  /** The window covers the highest sequence and the W - 1 below it, no more. */
  @Test
  void olderThanTheWindowIsRejected() throws Exception {
    EnvelopeLimits limits = EnvelopeLimits.builder().replayWindow(64).build();
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock, limits);
    long now = clock.epochMillis();
    decoder.decode(Frames.build(alice, 1, 1000, now, new byte[0]));

    assertEquals(937, decoder.decode(Frames.build(alice, 1, 937, now, new byte[0])).sequence());
    EnvelopeException e = rejected(decoder, Frames.build(alice, 1, 936, now, new byte[0]));
    assertEquals(Reason.BEHIND_WINDOW, e.reason());
    assertTrue(e.getMessage().contains("936") && e.getMessage().contains("64"), e.getMessage());
    assertEquals(
        Reason.BEHIND_WINDOW, reason(decoder, Frames.build(alice, 1, 0, now, new byte[0])));

    // A big jump forward clears the window: everything 64 or more below the new top is behind.
    decoder.decode(Frames.build(alice, 1, 100_000, now, new byte[0]));
    assertEquals(
        Reason.BEHIND_WINDOW, reason(decoder, Frames.build(alice, 1, 1001, now, new byte[0])));
    assertEquals(
        99_999, decoder.decode(Frames.build(alice, 1, 99_999, now, new byte[0])).sequence());
  }

  /** Sequence numbers are unsigned 64-bit: 2^64 - 1 is the highest, and works. */
  @Test
  void sequenceNumbersAreUnsigned() throws Exception {
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    long now = clock.epochMillis();
    decoder.decode(Frames.build(alice, 1, Long.MAX_VALUE, now, new byte[0]));
    assertEquals(-2L, decoder.decode(Frames.build(alice, 1, -2L, now, new byte[0])).sequence());
    assertEquals(-1L, decoder.decode(Frames.build(alice, 1, -1L, now, new byte[0])).sequence());
    assertEquals(Reason.REPLAYED, reason(decoder, Frames.build(alice, 1, -1L, now, new byte[0])));
    assertEquals(-3L, decoder.decode(Frames.build(alice, 1, -3L, now, new byte[0])).sequence());
    assertEquals(
        Reason.BEHIND_WINDOW,
        reason(decoder, Frames.build(alice, 1, Long.MAX_VALUE, now, new byte[0])));
  }

  /** A frame with a bad signature changes nothing: not the window, not the table of peers. */
  @Test
  void badSignatureLeavesReplayStateUnchanged() throws Exception {
    EnvelopeLimits limits = EnvelopeLimits.builder().replayWindow(64).build();
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock, limits);
    long now = clock.epochMillis();
    decoder.decode(Frames.build(alice, 1, 100, now, new byte[0]));

    byte[] forged = Frames.build(alice, 1, 1_000_000, now, new byte[0]);
    forged[forged.length - 1] ^= 1;
    assertEquals(Reason.BAD_SIGNATURE, reason(decoder, forged));
    byte[] unsigned = Frames.build(alice, 1, 101, now, new byte[0]);
    Arrays.fill(unsigned, unsigned.length - 64, unsigned.length, (byte) 0);
    assertEquals(Reason.BAD_SIGNATURE, reason(decoder, unsigned));
    byte[] mallory = Frames.build(bob, 1, 5, now, new byte[0]);
    Frames.putLong(mallory, 38, 6); // sequence edited after signing
    assertEquals(Reason.BAD_SIGNATURE, reason(decoder, mallory));

    ReplayWindow window = decoder.replayGuard().windowOf(alice.id());
    assertEquals(100, window.highest(), "forgery must not advance the window");
    assertEquals(1, decoder.trackedPeers(), "forgery must not create a window");
    // So 50 (inside the window of 100, far behind the forged 1_000_000) is still accepted,
    // and so are the sequence numbers the forgeries used.
    assertEquals(50, decoder.decode(Frames.build(alice, 1, 50, now, new byte[0])).sequence());
    assertEquals(101, decoder.decode(Frames.build(alice, 1, 101, now, new byte[0])).sequence());
    assertEquals(6, decoder.decode(Frames.build(bob, 1, 6, now, new byte[0])).sequence());
  }

  @Test
  void staleAndFutureTimestampsAreRejected() throws Exception {
    EnvelopeLimits limits =
        EnvelopeLimits.builder()
            .maxAge(Duration.ofSeconds(60))
            .maxFutureSkew(Duration.ofSeconds(5))
            .build();
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock, limits);
    long now = clock.epochMillis();

    assertEquals(
        1, decoder.decode(Frames.build(alice, 1, 1, now - 60_000, new byte[0])).sequence());
    EnvelopeException old = rejected(decoder, Frames.build(alice, 1, 2, now - 60_001, new byte[0]));
    assertEquals(Reason.TOO_OLD, old.reason());
    assertTrue(old.getMessage().contains(Long.toString(now - 60_001)), old.getMessage());

    assertEquals(3, decoder.decode(Frames.build(alice, 1, 3, now + 5_000, new byte[0])).sequence());
    assertEquals(
        Reason.FROM_THE_FUTURE,
        reason(decoder, Frames.build(alice, 1, 4, now + 5_001, new byte[0])));
    assertEquals(
        Reason.TOO_OLD, reason(decoder, Frames.build(alice, 1, 5, Long.MIN_VALUE, new byte[0])));
    assertEquals(
        Reason.FROM_THE_FUTURE,
        reason(decoder, Frames.build(alice, 1, 6, Long.MAX_VALUE, new byte[0])));

    // The sender's frames age with the receiver's clock.
    EnvelopeSender sender = EnvelopeSender.create(alice, clock, 10);
    byte[] frame = sender.encode(1, new byte[0]);
    clock.advance(Duration.ofSeconds(61));
    assertEquals(Reason.TOO_OLD, reason(decoder, frame));
  }

  /** The decoder's "now" never goes backwards, so a wall clock stepping back reopens nothing. */
  @Test
  void aClockSteppingBackDoesNotMakeOldFramesFresh() throws Exception {
    long[] wall = {VirtualClock.DEFAULT_EPOCH_MILLIS};
    Clock steppingClock =
        new Clock() {
          @Override
          public long nanos() {
            return 0;
          }

          @Override
          public long epochMillis() {
            return wall[0];
          }
        };
    EnvelopeDecoder decoder =
        EnvelopeDecoder.create(
            steppingClock, EnvelopeLimits.builder().maxAge(Duration.ofSeconds(60)).build());
    long start = wall[0];
    decoder.decode(Frames.build(alice, 1, 1, start, new byte[0]));
    wall[0] = start + 120_000;
    decoder.decode(Frames.build(alice, 1, 2, start + 120_000, new byte[0]));
    wall[0] = start; // NTP step back by two minutes
    assertEquals(Reason.TOO_OLD, reason(decoder, Frames.build(bob, 1, 1, start, new byte[0])));
  }

  @Test
  void sizesOverTheLimitsAreRejected() throws Exception {
    EnvelopeLimits limits = EnvelopeLimits.builder().maxPayloadBytes(100).build();
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock, limits);
    EnvelopeSender sender = EnvelopeSender.create(alice, clock, 1);
    assertEquals(100, decoder.decode(sender.encode(1, new byte[100])).payloadLength());

    EnvelopeException big = rejected(decoder, sender.encode(1, new byte[101]));
    assertEquals(Reason.LENGTH_OVER_LIMIT, big.reason());
    assertTrue(
        big.getMessage().contains("223") && big.getMessage().contains("222"), big.getMessage());

    // A payload length field over the limit in a frame that itself is small.
    byte[] frame = sender.encode(1, new byte[10]);
    Frames.putInt(frame, 54, 101);
    EnvelopeException field = rejected(decoder, Frames.resign(frame, alice));
    assertEquals(Reason.LENGTH_OVER_LIMIT, field.reason());
    assertTrue(field.getMessage().contains("101"), field.getMessage());

    EnvelopeLimits framed =
        EnvelopeLimits.builder().maxPayloadBytes(1000).maxFrameBytes(150).build();
    assertEquals(
        Reason.LENGTH_OVER_LIMIT,
        reason(EnvelopeDecoder.create(clock, framed), sender.encode(1, new byte[29])));
    assertEquals(
        28,
        EnvelopeDecoder.create(clock, framed)
            .decode(sender.encode(1, new byte[28]))
            .payloadLength());
  }

  @Test
  void lengthFieldMustMatchTheFrame() throws Exception {
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    byte[] frame = Frames.build(alice, 1, 1, clock.epochMillis(), new byte[10]);
    byte[] longer = Arrays.copyOf(frame, frame.length + 1);
    EnvelopeException trailing = rejected(decoder, longer);
    assertEquals(Reason.LENGTH_MISMATCH, trailing.reason());
    assertTrue(trailing.getMessage().contains("1 trailing"), trailing.getMessage());

    byte[] claimsMore = frame.clone();
    Frames.putInt(claimsMore, 54, 11);
    assertEquals(Reason.TRUNCATED, reason(decoder, claimsMore));
    byte[] claimsLess = frame.clone();
    Frames.putInt(claimsLess, 54, 9);
    assertEquals(Reason.LENGTH_MISMATCH, reason(decoder, claimsLess));
  }

  @Test
  void magicAndVersionAreChecked() {
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    byte[] frame = Frames.build(alice, 1, 1, clock.epochMillis(), new byte[0]);
    byte[] version2 = frame.clone();
    version2[3] = 2;
    EnvelopeException e = rejected(decoder, version2);
    assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    byte[] http = "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    EnvelopeException magic = rejected(decoder, http);
    assertEquals(Reason.BAD_MAGIC, magic.reason());
    assertTrue(magic.getMessage().contains("474554"), magic.getMessage());
    assertEquals(Reason.TRUNCATED, reason(decoder, new byte[0]));
    assertEquals(Reason.TRUNCATED, reason(decoder, new byte[] {'E', 'N', 'V'}));
    assertEquals(Reason.TRUNCATED, reason(decoder, Arrays.copyOf(frame, 121)));
  }

  /**
   * A full table rejects new senders while every tracked window still protects something; once a
   * window's sender has been idle past maxAge it is forgotten, and replays of its frames are still
   * rejected, by the freshness check.
   */
  @Test
  void boundedPeerTableEvictsOnlyExpiredWindows() throws Exception {
    EnvelopeLimits limits =
        EnvelopeLimits.builder()
            .maxTrackedPeers(2)
            .maxAge(Duration.ofSeconds(60))
            .maxFutureSkew(Duration.ZERO)
            .build();
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock, limits);
    NodeIdentity carol = NodeIdentity.generate(RandomSource.seeded(23));
    EnvelopeSender a = EnvelopeSender.create(alice, clock, 1);
    EnvelopeSender b = EnvelopeSender.create(bob, clock, 1);
    EnvelopeSender c = EnvelopeSender.create(carol, clock, 1);

    byte[] fromAlice = a.encode(1, new byte[0]);
    decoder.decode(fromAlice);
    clock.advance(Duration.ofSeconds(30));
    decoder.decode(b.encode(1, new byte[0]));
    EnvelopeException full = rejected(decoder, c.encode(1, new byte[0]));
    assertEquals(Reason.TOO_MANY_PEERS, full.reason());
    assertTrue(full.getMessage().contains("2 of 2"), full.getMessage());
    assertEquals(2, decoder.trackedPeers());

    clock.advance(Duration.ofSeconds(30)); // alice's newest frame is exactly maxAge old: kept
    assertEquals(Reason.TOO_MANY_PEERS, reason(decoder, c.encode(1, new byte[0])));
    clock.advance(Duration.ofMillis(1)); // now older than maxAge: alice's window may go
    assertEquals(carol.id(), decoder.decode(c.encode(1, new byte[0])).sender());
    assertEquals(2, decoder.trackedPeers());
    assertEquals(null, decoder.replayGuard().windowOf(alice.id()));

    assertEquals(Reason.TOO_OLD, reason(decoder, fromAlice), "replay after eviction");
    assertEquals(Reason.TOO_MANY_PEERS, reason(decoder, a.encode(1, new byte[0])));
    clock.advance(Duration.ofSeconds(30)); // bob idle past maxAge too: room for alice again
    assertNotNull(decoder.decode(a.encode(1, new byte[0])), "alice comes back");
    assertEquals(null, decoder.replayGuard().windowOf(bob.id()));
  }

  @Test
  void senderSequenceStartsFromTheClockAndSurvivesARestart() throws Exception {
    EnvelopeSender first = EnvelopeSender.create(alice, clock);
    assertEquals(clock.epochMillis() << 20, first.nextSequence());
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    for (int i = 0; i < 100; i++) {
      decoder.decode(first.encode(1, new byte[0]));
    }
    clock.advance(Duration.ofMillis(1));
    EnvelopeSender restarted = EnvelopeSender.create(alice, clock);
    assertTrue(restarted.nextSequence() > first.nextSequence());
    assertNotNull(decoder.decode(restarted.encode(1, new byte[0])));
  }

  @Test
  void senderProgrammerErrors() {
    EnvelopeSender sender = EnvelopeSender.create(alice, clock, 1);
    IllegalArgumentException type =
        assertThrows(IllegalArgumentException.class, () -> sender.encode(65536, new byte[0]));
    assertTrue(type.getMessage().contains("65536"), type.getMessage());
    assertThrows(IllegalArgumentException.class, () -> sender.encode(-1, new byte[0]));
    assertThrows(IndexOutOfBoundsException.class, () -> sender.encode(1, new byte[4], 2, 3));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> sender.encodeInto(1, new byte[4], 0, 4, new byte[125], 0));
    assertEquals(1, sender.nextSequence(), "failed calls use no sequence number");
    assertThrows(IllegalArgumentException.class, () -> EnvelopeSender.create(alice, clock, -1));
    assertThrows(IllegalArgumentException.class, () -> EnvelopeSender.frameLength(-1));
    assertThrows(
        IllegalArgumentException.class,
        () -> EnvelopeSender.create(alice, new VirtualClock(1L << 43)));

    EnvelopeSender last = EnvelopeSender.create(alice, clock, Long.MAX_VALUE);
    last.encode(1, new byte[0]);
    IllegalStateException exhausted =
        assertThrows(IllegalStateException.class, () -> last.encode(1, new byte[0]));
    assertTrue(exhausted.getMessage().contains("exhausted"), exhausted.getMessage());
    assertThrows(IllegalStateException.class, () -> last.encode(1, new byte[0]));
  }

  @Test
  void limitsValidateAndNameTheValue() {
    EnvelopeLimits d = EnvelopeLimits.defaults();
    assertEquals(1 << 20, d.maxPayloadBytes());
    assertEquals((1 << 20) + 122, d.maxFrameBytes());
    assertEquals(120_000, d.maxAgeMillis());
    assertEquals(30_000, d.maxFutureSkewMillis());
    assertEquals(1024, d.replayWindow());
    assertEquals(16_384, d.maxTrackedPeers());
    for (Runnable bad :
        new Runnable[] {
          () -> EnvelopeLimits.builder().maxPayloadBytes(-1).build(),
          () -> EnvelopeLimits.builder().maxFrameBytes(121).build(),
          () -> EnvelopeLimits.builder().maxAge(Duration.ZERO).build(),
          () -> EnvelopeLimits.builder().maxFutureSkew(Duration.ofMillis(-1)).build(),
          () -> EnvelopeLimits.builder().replayWindow(100).build(),
          () -> EnvelopeLimits.builder().replayWindow(0).build(),
          () -> EnvelopeLimits.builder().maxTrackedPeers(0).build(),
        }) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
      assertTrue(e.getMessage().contains("was"), e.getMessage());
    }
    assertEquals(
        Integer.MAX_VALUE - 8,
        EnvelopeLimits.builder()
            .maxPayloadBytes(EnvelopeLimits.MAX_PAYLOAD)
            .build()
            .maxFrameBytes());
  }

  @Test
  void decodeRangeErrorsAreProgrammerErrors() {
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    assertThrows(IndexOutOfBoundsException.class, () -> decoder.decode(new byte[10], 5, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> decoder.decode(new byte[10], -1, 2));
  }
}
