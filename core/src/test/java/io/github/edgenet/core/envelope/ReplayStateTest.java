package io.github.edgenet.core.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeException.Reason;
import io.github.edgenet.core.identity.NodeId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplayStateTest {

  /**
   * Differential against the obvious model (a set of every number ever accepted and the highest):
   * random walks of sequence numbers with duplicates, small steps back, and jumps forward of up to
   * several windows, around 0 and around the unsigned wrap point.
   */
  @ParameterizedTest(name = "seed {0}, window {1}, start {2}")
  @CsvSource({
    "1, 64, 0",
    "2, 128, 1000",
    "3, 1024, 0",
    "4, 192, -500", // near 2^64: unsigned comparisons matter
    "5, 64, 9223372036854775000", // around 2^63
  })
  void agreesWithASetModel(long seed, int size, long start) {
    RandomSource random = RandomSource.seeded(seed);
    ReplayWindow window = new ReplayWindow(size, start, 0);
    Set<Long> seen = new HashSet<>();
    seen.add(start);
    long highest = start;
    long lastAcceptStep = 0;
    for (int step = 0; step < 20_000; step++) {
      long delta =
          switch (random.nextInt(6)) {
            case 0 -> 0; // duplicate
            case 1 -> -random.nextInt(size + 64); // back, maybe beyond the window
            case 2 -> random.nextInt(4 * size); // forward, maybe several windows
            case 3 -> random.nextInt(3) - 1;
            default -> random.nextInt(64) - 16;
          };
      long sequence = highest + delta; // wraps like the unsigned numbers it models
      int expected;
      if (Long.compareUnsigned(sequence, highest) > 0) {
        expected = ReplayWindow.NEW;
      } else if (Long.compareUnsigned(highest - sequence, size) >= 0) {
        expected = ReplayWindow.BEHIND;
      } else {
        expected = seen.contains(sequence) ? ReplayWindow.REPLAYED : ReplayWindow.NEW;
      }
      assertEquals(
          expected,
          window.check(sequence),
          "seed="
              + seed
              + " step "
              + step
              + ": sequence "
              + Long.toUnsignedString(sequence)
              + ", highest "
              + Long.toUnsignedString(highest));
      if (expected == ReplayWindow.NEW) {
        window.accept(sequence, step);
        seen.add(sequence);
        if (Long.compareUnsigned(sequence, highest) > 0) {
          highest = sequence;
        }
        assertEquals(highest, window.highest(), "seed=" + seed + " step " + step);
        lastAcceptStep = step;
      }
    }
    assertEquals(lastAcceptStep, window.maxTimestamp(), "seed=" + seed + ": newest timestamp");
  }

  /**
   * A thread that read the clock before another one forgot a window cannot bring the window back
   * with a frame that became stale meanwhile. Without the guard's monotone bound, the stale thread
   * would find d's window expired by its own old reading, evict it, re-create a's window and accept
   * the replay.
   */
  @Test
  void staleReadingCannotResurrectAForgottenWindow() throws Exception {
    NodeId a = id(1);
    NodeId b = id(2);
    NodeId d = id(3);
    ReplayGuard guard = new ReplayGuard(64, 2, 1000);
    guard.accept(a, 7, 1000, 0); // a's newest frame: timestamp 1000
    guard.accept(d, 1, 100, 0); // d's: 100; the table is full

    // A thread with a later reading (oldest fresh timestamp 1001) lets a's window go.
    guard.accept(b, 1, 2000, 1001);
    assertNull(guard.windowOf(a));

    // A thread holding a reading from before (oldest fresh 500) replays a's frame 7.
    EnvelopeException e =
        assertThrows(EnvelopeException.class, () -> guard.accept(a, 7, 1000, 500));
    assertEquals(Reason.TOO_OLD, e.reason());
    assertNull(guard.windowOf(a));
  }

  private static NodeId id(int n) {
    byte[] key = new byte[32];
    key[31] = (byte) n;
    return NodeId.of(key);
  }

  @Test
  void fullTableRefusesNewSendersUntilOneExpires() throws Exception {
    ReplayGuard guard = new ReplayGuard(64, 2, 1000);
    NodeId[] ids = {id(0), id(1), id(2)};
    guard.accept(ids[0], 1, 100, 0);
    guard.accept(ids[1], 1, 200, 0);
    assertEquals(
        Reason.TOO_MANY_PEERS,
        assertThrows(EnvelopeException.class, () -> guard.check(ids[2], 1, 100)).reason());
    guard.check(ids[2], 1, 101); // would fit: ids[0]'s newest frame (100) is older than 101
    assertEquals(2, guard.size(), "check changes nothing");
    guard.accept(ids[0], 2, 150, 101); // but ids[0] speaks again first: now it is not idle
    assertEquals(
        Reason.TOO_MANY_PEERS,
        assertThrows(EnvelopeException.class, () -> guard.accept(ids[2], 1, 300, 101)).reason());
    guard.accept(ids[2], 1, 300, 151);
    assertNull(guard.windowOf(ids[0]));
    assertEquals(2, guard.size());
  }
}
