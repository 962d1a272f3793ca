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
  final LinkedHashMap<NodeId, Long> offers = new LinkedHashMap<>();
  /** Providers awarded the task at least once. */
  final Set<NodeId> tried = new HashSet<>();
  /** Role each provider was awarded in. */
  final Map<NodeId, Integer> awardedRole = new LinkedHashMap<>();
  /** Providers whose execution failed or whose result failed the verifier: never asked again. */
  final Set<NodeId> failed = new HashSet<>();
  boolean crossCheckDrawn;
  final Map<NodeId, Long> escrowed = new LinkedHashMap<>();
  final List<Got> results = new ArrayList<>();
  List<Offer> ranked = List.of();
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
