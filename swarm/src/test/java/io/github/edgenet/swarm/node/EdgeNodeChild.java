package io.github.edgenet.swarm.node;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.net.JGroupsNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link EdgeNodeMultiJvmTest} starts in each child JVM: an {@link EdgeNode} on a
 * {@link JGroupsNetwork} over TCP on 127.0.0.1 that submits tasks of type {@code job-i} (i its
 * index), which only the other nodes run (they reverse the payload): a node may run its own tasks
 * when it offers the best price, so the types keep every task crossing JVMs. Through its standard
 * output it says {@code LISTEN port}, {@code ID hex}, then, once all its tasks are done,
 * {@code DONE ok=k of n by=hex:count,...} (k tasks whose result was the reversed payload, and which
 * node ran them); it keeps serving the others until its standard input closes, then prints
 * {@code RAN executions rejected=r}, closes the node and exits 0. Any failure prints
 * {@code FAIL reason} and exits 1.
 *
 * <p>Arguments: cluster name, the seed's port (0 for the first node), the expected cluster size,
 * the node's index (identity seed and price), the number of tasks to submit.
 */
public final class EdgeNodeChild {
  private EdgeNodeChild() {}

  /**
   * Runs the child.
   *
   * @param args cluster, seed port, expected members, index, tasks
   */
  public static void main(String[] args) throws Exception {
    String cluster = args[0];
    int seedPort = Integer.parseInt(args[1]);
    int expected = Integer.parseInt(args[2]);
    int index = Integer.parseInt(args[3]);
    int tasks = Integer.parseInt(args[4]);
    NodeIdentity identity = Sims.identity(9090, index);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    List<InetSocketAddress> seeds =
        seedPort == 0 ? List.of() : List.of(new InetSocketAddress(loopback, seedPort));
    Clock clock = Clock.system();
    try (JGroupsNetwork net = JGroupsNetwork.builder(identity, cluster)
        .tcp(new InetSocketAddress(loopback, 0), seeds).clock(clock).connect();
        EdgeNode node = build(identity, net, clock, index, expected)) {
      say("LISTEN " + net.listenAddress().getPort());
      say("ID " + identity.id().toHex());
      long end = clock.nanos() + TimeUnit.SECONDS.toNanos(60);
      while (net.membership().size() < expected) {
        if (clock.nanos() - end > 0) {
          fail("only " + net.membership() + " after 60 s");
        }
        Thread.sleep(10);
      }
      Map<TaskId, NodeId> ranBy = new ConcurrentHashMap<>();
      node.addListener(e -> {
        if (e.step() == TaskEvent.Step.COMPLETED) {
          ranBy.put(e.task(), e.peer());
        }
      });
      List<String> payloads = new ArrayList<>();
      List<CompletableFuture<byte[]>> futures = new ArrayList<>();
      for (int k = 0; k < tasks; k++) {
        String payload = "jvm " + index + " task " + k;
        payloads.add(payload);
        futures.add(node.submit(Sims.task(type(index), payload, 100, Duration.ofSeconds(30))));
      }
      int ok = 0;
      for (int k = 0; k < tasks; k++) {
        byte[] got = futures.get(k).get(60, TimeUnit.SECONDS);
        byte[] want = Sims.reverse(payloads.get(k).getBytes(StandardCharsets.UTF_8));
        if (Arrays.equals(want, got)) {
          ok++;
        }
      }
      Map<String, Integer> by = new TreeMap<>();
      ranBy.values().forEach(id -> by.merge(id.toHex(), 1, Integer::sum));
      StringBuilder sb = new StringBuilder();
      by.forEach((hex, count) -> sb.append(sb.isEmpty() ? "" : ",").append(hex).append(':')
          .append(count));
      say("DONE ok=" + ok + " of " + tasks + " by=" + sb);
      while (System.in.read() >= 0) {
        // keep running the others' tasks until the parent closes our input
      }
      NodeMetrics m = node.metrics();
      say("RAN " + m.executions() + " rejected=" + m.rejectedTotal());
    } catch (Exception e) {
      fail(e.toString());
    }
  }

  /** The task type node {@code index} submits: every node but that one runs it. */
  static String type(int index) {
    return "job-" + index;
  }

  /** Node {@code index}: runs the others' types (reversing the payload) at 3 + index each. */
  private static EdgeNode build(NodeIdentity identity, JGroupsNetwork net, Clock clock, int index,
      int nodes) {
    EdgeNode.Builder b = EdgeNode.builder().identity(identity).network(net).clock(clock)
        .random(RandomSource.seeded(index)).config(EdgeNodeJGroupsTest.CONFIG);
    for (int j = 0; j < nodes; j++) {
      if (j != index) {
        b.executor(type(j), 3 + index, ctx -> Sims.reverse(ctx.payload()));
      }
    }
    return b.build();
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
