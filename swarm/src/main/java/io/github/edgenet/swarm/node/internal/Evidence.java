package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.node.TaskId;
import java.util.List;
import java.util.Objects;

/**
 * Misbehaviour evidence: the signed frames that show a provider returned a bad result. Every node
 * can check it: the frames are the provider's own signed {@code RESULT} envelopes (and, for a
 * mismatch, the agreeing providers' frames).
 *
 * @param kind what the frames show
 * @param task the task
 * @param accused the provider whose result is bad
 * @param accusedFrame its signed RESULT frame
 * @param witnessFrames for a mismatch, the signed RESULT frames of the providers that agreed with
 *     each other and not with the accused; empty for a failed verification
 */
public record Evidence(
    Kind kind, TaskId task, NodeId accused, byte[] accusedFrame, List<byte[]> witnessFrames) {

  /** What the evidence shows. */
  public enum Kind {
    /** The submitter's verifier rejected the result. */
    FAILED_VERIFICATION,
    /** A cross-check: the accused disagreed with providers that agreed with each other. */
    CROSS_CHECK_MISMATCH
  }

  /** Checks for nulls. */
  public Evidence {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(accused, "accused");
    Objects.requireNonNull(accusedFrame, "accusedFrame");
    witnessFrames = List.copyOf(witnessFrames);
  }
}
