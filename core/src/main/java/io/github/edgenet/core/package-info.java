/**
 * Time and chance, always injected: {@link io.github.edgenet.core.Clock} (with
 * {@link io.github.edgenet.core.SystemClock} for a real node and
 * {@link io.github.edgenet.core.VirtualClock} for simulations and tests) and
 * {@link io.github.edgenet.core.RandomSource}, the seeded, splittable generator every edgenet class
 * draws from. Library code never reads the machine's clock or creates its own generator, so that a
 * run replays exactly from its seed; cryptographic material alone comes from
 * {@link java.security.SecureRandom}.
 *
 * <p>The other packages of the module: {@code core.vector} (SIMD kernels with a scalar fallback),
 * {@code core.identity} (node identities and key files), {@code core.envelope} (signed, bounded
 * peer messages), {@code core.net} (the peer network SPI) and {@code core.net.sim} (its
 * deterministic simulator). Guide: docs/core.md.
 */
package io.github.edgenet.core;
