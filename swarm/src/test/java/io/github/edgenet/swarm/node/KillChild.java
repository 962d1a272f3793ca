package io.github.edgenet.swarm.node;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.swarm.net.JGroupsNetwork;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node {@link EdgeNodeKillTest} kills: an {@link EdgeNode} in its own JVM on JGroups TCP on
 * 127.0.0.1, with a storage directory and the replicated ledger. It runs {@link
 * EdgeNodeKillTest#VWORK} for the parent's submitter (slowly: each run sleeps {@link
 * EdgeNodeKillTest#WORK_MILLIS}) and submits {@link EdgeNodeKillTest#PWORK} tasks that only the
 * parent's provider runs.
 *
 * <p>Arguments: {@code first|restart}, storage directory, cluster name, seed port, tasks to
 * submit. Standard output, one line per fact, flushed at once:
 *
 * <ul>
 *   <li>{@code ID hex}, then {@code READY} once the three nodes see each other;
 *   <li>{@code SUBMITTED k}: {@code submit} returned for this node's task number k (stored);
 *   <li>{@code EXEC number}: the executor starts on the parent's task {@code number};
 *   <li>{@code STORED number}: its result was committed (the node's {@code EXECUTED} event);
 *   <li>{@code FINAL k STATE ok|bad price provider}: this node's task k ended (restart only, for
 *       every task number up to the count, resumed or already finished before the kill);
 *   <li>on the input line {@code LEDGER}: {@code LEDGER digest supply circulating minted
 *       refusals balance-of-each-genesis-and-provider...}; on {@code METRICS}: {@code METRICS
 *       executions fromStore rejected}. End of input: close and exit 0.
 * </ul>
 *
 * {@code first} submits tasks 0..n-1; {@code restart} resumes what the directory holds (its
 * identity comes from the key file), then submits tasks n..n+2. Any failure prints {@code FAIL}.
 */
public final class KillChild {
  private KillChild() {}

  /**
   * Runs the child.
   *
   * @param args mode, storage directory, cluster, seed port, tasks
   */
  public static void main(String[] args) throws Exception {
    boolean first = args[0].equals("first");
    Path dir = Path.of(args[1]);
    String cluster = args[2];
    int seedPort = Integer.parseInt(args[3]);
    int tasks = Integer.parseInt(args[4]);
    NodeIdentity expected = EdgeNodeKillTest.identity(EdgeNodeKillTest.VICTIM);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Clock clock = Clock.system();
    JGroupsNetwork net = JGroupsNetwork.builder(expected, cluster)
        .tcp(new InetSocketAddress(loopback, 0), List.of(new InetSocketAddress(loopback, seedPort)))
        .clock(clock).connect();
    EdgeNode.Builder b = EdgeNode.builder().network(net).clock(clock)
        .random(RandomSource.seeded(first ? 1 : 2)).storage(dir)
        .keyPassword(EdgeNodeKillTest.PASSWORD.toCharArray())
        .genesis(EdgeNodeKillTest.genesis()).config(EdgeNodeKillTest.CONFIG)
        .executor(EdgeNodeKillTest.VWORK, EdgeNodeKillTest.VWORK_PRICE, ctx -> {
          say("EXEC " + ctx.id().number());
          Thread.sleep(EdgeNodeKillTest.WORK_MILLIS);
          return Sims.reverse(ctx.payload());
        })
        .listener(e -> {
          if (e.step() == TaskEvent.Step.EXECUTED) {
            say("STORED " + e.task().number());
          }
        });
    if (first) {
      b.identity(expected); // written to node.key; the restart reads it from there
    }
    EdgeNode node = b.build();
    if (!node.id().equals(expected.id())) {
      fail("identity " + node.id() + " is not " + expected.id());
    }
    say("ID " + node.id().toHex());
    long end = clock.nanos() + TimeUnit.SECONDS.toNanos(30);
    while (net.membership().size() < 3) {
      if (clock.nanos() - end > 0) {
        fail("only " + net.membership() + " after 30 s");
      }
      Thread.sleep(10);
    }
    say("READY");
    if (first) {
      for (int k = 0; k < tasks; k++) {
        node.submit(EdgeNodeKillTest.pwork(k));
        say("SUBMITTED " + k);
      }
    } else {
      for (int k = 0; k < tasks; k++) {
        report(node, k, resume(node, k));
      }
      for (int k = tasks; k < tasks + 3; k++) {
        CompletableFuture<byte[]> f = node.submit(EdgeNodeKillTest.pwork(k));
        say("SUBMITTED " + k);
        report(node, k, f);
      }
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("LEDGER")) {
        say(ledger(node));
      } else if (line.equals("METRICS")) {
        NodeMetrics m = node.metrics();
        say("METRICS " + m.executions() + " " + m.executionsFromStore() + " "
            + m.rejectedTotal());
      }
    }
    node.close();
    net.close();
    System.exit(0);
  }

  /** The future of task k: resumed if pending, else already done. */
  private static CompletableFuture<byte[]> resume(EdgeNode node, int k) {
    TaskId id = new TaskId(node.id(), k);
    return node.await(id).orElseGet(() -> CompletableFuture.completedFuture(null));
  }

  /** Prints {@code FINAL} for task k once its future is done. */
  private static void report(EdgeNode node, int k, CompletableFuture<byte[]> f) {
    f.whenComplete((r, e) -> {
      TaskRecord rec = node.task(new TaskId(node.id(), k)).orElse(null);
      if (rec == null) {
        say("FINAL " + k + " MISSING bad 0 -");
        return;
      }
      byte[] want = Sims.reverse(EdgeNodeKillTest.pwork(k).payload());
      boolean ok = rec.result().map(got -> Arrays.equals(got, want)).orElse(false);
      say("FINAL " + k + " " + rec.state() + " " + (ok ? "ok" : "bad") + " " + rec.priceMicros()
          + " " + rec.provider().map(NodeId::toHex).orElse("-"));
    });
  }

  private static String ledger(EdgeNode node) {
    Ledger l = node.economy().ledger();
    StringBuilder sb = new StringBuilder("LEDGER ").append(node.ledgerStatus().orElseThrow()
        .stateDigestHex()).append(' ').append(l.supply()).append(' ').append(l.circulating())
        .append(' ').append(l.minted()).append(' ').append(node.economy().refusals());
    for (int i = 0; i < 3; i++) {
      NodeId id = EdgeNodeKillTest.identity(i).id();
      sb.append(' ').append(l.account(id).balance()).append('/').append(l.account(id).escrowed());
    }
    return sb.toString();
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void fail(String reason) {
    say("FAIL " + reason);
    System.exit(1);
  }
}
