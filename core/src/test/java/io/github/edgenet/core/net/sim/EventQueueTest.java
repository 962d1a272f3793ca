package io.github.edgenet.core.net.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.util.Comparator;
import java.util.PriorityQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The primitive heap pops exactly what a reference priority queue on (time, seq) pops. */
class EventQueueTest {
  record Ref(long time, long seq, int from, int to, Object payload) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 2L, 3L, 12345L})
  void matchesAReferencePriorityQueue(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    EventQueue q = new EventQueue(1); // starts tiny: exercises growth
    PriorityQueue<Ref> ref =
        new PriorityQueue<>(Comparator.comparingLong(Ref::time).thenComparingLong(Ref::seq));
    long seq = 0;
    long now = 0;
    for (int op = 0; op < 200_000; op++) {
      if (ref.isEmpty() || r.nextInt(100) < 55) {
        // Few distinct offsets: plenty of equal times, where only seq decides.
        long time = now + r.nextInt(r.nextBoolean() ? 5 : 1000);
        int from = r.nextInt(1 << 20) - 1;
        int to = r.nextInt() | 0x8000_0000; // negative and large values survive packing
        Object payload = new Object();
        assertEquals(seq, q.nextSeq());
        q.push(time, from, to, payload);
        ref.add(new Ref(time, seq++, from, to, payload));
      } else {
        Ref expected = ref.poll();
        String where = "seed " + seed + ", op " + op;
        assertEquals(expected.time(), q.topTime(), where);
        assertEquals(expected.seq(), q.topSeq(), where);
        assertEquals(expected.from(), q.topFrom(), where);
        assertEquals(expected.to(), q.topTo(), where);
        assertSame(expected.payload(), q.topPayload(), where);
        q.pop();
        now = expected.time();
      }
      assertEquals(ref.size(), q.size());
    }
    while (!ref.isEmpty()) {
      assertEquals(ref.poll().seq(), q.topSeq());
      q.pop();
    }
    assertTrue(q.isEmpty());
  }
}
