package io.github.edgenet.swarm.node;

/**
 * Checks a result on the submitting node before it is accepted; registered per task type with
 * {@link EdgeNode.Builder#verifier(String, ResultVerifier)} (without one, every well-formed result
 * passes). A result that fails is recorded as misbehaviour evidence against the node that signed it,
 * and the task goes to the next candidate.
 *
 * <p>Called on the node's network thread; must be quick and must not throw (a throw counts as a
 * failed check).
 */
@FunctionalInterface
public interface ResultVerifier {

  /**
   * Whether {@code result} is an acceptable answer to {@code task}.
   *
   * @param task the task as submitted
   * @param result the result bytes a provider signed
   * @return {@code true} to accept
   */
  boolean verify(Task task, byte[] result);
}
