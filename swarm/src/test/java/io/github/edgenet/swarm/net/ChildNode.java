package io.github.edgenet.swarm.net;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link MultiJvmClusterTest} starts in each child JVM: one TCP endpoint on 127.0.0.1
 * that answers signed requests and sends {@link #REQUESTS} to every other member. It talks to the
 * parent through its standard streams: it prints {@code LISTEN port}, {@code ID hex}, then one
 * {@code OK peerHex count retries=r} per peer whose responses all verified, then {@code DONE},
 * and {@code VIEW size} at each membership change; it keeps answering until its standard input
 * closes, then leaves and exits 0. {@code FAIL reason} and exit
 * status 1 on any failure.
 *
 * <p>Arguments: cluster name, the seed's port (0 for the first node), the expected cluster size,
 * the identity's seed.
 */
public final class ChildNode {
  static final int REQUESTS = 5;

  private ChildNode() {}

  /**
   * Runs the child.
   *
   * @param args cluster, seed port, expected members, identity seed
   */
  public static void main(String[] args) throws Exception {
    String cluster = args[0];
    int seedPort = Integer.parseInt(args[1]);
    int expected = Integer.parseInt(args[2]);
    NodeIdentity identity = NodeIdentity.generate(RandomSource.seeded(Long.parseLong(args[3])));
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    List<InetSocketAddress> seeds =
        seedPort == 0 ? List.of() : List.of(new InetSocketAddress(loopback, seedPort));
    try (JGroupsNetwork net = JGroupsNetwork.builder(identity, cluster)
        .tcp(new InetSocketAddress(loopback, 0), seeds).connect()) {
      SignedEcho echo = new SignedEcho(identity, net, Clock.system());
      net.onMembershipChange(view -> say("VIEW " + view.size()));
      say("LISTEN " + net.listenAddress().getPort());
      say("ID " + identity.id().toHex());
      Clock clock = Clock.system();
      long end = clock.nanos() + TimeUnit.SECONDS.toNanos(60);
      while (net.membership().size() < expected) {
        if (clock.nanos() - end > 0) {
          fail("only " + net.membership() + " after 60 s");
        }
        Thread.sleep(10);
      }
      List<NodeId> peers = new ArrayList<>(net.membership().members());
      peers.remove(identity.id());
      for (NodeId peer : peers) {
        List<CompletableFuture<Envelope>> futures = new ArrayList<>();
        for (int k = 0; k < REQUESTS; k++) {
          futures.add(echo.request(peer, ("hello " + k).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        say("OK " + peer.toHex() + " " + futures.size() + " retries=" + echo.retries.sum());
      }
      say("DONE");
      InputStream in = System.in;
      while (in.read() >= 0) {
        // keep answering the others until the parent closes our input
      }
    } catch (Exception e) {
      fail(e.toString());
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void fail(String reason) {
    say("FAIL " + reason);
    System.exit(1);
  }
}
