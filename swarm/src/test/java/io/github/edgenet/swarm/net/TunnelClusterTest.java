package io.github.edgenet.swarm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three endpoints in TUNNEL mode relayed by one GossipRouter, all on 127.0.0.1. */
class TunnelClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CLUSTER = "tunnel-" + ProcessHandle.current().pid();
  private static final int N = 3;

  private static JGroupsGossipRouter router;
  private static final List<NodeIdentity> ids = new ArrayList<>();
  private static final List<JGroupsNetwork> nodes = new ArrayList<>();
  private static final List<SignedEcho> echoes = new ArrayList<>();

  @BeforeAll
  static void formCluster() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    router = JGroupsGossipRouter.start(new InetSocketAddress(loopback, 0));
    assertTrue(router.address().getPort() > 0, "router " + router.address());
    for (int i = 0; i < N; i++) {
      NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(8000 + i));
      JGroupsNetwork n = JGroupsNetwork.builder(id, CLUSTER)
          .tunnel(List.of(router.address()))
          .tunnelBindAddress(loopback)
          .connect();
      ids.add(id);
      nodes.add(n);
      echoes.add(new SignedEcho(id, n, Clock.system()));
    }
    for (JGroupsNetwork n : nodes) {
      Await.until(() -> n.membership().size() == N, WAIT, () -> n + " sees " + n.membership());
    }
  }

  @AfterAll
  static void close() {
    nodes.forEach(JGroupsNetwork::close);
    if (router != null) {
      router.close();
    }
  }

  @Test
  void signedRequestsAndResponsesTravelThroughTheRouter() throws Exception {
    assertEquals(N, router.connectedMembers());
    List<CompletableFuture<Envelope>> futures = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        if (i != j) {
          futures.add(echoes.get(i).request(ids.get(j).id(), new byte[] {(byte) i, (byte) j, 7}));
        }
      }
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(N * (N - 1), futures.size());
    for (SignedEcho s : echoes) {
      assertTrue(s.answered.sum() >= N - 1, "answered " + s.answered.sum());
      assertEquals(0, s.rejected.sum());
    }
  }

  @Test
  void gossipThroughTheRouterReachesBothPeers() {
    List<List<byte[]>> got = new ArrayList<>();
    // A separate handler per node for this test only; restore the echo afterwards.
    for (int i = 0; i < N; i++) {
      List<byte[]> box = new java.util.concurrent.CopyOnWriteArrayList<>();
      got.add(box);
      nodes.get(i).onMessage((from, msg) -> box.add(msg));
    }
    try {
      assertEquals(N - 1, nodes.get(0).gossip(new byte[] {1, 2}, 5));
      Await.until(() -> got.get(1).size() == 1 && got.get(2).size() == 1, WAIT,
          () -> "gossip at both peers");
      assertTrue(got.get(0).isEmpty());
    } finally {
      for (int i = 0; i < N; i++) {
        echoes.set(i, new SignedEcho(ids.get(i), nodes.get(i), Clock.system()));
      }
    }
  }
}
