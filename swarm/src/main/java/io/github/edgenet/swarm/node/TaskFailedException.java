package io.github.edgenet.swarm.node;

import java.util.Objects;

/**
 * Why a submitted task did not complete: the exception a {@link EdgeNode#submit(Task)} future
 * completes with, carrying a typed {@link Reason}.
 */
public final class TaskFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the task failed. */
  public enum Reason {
    /** No node offered to run the task type (none announced it, or none answered in time). */
    NO_CANDIDATE,
    /** Nodes offered to run it, but every offer was above the task's maximum price. */
    PRICE_OVER_LIMIT,
    /** The deadline passed before a result was accepted. */
    DEADLINE_EXCEEDED,
    /** The submitting node was closed before the task finished. */
    NODE_CLOSED,
    /** Refused at submission (too many pending tasks), or every candidate's executor failed. */
    REJECTED,
    /** Results came back, but none passed the verifier and the cross-check. */
    VERIFICATION_FAILED
  }

  private final TaskId task;
  private final Reason reason;

  /**
   * An exception for {@code task} failing for {@code reason}.
   *
   * @param task the task, or null if it never got an id (refused at submission)
   * @param reason why
   * @param detail a human-readable explanation
   */
  public TaskFailedException(TaskId task, Reason reason, String detail) {
    super(reason + (task == null ? "" : " (" + task + ")") + ": " + detail, null, false, false);
    this.task = task;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * The task that failed.
   *
   * @return the task's id, or null if it was refused before it got an id
   */
  public TaskId task() {
    return task;
  }

  /**
   * Why it failed.
   *
   * @return the reason, never null
   */
  public Reason reason() {
    return reason;
  }
}
