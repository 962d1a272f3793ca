package io.github.edgenet.swarm.net.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.net.Cancellable;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One thread that runs an endpoint's callbacks one at a time: queued tasks in FIFO order and timers
 * at their due instant on a {@link Clock}. Tasks due at the same instant run in the order they were
 * scheduled. What runs before a task happens-before it (the lock hand-over).
 *
 * <p>The queue of immediate tasks is bounded: {@link #offer} refuses a task when it is full, so a
 * flood of inbound messages cannot exhaust the heap. Timers are not bounded (the node schedules
 * them itself).
 *
 * <p>Waits are computed from the clock's {@link Clock#nanos()}: the clock must advance by itself
 * (the system clock, or a clock derived from it). A task that throws is logged and does not stop
 * the thread. Thread-safe.
 */
public final class SerialExecutor {
  private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

  private final Clock clock;
  private final int maxQueued;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final Thread thread;
  private long nextSeq;
  private boolean stopped;

  /**
   * Starts the thread.
   *
   * @param clock the time timers are due on
   * @param maxQueued how many immediate tasks may wait, {@code >= 1}
   * @param threadName the thread's name
   */
  public SerialExecutor(Clock clock, int maxQueued, String threadName) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be >= 1, was " + maxQueued);
    }
    this.maxQueued = maxQueued;
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
    thread.start();
  }

  /**
   * Queues {@code task} to run as soon as the tasks before it have run.
   *
   * @return {@code false} if the queue is full or the executor stopped: the task will not run
   */
  public boolean offer(Runnable task) {
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      if (stopped || queue.size() >= maxQueued) {
        return false;
      }
      queue.addLast(task);
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code task} like {@link #offer} but regardless of the bound, for control tasks the
   * endpoint coalesces itself (membership notifications).
   *
   * @return {@code false} if the executor stopped: the task will not run
   */
  public boolean submit(Runnable task) {
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      if (stopped) {
        return false;
      }
      queue.addLast(task);
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code task} once, {@code delayNanos} from now on the clock.
   *
   * @return a handle that cancels the task
   * @throws IllegalStateException if the executor stopped
   */
  public Cancellable schedule(long delayNanos, Runnable task) {
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      if (stopped) {
        throw new IllegalStateException("the endpoint is closed");
      }
      long now = clock.nanos();
      long due = now + delayNanos;
      if (due < now) {
        throw new IllegalArgumentException("delay of " + delayNanos + " ns is too large");
      }
      Timer timer = new Timer(due, nextSeq++, task);
      timers.add(timer);
      if (timers.peek() == timer) {
        changed.signal();
      }
      return timer;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the calling thread is this executor's thread. */
  public boolean inExecutorThread() {
    return Thread.currentThread() == thread;
  }

  /** How many immediate tasks wait now (a snapshot). */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops: pending tasks and timers are dropped, the task running now (if any) finishes. Waits up
   * to {@code waitMillis} for the thread to end, unless called from the thread itself. Idempotent.
   */
  public void shutdown(long waitMillis) {
    lock.lock();
    try {
      stopped = true;
      queue.clear();
      timers.clear();
      changed.signal();
    } finally {
      lock.unlock();
    }
    if (!inExecutorThread()) {
      try {
        thread.join(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    while (true) {
      Runnable next;
      lock.lock();
      try {
        next = null;
        while (next == null) {
          if (stopped) {
            return;
          }
          Timer head = timers.peek();
          long now = clock.nanos();
          if (head != null && head.due - now <= 0) {
            timers.poll();
            if (head.cancelled) {
              continue;
            }
            head.done = true;
            next = head.task;
          } else if (!queue.isEmpty()) {
            next = queue.pollFirst();
          } else if (head != null) {
            changed.awaitNanos(head.due - now);
          } else {
            changed.await();
          }
        }
      } catch (InterruptedException e) {
        // Nothing interrupts this thread but a JVM shutting down: leave.
        return;
      } finally {
        lock.unlock();
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.WARNING, "an endpoint callback threw; continuing", e);
        if (e instanceof VirtualMachineError) {
          throw e;
        }
      }
    }
  }

  private final class Timer implements Cancellable, Comparable<Timer> {
    final long due;
    final long seq;
    final Runnable task;
    boolean cancelled;
    boolean done;

    Timer(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public boolean cancel() {
      lock.lock();
      try {
        if (cancelled || done || stopped) {
          return false;
        }
        cancelled = true;
        timers.remove(this);
        return true;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(due - o.due, 0);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
