package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.PeerNetwork;
import java.io.IOException;
import java.time.Duration;

/**
 * Where a demo run's nodes live: core's simulator on virtual time ({@link SimFabric}) or real
 * JGroups endpoints on loopback on the system clock ({@link LoopbackFabric}). The run's own events
 * (the workload, fault injection, sampling) are scheduled here and run on the thread that calls
 * {@link #runUntil}; the nodes' callbacks run wherever the network runs them.
 */
interface Fabric extends AutoCloseable {
  /** What the report says about the network. */
  String describe();

  /** The clock the nodes use. */
  Clock clock();

  /** Nanoseconds since the run started. */
  long now();

  /** A new endpoint for {@code identity}. */
  PeerNetwork endpoint(NodeIdentity identity) throws IOException;

  /** Called once every endpoint exists: waits until they see each other (real networks). */
  void formed() throws IOException;

  /** Runs {@code task} on the run's thread after {@code delay}. */
  void schedule(Duration delay, Runnable task);

  /** Runs the network and the run's events until {@code nanos} since the start. */
  void runUntil(long nanos);

  /** Whether {@code node} is up (not crashed). */
  boolean isUp(NodeId node);

  /** Messages counted so far. */
  Traffic traffic();

  /**
   * Message counters. On the simulator every field is exact; on a real network {@code lost},
   * {@code partitioned} and {@code toCrashed} are -1 (unknown) and {@code delivered} counts what
   * the endpoints received.
   */
  record Traffic(long sent, long delivered, long lost, long partitioned, long toCrashed) {}

  /** Closes the endpoints this fabric made. */
  @Override
  void close();
}
