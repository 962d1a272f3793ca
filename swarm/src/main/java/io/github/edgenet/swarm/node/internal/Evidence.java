package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.TaskId;
import java.util.List;
import java.util.Objects;

/**
 * Misbehaviour evidence: signed frames that show a provider misbehaved. Every node can check it:
 * the accused frame is signed by the accused, the context frame by the accused or the submitter.
 * An adjudicator that receives it re-checks it (re-executing the task for a bad result) before it
 * signs a verdict.
 *
 * @param kind what the frames show
 * @param task the task
 * @param accused the provider accused
 * @param accusedFrame its signed frame: the RESULT, or the REVEAL (mismatch), or the COMMIT (no
 *     reveal)
 * @param witnessFrames for a cross-check mismatch, the signed RESULT frames of the providers that
 *     agreed with each other and not with the accused; otherwise empty
 * @param contextFrame what the accused frame answers: the submitter's signed AWARD (a bad result:
 *     it carries the inputs to re-execute), the accused's signed COMMIT (a mismatching reveal), the
 *     submitter's signed SHORTLIST naming the accused (no reveal)
 */
public record Evidence(
    Kind kind, TaskId task, NodeId accused, byte[] accusedFrame, List<byte[]> witnessFrames,
    byte[] contextFrame) {

  /** What the evidence shows. Ordinals are part of the published evidence: append only. */
  public enum Kind {
    /** The submitter's verifier rejected the result. */
    FAILED_VERIFICATION,
    /** A cross-check: the accused disagreed with providers that agreed with each other. */
    CROSS_CHECK_MISMATCH,
    /** A reveal that does not open the accused's own commitment. */
    REVEAL_MISMATCH,
    /** A shortlisted provider that never revealed its sealed bid. */
    NO_REVEAL,
    /**
     * Not an accusation: an accepted, paid result the submitter asks the adjudicators to
     * re-execute (a wrong one is slashed and its unvested reward clawed back).
     */
    AUDIT;

    /** Whether this kind is about a task result (an adjudicator re-executes the task). */
    public boolean aboutResult() {
      return this == FAILED_VERIFICATION || this == CROSS_CHECK_MISMATCH || this == AUDIT;
    }
  }

  /** Checks for nulls. */
  public Evidence {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(accused, "accused");
    Objects.requireNonNull(accusedFrame, "accusedFrame");
    witnessFrames = List.copyOf(witnessFrames);
    Objects.requireNonNull(contextFrame, "contextFrame");
  }
}
