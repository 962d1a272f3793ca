package io.github.edgenet.swarm.internal;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;

/** Signs payloads as a given node and decodes them, for tests. */
public final class TestEnvelopes {
  private final VirtualClock clock = new VirtualClock();
  private final EnvelopeDecoder decoder = EnvelopeDecoder.create(clock);

  /** A signing identity for node number {@code i} of a test. */
  public static NodeIdentity identity(long i) {
    return NodeIdentity.generate(RandomSource.seeded(0xC0FFEE).derive(i));
  }

  /** A sender for {@code identity} on this helper's clock. */
  public EnvelopeSender sender(NodeIdentity identity) {
    return EnvelopeSender.create(identity, clock);
  }

  /** Seals and decodes: the envelope a receiver would get. */
  public Envelope roundTrip(EnvelopeSender sender, int type, byte[] payload) {
    try {
      return decoder.decode(sender.encode(type, payload));
    } catch (EnvelopeException e) {
      throw new AssertionError(e);
    }
  }

  /** The node id of test identity {@code i}. */
  public static NodeId id(long i) {
    return identity(i).id();
  }
}
