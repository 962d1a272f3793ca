package io.github.edgenet.optimize.allocate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Holt forecasts and the allocator that combines guarantees, priorities and DRF. */
class ResourceAllocatorTest {
  @Test
  void holtFollowsAHandComputedSeries() {
    HoltForecaster h = new HoltForecaster(0.5, 0.5);
    h.observe(10); // level 10, trend 0
    h.observe(14); // level 0.5*14 + 0.5*10 = 12, trend 0.5*2 + 0 = 1
    assertEquals(12, h.level(), 1e-12);
    assertEquals(1, h.trend(), 1e-12);
    h.observe(16); // level 8 + 0.5*13 = 14.5, trend 0.5*2.5 + 0.5 = 1.75
    assertEquals(14.5, h.level(), 1e-12);
    assertEquals(1.75, h.trend(), 1e-12);
    assertEquals(14.5 + 2 * 1.75, h.forecast(2), 1e-12);
  }

  @Test
  void holtExtrapolatesALinearTrendThatSimpleSmoothingLags() {
    HoltForecaster holt = new HoltForecaster(0.3, 0.2);
    HoltForecaster flat = new HoltForecaster(0.3, 0); // no trend: simple smoothing
    for (int t = 0; t < 200; t++) {
      holt.observe(5 + 2.0 * t);
      flat.observe(5 + 2.0 * t);
    }
    double next = 5 + 2.0 * 200;
    assertEquals(next, holt.forecast(1), 1e-6);
    assertTrue(flat.forecast(1) < next - 5, "simple smoothing lags a trend");
    assertThrows(IllegalArgumentException.class, () -> new HoltForecaster(0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> holt.observe(Double.NaN));
  }

  @Test
  void thePapersExampleThroughTheAllocator() {
    ResourceAllocator a = ResourceAllocator.create(1, 0);
    a.register("A", TaskType.of(1, 4));
    a.register("B", TaskType.of(3, 1));
    a.observe("A", 1000);
    a.observe("B", 1000);
    ResourceAllocator.Allocation g = a.allocate(9, 18);
    assertEquals(3, g.grant("A").wholeTasks());
    assertEquals(2, g.grant("B").wholeTasks());
    assertEquals(12, g.grant("A").memoryBytes(), 1e-9);
  }

  @Test
  void guaranteesThenPriorities() {
    ResourceAllocator a = ResourceAllocator.create(1, 0);
    a.register("batch", TaskType.of(1, 1).withMinimumTasks(2));
    a.register("interactive", TaskType.of(1, 1).withPriority(5));
    a.register("idle", TaskType.of(1, 1).withPriority(-1));
    a.observe("batch", 10);
    a.observe("interactive", 6);
    a.observe("idle", 10);
    ResourceAllocator.Allocation g = a.allocate(8, 100);
    assertEquals(2, g.grant("batch").tasks(), 1e-9);        // its guarantee, then nothing left
    assertEquals(6, g.grant("interactive").tasks(), 1e-9);  // served first, fully
    // batch (priority 0) takes the remaining 4 before idle (priority -1) gets anything
    ResourceAllocator.Allocation g2 = a.allocate(12, 100);
    assertEquals(6, g2.grant("batch").tasks(), 1e-9);
    assertEquals(0, g2.grant("idle").tasks(), 1e-9);
    assertEquals(4, a.allocate(20, 100).grant("idle").tasks(), 1e-9);
    ResourceAllocator.Allocation small = a.allocate(2, 100);
    assertEquals(2, small.grant("batch").tasks(), 1e-9, "guarantee before priority");
    assertEquals(0, small.grant("interactive").tasks(), 1e-9);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> a.observe("nope", 1))
        .getMessage().contains("'nope' is not registered"));
  }

  static Stream<Long> seeds() {
    return SeededCases.seeds(31, 3);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void neverAboveCapacityAndNeverAboveForecast(long seed) {
    RandomSource r = SeededCases.random("ResourceAllocatorTest", seed);
    for (int trial = 0; trial < 200; trial++) {
      ResourceAllocator a = ResourceAllocator.create(0.5, 0.3);
      int n = 1 + r.nextInt(30);
      for (int i = 0; i < n; i++) {
        a.register("t" + i, new TaskType(r.nextDouble() * 4, r.nextDouble() * 1e9,
            0.5 + r.nextDouble() * 3, r.nextInt(3), r.nextDouble() < 0.3 ? r.nextInt(3) : 0));
        for (int p = 0; p < 5; p++) {
          a.observe("t" + i, r.nextInt(20));
        }
      }
      double cpu = r.nextInt(64);
      double mem = r.nextDouble() * 64e9;
      ResourceAllocator.Allocation g = a.allocate(cpu, mem);
      double usedCpu = 0;
      double usedMem = 0;
      for (var e : g.grants().entrySet()) {
        Grant grant = e.getValue();
        assertTrue(grant.tasks() >= 0 && grant.tasks() <= a.forecast(e.getKey()) + 1e-9,
            "seed " + seed + " trial " + trial + " " + e);
        usedCpu += grant.cpu();
        usedMem += grant.memoryBytes();
      }
      assertTrue(usedCpu <= cpu && usedMem <= mem,
          "seed " + seed + " trial " + trial + ": " + usedCpu + "/" + cpu + " " + usedMem + "/"
              + mem);
    }
  }
}
