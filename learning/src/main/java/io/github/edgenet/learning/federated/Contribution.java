package io.github.edgenet.learning.federated;

import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One agent's signed contribution to a federated round: a parameter vector or delta, the number of
 * samples behind it, a quality score, and the model version it was computed from. The agent is the
 * envelope's signer, never a field the agent fills in.
 *
 * <p>Payload (big-endian): {@code round u64, baseVersion u64, samples u64, quality f64, d u32,
 * d x f32}; the dimension is checked against a bound before allocating, and every value must be
 * finite.
 *
 * @param agent the signer
 * @param round the round this contribution is for
 * @param baseVersion the model version the agent trained from (for the staleness bound)
 * @param samples the samples behind it, {@code >= 1}
 * @param quality the agent's quality score (for example held-out accuracy), finite
 * @param vector the parameters or delta, finite
 */
public record Contribution(NodeId agent, long round, long baseVersion, long samples,
    double quality, float[] vector) {

  /** Default envelope message type of contributions. */
  public static final int ENVELOPE_TYPE = 0x4A02;

  private static final int HEADER = 36;

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException if a field is out of range
   */
  public Contribution {
    Objects.requireNonNull(agent, "agent");
    if (round < 0 || baseVersion < 0) {
      throw new IllegalArgumentException(
          "round and baseVersion must be >= 0, were " + round + " and " + baseVersion);
    }
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be >= 1, was " + samples);
    }
    if (!Double.isFinite(quality)) {
      throw new IllegalArgumentException("quality must be finite, was " + quality);
    }
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        throw new IllegalArgumentException("vector[" + i + "] must be finite, was " + vector[i]);
      }
    }
  }

  /**
   * Signs and frames a contribution for the coordinator.
   *
   * @param sender the agent's envelope sender (its identity is the agent)
   * @param round the round
   * @param baseVersion the model version trained from
   * @param samples the sample count, {@code >= 1}
   * @param quality the quality score, finite
   * @param vector the vector, finite
   * @return the signed frame
   * @throws IllegalArgumentException if a value is out of range
   */
  public static byte[] encode(EnvelopeSender sender, long round, long baseVersion, long samples,
      double quality, float[] vector) {
    new Contribution(sender.id(), round, baseVersion, samples, quality, vector);
    ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * vector.length);
    b.putLong(round).putLong(baseVersion).putLong(samples).putDouble(quality)
        .putInt(vector.length);
    for (float v : vector) {
      b.putFloat(v);
    }
    return sender.encode(ENVELOPE_TYPE, b.array());
  }

  /**
   * Checks a frame's envelope and parses the contribution.
   *
   * @param decoder the coordinator's envelope decoder
   * @param frame the bytes
   * @param dimension the expected vector length
   * @return the contribution, its agent the envelope's verified signer
   * @throws FederatedException if the envelope, the type, the length, the dimension or a value is
   *     bad
   */
  public static Contribution decode(EnvelopeDecoder decoder, byte[] frame, int dimension)
      throws FederatedException {
    Envelope e;
    try {
      e = decoder.decode(frame);
    } catch (EnvelopeException ex) {
      throw new FederatedException(FederatedException.Reason.ENVELOPE, ex.getMessage(), ex);
    }
    if (e.type() != ENVELOPE_TYPE) {
      throw new FederatedException(FederatedException.Reason.MALFORMED,
          "envelope type " + e.type() + ", expected " + ENVELOPE_TYPE, null);
    }
    ByteBuffer b = e.payload();
    if (b.remaining() < HEADER) {
      throw new FederatedException(FederatedException.Reason.MALFORMED,
          "payload of " + b.remaining() + " bytes is shorter than the header", null);
    }
    long round = b.getLong();
    long base = b.getLong();
    long samples = b.getLong();
    double quality = b.getDouble();
    long d = Integer.toUnsignedLong(b.getInt());
    if (d != dimension) {
      throw new FederatedException(FederatedException.Reason.WRONG_DIMENSION,
          "dimension " + d + ", expected " + dimension, null);
    }
    if (b.remaining() != 4L * dimension) {
      throw new FederatedException(FederatedException.Reason.MALFORMED,
          b.remaining() + " vector bytes, expected " + 4L * dimension, null);
    }
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = b.getFloat();
    }
    try {
      return new Contribution(e.sender(), round, base, samples, quality, v);
    } catch (IllegalArgumentException ex) {
      throw new FederatedException(FederatedException.Reason.INVALID, ex.getMessage(), null);
    }
  }

  @Override
  public String toString() {
    return "Contribution[" + agent + ", round " + round + ", base " + baseVersion + ", samples "
        + samples + ", quality " + quality + ", d " + vector.length + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Contribution c && agent.equals(c.agent) && round == c.round
        && baseVersion == c.baseVersion && samples == c.samples
        && Double.compare(quality, c.quality) == 0 && java.util.Arrays.equals(vector, c.vector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(agent, round, baseVersion, samples, quality)
        * 31 + java.util.Arrays.hashCode(vector);
  }
}
