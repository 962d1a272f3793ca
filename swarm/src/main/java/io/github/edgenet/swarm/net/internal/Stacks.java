package io.github.edgenet.swarm.net.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.PING;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.protocols.SHARED_LOOPBACK_PING;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TUNNEL;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The JGroups protocol stacks of the three modes, built in code (no XML). Each is the shape of
 * JGroups' own {@code tcp.xml} / {@code tunnel.xml} with the timeouts shortened for small edge
 * clusters: failures are suspected after {@link #FAILURE_TIMEOUT_MILLIS} without traffic or at once
 * when a TCP connection of the failure detector breaks, and split clusters merge within
 * {@link #MERGE_MAX_MILLIS}. Not instantiable.
 */
public final class Stacks {
  /** How long a silent member is suspected after (FD_ALL3), in milliseconds. */
  public static final long FAILURE_TIMEOUT_MILLIS = 10_000;
  /** The largest interval between merge probes (MERGE3), in milliseconds. */
  public static final long MERGE_MAX_MILLIS = 10_000;
  /** Fragment size: messages longer than this travel as several fragments (FRAG4). */
  static final int FRAG_SIZE = 60_000;
  /** Room for bundling and headers in a TCP frame beyond one message, in bytes. */
  static final int FRAME_HEADROOM = 80 * 1024;

  private Stacks() {}

  /** TCP bound to {@code bind} with TCPPING over {@code seeds} (each probed over port range). */
  public static List<Protocol> tcp(
      InetSocketAddress bind, List<InetSocketAddress> seeds, int portRange, long joinTimeoutMillis,
      int maxMessageBytes) {
    TCP tcp = new TCP();
    tcp.setBindAddress(bind.getAddress());
    tcp.setBindPort(bind.getPort());
    tcp.setPortRange(portRange);
    // JGroups refuses a TCP frame whose length field exceeds this, before allocating it.
    tcp.setMaxLength(Math.min(Integer.MAX_VALUE - FRAME_HEADROOM,
        Math.min(maxMessageBytes, FRAG_SIZE)) + FRAME_HEADROOM);
    TCPPING ping = new TCPPING();
    ping.setInitialHosts(seeds);
    ping.setPortRange(portRange);
    List<Protocol> stack = new ArrayList<>();
    stack.add(tcp);
    stack.add(ping);
    stack.add(merge());
    FD_SOCK2 fdSock = new FD_SOCK2();
    fdSock.setBindAddress(bind.getAddress());
    stack.add(fdSock);
    addUpper(stack, joinTimeoutMillis);
    return stack;
  }

  /** TUNNEL through the GossipRouters {@code routers}, discovery by PING through them. */
  public static List<Protocol> tunnel(
      List<InetSocketAddress> routers, InetAddress bind, long joinTimeoutMillis)
      throws UnknownHostException {
    TUNNEL tunnel = new TUNNEL();
    StringBuilder hosts = new StringBuilder();
    for (InetSocketAddress r : routers) {
      if (!hosts.isEmpty()) {
        hosts.append(',');
      }
      hosts.append(r.getAddress().getHostAddress()).append('[').append(r.getPort()).append(']');
    }
    tunnel.setGossipRouterHosts(hosts.toString());
    if (bind != null) {
      tunnel.setBindAddress(bind);
    }
    List<Protocol> stack = new ArrayList<>();
    stack.add(tunnel);
    stack.add(new PING());
    stack.add(merge());
    addUpper(stack, joinTimeoutMillis);
    return stack;
  }

  /** JGroups' in-JVM transport: members of one JVM only, no sockets. */
  public static List<Protocol> sharedLoopback(long joinTimeoutMillis) {
    List<Protocol> stack = new ArrayList<>();
    stack.add(new SHARED_LOOPBACK());
    stack.add(new SHARED_LOOPBACK_PING());
    stack.add(merge());
    addUpper(stack, joinTimeoutMillis);
    return stack;
  }

  private static MERGE3 merge() {
    return new MERGE3().setMinInterval(2_000).setMaxInterval(MERGE_MAX_MILLIS);
  }

  private static void addUpper(List<Protocol> stack, long joinTimeoutMillis) {
    stack.add(new FD_ALL3().setTimeout(FAILURE_TIMEOUT_MILLIS).setInterval(2_000));
    stack.add(new VERIFY_SUSPECT2());
    stack.add(new NAKACK2().useMcastXmit(false));
    stack.add(new UNICAST3());
    stack.add(new STABLE());
    GMS gms = new GMS().setJoinTimeout(joinTimeoutMillis);
    gms.printLocalAddress(false); // the library logs through System.Logger, never to stdout
    stack.add(gms);
    stack.add(new UFC());
    stack.add(new MFC());
    stack.add(new FRAG4().setFragSize(FRAG_SIZE));
  }
}
