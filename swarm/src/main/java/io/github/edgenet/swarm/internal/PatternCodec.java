package io.github.edgenet.swarm.internal;

import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of collective-memory patterns: version, dimension, count, then per pattern its
 * sequence, traces, quality sum, common tags and unit centroid. Decoding checks every bound and
 * value before returning anything. Stateless and thread-safe.
 */
public final class PatternCodec {
  /** Payload format version. */
  public static final int VERSION = 1;

  /**
   * One pattern on the wire.
   *
   * @param sequence its number at its origin
   * @param traces traces behind it, {@code >= 1}
   * @param qualitySum sum of their qualities, in {@code [0, traces + 1)}
   * @param tags common tags
   * @param centroid unit centroid
   */
  public record Record(long sequence, long traces, double qualitySum, List<String> tags, float[] centroid) {}

  private PatternCodec() {}

  /** Encodes {@code records} of dimension {@code d} into one payload. */
  public static byte[] encode(int d, List<Record> records) {
    WireWriter w = new WireWriter().u8(VERSION).u16(d).u16(records.size());
    for (Record p : records) {
      w.i64(p.sequence()).i64(p.traces()).f64(p.qualitySum()).u8(p.tags().size());
      for (String tag : p.tags()) {
        w.string(tag);
      }
      for (float v : p.centroid()) {
        w.f32(v);
      }
    }
    return w.toByteArray();
  }

  /**
   * Decodes a payload for a memory of dimension {@code d}.
   *
   * @throws SwarmProtocolException naming the first bad field
   */
  public static List<Record> decode(ByteBuffer payload, int d, int maxPatterns, int maxTags, int maxTagBytes)
      throws SwarmProtocolException {
    WireReader r = new WireReader(payload);
    r.version(VERSION);
    int dim = r.u16("dimension");
    if (dim != d) {
      throw new SwarmProtocolException(Reason.BAD_VALUE, "dimension " + dim + ", this memory has " + d);
    }
    int n = r.count("patterns", maxPatterns);
    List<Record> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long sequence = r.nonNegative("sequence");
      long traces = r.nonNegative("traces");
      double qualitySum = r.finite("qualitySum");
      if (traces < 1 || qualitySum < 0 || qualitySum >= traces + 1) {
        throw new SwarmProtocolException(
            Reason.BAD_VALUE, "pattern " + i + ": traces " + traces + ", qualitySum " + qualitySum);
      }
      int tagCount = r.u8("tags");
      if (tagCount > maxTags) {
        throw new SwarmProtocolException(Reason.OVER_LIMIT, "pattern " + i + ": " + tagCount + " tags");
      }
      List<String> tags = new ArrayList<>(tagCount);
      for (int t = 0; t < tagCount; t++) {
        String tag = r.string("tag", maxTagBytes);
        if (tag.isEmpty()) {
          throw new SwarmProtocolException(Reason.BAD_VALUE, "pattern " + i + ": empty tag");
        }
        tags.add(tag);
      }
      float[] c = new float[d];
      double norm2 = 0;
      for (int j = 0; j < d; j++) {
        c[j] = r.finiteFloat("centroid");
        norm2 += (double) c[j] * c[j];
      }
      if (Math.abs(norm2 - 1) > 1e-3) {
        throw new SwarmProtocolException(Reason.BAD_VALUE, "pattern " + i + ": centroid norm^2 " + norm2);
      }
      out.add(new Record(sequence, traces, qualitySum, List.copyOf(tags), c));
    }
    r.end();
    return out;
  }
}
