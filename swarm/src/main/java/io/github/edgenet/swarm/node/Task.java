package io.github.edgenet.swarm.node;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A unit of work a host submits to the network with {@link EdgeNode#submit(Task)}: a task type
 * (which executors can run it), an opaque payload, the task embedding (which routes it to an
 * adapter on the node that runs it), the most the submitter will pay and how long it may take.
 *
 * <p>Immutable and thread-safe: the arrays are copied in, and the accessors return copies.
 *
 * @param type the task type, 1 to {@value #MAX_TYPE_LENGTH} characters of printable ASCII
 * @param payload the input bytes, handed to the executor as is
 * @param embedding the task embedding, finite, not all zero; its length must equal the
 *     {@linkplain EdgeNodeConfig#embeddingDimension() configured dimension} of the nodes
 * @param maxPriceMicros the most the submitter pays for one execution, in micro-units, {@code >= 0}
 * @param deadline how long after submission the result must be in, positive
 */
public record Task(
    String type, byte[] payload, float[] embedding, long maxPriceMicros, Duration deadline) {

  /** The longest task type, in characters. */
  public static final int MAX_TYPE_LENGTH = 64;

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException naming the component that is out of range
   */
  public Task {
    checkType(type);
    payload = Objects.requireNonNull(payload, "payload").clone();
    embedding = Objects.requireNonNull(embedding, "embedding").clone();
    checkEmbedding(embedding);
    if (maxPriceMicros < 0) {
      throw new IllegalArgumentException("maxPriceMicros must be >= 0, was " + maxPriceMicros);
    }
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, was " + deadline);
    }
  }

  /**
   * A copy of the payload.
   *
   * @return a copy of the input bytes (changing it changes nothing here)
   */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * A copy of the embedding.
   *
   * @return a copy of the task embedding (changing it changes nothing here)
   */
  @Override
  public float[] embedding() {
    return embedding.clone();
  }

  /**
   * The payload length, without copying the payload.
   *
   * @return the payload length in bytes, 0 or more
   */
  public int payloadLength() {
    return payload.length;
  }

  /**
   * Checks a task type: 1 to {@value #MAX_TYPE_LENGTH} characters, each printable ASCII ({@code
   * 0x21..0x7e}).
   *
   * @param type the task type to check
   * @throws NullPointerException if {@code type} is null
   * @throws IllegalArgumentException if it is empty, too long or has another character
   */
  public static void checkType(String type) {
    Objects.requireNonNull(type, "type");
    if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
      throw new IllegalArgumentException(
          "type must have 1 to " + MAX_TYPE_LENGTH + " characters, had " + type.length());
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "type must be printable ASCII without spaces, had char " + (int) c + " at " + i);
      }
    }
  }

  private static void checkEmbedding(float[] e) {
    if (e.length == 0) {
      throw new IllegalArgumentException("embedding must not be empty");
    }
    boolean nonZero = false;
    for (int i = 0; i < e.length; i++) {
      if (!Float.isFinite(e[i])) {
        throw new IllegalArgumentException("embedding[" + i + "] is not finite: " + e[i]);
      }
      nonZero |= e[i] != 0f;
    }
    if (!nonZero) {
      throw new IllegalArgumentException("embedding must not be all zero");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Task t
        && type.equals(t.type)
        && Arrays.equals(payload, t.payload)
        && Arrays.equals(embedding, t.embedding)
        && maxPriceMicros == t.maxPriceMicros
        && deadline.equals(t.deadline);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(payload), Arrays.hashCode(embedding), maxPriceMicros,
        deadline);
  }

  @Override
  public String toString() {
    return "Task[" + type + ", " + payload.length + " bytes, dim " + embedding.length + ", max "
        + maxPriceMicros + " micros, deadline " + deadline + "]";
  }
}
