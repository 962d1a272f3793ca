package io.github.edgenet.core.net;

/**
 * A pending timer that can be cancelled, as returned by {@link PeerNetwork#schedule}.
 *
 * <p>Thread-safety is that of the endpoint that returned it; the simulator's are confined to the
 * simulator's thread.
 */
@FunctionalInterface
public interface Cancellable {

  /**
   * Cancels the task if it has not run yet.
   *
   * @return {@code true} if this call stopped the task from running; {@code false} if it had already
   *     run, was already cancelled, or was lost (for example when its node crashed)
   */
  boolean cancel();
}
