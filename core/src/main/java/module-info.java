/**
 * edgenet core: the bottom layer every other module stands on.
 *
 * <ul>
 *   <li>{@link io.github.edgenet.core} - {@link io.github.edgenet.core.Clock} and
 *       {@link io.github.edgenet.core.RandomSource}: time and chance, always injected.
 *   <li>{@link io.github.edgenet.core.vector} - SIMD kernels with a scalar fallback.
 *   <li>{@link io.github.edgenet.core.identity} - Ed25519 node identities and encrypted key files.
 *   <li>{@link io.github.edgenet.core.envelope} - signed, bounded, replay-checked peer messages.
 *   <li>{@link io.github.edgenet.core.net} - the peer network SPI; {@link io.github.edgenet.core.net.sim}
 *       its deterministic simulator.
 * </ul>
 *
 * <p>The Vector API is optional ({@code requires static}): with {@code --add-modules
 * jdk.incubator.vector} the kernels use SIMD, without it they run a scalar path.
 */
module io.github.edgenet.core {
  requires static jdk.incubator.vector;
  // Main code: the kernels read the UseFMA flag (HotSpotDiagnosticMXBean, in CpuFeatures). The
  // tests' allocation probe needs neither (core.testing.Allocations links it reflectively).
  requires static java.management;
  requires static jdk.management;
  requires org.bouncycastle.provider;
  requires it.unimi.dsi.fastutil.core;

  exports io.github.edgenet.core;
  exports io.github.edgenet.core.vector;
  exports io.github.edgenet.core.identity;
  exports io.github.edgenet.core.envelope;
  exports io.github.edgenet.core.net;
  exports io.github.edgenet.core.net.sim;
}
