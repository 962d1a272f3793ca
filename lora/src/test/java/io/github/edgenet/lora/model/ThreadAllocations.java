package io.github.edgenet.lora.model;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Bytes allocated on the heap by the current thread, from HotSpot's per-thread counter
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}). Reached through a
 * method handle so that the lora module needs neither {@code java.management} nor
 * {@code jdk.management}; once linked, a
 * reading allocates nothing.
 */
final class ThreadAllocations {
  private static final MethodHandle CURRENT;

  static {
    MethodHandle h = null;
    try {
      Class<?> beanType = Class.forName("com.sun.management.ThreadMXBean");
      Object bean =
          Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
      if (beanType.isInstance(bean)) {
        h = MethodHandles.publicLookup()
            .findVirtual(beanType, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
            .bindTo(bean);
        if ((long) h.invokeExact() < 0) {
          h = null; // counting disabled
        }
      }
    } catch (Throwable e) {
      h = null;
    }
    CURRENT = h;
  }

  private ThreadAllocations() {}

  /** Whether this JVM counts allocations per thread. */
  static boolean supported() {
    return CURRENT != null;
  }

  /** Total bytes the current thread has allocated so far. */
  static long current() {
    try {
      return (long) CURRENT.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
