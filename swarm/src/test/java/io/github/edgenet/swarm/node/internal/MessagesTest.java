package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.node.TaskId;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagesTest {
  private static final TaskId ID =
      new TaskId(NodeIdentity.generate(RandomSource.seeded(1)).id(), 42);
  private static final float[] E = {1, -2, 3, 0.5f};
  private static final NodeId OTHER = NodeIdentity.generate(RandomSource.seeded(2)).id();
  private static final byte[] H1 = hash(1);
  private static final byte[] H2 = hash(2);

  private static byte[] hash(int fill) {
    byte[] h = new byte[32];
    java.util.Arrays.fill(h, (byte) fill);
    return h;
  }

  @Test
  void everyMessageRoundTrips() throws Exception {
    Messages.Award a = Messages.decodeAward(ByteBuffer.wrap(Messages.award(new Messages.Award(ID,
        Messages.CROSS_CHECK, "embed", 17, 123_456, new byte[] {1, 2, 3}, E))), 100, 4);
    assertEquals(ID, a.id());
    assertEquals(Messages.CROSS_CHECK, a.role());
    assertEquals("embed", a.type());
    assertEquals(17, a.priceMicros());
    assertEquals(123_456, a.deadlineMillis());
    assertArrayEquals(new byte[] {1, 2, 3}, a.payload());
    assertArrayEquals(E, a.embedding());
    byte[] inputs = Messages.inputDigest(a);
    Messages.Result r = Messages.decodeResult(ByteBuffer.wrap(Messages.result(
        new Messages.Result(ID, Messages.PRIMARY, Messages.OK, inputs, new byte[] {9}))), 10);
    assertArrayEquals(new byte[] {9}, r.result());
    assertArrayEquals(inputs, r.inputs());
    assertEquals(Map.of("a", 1L, "b", 2L), Messages.decodeAnnounce(ByteBuffer.wrap(
        Messages.announce(Map.of("a", 1L, "b", 2L)))).prices());
    assertEquals(new Messages.Request(ID, "x", 5, 6), Messages.decodeRequest(ByteBuffer.wrap(
        Messages.request(new Messages.Request(ID, "x", 5, 6)))));
    assertEquals(new Messages.Busy(ID, 700), Messages.decodeBusy(ByteBuffer.wrap(
        Messages.busy(new Messages.Busy(ID, 700)))));
    Messages.Commit c = Messages.decodeCommit(ByteBuffer.wrap(
        Messages.commit(new Messages.Commit(ID, H1))));
    assertEquals(ID, c.id());
    assertArrayEquals(H1, c.commitment());
    Messages.Shortlist sl = Messages.decodeShortlist(ByteBuffer.wrap(Messages.shortlist(
        new Messages.Shortlist(ID, List.of(new Messages.Listed(OTHER, H1),
            new Messages.Listed(ID.submitter(), H2))))));
    assertEquals(ID, sl.id());
    assertEquals(2, sl.bidders().size());
    assertEquals(OTHER, sl.bidders().get(0).bidder());
    assertArrayEquals(H2, sl.bidders().get(1).commitment());
    Messages.Reveal rv = Messages.decodeReveal(ByteBuffer.wrap(Messages.reveal(
        new Messages.Reveal(ID, 17, 3, 9_999, H2))));
    assertEquals(17, rv.priceMicros());
    assertEquals(3, rv.latencyMillis());
    assertEquals(9_999, rv.qualityBps());
    assertArrayEquals(H2, rv.salt());
    Messages.EvidenceMessage ev = Messages.decodeEvidence(ByteBuffer.wrap(Messages.evidence(
        new Messages.EvidenceMessage(3, ID, OTHER, new byte[] {1, 2}, new byte[] {3}))), 4, 10);
    assertEquals(3, ev.kind());
    assertEquals(OTHER, ev.accused());
    assertArrayEquals(new byte[] {1, 2}, ev.first());
    assertArrayEquals(new byte[] {3}, ev.second());
    Messages.Commit ch = Messages.decodeChallenge(ByteBuffer.wrap(
        Messages.challenge(new Messages.Commit(ID, H2))));
    assertArrayEquals(H2, ch.commitment());
    assertEquals(ID, Messages.decodeComplete(ByteBuffer.wrap(Messages.complete(ID))));
  }

  @Test
  void theInputDigestNamesEveryInput() {
    byte[] d = Messages.inputDigest(ID, 0, "embed", new byte[] {1}, E);
    assertEquals(32, d.length);
    TaskId other = new TaskId(ID.submitter(), 43);
    for (byte[] changed : List.of(Messages.inputDigest(other, 0, "embed", new byte[] {1}, E),
        Messages.inputDigest(ID, 1, "embed", new byte[] {1}, E),
        Messages.inputDigest(ID, 0, "embee", new byte[] {1}, E),
        Messages.inputDigest(ID, 0, "embed", new byte[] {2}, E),
        Messages.inputDigest(ID, 0, "embed", new byte[] {1}, new float[] {1, -2, 3, 0.25f}))) {
      assertEquals(false, java.util.Arrays.equals(d, changed));
    }
    assertArrayEquals(d, Messages.inputDigest(ID, 0, "embed", new byte[] {1}, E.clone()));
  }

  @Test
  void boundsAreCheckedBeforeAllocation() {
    byte[] award = Messages.award(new Messages.Award(ID, Messages.PRIMARY, "embed", 1, 2,
        new byte[50], E));
    Wire.MalformedException e = assertThrows(Wire.MalformedException.class,
        () -> Messages.decodeAward(ByteBuffer.wrap(award), 49, 4));
    assertEquals("payload length must be in [0, 49], was 50", e.getMessage());
    e = assertThrows(Wire.MalformedException.class,
        () -> Messages.decodeAward(ByteBuffer.wrap(award), 100, 5));
    assertEquals("embedding must have 5 floats, had 4", e.getMessage());
    byte[] longer = java.util.Arrays.copyOf(award, award.length + 1);
    e = assertThrows(Wire.MalformedException.class,
        () -> Messages.decodeAward(ByteBuffer.wrap(longer), 100, 4));
    assertEquals("1 trailing bytes", e.getMessage());
    byte[] evidence = Messages.evidence(new Messages.EvidenceMessage(1, ID, OTHER, new byte[40],
        new byte[3]));
    e = assertThrows(Wire.MalformedException.class,
        () -> Messages.decodeEvidence(ByteBuffer.wrap(evidence), 4, 39));
    assertEquals("first frame length must be in [0, 39], was 40", e.getMessage());
    e = assertThrows(Wire.MalformedException.class,
        () -> Messages.decodeEvidence(ByteBuffer.wrap(evidence), 1, 100));
    assertEquals("evidence kind must be < 1, was 1", e.getMessage());
    byte[] huge = evidence.clone();
    huge[1 + 40 + 32] = 0x7f; // the first frame's length: ~2 GiB, refused before allocating
    e = assertThrows(Wire.MalformedException.class,
        () -> Messages.decodeEvidence(ByteBuffer.wrap(huge), 4, Integer.MAX_VALUE));
    assertTrue(e.getMessage().startsWith("first frame: needs"), e.getMessage());
    byte[] none = Messages.shortlist(new Messages.Shortlist(ID, List.of(
        new Messages.Listed(OTHER, H1))));
    none[40] = 0;
    e = assertThrows(Wire.MalformedException.class,
        () -> Messages.decodeShortlist(ByteBuffer.wrap(none)));
    assertEquals("shortlist count must be in [1, 64], was 0", e.getMessage());
    none[40] = (byte) 200;
    e = assertThrows(Wire.MalformedException.class,
        () -> Messages.decodeShortlist(ByteBuffer.wrap(none)));
    assertEquals("shortlist count must be in [1, 64], was 200", e.getMessage());
    e = assertThrows(Wire.MalformedException.class, () -> Messages.decodeBusy(ByteBuffer.wrap(
        Messages.busy(new Messages.Busy(ID, 60_001)))));
    assertEquals("retryAfterMillis must be <= 60000, was 60001", e.getMessage());
    e = assertThrows(Wire.MalformedException.class, () -> Messages.decodeBusy(ByteBuffer.wrap(
        Messages.busy(new Messages.Busy(ID, -1)))));
    assertEquals("retryAfterMillis must be >= 0, was -1", e.getMessage());
  }

  /**
   * Random corruptions of valid payloads: each decoder either returns or throws {@link
   * Wire.MalformedException}, never anything else (no overflow, no huge allocation, no runtime
   * exception).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void corruptedPayloadsOnlyEverFailAsMalformed(long seed) {
    RandomSource random = RandomSource.seeded(seed);
    List<byte[]> valid = List.of(
        Messages.award(new Messages.Award(ID, 0, "embed", 1, 2, new byte[20], E)),
        Messages.result(new Messages.Result(ID, 1, 0, H1, new byte[12])),
        Messages.announce(Map.of("a", 1L, "bb", 2L)),
        Messages.request(new Messages.Request(ID, "x", 5, 6)),
        Messages.commit(new Messages.Commit(ID, H1)),
        Messages.complete(ID),
        Messages.shortlist(new Messages.Shortlist(ID, List.of(new Messages.Listed(OTHER, H1),
            new Messages.Listed(ID.submitter(), H2)))),
        Messages.reveal(new Messages.Reveal(ID, 8, 1, 10_000, H2)),
        Messages.busy(new Messages.Busy(ID, 300)),
        Messages.evidence(new Messages.EvidenceMessage(2, ID, OTHER, new byte[30], new byte[9])));
    int malformed = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] b = valid.get(random.nextInt(valid.size())).clone();
      int kind = random.nextInt(3);
      if (kind == 0) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      } else if (kind == 1) {
        b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      } else {
        b = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(4));
      }
      for (int decoder = 0; decoder < 10; decoder++) {
        try {
          ByteBuffer in = ByteBuffer.wrap(b);
          switch (decoder) {
            case 0 -> Messages.decodeAward(in, 64, 4);
            case 1 -> Messages.decodeResult(in, 64);
            case 2 -> Messages.decodeAnnounce(in);
            case 3 -> Messages.decodeRequest(in);
            case 4 -> Messages.decodeCommit(in);
            case 5 -> Messages.decodeShortlist(in);
            case 6 -> Messages.decodeReveal(in);
            case 7 -> Messages.decodeEvidence(in, 4, 64);
            case 8 -> Messages.decodeBusy(in);
            default -> Messages.decodeComplete(in);
          }
        } catch (Wire.MalformedException expected) {
          malformed++;
        } catch (RuntimeException ex) {
          throw new AssertionError("seed " + seed + ", case " + i + ", decoder " + decoder, ex);
        }
      }
    }
    // most cross-decodings fail: the count shows the decoders really looked at the bytes
    assertEquals(true, malformed > 3000 * 8, "seed " + seed + ": only " + malformed + " malformed");
  }
}
