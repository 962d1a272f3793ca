package io.github.edgenet.swarm.node.internal;

/** The honest default {@link ResourceGate}: admits every task. Stateless and thread-safe. */
public final class AlwaysAdmit implements ResourceGate {
  @Override
  public boolean admit(String type) {
    return true;
  }
}
