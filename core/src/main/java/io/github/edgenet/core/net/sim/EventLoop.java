package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.net.Cancellable;
import java.time.Duration;

/**
 * Time and scheduling: the one event queue, the virtual clock it moves, the timers, and the loop
 * that takes events off the queue and runs them. Messages are handed to the {@link Transport},
 * view notifications to the {@link MembershipViews}. Events run in order of (time, insertion), so
 * the order of a run is a function of the order of pushes. Not thread-safe.
 */
final class EventLoop {
  /** Marker payload: tell node {@code to} its view changed (no allocation per notification). */
  static final Object NOTIFY_VIEW = new Object();

  final EventQueue queue = new EventQueue(1024);
  private final VirtualClock clock;
  private final NodeTable nodes;
  private Transport transport;
  private MembershipViews views;
  /** The current virtual time; the clock reads the same whenever no one else moved it. */
  long now;
  private boolean running;
  long events;
  long timersRun;

  EventLoop(VirtualClock clock, NodeTable nodes) {
    this.clock = clock;
    this.nodes = nodes;
    this.now = clock.nanos();
  }

  /** Completes the wiring: the loop hands messages to {@code transport}, notifications to views. */
  void attach(Transport transport, MembershipViews views) {
    this.transport = transport;
    this.views = views;
  }

  VirtualClock clock() {
    return clock;
  }

  /** A task at {@code at} that belongs to node {@code node} (lost if the node is down), or -1. */
  Cancellable schedule(long at, int node, Runnable task) {
    Timer timer = new Timer(task);
    queue.push(at, -1, node, timer);
    return timer;
  }

  /** A node's timer that is lost at once because its node is down: a handle that cancels nothing. */
  static Cancellable lostTimer(Runnable task) {
    Timer timer = new Timer(task);
    timer.done = true;
    return timer;
  }

  boolean step() {
    enter();
    try {
      while (!queue.isEmpty()) {
        if (dispatchNext()) {
          return true;
        }
      }
      return false;
    } finally {
      running = false;
    }
  }

  void runUntil(long timeNanos) {
    if (timeNanos < now) {
      throw new IllegalArgumentException(
          "timeNanos must be >= now (" + now + " ns), was " + timeNanos);
    }
    enter();
    try {
      EventQueue q = queue;
      while (!q.isEmpty() && q.topTime() <= timeNanos) {
        dispatchNext();
      }
      advanceClock(timeNanos);
    } finally {
      running = false;
    }
  }

  boolean runUntilIdle(long maxEvents) {
    if (maxEvents < 0) {
      throw new IllegalArgumentException("maxEvents must be >= 0, was " + maxEvents);
    }
    enter();
    try {
      EventQueue q = queue;
      long done = 0;
      while (done < maxEvents && !q.isEmpty()) {
        if (dispatchNext()) {
          done++;
        }
      }
      discardCancelledTimers();
      return q.isEmpty();
    } finally {
      running = false;
    }
  }

  /**
   * {@code now + delay}.
   *
   * @throws IllegalArgumentException if {@code delay} is negative or the instant overflows
   */
  long instantAfter(Duration delay) {
    long d = LatencyModels.nanos("delay", delay);
    long at = now + d;
    if (at < now) {
      throw new IllegalArgumentException("delay " + delay + " from now (" + now + " ns) overflows");
    }
    return at;
  }

  /** Takes the next event off the queue and runs it; {@code false} if it was a cancelled timer. */
  private boolean dispatchNext() {
    EventQueue q = queue;
    Object payload = q.topPayload();
    if (payload instanceof Timer timer && timer.done) {
      q.pop();
      return false;
    }
    long time = q.topTime();
    long seq = q.topSeq();
    int from = q.topFrom();
    int to = q.topTo();
    q.pop();
    advanceClock(time);
    events++;
    if (payload instanceof byte[] message) {
      transport.arrive(from, from, to, seq, message);
    } else if (payload instanceof Timer timer) {
      runTimer(timer, to, seq);
    } else if (payload instanceof Transport.Spoofed s) {
      transport.arrive(s.realFrom(), from, to, seq, s.message());
    } else if (payload == NOTIFY_VIEW) {
      views.notify(nodes.get(to));
    } else {
      ((Runnable) payload).run();
    }
    return true;
  }

  private void runTimer(Timer timer, int to, long seq) {
    timer.done = true;
    if (to >= 0) {
      SimulatedNode n = nodes.get(to);
      if (n.state != SimulatedNode.UP || seq < n.dropBeforeSeq) {
        return; // lost with its node
      }
    }
    timersRun++;
    timer.task.run();
  }

  private void enter() {
    if (running) {
      throw new IllegalStateException(
          "the simulator is already running: run methods cannot be called from node code");
    }
    running = true;
  }

  private void advanceClock(long time) {
    if (time != now) {
      long c = clock.nanos();
      if (c != now) {
        throw new IllegalStateException(
            "the simulator's clock was moved from outside: expected " + now + " ns, found " + c);
      }
      clock.advanceTo(time);
      now = time;
    }
  }

  private void discardCancelledTimers() {
    EventQueue q = queue;
    while (!q.isEmpty() && q.topPayload() instanceof Timer t && t.done) {
      q.pop();
    }
  }

  /** A timer task in the queue; {@code done} once run, cancelled or lost. */
  private static final class Timer implements Cancellable {
    final Runnable task;
    boolean done;

    Timer(Runnable task) {
      this.task = task;
    }

    @Override
    public boolean cancel() {
      if (done) {
        return false;
      }
      done = true;
      return true;
    }
  }
}
