package io.github.edgenet.learning.actor;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The single-writer aggregation actor: gradients (or any update vectors) from many producer
 * threads go through a bounded mailbox to one virtual thread, which alone owns the running sum.
 * Producers never touch the sum, so it needs no lock, and the order of additions is the mailbox
 * order.
 *
 * <pre>{@code
 * try (GradientActor actor = GradientActor.start("adapter-7", dimension, 1024)) {
 *   if (!actor.offer(gradient, Duration.ofMillis(5))) {
 *     // backpressure: the mailbox stayed full; drop, retry or slow down
 *   }
 *   GradientActor.Snapshot s = actor.drain().join();   // mean of everything since the last drain
 *   trainer.setGradients(...s.mean()...);
 * }                                                    // close(): drains every accepted update
 * }</pre>
 *
 * <p><b>Backpressure.</b> The mailbox holds at most {@code capacity} messages; {@link #offer}
 * waits up to the given timeout for room and returns {@code false} if there is none (the caller
 * sees the rejection, nothing is queued), {@link #tryOffer} does not wait.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops accepting (later offers return {@code false}),
 * lets the actor process every update accepted before, and waits for the thread to end; the final
 * totals are then in {@link #total()}. No accepted update is lost.
 *
 * <p><b>Thread-safety.</b> Thread-safe: any number of producers; the sum is confined to the actor
 * thread. Vectors are copied on offer. Waiting uses the JDK's blocking-queue timeouts (real time;
 * it is flow control, not simulated time).
 */
public final class GradientActor implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GradientActor.class.getName());

  private sealed interface Message permits Update, Drain, Stop {}

  private record Update(float[] vector) implements Message {}

  private record Drain(CompletableFuture<Snapshot> reply) implements Message {}

  private record Stop() implements Message {}

  /**
   * The mean of the updates since the previous drain.
   *
   * @param count how many updates
   * @param mean their mean (zeros if none)
   */
  public record Snapshot(long count, float[] mean) {}

  private final int dimension;
  private final BlockingQueue<Message> mailbox;
  private final Thread thread;
  private final Object admission = new Object();
  private volatile boolean closing;
  private int offering;
  // Owned by the actor thread.
  private final double[] sum;
  private long sinceDrain;
  private long processed;
  private final double[] total;

  private GradientActor(String name, int dimension, int capacity) {
    this.dimension = dimension;
    this.mailbox = new ArrayBlockingQueue<>(capacity + 1); // +1: room for the stop message
    this.sum = new double[dimension];
    this.total = new double[dimension];
    this.thread = Thread.ofVirtual().name("gradient-actor-" + name).unstarted(this::run);
  }

  /**
   * Starts an actor on a new virtual thread.
   *
   * @param name for the thread's name
   * @param dimension the vector length, {@code >= 1}
   * @param capacity the mailbox bound, {@code >= 1}
   * @return the running actor
   * @throws IllegalArgumentException if a value is out of range
   */
  public static GradientActor start(String name, int dimension, int capacity) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    GradientActor a = new GradientActor(name, dimension, capacity);
    a.thread.start();
    return a;
  }

  /**
   * Offers an update, waiting up to {@code timeout} for room in the mailbox.
   *
   * @param vector the update, {@code dimension} finite floats (copied)
   * @param timeout the longest wait, {@code >= 0}
   * @return whether it was accepted; {@code false} if the mailbox stayed full or the actor is
   *     closing
   * @throws IllegalArgumentException if the length differs or a value is not finite
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean offer(float[] vector, Duration timeout) throws InterruptedException {
    Update u = update(vector);
    synchronized (admission) {
      if (closing) {
        return false;
      }
      offering++; // close() waits for in-progress offers before queueing its stop message
    }
    try {
      return mailbox.offer(u, timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      synchronized (admission) {
        offering--;
        admission.notifyAll();
      }
    }
  }

  /**
   * Offers an update without waiting.
   *
   * @param vector the update, {@code dimension} finite floats (copied)
   * @return whether it was accepted
   * @throws IllegalArgumentException if the length differs or a value is not finite
   */
  public boolean tryOffer(float[] vector) {
    Update u = update(vector);
    synchronized (admission) {
      return !closing && mailbox.offer(u);
    }
  }

  private Update update(float[] vector) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException(
          "vector must have length " + dimension + ", had " + vector.length);
    }
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        throw new IllegalArgumentException("vector[" + i + "] must be finite, was " + vector[i]);
      }
    }
    return new Update(vector.clone());
  }

  /**
   * Asks the actor for the mean of the updates since the previous drain and resets it. The reply
   * comes after every update queued before this request.
   *
   * @return the future snapshot; completed exceptionally with {@link IllegalStateException} if
   *     the actor is closed
   */
  public CompletableFuture<Snapshot> drain() {
    CompletableFuture<Snapshot> f = new CompletableFuture<>();
    synchronized (admission) {
      if (closing) {
        f.completeExceptionally(new IllegalStateException("actor is closed"));
        return f;
      }
      try {
        mailbox.put(new Drain(f));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        f.completeExceptionally(e);
      }
    }
    return f;
  }

  /**
   * The sum of every update processed so far (a copy). After {@link #close()} it covers every
   * accepted update.
   *
   * @return the totals, in double
   */
  public double[] total() {
    synchronized (total) {
      return total.clone();
    }
  }

  /**
   * Updates processed so far.
   *
   * @return the count
   */
  public long processed() {
    synchronized (total) {
      return processed;
    }
  }

  /**
   * Stops accepting, processes every accepted update, and waits for the actor thread to end.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (admission) {
      if (!closing) {
        closing = true;
        boolean interrupted = false;
        while (offering > 0) {
          try {
            admission.wait();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        while (true) {
          try {
            mailbox.put(new Stop());
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      Message m;
      try {
        m = mailbox.take();
      } catch (InterruptedException e) {
        LOG.log(System.Logger.Level.WARNING, "gradient actor interrupted; continuing until close");
        continue;
      }
      switch (m) {
        case Update u -> {
          float[] v = u.vector();
          synchronized (total) {
            for (int i = 0; i < dimension; i++) {
              sum[i] += v[i];
              total[i] += v[i];
            }
            processed++;
          }
          sinceDrain++;
        }
        case Drain d -> {
          float[] mean = new float[dimension];
          if (sinceDrain > 0) {
            for (int i = 0; i < dimension; i++) {
              mean[i] = (float) (sum[i] / sinceDrain);
            }
          }
          d.reply().complete(new Snapshot(sinceDrain, mean));
          java.util.Arrays.fill(sum, 0);
          sinceDrain = 0;
        }
        case Stop s -> {
          // Updates that slipped in after Stop (offer raced with close) are still processed.
          Message rest;
          while ((rest = mailbox.poll()) != null) {
            if (rest instanceof Update u) {
              synchronized (total) {
                for (int i = 0; i < dimension; i++) {
                  total[i] += u.vector()[i];
                }
                processed++;
              }
            } else if (rest instanceof Drain d) {
              d.reply().completeExceptionally(new IllegalStateException("actor closed"));
            }
          }
          return;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "GradientActor[" + thread.getName() + ", d " + dimension + ", queued "
        + mailbox.size() + (closing ? ", closing" : "") + "]";
  }
}
