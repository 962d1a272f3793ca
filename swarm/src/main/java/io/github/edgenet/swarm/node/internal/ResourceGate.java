package io.github.edgenet.swarm.node.internal;

/**
 * SEAM for optimize's resource allocator: whether this node takes on one more task of a type now
 * (it then offers, and runs the award). The default, {@link AlwaysAdmit}, takes everything: tasks
 * run one at a time on the network thread anyway.
 */
public interface ResourceGate {

  /**
   * Whether to offer for / run a task of {@code type}.
   *
   * @param type the task type
   * @return {@code true} to take it
   */
  boolean admit(String type);
}
