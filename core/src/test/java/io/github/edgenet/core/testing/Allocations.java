package io.github.edgenet.core.testing;

import java.lang.management.ManagementFactory;

/** Bytes allocated on the heap by the current thread, from HotSpot's per-thread counter. */
public final class Allocations {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocations() {}

  /** Whether this JVM counts allocations per thread; tests that need it assume it. */
  public static boolean supported() {
    return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
  }

  /** Total bytes the current thread has allocated so far. */
  public static long current() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId());
  }
}
