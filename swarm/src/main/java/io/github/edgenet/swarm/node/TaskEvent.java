package io.github.edgenet.swarm.node;

import io.github.edgenet.core.identity.NodeId;
import java.util.Objects;

/**
 * One step of the task protocol as a node saw it, for {@link TaskListener}s.
 *
 * <p>Immutable and thread-safe.
 *
 * @param step what happened
 * @param task the task it happened to
 * @param peer the other node involved (the provider for offers, awards and results; the submitter
 *     for executions), or this node itself
 * @param timeNanos when, on the node's {@link io.github.edgenet.core.Clock#nanos()}
 * @param detail a short human-readable note (a price, a failure reason), may be empty
 */
public record TaskEvent(Step step, TaskId task, NodeId peer, long timeNanos, String detail) {

  /** The protocol steps, in the order a successful task goes through them. */
  public enum Step {
    /** The host submitted the task (submitter). */
    SUBMITTED,
    /** A request for offers went out (submitter). */
    REQUESTED,
    /** A provider sent a sealed bid: a commitment to a price nobody can read yet (submitter). */
    OFFER_RECEIVED,
    /**
     * A provider declined the request for now (its share of the node is taken); the detail is the
     * wait it asked for (submitter). When every answer was such, the request is repeated later.
     */
    DECLINED,
    /** A shortlisted provider opened its sealed bid; the detail is its ask (submitter). */
    BID_REVEALED,
    /** The task went to a provider (submitter), as primary or as a cross-check. */
    AWARDED,
    /** This node ran the task for a submitter (provider). */
    EXECUTED,
    /** A signed result came back (submitter). */
    RESULT_RECEIVED,
    /** A result failed the verifier or disagreed with another: evidence recorded (submitter). */
    MISBEHAVIOUR_RECORDED,
    /** A result was accepted and the future completed (submitter). */
    COMPLETED,
    /** The task failed (submitter); the detail names the reason. */
    FAILED,
    /**
     * This node, an adjudicator, decided on misbehaviour evidence; the detail says the verdict
     * (the task is the accused's, the peer the accused).
     */
    ADJUDICATED
  }

  /**
   * Checks for nulls.
   *
   * @throws NullPointerException if a component is null
   */
  public TaskEvent {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(detail, "detail");
  }
}
