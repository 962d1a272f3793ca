package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.RandomSource;
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
    Messages.Result r = Messages.decodeResult(ByteBuffer.wrap(Messages.result(
        new Messages.Result(ID, Messages.PRIMARY, Messages.OK, new byte[] {9}))), 10);
    assertArrayEquals(new byte[] {9}, r.result());
    assertEquals(Map.of("a", 1L, "b", 2L), Messages.decodeAnnounce(ByteBuffer.wrap(
        Messages.announce(Map.of("a", 1L, "b", 2L)))).prices());
    assertEquals(new Messages.Request(ID, "x", 5, 6), Messages.decodeRequest(ByteBuffer.wrap(
        Messages.request(new Messages.Request(ID, "x", 5, 6)))));
    assertEquals(new Messages.Offer(ID, 8), Messages.decodeOffer(ByteBuffer.wrap(
        Messages.offer(new Messages.Offer(ID, 8)))));
    assertEquals(ID, Messages.decodeComplete(ByteBuffer.wrap(Messages.complete(ID))));
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
        Messages.result(new Messages.Result(ID, 1, 0, new byte[12])),
        Messages.announce(Map.of("a", 1L, "bb", 2L)),
        Messages.request(new Messages.Request(ID, "x", 5, 6)),
        Messages.offer(new Messages.Offer(ID, 8)),
        Messages.complete(ID));
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
      for (int decoder = 0; decoder < 6; decoder++) {
        try {
          ByteBuffer in = ByteBuffer.wrap(b);
          switch (decoder) {
            case 0 -> Messages.decodeAward(in, 64, 4);
            case 1 -> Messages.decodeResult(in, 64);
            case 2 -> Messages.decodeAnnounce(in);
            case 3 -> Messages.decodeRequest(in);
            case 4 -> Messages.decodeOffer(in);
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
    assertEquals(true, malformed > 3000 * 4, "seed " + seed + ": only " + malformed + " malformed");
  }
}
