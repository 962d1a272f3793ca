package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.node.TaskId;

/** Test helpers that build task-protocol frames, for tests outside this package. */
public final class TestFrames {
  private TestFrames() {}

  /** The envelope type of a frame. */
  public static int type(byte[] frame) {
    return (frame[4] & 0xff) << 8 | frame[5] & 0xff;
  }

  /** The RESULT type. */
  public static final int RESULT = Messages.RESULT;

  /**
   * An EVIDENCE payload claiming that {@code resultFrame} (signed by {@code accused}) is a wrong
   * answer to an AWARD of task {@code id} with these inputs, signed by {@code submitter} now.
   */
  public static byte[] resultEvidence(NodeIdentity submitter, Clock clock, TaskId id, int role,
      String type, byte[] payload, float[] embedding, byte[] resultFrame, NodeId accused) {
    byte[] award = EnvelopeSender.create(submitter, clock).encode(Messages.AWARD, Messages.award(
        new Messages.Award(id, role, type, 1, clock.epochMillis() + 60_000, payload, embedding)));
    return Messages.evidence(new Messages.EvidenceMessage(
        Evidence.Kind.FAILED_VERIFICATION.ordinal(), id, accused, award, resultFrame));
  }

  /** The EVIDENCE envelope type. */
  public static final int EVIDENCE = Messages.EVIDENCE;
}
