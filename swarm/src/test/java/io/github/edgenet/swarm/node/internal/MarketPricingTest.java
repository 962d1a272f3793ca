package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The provider's compute pool: the registered price when idle, rising with load, relaxing. */
class MarketPricingTest {
  private static final NodeId SELF = NodeIdentity.generate(RandomSource.seeded(7)).id();

  @ParameterizedTest(name = "price {0}")
  @ValueSource(longs = {1, 2, 5, 10, 97, 12_345, 1_000_000, 987_654_321_000L})
  void theIdleQuoteIsTheRegisteredPrice(long price) {
    VirtualClock clock = new VirtualClock();
    MarketPricing m = MarketPricing.withDefaults(SELF, clock, Map.of("t", price));
    assertEquals(price, m.quote("t").getAsLong());
    assertTrue(m.quote("other").isEmpty());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void loadRaisesTheQuoteAndIdleTimeBringsItBackExactly(long seed) {
    System.out.println("MarketPricingTest seed " + seed);
    RandomSource r = RandomSource.seeded(seed);
    long price = 10 + r.nextInt(100_000);
    VirtualClock clock = new VirtualClock();
    MarketPricing m = new MarketPricing(SELF, clock, Map.of("t", price), 10, 1.0);
    long last = m.quote("t").getAsLong();
    int tasks = 2 + r.nextInt(6);
    for (int i = 0; i < tasks; i++) {
      m.executed("t", last);
      long q = m.quote("t").getAsLong();
      assertTrue(q > last, "task " + i + ": " + q + " after " + last);
      last = q;
    }
    clock.advance(Duration.ofMillis(500)); // half a task's compute flows back
    long relaxing = m.quote("t").getAsLong();
    assertTrue(relaxing < last && relaxing > price,
        relaxing + " between " + price + " and " + last);
    clock.advance(Duration.ofSeconds(tasks));
    assertEquals(price, m.quote("t").getAsLong());
    assertEquals(0, m.outstanding("t"));
  }

  @Test
  void aFullyLoadedPoolMakesNoOfferUntilComputeFlowsBack() {
    VirtualClock clock = new VirtualClock();
    MarketPricing m = new MarketPricing(SELF, clock, Map.of("t", 50L), 3, 1.0);
    for (int i = 0; i < 3; i++) {
      m.executed("t", m.quote("t").getAsLong());
    }
    assertTrue(m.quote("t").isEmpty(), "a 3-task capacity cannot sell a fourth task");
    clock.advance(Duration.ofSeconds(1));
    assertTrue(m.quote("t").isPresent());
  }
}
