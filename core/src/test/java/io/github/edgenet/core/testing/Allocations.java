package io.github.edgenet.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The per-thread allocation probe: bytes allocated on the heap by the current thread, from
 * HotSpot's counter ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}).
 *
 * <p>Reached through a method handle, so that no module needs {@code requires java.management} or
 * {@code jdk.management} for its tests: reflection needs no readability edge, and
 * {@code com.sun.management} is exported. Once linked, a reading allocates nothing (a plain
 * {@code ThreadMXBean} call boxes its thread id array on some JDKs).
 *
 * <p>A test whose check needs the counter calls {@link #assumeSupported()} first, so that on a JVM
 * without it (another VM, counting disabled) the test is reported as skipped, never silently
 * passed. Thread-safe: stateless after class initialization.
 */
public final class Allocations {
  private static final MethodHandle CURRENT = link();

  private Allocations() {}

  private static MethodHandle link() {
    try {
      Class<?> beanType = Class.forName("com.sun.management.ThreadMXBean");
      Object bean = Class.forName("java.lang.management.ManagementFactory")
          .getMethod("getThreadMXBean").invoke(null);
      if (!beanType.isInstance(bean)) {
        return null;
      }
      MethodHandle h = MethodHandles.publicLookup()
          .findVirtual(beanType, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
          .bindTo(bean);
      return (long) h.invokeExact() < 0 ? null : h; // -1: counting disabled
    } catch (Throwable e) { // no java.management in the boot layer, another VM: unsupported
      return null;
    }
  }

  /** Whether this JVM counts allocations per thread. */
  public static boolean supported() {
    return CURRENT != null;
  }

  /**
   * A JUnit assumption that the counter is available: the calling test is reported as skipped
   * (with the reason) when it is not.
   */
  public static void assumeSupported() {
    assumeTrue(supported(), "per-thread allocation counting is unavailable in this JVM");
  }

  /**
   * Total bytes the current thread has allocated so far; subtract two readings.
   *
   * @throws IllegalStateException if the counter is not {@link #supported()}
   */
  public static long current() {
    if (CURRENT == null) {
      throw new IllegalStateException("per-thread allocation counting is unavailable");
    }
    try {
      return (long) CURRENT.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The fewest bytes {@code action} allocated over {@code windows} runs of {@code callsPerWindow}
   * calls each (the minimum hides one-off allocations such as class loading or a JIT deopt).
   *
   * @throws IllegalStateException if the counter is not {@link #supported()}
   */
  public static long leastPerWindow(int windows, int callsPerWindow, Runnable action) {
    long least = Long.MAX_VALUE;
    for (int w = 0; w < windows && least > 0; w++) {
      long before = current();
      for (int i = 0; i < callsPerWindow; i++) {
        action.run();
      }
      least = Math.min(least, current() - before);
    }
    return least;
  }
}
