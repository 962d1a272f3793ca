package io.github.edgenet.swarm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four endpoints in one JVM over real TCP sockets on 127.0.0.1, found through TCPPING with the
 * first node as the only seed, exchanging signed requests and responses.
 */
class LoopbackTcpClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CLUSTER = "tcp-" + ProcessHandle.current().pid();
  private static final int N = 4;

  private static final List<NodeIdentity> ids = new ArrayList<>();
  private static final List<JGroupsNetwork> nodes = new ArrayList<>();
  private static final List<SignedEcho> echoes = new ArrayList<>();

  @BeforeAll
  static void formCluster() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetSocketAddress seed = null;
    for (int i = 0; i < N; i++) {
      NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(7000 + i));
      JGroupsNetwork n = JGroupsNetwork.builder(id, CLUSTER)
          .tcp(new InetSocketAddress(loopback, 0), seed == null ? List.of() : List.of(seed))
          .connect();
      if (seed == null) {
        seed = n.listenAddress();
        assertNotNull(seed);
        assertTrue(seed.getAddress().isLoopbackAddress() && seed.getPort() > 0, "seed " + seed);
      }
      ids.add(id);
      nodes.add(n);
      echoes.add(new SignedEcho(id, n, Clock.system()));
    }
    for (JGroupsNetwork n : nodes) {
      Await.until(() -> n.membership().size() == N, WAIT, () -> n + " sees " + n.membership());
    }
  }

  @AfterAll
  static void closeCluster() {
    nodes.forEach(JGroupsNetwork::close);
  }

  @Test
  void everyNodeAnswersEveryOtherNodesSignedRequests() throws Exception {
    long rejectedBefore = echoes.stream().mapToLong(s -> s.rejected.sum()).sum();
    List<CompletableFuture<Envelope>> futures = new ArrayList<>();
    List<NodeId> targets = new ArrayList<>();
    int rounds = 10;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
          if (i != j) {
            byte[] body = ("req " + r + " " + i + "->" + j).getBytes(StandardCharsets.UTF_8);
            futures.add(echoes.get(i).request(ids.get(j).id(), body));
            targets.add(ids.get(j).id());
          }
        }
      }
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    for (int k = 0; k < futures.size(); k++) {
      Envelope e = futures.get(k).join();
      assertEquals(targets.get(k), e.sender(), "response " + k + " signed by its target");
      assertEquals(SignedEcho.RESPONSE, e.type());
    }
    assertEquals(rounds * N * (N - 1), futures.size());
    long answered = echoes.stream().mapToLong(s -> s.answered.sum()).sum();
    assertTrue(answered >= futures.size(), "answered " + answered);
    assertEquals(rejectedBefore, echoes.stream().mapToLong(s -> s.rejected.sum()).sum(),
        "nothing rejected among honest nodes");
  }

  @Test
  void aTamperedOrMisattributedFrameIsRejectedOneLayerUp() throws Exception {
    SignedEcho target = echoes.get(1);
    long before = target.rejected.sum();
    long answeredBefore = target.answered.sum();
    // A key outside the cluster, so the nodes' own senders and replay windows stay untouched.
    EnvelopeSender sender =
        EnvelopeSender.create(NodeIdentity.generate(RandomSource.seeded(7999)), Clock.system());
    byte[] frame = sender.encode(SignedEcho.REQUEST, new byte[16]);
    frame[60] ^= 1; // a payload byte: the signature no longer verifies
    nodes.get(0).send(ids.get(1).id(), frame);
    // Node 2 relays a genuine frame of another key: the signer is not the transport's sender.
    byte[] genuine = sender.encode(SignedEcho.REQUEST, new byte[16]);
    nodes.get(2).send(ids.get(1).id(), genuine);
    Await.until(() -> target.rejected.sum() == before + 2, WAIT, () -> "two rejections");
    assertEquals(answeredBefore, target.answered.sum(), "no answer to a bad frame");
  }

  @Test
  void theViewIsTheSameOnEveryNodeAndListsEveryId() {
    List<NodeId> expected = ids.stream().map(NodeIdentity::id).toList();
    for (JGroupsNetwork n : nodes) {
      assertEquals(expected, n.membership().members());
      assertEquals(JGroupsMode.TCP, n.mode());
    }
  }
}
