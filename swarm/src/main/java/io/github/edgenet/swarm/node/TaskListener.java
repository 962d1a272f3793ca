package io.github.edgenet.swarm.node;

/**
 * Hears every {@link TaskEvent} of one node; added with {@link EdgeNode#addListener}. Called on the
 * node's network thread, one event at a time, in order; it must return quickly and must not throw
 * (a throw is logged and ignored).
 */
@FunctionalInterface
public interface TaskListener {

  /**
   * One step happened.
   *
   * @param event what happened
   */
  void onEvent(TaskEvent event);
}
