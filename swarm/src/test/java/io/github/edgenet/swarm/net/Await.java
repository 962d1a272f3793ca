package io.github.edgenet.swarm.net;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.edgenet.core.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for the transport tests: no fixed sleeps. */
final class Await {
  private Await() {}

  /** Polls {@code condition} every 5 ms until it holds or {@code timeout} passes (then fails). */
  static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
    Clock clock = Clock.system();
    long end = clock.nanos() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (clock.nanos() - end > 0) {
        fail("timed out after " + timeout + " waiting for " + what.get());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what.get());
      }
    }
  }
}
