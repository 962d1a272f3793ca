package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.identity.NodeId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A test observer: records every delivery (time, from, to, payload hash) into a SHA-256 digest and
 * optionally a list, and counts drops by reason.
 */
final class Trace implements SimulationObserver {
  record Delivery(long time, NodeId from, NodeId to, byte[] message) {}

  record Drop(long time, NodeId from, NodeId to, byte[] message, DropReason reason) {}

  private final MessageDigest digest;
  private final ByteBuffer buf = ByteBuffer.allocate(8 + 2 * NodeId.LENGTH + 4);
  private final boolean keep;
  final List<Delivery> deliveries = new ArrayList<>();
  final List<Drop> drops = new ArrayList<>();
  final Map<DropReason, Integer> dropCounts = new EnumMap<>(DropReason.class);
  long deliveryCount;

  Trace(boolean keep) {
    this.keep = keep;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void onDelivered(long timeNanos, NodeId from, NodeId to, byte[] message) {
    deliveryCount++;
    buf.clear();
    buf.putLong(timeNanos);
    from.writeTo(buf.array(), 8);
    to.writeTo(buf.array(), 8 + NodeId.LENGTH);
    buf.position(8 + 2 * NodeId.LENGTH);
    buf.putInt(Arrays.hashCode(message));
    digest.update(buf.array());
    if (keep) {
      deliveries.add(new Delivery(timeNanos, from, to, message));
    }
  }

  @Override
  public void onDropped(long timeNanos, NodeId from, NodeId to, byte[] message, DropReason reason) {
    dropCounts.merge(reason, 1, Integer::sum);
    if (keep) {
      drops.add(new Drop(timeNanos, from, to, message, reason));
    }
  }

  int drops(DropReason reason) {
    return dropCounts.getOrDefault(reason, 0);
  }

  /** The digest of all deliveries so far, in hex (ends the digest: call once). */
  String digestHex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
