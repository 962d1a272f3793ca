package io.github.edgenet.core.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.EnvelopeException.Reason;
import io.github.edgenet.core.identity.NodeIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeConcurrencyTest {
  private static final int THREADS = 4;
  private static final int SENDERS = 4;
  private static final int FRAMES_PER_SENDER = 400;

  /** A frame to decode: {@code id} names the original, forged ones must never be accepted. */
  private record Item(byte[] frame, int id, boolean forged) {}

  /**
   * Several threads decode a shuffled stream holding every valid frame three times and forged
   * copies of some: each valid frame is accepted exactly once, duplicates are reported as replays,
   * forgeries are never accepted.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2})
  void eachValidFrameIsAcceptedExactlyOnce(long seed) throws Exception {
    RandomSource random = RandomSource.seeded(seed);
    VirtualClock clock = new VirtualClock();
    EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);
    List<Item> items = new ArrayList<>();
    int valid = 0;
    for (int s = 0; s < SENDERS; s++) {
      EnvelopeSender sender = EnvelopeSender.create(NodeIdentity.generate(random), clock);
      for (int i = 0; i < FRAMES_PER_SENDER; i++) {
        byte[] payload = new byte[random.nextInt(64)];
        random.nextBytes(payload);
        byte[] frame = sender.encode(1, payload);
        int id = valid++;
        for (int copy = 0; copy < 3; copy++) {
          items.add(new Item(frame, id, false));
        }
        if (random.nextInt(8) == 0) {
          byte[] forged = frame.clone();
          forged[58 + payload.length + random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
          items.add(new Item(forged, id, true));
        }
      }
    }
    Collections.shuffle(items, random);

    AtomicIntegerArray accepted = new AtomicIntegerArray(valid);
    AtomicInteger forgedAccepted = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<Map<Reason, Integer>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
                  start.await();
                  for (int i; (i = next.getAndIncrement()) < items.size(); ) {
                    Item item = items.get(i);
                    try {
                      decoder.decode(item.frame);
                      if (item.forged) {
                        forgedAccepted.incrementAndGet();
                      } else {
                        accepted.incrementAndGet(item.id);
                      }
                    } catch (EnvelopeException e) {
                      reasons.merge(e.reason(), 1, Integer::sum);
                    }
                  }
                  return reasons;
                }));
      }
      start.countDown();
      Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
      for (Future<Map<Reason, Integer>> f : futures) {
        f.get().forEach((r, n) -> reasons.merge(r, n, Integer::sum));
      }

      for (int id = 0; id < valid; id++) {
        assertEquals(1, accepted.get(id), "seed=" + seed + ": frame " + id + " accepted");
      }
      assertEquals(0, forgedAccepted.get(), "seed=" + seed + ": forgeries accepted");
      int forged = (int) items.stream().filter(Item::forged).count();
      assertEquals(2 * valid + forged, reasons.values().stream().mapToInt(Integer::intValue).sum());
      assertTrue(
          Set.of(Reason.REPLAYED, Reason.BAD_SIGNATURE).containsAll(reasons.keySet()),
          "seed=" + seed + ": unexpected reasons " + reasons);
      assertTrue(
          reasons.getOrDefault(Reason.REPLAYED, 0) >= 2 * valid, "seed=" + seed + " " + reasons);
      assertEquals(SENDERS, decoder.trackedPeers());
    } finally {
      pool.shutdownNow();
    }
  }
}
