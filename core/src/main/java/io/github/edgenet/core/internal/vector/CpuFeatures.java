package io.github.edgenet.core.internal.vector;

import java.lang.management.ManagementFactory;

/**
 * What the CPU does for the kernels, read once. A class of its own, which references no kernel
 * class: the Panama kernels read it from their static initializers, and reading it through
 * {@link KernelProvider} would start the provider's initialization (which creates the kernels)
 * from inside a kernel class's initialization, so that kernel instance would see its own static
 * fields still unset.
 */
final class CpuFeatures {
  private CpuFeatures() {}

  /**
   * Whether HotSpot uses hardware FMA ({@code -XX:+UseFMA}, on by default where the CPU has it).
   * Without it {@code FloatVector.fma} is emulated and far slower than multiply-then-add. When the
   * option cannot be read (no {@code jdk.management}, another VM), FMA is assumed: every x86-64 CPU
   * with AVX2 or AVX-512 and every AArch64 CPU has it.
   */
  static boolean hasFma() {
    try {
      return Boolean.parseBoolean(
          ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
              .getVMOption("UseFMA")
              .getValue());
    } catch (RuntimeException | LinkageError e) {
      return true;
    }
  }
}
