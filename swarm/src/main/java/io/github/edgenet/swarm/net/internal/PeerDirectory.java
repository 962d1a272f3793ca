package io.github.edgenet.swarm.net.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Membership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.View;

/**
 * One JGroups view translated to node ids: the SPI {@link Membership} and the maps both ways.
 * Members whose address binding does not verify, and later members claiming a node id an earlier
 * member already holds, are left out (logged once per view). Immutable and thread-safe.
 *
 * @param membership the members with valid bindings, in view order (the coordinator first)
 * @param byId where to send to each node id
 * @param byAddress which node id each member's address is bound to
 * @param others the members other than the local node, for gossip
 * @param excluded how many view members were left out
 */
public record PeerDirectory(
    Membership membership,
    Map<NodeId, Address> byId,
    Map<Address, NodeId> byAddress,
    NodeId[] others,
    int excluded) {
  private static final System.Logger LOG = System.getLogger(PeerDirectory.class.getName());

  /** The directory before the first view. */
  public static final PeerDirectory EMPTY =
      new PeerDirectory(Membership.empty(), Map.of(), Map.of(), new NodeId[0], 0);

  /**
   * Translates {@code view}, reusing the verified bindings of {@code previous} so that each
   * member's signature is checked once.
   */
  public static PeerDirectory of(View view, String cluster, NodeId self, PeerDirectory previous) {
    List<Address> members = view.getMembers();
    List<NodeId> ids = new ArrayList<>(members.size());
    Map<NodeId, Address> byId = HashMap.newHashMap(members.size());
    Map<Address, NodeId> byAddress = HashMap.newHashMap(members.size());
    List<NodeId> others = new ArrayList<>(members.size());
    int excluded = 0;
    for (Address a : members) {
      NodeId id = previous.byAddress.get(a);
      if (id == null) {
        id = AddressBinding.verify(a, cluster);
      }
      if (id == null || byId.containsKey(id)) {
        excluded++;
        LOG.log(System.Logger.Level.WARNING,
            "view {0}: member {1} left out ({2})", view.getViewId(), a,
            id == null ? "no valid node-id binding" : "claims " + id + ", held by an older member");
        continue;
      }
      ids.add(id);
      byId.put(id, a);
      byAddress.put(a, id);
      if (!id.equals(self)) {
        others.add(id);
      }
    }
    return new PeerDirectory(Membership.of(ids), Map.copyOf(byId), Map.copyOf(byAddress),
        others.toArray(new NodeId[0]), excluded);
  }
}
