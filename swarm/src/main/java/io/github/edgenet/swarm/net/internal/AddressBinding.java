package io.github.edgenet.swarm.net.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jgroups.Address;
import org.jgroups.util.ExtendedUUID;

/**
 * Binds a JGroups address to a {@link NodeId}: the address is an {@link ExtendedUUID} that carries
 * the node id and the node's Ed25519 signature over a domain label, the cluster name and the
 * address's 128 bits. Every member sees the binding inside each view, so mapping addresses to node
 * ids needs no extra message and no shared cache.
 *
 * <p>The signature makes the binding hard to squat: a member cannot appear under another node's id
 * without that node's key, since it cannot sign its own random address for it. It authenticates the
 * binding only, never the bytes a member sends; those are authenticated by signed envelopes one
 * layer up. Copying an honest node's address wholesale gives the same JGroups address, which JGroups
 * treats as that member. Stateless and thread-safe.
 */
public final class AddressBinding {
  /** The key of the node id inside the address. */
  static final String ID_KEY = "edgenet.id";
  /** The key of the signature inside the address. */
  static final String SIG_KEY = "edgenet.sig";

  private static final byte[] DOMAIN =
      "edgenet/jgroups-address/v1".getBytes(StandardCharsets.US_ASCII);

  private AddressBinding() {}

  /** A new random address for {@code identity} in {@code cluster}, signed. */
  public static ExtendedUUID create(NodeIdentity identity, String cluster, String logicalName) {
    ExtendedUUID address = ExtendedUUID.randomUUID(logicalName);
    byte[] message = signedBytes(cluster, address.getMostSignificantBits(),
        address.getLeastSignificantBits());
    address.put(ID_KEY, identity.id().toBytes());
    address.put(SIG_KEY, identity.sign(message));
    return address;
  }

  /**
   * The node id {@code address} is bound to in {@code cluster}, or {@code null} if it carries no
   * binding, a malformed one, or one whose signature does not verify.
   */
  public static NodeId verify(Address address, String cluster) {
    if (!(address instanceof ExtendedUUID ext)) {
      return null;
    }
    byte[] id = ext.get(ID_KEY);
    byte[] sig = ext.get(SIG_KEY);
    if (id == null || id.length != NodeId.LENGTH
        || sig == null || sig.length != NodeIdentity.SIGNATURE_LENGTH) {
      return null;
    }
    NodeId node = NodeId.of(id);
    byte[] message = signedBytes(cluster, ext.getMostSignificantBits(),
        ext.getLeastSignificantBits());
    return NodeIdentity.verify(node, message, 0, message.length, sig, 0) ? node : null;
  }

  private static byte[] signedBytes(String cluster, long msb, long lsb) {
    byte[] name = cluster.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + 4 + name.length + 16);
    int p = DOMAIN.length;
    out[p++] = (byte) (name.length >>> 24);
    out[p++] = (byte) (name.length >>> 16);
    out[p++] = (byte) (name.length >>> 8);
    out[p++] = (byte) name.length;
    System.arraycopy(name, 0, out, p, name.length);
    p += name.length;
    for (int i = 7; i >= 0; i--) {
      out[p++] = (byte) (msb >>> (8 * i));
    }
    for (int i = 7; i >= 0; i--) {
      out[p++] = (byte) (lsb >>> (8 * i));
    }
    return out;
  }
}
