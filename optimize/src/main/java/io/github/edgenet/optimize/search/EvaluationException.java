package io.github.edgenet.optimize.search;

import java.io.Serial;

/** An {@link Evaluator} failed or returned nothing for a candidate; the search run ends. */
public final class EvaluationException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** The candidate, as text (candidates are not serializable). */
  private final String candidate;

  /**
   * An exception for {@code candidate}.
   *
   * @param candidate the candidate whose evaluation failed
   * @param message what went wrong
   * @param cause the evaluator's exception, or null
   */
  public EvaluationException(Candidate candidate, String message, Throwable cause) {
    super("evaluation of " + candidate + " failed: " + message, cause);
    this.candidate = String.valueOf(candidate);
  }

  /**
   * The failed candidate, as text.
   *
   * @return the failed candidate's {@link Candidate#toString()}, to name it in logs
   */
  public String candidate() {
    return candidate;
  }
}
