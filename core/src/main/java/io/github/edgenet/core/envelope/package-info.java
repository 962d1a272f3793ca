/**
 * Signed envelopes: the frame every message between nodes travels in. {@link
 * io.github.edgenet.core.envelope.EnvelopeSender} seals a payload (type, sender, sequence number,
 * timestamp, Ed25519 signature); {@link io.github.edgenet.core.envelope.EnvelopeDecoder} checks
 * sizes against {@link io.github.edgenet.core.envelope.EnvelopeLimits} before allocating, then
 * freshness, signature and replay, and returns an {@link io.github.edgenet.core.envelope.Envelope}
 * or throws an {@link io.github.edgenet.core.envelope.EnvelopeException} with a reason. The frame
 * layout is documented on {@link io.github.edgenet.core.envelope.EnvelopeDecoder}.
 *
 * <p>Senders, decoders and envelopes are thread-safe.
 */
package io.github.edgenet.core.envelope;
