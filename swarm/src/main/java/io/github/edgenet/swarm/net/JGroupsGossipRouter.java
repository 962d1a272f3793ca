package io.github.edgenet.swarm.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.jgroups.stack.GossipRouter;
import org.jgroups.stack.IpAddress;

/**
 * A JGroups GossipRouter: the relay that members in {@link JGroupsMode#TUNNEL} mode connect to.
 * Run one (or several, for redundancy) on a host every node can reach, typically with a public
 * address; members behind NAT need only outgoing connections to it. The router forwards bytes
 * between members of the same cluster name; it sees the traffic (signed but not encrypted, see the
 * transport guide) and holds no edgenet state.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class JGroupsGossipRouter implements AutoCloseable {
  private final GossipRouter router;
  private final InetSocketAddress address;

  private JGroupsGossipRouter(GossipRouter router, InetSocketAddress address) {
    this.router = router;
    this.address = address;
  }

  /**
   * Starts a router listening on {@code bind}.
   *
   * @param bind the address and port to listen on; port 0 picks a free port (see {@link
   *     #address()})
   * @return the running router
   * @throws IllegalArgumentException if {@code bind} is unresolved
   * @throws IOException if it cannot listen there (e.g. the port is taken)
   */
  public static JGroupsGossipRouter start(InetSocketAddress bind) throws IOException {
    Objects.requireNonNull(bind, "bind");
    if (bind.isUnresolved()) {
      throw new IllegalArgumentException("bind must be a resolved address, was " + bind);
    }
    GossipRouter router;
    try {
      router = new GossipRouter(bind.getAddress(), bind.getPort());
      router.jmx(false);
      router.start();
    } catch (Exception e) {
      throw new IOException("could not start a GossipRouter on " + bind + ": " + e.getMessage(), e);
    }
    int port = router.port();
    if (router.localAddress() instanceof IpAddress ip) {
      port = ip.getPort(); // the port actually bound, also when asked for port 0
    }
    return new JGroupsGossipRouter(router, new InetSocketAddress(bind.getAddress(), port));
  }

  /**
   * Where members reach this router: pass it to {@link JGroupsNetworkBuilder#tunnel}.
   *
   * @return the bound address and the port actually bound (never 0, also when started on port 0)
   */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * How many members are connected now.
   *
   * @return the number of connected members, a snapshot that may be stale at once
   */
  public int connectedMembers() {
    return router.numRegisteredClients();
  }

  /** Stops the router; connected members lose it and reconnect to it or another. Idempotent. */
  @Override
  public void close() {
    router.stop();
  }

  @Override
  public String toString() {
    return "JGroupsGossipRouter[" + address + "]";
  }
}
