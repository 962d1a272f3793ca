package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.swarm.node.EdgeNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory of idle EdgeNodes, measured the simple way: the Java heap in use after a forced full
 * collection (run it with {@code -XX:+UseSerialGC}, whose {@code System.gc()} is a full, stop-the-
 * world collection), the metaspace, and the process's resident set ({@code VmRSS} from {@code
 * /proc/self/status}, Linux only), before and after building the nodes. The first node built and
 * closed beforehand loads the classes and one-off tables (Bouncy Castle, SQLite, the simulator),
 * so the deltas are what each further node costs. Each node is idle: default configuration, one
 * task type registered, 10 virtual seconds of announcements and gossiped swarm state on the
 * simulator. SQLite's in-memory databases live in native memory: they show in the resident set,
 * not in the heap.
 *
 * <p>Run (after {@code ./mvnw -q -Pbench verify}): {@code java -XX:+UseSerialGC
 * --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * io.github.edgenet.benchmarks.EdgeNodeFootprint 200 plain} (node count, then {@code plain} or
 * {@code ledger}: payments on the replicated ledger, every node minted at genesis).
 */
public final class EdgeNodeFootprint {
  private EdgeNodeFootprint() {}

  private record Snapshot(long heap, long metaspace, long rss) {}

  private static Snapshot measure() throws IOException, InterruptedException {
    long before = Long.MAX_VALUE;
    long heap = 0;
    for (int i = 0; i < 10; i++) { // until a collection frees nothing more
      System.gc();
      Thread.sleep(20);
      heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (heap >= before) {
        break;
      }
      before = heap;
    }
    long meta = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals("Metaspace")) {
        meta = pool.getUsage().getUsed();
      }
    }
    long rss = -1;
    Path status = Path.of("/proc/self/status");
    if (Files.isReadable(status)) {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    }
    return new Snapshot(heap, meta, rss);
  }

  private static List<EdgeNode> build(int n, boolean ledger, long seed) {
    NetworkSimulator sim = NetworkSimulator.builder().seed(seed).build();
    RandomSource random = RandomSource.seeded(seed);
    List<NodeIdentity> ids = new ArrayList<>();
    Map<NodeId, Long> genesis = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      ids.add(NodeIdentity.generate(random.derive(i)));
      genesis.put(ids.get(i).id(), 1_000_000L);
    }
    List<EdgeNode> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      EdgeNode.Builder b = EdgeNode.builder().simulator(sim).identity(ids.get(i))
          .executor("echo", 10, ctx -> ctx.payload());
      if (ledger) {
        b.genesis(genesis);
      }
      nodes.add(b.build());
    }
    sim.runFor(Duration.ofSeconds(10));
    return nodes;
  }

  private static String kib(long bytes) {
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
  }

  /**
   * Prints the footprint of {@code args[0]} idle nodes (default 1), with the replicated ledger if
   * {@code args[1]} is {@code ledger}. One configuration per process, so that memory freed by an
   * earlier one does not hide what the next one takes.
   *
   * @param args node count, then {@code ledger} or {@code plain}
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    boolean ledger = args.length > 1 && args[1].equals("ledger");
    build(2, ledger, 99).forEach(EdgeNode::close); // classes and one-off tables
    Snapshot before = measure();
    List<EdgeNode> nodes = build(n, ledger, n);
    Snapshot after = measure();
    System.out.printf(Locale.ROOT, "%d idle nodes, ledger %s: heap %s in use after GC (+%s, %s "
            + "per node), metaspace +%s, resident set +%s (%s per node)%n", n, ledger,
        mib(after.heap()), mib(after.heap() - before.heap()),
        kib((after.heap() - before.heap()) / n),
        mib(after.metaspace() - before.metaspace()), mib(after.rss() - before.rss()),
        kib((after.rss() - before.rss()) / n));
    nodes.forEach(EdgeNode::close);
  }
}
