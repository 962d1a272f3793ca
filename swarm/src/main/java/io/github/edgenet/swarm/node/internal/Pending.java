package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskId;
import io.github.edgenet.swarm.node.TaskState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One task this node submitted and has not finished: the submitter's state machine's data. */
final class Pending {
  /** A verified result a provider signed. */
  record Got(NodeId provider, byte[] result, byte[] frame) {}

  final TaskId id;
  final Task task;
  final long deadlineMillis;
  final long startNanos;
  final CompletableFuture<byte[]> future = new CompletableFuture<>();

  TaskState state = TaskState.REQUESTING;
  int rounds;
  /** Whether a provider answered BUSY since the last request round, and the longest wait asked. */
  boolean busy;
  long busyRetryAfterMillis;
  /** Request rounds repeated because providers were busy. */
  int busyRetries;
  /** When the last REQUEST went out (round trips of the commitments), node clock nanos. */
  long requestNanos;
  /** The sealed auction: commitments, rounds, reveals. */
  final TaskAuction auction;
  /** The role the open reveal round's winner is awarded in. */
  int roundRole;
  /** The open reveal round's window, milliseconds. */
  long roundWindowMillis;
  /** Reveals above the task's price limit, over all rounds. */
  int overLimit;
  /** Providers awarded the task at least once. */
  final Set<NodeId> tried = new HashSet<>();
  /** Role each provider was awarded in. */
  final Map<NodeId, Integer> awardedRole = new LinkedHashMap<>();
  /** Providers whose execution failed or whose result failed the verifier: never asked again. */
  final Set<NodeId> failed = new HashSet<>();
  boolean crossCheckDrawn;
  final Map<NodeId, Long> escrowed = new LinkedHashMap<>();
  final List<Got> results = new ArrayList<>();
  /** Settled bidders with their award prices, in the order of the rounds, best first in each. */
  final List<Offer> ranked = new ArrayList<>();
  int verificationFailures;
  int needed = 1;

  NodeId current;
  int currentRole;
  long currentPrice;
  int attempts;
  Cancellable phaseTimer;
  Cancellable deadlineTimer;

  Pending(TaskId id, Task task, long deadlineMillis, long startNanos) {
    this.id = id;
    this.task = task;
    this.deadlineMillis = deadlineMillis;
    this.startNanos = startNanos;
    this.auction = new TaskAuction(id, task.maxPriceMicros());
  }

  /** Whether {@code provider} already returned a verified result. */
  boolean answered(NodeId provider) {
    for (Got g : results) {
      if (g.provider().equals(provider)) {
        return true;
      }
    }
    return false;
  }

  void cancelTimers() {
    if (phaseTimer != null) {
      phaseTimer.cancel();
      phaseTimer = null;
    }
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
      deadlineTimer = null;
    }
  }

  void cancelPhase() {
    if (phaseTimer != null) {
      phaseTimer.cancel();
      phaseTimer = null;
    }
  }
}
