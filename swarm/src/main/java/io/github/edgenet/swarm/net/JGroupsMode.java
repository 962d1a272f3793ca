package io.github.edgenet.swarm.net;

/** How a {@link JGroupsNetwork} reaches its peers. */
public enum JGroupsMode {
  /**
   * TCP connections between members, the cluster found through a static seed list (JGroups'
   * TCPPING): loopback, a LAN, or hosts that can reach each other's listen port.
   */
  TCP,
  /**
   * Every member keeps outgoing TCP connections to one or more GossipRouters, which relay traffic
   * (JGroups' TUNNEL): for nodes behind NAT or firewalls that allow no incoming connection.
   */
  TUNNEL,
  /** JGroups' in-JVM transport (SHARED_LOOPBACK): members of one JVM, for tests. */
  SHARED_LOOPBACK
}
