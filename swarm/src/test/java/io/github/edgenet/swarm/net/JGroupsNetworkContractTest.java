package io.github.edgenet.swarm.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.swarm.net.internal.Stacks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.util.ExtendedUUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link io.github.edgenet.core.net.PeerNetwork} contract on JGroups' in-JVM transport
 * (SHARED_LOOPBACK): one cluster of four endpoints shared by the class; tests that add or remove
 * members use their own extra endpoints and restore the four-member view.
 */
class JGroupsNetworkContractTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CLUSTER = "contract-" + ProcessHandle.current().pid();
  private static final int N = 4;

  private static final List<NodeIdentity> ids = new ArrayList<>();
  private static final List<JGroupsNetwork> nodes = new ArrayList<>();
  /** Messages each node received, by node index: (from, bytes). */
  private static final List<CopyOnWriteArrayList<Map.Entry<NodeId, byte[]>>> inbox =
      new ArrayList<>();

  @BeforeAll
  static void formCluster() throws Exception {
    for (int i = 0; i < N; i++) {
      NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(1000 + i));
      JGroupsNetwork n = JGroupsNetwork.builder(id, CLUSTER).sharedLoopback()
          .random(RandomSource.seeded(i)).connect();
      CopyOnWriteArrayList<Map.Entry<NodeId, byte[]>> box = new CopyOnWriteArrayList<>();
      n.onMessage((from, msg) -> box.add(Map.entry(from, msg)));
      ids.add(id);
      nodes.add(n);
      inbox.add(box);
    }
    for (JGroupsNetwork n : nodes) {
      Await.until(() -> n.membership().size() == N, WAIT, () -> n + " sees " + n.membership());
    }
  }

  @AfterAll
  static void closeCluster() {
    nodes.forEach(JGroupsNetwork::close);
  }

  private static void clearInboxes() {
    inbox.forEach(List::clear);
  }

  @Test
  void membershipHoldsEveryNodeIdInJoinOrderOnEveryNode() {
    List<NodeId> expected = ids.stream().map(NodeIdentity::id).toList();
    for (JGroupsNetwork n : nodes) {
      assertEquals(expected, n.membership().members(), "view of " + n);
      assertTrue(n.membership().contains(n.localId()));
    }
    assertEquals(JGroupsMode.SHARED_LOOPBACK, nodes.get(0).mode());
    assertNull(nodes.get(0).listenAddress(), "no socket in shared-loopback mode");
  }

  @Test
  void sendDeliversTheBytesWithTheSendersId() {
    clearInboxes();
    byte[] msg = {1, 2, 3, 4, 5};
    nodes.get(0).send(ids.get(2).id(), msg);
    Await.until(() -> !inbox.get(2).isEmpty(), WAIT, () -> "message at node 2");
    Map.Entry<NodeId, byte[]> got = inbox.get(2).get(0);
    assertEquals(ids.get(0).id(), got.getKey());
    assertArrayEquals(msg, got.getValue());
    assertTrue(inbox.get(1).isEmpty() && inbox.get(3).isEmpty(), "only the addressee receives");
  }

  @Test
  void emptyMessageArrivesEmpty() {
    clearInboxes();
    nodes.get(1).send(ids.get(3).id(), new byte[0]);
    Await.until(() -> !inbox.get(3).isEmpty(), WAIT, () -> "empty message at node 3");
    assertEquals(0, inbox.get(3).get(0).getValue().length);
  }

  @Test
  void selfSendGoesThroughTheNetwork() {
    clearInboxes();
    nodes.get(1).send(ids.get(1).id(), new byte[] {42});
    Await.until(() -> !inbox.get(1).isEmpty(), WAIT, () -> "self-message at node 1");
    assertEquals(ids.get(1).id(), inbox.get(1).get(0).getKey());
    assertArrayEquals(new byte[] {42}, inbox.get(1).get(0).getValue());
  }

  @Test
  void sendToUnknownPeerIsDroppedAndCounted() {
    NodeId stranger = NodeIdentity.generate(RandomSource.seeded(99)).id();
    long before = nodes.get(0).stats().droppedUnknownPeer();
    long sentBefore = nodes.get(0).stats().sent();
    nodes.get(0).send(stranger, new byte[] {1});
    assertEquals(before + 1, nodes.get(0).stats().droppedUnknownPeer());
    assertEquals(sentBefore, nodes.get(0).stats().sent(), "nothing handed to JGroups");
  }

  @Test
  void oversizedMessagesAreRejectedOnSendAndDroppedOnReceive() throws Exception {
    JGroupsNetwork a = nodes.get(0);
    byte[] tooLong = new byte[a.maxMessageBytes() + 1];
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.send(ids.get(1).id(), tooLong));
    assertTrue(e.getMessage().contains(String.valueOf(tooLong.length)), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> a.gossip(tooLong, 2));

    NodeIdentity smallId = NodeIdentity.generate(RandomSource.seeded(2000));
    try (JGroupsNetwork small = JGroupsNetwork.builder(smallId, CLUSTER).sharedLoopback()
        .maxMessageBytes(100).connect()) {
      CopyOnWriteArrayList<byte[]> got = new CopyOnWriteArrayList<>();
      small.onMessage((from, msg) -> got.add(msg));
      Await.until(() -> a.membership().contains(smallId.id()), WAIT, () -> "small node joined");
      a.send(smallId.id(), new byte[101]);
      a.send(smallId.id(), new byte[100]);
      Await.until(() -> got.size() == 1, WAIT, () -> "the 100-byte message");
      Await.until(() -> small.stats().droppedOversized() == 1, WAIT, () -> "oversized counted");
      assertEquals(100, got.get(0).length);
    }
    for (JGroupsNetwork n : nodes) {
      Await.until(() -> n.membership().size() == N, WAIT, () -> "small node gone from " + n);
    }
  }

  @Test
  void gossipReachesDistinctOtherMembersNeverSelf() {
    JGroupsNetwork a = nodes.get(0);
    for (int fanout : new int[] {0, 1, 2, 3, 10}) {
      clearInboxes();
      byte[] msg = {(byte) fanout};
      int count = a.gossip(msg, fanout);
      assertEquals(Math.min(fanout, N - 1), count, "fanout " + fanout);
      Await.until(() -> total() == count, WAIT, () -> count + " gossip copies, got " + total());
      assertTrue(inbox.get(0).isEmpty(), "never to self");
      for (int i = 1; i < N; i++) {
        assertTrue(inbox.get(i).size() <= 1, "distinct peers");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> a.gossip(new byte[1], -1));
  }

  @Test
  void gossipWithFanoutOneSpreadsOverEveryPeer() {
    clearInboxes();
    for (int k = 0; k < 300; k++) {
      nodes.get(0).gossip(new byte[] {7}, 1);
    }
    Await.until(() -> total() == 300, WAIT, () -> "300 gossip copies, got " + total());
    for (int i = 1; i < N; i++) {
      int c = inbox.get(i).size();
      // Uniform over 3 peers: 100 each, binomial sd ~8.2; 60..140 is ~5 sd.
      assertTrue(c >= 60 && c <= 140, "node " + i + " got " + c + " of 300");
    }
  }

  private static int total() {
    return inbox.stream().mapToInt(List::size).sum();
  }

  @Test
  void callbacksOfOneEndpointNeverRunConcurrently() throws Exception {
    NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(3000));
    try (JGroupsNetwork target = JGroupsNetwork.builder(id, CLUSTER).sharedLoopback().connect()) {
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger maxInside = new AtomicInteger();
      AtomicInteger messages = new AtomicInteger();
      AtomicInteger timers = new AtomicInteger();
      int[] plain = new int[1]; // unsynchronized: only safe if callbacks are serialized
      Runnable enter = () -> {
        int now = inside.incrementAndGet();
        maxInside.accumulateAndGet(now, Math::max);
        plain[0]++;
        for (int spin = 0; spin < 2_000; spin++) {
          Thread.onSpinWait(); // widen the window in which an overlap would be seen
        }
        inside.decrementAndGet();
      };
      target.onMessage((from, msg) -> {
        enter.run();
        messages.incrementAndGet();
      });
      target.onMembershipChange(m -> enter.run());
      for (JGroupsNetwork n : nodes) {
        Await.until(() -> n.membership().contains(id.id()), WAIT, () -> "target joined " + n);
      }
      int perThread = 500;
      int timerCount = 300;
      List<Thread> threads = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (JGroupsNetwork n : nodes) {
        for (int t = 0; t < 2; t++) {
          threads.add(Thread.ofPlatform().start(() -> {
            awaitLatch(start);
            for (int k = 0; k < perThread; k++) {
              n.send(id.id(), new byte[] {(byte) k});
            }
          }));
        }
      }
      threads.add(Thread.ofPlatform().start(() -> {
        awaitLatch(start);
        for (int k = 0; k < timerCount; k++) {
          target.schedule(Duration.ofMillis(k % 20), () -> {
            enter.run();
            timers.incrementAndGet();
          });
        }
      }));
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      int expected = nodes.size() * 2 * perThread;
      Await.until(() -> messages.get() == expected && timers.get() == timerCount, WAIT,
          () -> messages.get() + "/" + expected + " messages, " + timers.get() + " timers");
      assertEquals(1, maxInside.get(), "callbacks overlapped");
      assertTrue(plain[0] >= expected + timerCount, "lost updates: " + plain[0]);
      assertEquals(expected, target.stats().received());
    }
    for (JGroupsNetwork n : nodes) {
      Await.until(() -> n.membership().size() == N, WAIT, () -> "target gone from " + n);
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void joinAndLeaveBecomeMembershipEvents() throws Exception {
    CopyOnWriteArrayList<Membership> seen = new CopyOnWriteArrayList<>();
    JGroupsNetwork a = nodes.get(0);
    a.onMembershipChange(seen::add);
    Await.until(() -> !seen.isEmpty(), WAIT, () -> "the current view on setting a listener");
    assertEquals(a.membership(), seen.get(0));
    NodeIdentity joinerId = NodeIdentity.generate(RandomSource.seeded(4000));
    JGroupsNetwork joiner = JGroupsNetwork.builder(joinerId, CLUSTER).sharedLoopback().connect();
    Await.until(() -> seen.stream().anyMatch(m -> m.contains(joinerId.id())), WAIT,
        () -> "a view with the joiner, saw " + seen);
    Membership withJoiner = seen.get(seen.size() - 1);
    assertEquals(N + 1, withJoiner.size());
    assertEquals(joinerId.id(), withJoiner.get(N), "the joiner is last, in join order");
    Await.until(() -> joiner.membership().size() == N + 1, WAIT, () -> "joiner's own view");

    joiner.close();
    Await.until(() -> !seen.get(seen.size() - 1).contains(joinerId.id()), WAIT,
        () -> "a view without the joiner, saw " + seen);
    assertEquals(N, seen.get(seen.size() - 1).size());
    for (int i = 1; i < seen.size(); i++) {
      assertFalse(seen.get(i).equals(seen.get(i - 1)), "listener told of a view that did not change");
    }
    a.onMembershipChange(m -> {});
  }

  @Test
  void timersRunInDueOrderAndCancelledOnesNever() throws Exception {
    JGroupsNetwork a = nodes.get(3);
    List<Integer> order = new CopyOnWriteArrayList<>();
    a.schedule(Duration.ofMillis(60), () -> order.add(3));
    Cancellable cancelled = a.schedule(Duration.ofMillis(30), () -> order.add(-1));
    a.schedule(Duration.ofMillis(20), () -> order.add(1));
    a.schedule(Duration.ofMillis(20), () -> order.add(2)); // same instant: scheduling order
    a.schedule(Duration.ZERO, () -> order.add(0));
    assertTrue(cancelled.cancel());
    assertFalse(cancelled.cancel(), "second cancel");
    Await.until(() -> order.size() == 4, WAIT, () -> "four timers, ran " + order);
    assertEquals(List.of(0, 1, 2, 3), order);
    Cancellable done = a.schedule(Duration.ZERO, () -> order.add(4));
    Await.until(() -> order.size() == 5, WAIT, () -> "timer 4");
    assertFalse(done.cancel(), "cancel after running");
    assertThrows(IllegalArgumentException.class, () -> a.schedule(Duration.ofMillis(-1), () -> {}));
    assertThrows(IllegalArgumentException.class,
        () -> a.schedule(Duration.ofSeconds(Long.MAX_VALUE), () -> {}));
  }

  @Test
  void closeLeavesIsIdempotentDropsTimersAndRefusesUse() throws Exception {
    NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(5000));
    JGroupsNetwork n = JGroupsNetwork.builder(id, CLUSTER).sharedLoopback().connect();
    Await.until(() -> nodes.get(0).membership().contains(id.id()), WAIT, () -> "joined");
    AtomicInteger ran = new AtomicInteger();
    Cancellable pending = n.schedule(Duration.ofMillis(300), ran::incrementAndGet);
    n.close();
    n.close();
    assertTrue(n.isClosed());
    assertFalse(pending.cancel(), "timers dropped by close");
    assertThrows(IllegalStateException.class, () -> n.send(id.id(), new byte[1]));
    assertThrows(IllegalStateException.class, () -> n.gossip(new byte[1], 1));
    assertThrows(IllegalStateException.class, () -> n.schedule(Duration.ZERO, () -> {}));
    for (JGroupsNetwork other : nodes) {
      Await.until(() -> !other.membership().contains(id.id()), WAIT, () -> "left " + other);
    }
    Thread.sleep(400); // past the dropped timer's due time
    assertEquals(0, ran.get());
  }

  @Test
  void closeFromInsideACallbackDoesNotDeadlock() throws Exception {
    NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(6000));
    JGroupsNetwork n = JGroupsNetwork.builder(id, CLUSTER).sharedLoopback().connect();
    CountDownLatch closed = new CountDownLatch(1);
    n.schedule(Duration.ZERO, () -> {
      n.close();
      closed.countDown();
    });
    assertTrue(closed.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(n.isClosed());
    for (JGroupsNetwork other : nodes) {
      Await.until(() -> !other.membership().contains(id.id()), WAIT, () -> "left " + other);
    }
  }

  @Test
  void membersWithoutAValidBindingAreLeftOutAndTheirMessagesDropped() throws Exception {
    JGroupsNetwork a = nodes.get(0);
    long dropped = a.stats().droppedUnboundSender();
    // A raw JGroups member claiming node 1's id with a garbage signature.
    JChannel forger = new JChannel(Stacks.sharedLoopback(2000));
    forger.addAddressGenerator(() -> {
      ExtendedUUID u = ExtendedUUID.randomUUID("forger");
      u.put("edgenet.id", ids.get(1).id().toBytes());
      u.put("edgenet.sig", new byte[64]);
      return u;
    });
    try (forger) {
      forger.connect(CLUSTER);
      Await.until(() -> forger.getView().size() == N + 1, WAIT, () -> "forger in JGroups' view");
      Set<NodeId> expected = new HashSet<>(ids.stream().map(NodeIdentity::id).toList());
      assertEquals(expected, new HashSet<>(a.membership().members()), "forger left out");
      int before = inbox.get(0).size();
      forger.send(new BytesMessage(a.membership().size() > 0 ? addressOf(forger, 0) : null,
          new byte[] {9}));
      Await.until(() -> a.stats().droppedUnboundSender() == dropped + 1, WAIT,
          () -> "the forger's message dropped");
      assertEquals(before, inbox.get(0).size());
    }
    for (JGroupsNetwork n : nodes) {
      Await.until(() -> n.membership().size() == N, WAIT, () -> "view back to N at " + n);
    }
  }

  /** The JGroups address of the member at view position {@code index}, seen by {@code ch}. */
  private static org.jgroups.Address addressOf(JChannel ch, int index) {
    return ch.getView().getMembers().get(index);
  }

  @Test
  void handlerAndListenerGivenToTheBuilderSeeTheFirstViewAndEarlyMessages() throws Exception {
    NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(7000));
    CopyOnWriteArrayList<Membership> views = new CopyOnWriteArrayList<>();
    CopyOnWriteArrayList<byte[]> got = new CopyOnWriteArrayList<>();
    // Node 0 sends as soon as the newcomer is in its view, possibly before connect() returns.
    Thread sender = Thread.ofPlatform().start(() -> {
      Await.until(() -> nodes.get(0).membership().contains(id.id()), WAIT, () -> "newcomer");
      nodes.get(0).send(id.id(), new byte[] {5});
    });
    try (JGroupsNetwork n = JGroupsNetwork.builder(id, CLUSTER).sharedLoopback()
        .onMessage((from, msg) -> got.add(msg)).onMembershipChange(views::add).connect()) {
      sender.join();
      assertEquals(id.id(), n.localId());
      Await.until(() -> got.size() == 1, WAIT, () -> "the early message");
      Await.until(() -> !views.isEmpty(), WAIT, () -> "the first view");
      assertEquals(N + 1, views.get(views.size() - 1).size());
      assertArrayEquals(new byte[] {5}, got.get(0));
    }
    for (JGroupsNetwork n : nodes) {
      Await.until(() -> n.membership().size() == N, WAIT, () -> "newcomer gone from " + n);
    }
  }

  @Test
  void builderRejectsBadArguments() {
    NodeIdentity id = ids.get(0);
    assertThrows(IllegalArgumentException.class, () -> JGroupsNetwork.builder(id, ""));
    assertThrows(IllegalStateException.class, () -> JGroupsNetwork.builder(id, "x").connect());
    JGroupsNetworkBuilder b = JGroupsNetwork.builder(id, "x");
    assertThrows(IllegalArgumentException.class, () -> b.maxMessageBytes(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxQueuedMessages(0));
    assertThrows(IllegalArgumentException.class, () -> b.portRange(-1));
    assertThrows(IllegalArgumentException.class, () -> b.joinTimeout(Duration.ofMillis(1)));
    assertThrows(IllegalArgumentException.class, () -> b.tunnel(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> b.tcp(new java.net.InetSocketAddress("0.0.0.0", 0), List.of()));
    assertSame(b, b.sharedLoopback());
  }

  @Test
  void theSameArrayIsNotCopiedNeedlesslyButStaysIntact() {
    // Payload integrity for a larger, fragmented message (FRAG4 splits at 60,000 bytes).
    clearInboxes();
    byte[] big = new byte[150_000];
    RandomSource.seeded(7).nextBytes(big);
    nodes.get(2).send(ids.get(0).id(), big);
    Await.until(() -> !inbox.get(0).isEmpty(), WAIT, () -> "the 150 kB message");
    assertArrayEquals(big, inbox.get(0).get(0).getValue());
  }

  static Map<NodeId, Integer> indexById() {
    Map<NodeId, Integer> m = new ConcurrentHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      m.put(ids.get(i).id(), i);
    }
    return m;
  }
}
