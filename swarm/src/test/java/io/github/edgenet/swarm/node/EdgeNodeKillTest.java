package io.github.edgenet.swarm.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.testing.ChildJvms;
import io.github.edgenet.economy.ledger.AccountView;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.ledger.VestingGrant;
import io.github.edgenet.swarm.net.JGroupsNetwork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kill: an {@link EdgeNode} in a child JVM ({@link KillChild}), on JGroups TCP on 127.0.0.1
 * with a storage directory and the replicated ledger, is stopped with {@link
 * Process#destroyForcibly()} in the middle of work as a provider (some of the parent's tasks run
 * and committed, others queued) and as a submitter (its tasks stored, some completed, others
 * running on the parent's provider), then started again on the same directory. Checked:
 *
 * <ul>
 *   <li>nothing acknowledged is lost: every task whose {@code submit} returned before the kill is
 *       in the killed node's database and completes after the restart with the right bytes; a
 *       task completed before the kill keeps its record;
 *   <li>nothing runs twice: a result committed before the kill (read from a copy of the dead
 *       process's database files) is never computed again; the parent's provider runs each of the
 *       child's tasks exactly once;
 *   <li>nothing is paid twice: on every node's ledger (the two in this JVM and the child's, whose
 *       state digest equals theirs) each completed task has exactly one escrow release, no escrow
 *       is open, holdings (balance, stake and vesting rewards) are genesis minus what was paid plus
 *       what was earned at the agreed prices,
 *       and the restarted node minted nothing again;
 *   <li>the restarted node rejoins (same identity, read from its key file) and completes new tasks
 *       in both roles.
 * </ul>
 */
class EdgeNodeKillTest {
  static final long SEED = 1313;
  static final int SUBMITTER = 0;
  static final int PROVIDER = 1;
  static final int VICTIM = 2;
  static final String PASSWORD = "kill-test";
  static final String VWORK = "vwork";
  static final String PWORK = "pwork";
  static final long VWORK_PRICE = 40;
  static final long PWORK_PRICE = 30;
  static final long GRANT = 1_000_000;
  static final long WORK_MILLIS = 120;
  /** Tasks each side submits before the kill. */
  static final int TASKS = 10;
  /** As in the other loopback tests: a wider offer window for a loaded machine. */
  static final EdgeNodeConfig CONFIG = EdgeNodeConfig.builder()
      .offerWindow(Duration.ofMillis(400)).requestRounds(8).build();
  /** A longer reveal window: a JVM that just started (or restarted) answers slowly at first. */
  static final EconomyConfig ECONOMY = EconomyConfig.builder()
      .revealWindow(Duration.ofMillis(400)).build();
  private static final long WAIT_SECONDS = 40;

  private final List<Process> processes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  static NodeIdentity identity(int index) {
    return Sims.identity(SEED, index);
  }

  /** The submitter and the victim hold money; the provider starts with none. */
  static Map<NodeId, Long> genesis() {
    Map<NodeId, Long> g = new TreeMap<>();
    g.put(identity(SUBMITTER).id(), GRANT);
    g.put(identity(VICTIM).id(), GRANT);
    return g;
  }

  /** The victim's task k (it runs on the parent's provider). */
  static Task pwork(int k) {
    return Sims.task(PWORK, "victim task " + k, 10_000, Duration.ofSeconds(WAIT_SECONDS));
  }

  static Task vwork(int k) {
    return Sims.task(VWORK, "parent task " + k, 10_000, Duration.ofSeconds(WAIT_SECONDS));
  }

  @AfterEach
  void tearDown() throws Exception {
    processes.forEach(Process::destroyForcibly);
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void aKilledNodeLosesNothingItAcknowledgedRunsAndPaysNothingTwiceAndRejoins(@TempDir Path tmp)
      throws Exception {
    long started = Clock.system().nanos();
    String cluster = "edgenode-kill-" + ProcessHandle.current().pid();
    Path dir = tmp.resolve("victim");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    NodeId victim = identity(VICTIM).id();

    JGroupsNetwork netA = JGroupsNetwork.builder(identity(SUBMITTER), cluster)
        .tcp(new InetSocketAddress(loopback, 0), List.of()).clock(Clock.system()).connect();
    closeables.add(netA);
    int seedPort = netA.listenAddress().getPort();
    JGroupsNetwork netB = JGroupsNetwork.builder(identity(PROVIDER), cluster)
        .tcp(new InetSocketAddress(loopback, 0), List.of(netA.listenAddress()))
        .clock(Clock.system()).connect();
    closeables.add(netB);
    EdgeNode a = EdgeNode.builder().identity(identity(SUBMITTER)).network(netA)
        .clock(Clock.system()).random(RandomSource.seeded(10)).genesis(genesis()).config(CONFIG)
        .economy(ECONOMY)
        .build();
    closeables.add(a);
    Map<Long, Integer> providerRuns = new ConcurrentHashMap<>();
    EdgeNode b = EdgeNode.builder().identity(identity(PROVIDER)).network(netB)
        .clock(Clock.system()).random(RandomSource.seeded(11)).genesis(genesis()).config(CONFIG)
        .economy(ECONOMY)
        .executor(PWORK, PWORK_PRICE, ctx -> {
          if (ctx.id().submitter().equals(victim)) {
            providerRuns.merge(ctx.id().number(), 1, Integer::sum);
          }
          Thread.sleep(WORK_MILLIS);
          return Sims.reverse(ctx.payload());
        }).build();
    closeables.add(b);

    // First life: the victim serves the parent's tasks and submits its own.
    Child first = start("first", dir, cluster, seedPort);
    first.expect("ID " + victim.toHex());
    first.expect("READY");
    List<CompletableFuture<byte[]>> parentTasks = new ArrayList<>();
    for (int k = 0; k < TASKS; k++) {
      parentTasks.add(a.submit(vwork(k)));
    }
    first.await(c -> c.count("STORED ") >= 3 && c.count("SUBMITTED ") == TASKS
        && providerRuns.size() >= 3, "three results stored and three tasks run for it");
    first.process.destroyForcibly();
    assertTrue(first.process.waitFor(10, TimeUnit.SECONDS));
    first.awaitEof();
    long doneAtKill = parentTasks.stream().filter(CompletableFuture::isDone).count();
    int victimRunsAtKill = providerRuns.size();

    // What the dead process had committed, from a copy of its files.
    Snapshot snap = Snapshot.of(dir, tmp.resolve("snapshot"), identity(SUBMITTER).id());
    Set<Long> exec1 = first.numbers("EXEC ");
    assertTrue(exec1.containsAll(snap.stored), "stored " + snap.stored + " ran " + exec1);
    assertTrue(snap.stored.size() >= 3, "stored " + snap.stored);
    for (long k : first.numbers("SUBMITTED ")) {
      assertTrue(snap.submitted.containsKey(k), "acknowledged task " + k + " is in the database");
    }
    assertTrue(snap.submitted.values().stream().anyMatch(s -> !s.equals("COMPLETED")),
        "killed with submitted tasks unfinished: " + snap.submitted);

    // The others' views drop the dead member before its id may join again.
    long end = Clock.system().nanos() + TimeUnit.SECONDS.toNanos(20);
    while (netA.membership().contains(victim) || netB.membership().contains(victim)) {
      assertTrue(Clock.system().nanos() - end < 0, "the killed node is still in the view");
      Thread.sleep(20);
    }

    // Second life on the same directory.
    Child second = start("restart", dir, cluster, seedPort);
    second.expect("ID " + victim.toHex());
    second.expect("READY");
    for (int k = TASKS; k < TASKS + 3; k++) {
      parentTasks.add(a.submit(vwork(k)));
    }
    for (int k = 0; k < parentTasks.size(); k++) {
      byte[] got = parentTasks.get(k).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertArrayEquals(Sims.reverse(vwork(k).payload()), got, "parent task " + k);
    }
    second.await(c -> c.count("FINAL ") == TASKS + 3, "every victim task ends");
    Map<Long, String[]> finals = new HashMap<>();
    for (String line : second.lines("FINAL ")) {
      String[] p = line.split(" ");
      finals.put(Long.parseLong(p[1]), p);
    }
    long paidByVictim = 0;
    for (long k = 0; k < TASKS + 3; k++) {
      String[] p = finals.get(k);
      assertEquals("COMPLETED", p[2], "victim task " + k + " " + String.join(" ", p));
      assertEquals("ok", p[3], "victim task " + k + " result");
      assertEquals(b.id().toHex(), p[5], "victim task " + k + " provider");
      if ("COMPLETED".equals(snap.submitted.get(k))) {
        assertEquals(snap.prices.get(k), Long.parseLong(p[4]), "a completed record survives");
      }
      paidByVictim += Long.parseLong(p[4]);
      assertEquals(1, providerRuns.get(k), "the provider ran victim task " + k + " once");
    }
    assertEquals(TASKS + 3, providerRuns.size());

    // Nothing committed ran again; an uncommitted run may be repeated, nothing else.
    Set<Long> exec2 = second.numbers("EXEC ");
    for (long k : exec2) {
      assertTrue(!snap.stored.contains(k), "task " + k + " ran again after its result was stored");
    }
    assertEquals(exec1.size(), first.count("EXEC "), "no task ran twice in the first life");
    assertEquals(exec2.size(), second.count("EXEC "), "no task ran twice in the second life");
    Set<Long> ranSomewhere = new HashSet<>(exec1);
    ranSomewhere.addAll(exec2);
    assertEquals(TASKS + 3, ranSomewhere.size());
    Set<Long> rerun = new HashSet<>(exec1);
    rerun.retainAll(exec2);

    // Every node's ledger: converged, each completed task released exactly once.
    String[] victimLedger = null;
    end = Clock.system().nanos() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      victimLedger = second.ask("LEDGER", "LEDGER ").split(" ");
      String da = a.ledgerStatus().orElseThrow().stateDigestHex();
      if (da.equals(b.ledgerStatus().orElseThrow().stateDigestHex()) && da.equals(victimLedger[0])
          && openEscrow(ledger(a)) == 0) {
        break;
      }
      assertTrue(Clock.system().nanos() - end < 0, "ledgers did not converge: digests "
          + da + ", " + b.ledgerStatus().orElseThrow().stateDigestHex() + ", " + victimLedger[0]
          + "; open escrow on the submitter's copy " + openEscrow(ledger(a)) + ": "
          + openLocks(ledger(a), a.id(), victim));
      Thread.sleep(250);
    }
    long paidByParent = 0;
    for (int k = 0; k < parentTasks.size(); k++) {
      TaskRecord rec = a.task(new TaskId(a.id(), k)).orElseThrow();
      assertEquals(victim, rec.provider().orElseThrow());
      paidByParent += rec.priceMicros();
    }
    long total = 2 * GRANT;
    assertEquals(String.valueOf(total), victimLedger[1], "supply on the victim");
    assertEquals(String.valueOf(total), victimLedger[2], "circulating on the victim");
    assertEquals(String.valueOf(total), victimLedger[3], "minted once, on the victim");
    assertEquals("0", victimLedger[4], "refusals on the victim");
    assertEquals((GRANT - paidByParent) + "/0", victimLedger[5], "submitter on the victim");
    assertEquals(paidByVictim + "/0", victimLedger[6], "provider on the victim");
    assertEquals((GRANT - paidByVictim + paidByParent) + "/0", victimLedger[7], "victim's own");
    for (EdgeNode viewer : List.of(a, b)) {
      Ledger l = ledger(viewer);
      assertEquals(total, l.minted(), "minted on " + viewer);
      assertEquals(total, l.supply());
      assertEquals(total, l.circulating());
      assertEquals(GRANT - paidByParent, holdings(l, a.id()));
      assertEquals(paidByVictim, holdings(l, b.id()));
      assertEquals(GRANT - paidByVictim + paidByParent, holdings(l, victim));
      assertEquals(0, viewer.ledgerStatus().orElseThrow().refusals());
      assertReleasedOnce(l, a.id(), parentTasks.size());
      assertReleasedOnce(l, victim, TASKS + 3);
    }
    String[] metrics = second.ask("METRICS", "METRICS ").split(" ");
    assertEquals(String.valueOf(exec2.size()), metrics[0], "second life's executions");
    second.process.getOutputStream().close();
    assertTrue(second.process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, second.process.exitValue());
    System.out.printf("killed after %d of %d stored (%d done at the submitter), %d of the victim's"
            + " tasks run; %d uncommitted run(s) repeated, %d repeated awards answered from"
            + " storage; %d + %d micro-units paid; %d ms%n", snap.stored.size(), exec1.size(),
        doneAtKill, victimRunsAtKill, rerun.size(), Long.parseLong(metrics[1]), paidByParent,
        paidByVictim, (Clock.system().nanos() - started) / 1_000_000);
  }

  private static Ledger ledger(EdgeNode n) {
    return n.economy().ledger();
  }

  /**
   * What an account holds apart from escrow: spendable, bonded, and the unclaimed part of the
   * vesting grants that pay it (a grant's funds sit on its funder's account until claimed).
   */
  static long holdings(Ledger l, NodeId id) {
    AccountView v = l.account(id);
    long owed = 0;
    for (VestingGrant g : l.vestingGrants(id)) {
      owed += g.total() - g.released();
    }
    return v.balance() + v.stake() + owed;
  }

  private static long openEscrow(Ledger l) {
    long open = 0;
    for (int i = 0; i < 3; i++) {
      open += l.account(identity(i).id()).escrowed();
    }
    return open;
  }

  /** The open locks of the two submitters, as "submitter task -> worker", for a failure message. */
  private static String openLocks(Ledger l, NodeId... submitters) {
    List<String> open = new ArrayList<>();
    for (NodeId s : submitters) {
      Map<OperationId, String> locks = new HashMap<>();
      for (Operation op : l.operations(s, 0, Integer.MAX_VALUE)) {
        switch (op.body()) {
          case OperationBody.EscrowLock lock -> locks.put(op.id(), "seq " + op.sequence() + " "
              + lock.amount() + " to " + lock.worker().toHex().substring(0, 8) + " task "
              + taskOf(s, lock.task()));
          case OperationBody.EscrowVest v -> locks.remove(v.escrow());
          case OperationBody.EscrowRelease r -> locks.remove(r.escrow());
          case OperationBody.EscrowRefund r -> locks.remove(r.escrow());
          default -> { }
        }
      }
      locks.values().forEach(v -> open.add(s.toHex().substring(0, 8) + " " + v));
    }
    return open.toString();
  }

  private static long taskOf(NodeId submitter, byte[] ref) {
    for (long k = 0; k < 1_000; k++) {
      if (Arrays.equals(ref, io.github.edgenet.swarm.node.internal.LedgerSettlement.taskReference(
          new TaskId(submitter, k)))) {
        return k;
      }
    }
    return -1;
  }

  /** Each of the submitter's tasks 0..n-1 has exactly one release and no open lock. */
  private static void assertReleasedOnce(Ledger l, NodeId submitter, int n) {
    Map<OperationId, Long> lockTask = new HashMap<>();
    Map<Long, Integer> releases = new HashMap<>();
    Map<Long, Integer> open = new HashMap<>();
    Map<String, Long> refToTask = new HashMap<>();
    for (long k = 0; k < n; k++) {
      refToTask.put(Arrays.toString(
          io.github.edgenet.swarm.node.internal.LedgerSettlement.taskReference(
              new TaskId(submitter, k))), k);
    }
    for (Operation op : l.operations(submitter, 0, Integer.MAX_VALUE)) {
      if (op.body() instanceof OperationBody.EscrowLock lock) {
        Long k = refToTask.get(Arrays.toString(lock.task()));
        assertTrue(k != null, "a lock for an unknown task");
        lockTask.put(op.id(), k);
        open.merge(k, 1, Integer::sum);
      } else if (op.body() instanceof OperationBody.EscrowVest r) { // paid as a vesting grant
        long k = lockTask.get(r.escrow());
        releases.merge(k, 1, Integer::sum);
        open.merge(k, -1, Integer::sum);
      } else if (op.body() instanceof OperationBody.EscrowRelease r) {
        long k = lockTask.get(r.escrow());
        releases.merge(k, 1, Integer::sum);
        open.merge(k, -1, Integer::sum);
      } else if (op.body() instanceof OperationBody.EscrowRefund r) {
        open.merge(lockTask.get(r.escrow()), -1, Integer::sum);
      }
    }
    for (long k = 0; k < n; k++) {
      assertEquals(1, releases.getOrDefault(k, 0), "releases of " + submitter + "'s task " + k);
      assertEquals(0, open.getOrDefault(k, 0), "open locks of " + submitter + "'s task " + k);
    }
  }

  /** What a copy of the killed node's database files says. */
  private record Snapshot(Set<Long> stored, Map<Long, String> submitted, Map<Long, Long> prices) {
    static Snapshot of(Path dir, Path copy, NodeId submitter) throws IOException, SQLException {
      Files.createDirectories(copy);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
      Set<Long> stored = new HashSet<>();
      Map<Long, String> submitted = new HashMap<>();
      Map<Long, Long> prices = new HashMap<>();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("node.db"))) {
        try (PreparedStatement s = c.prepareStatement(
            "SELECT number FROM executions WHERE submitter = ?")) {
          s.setBytes(1, submitter.toBytes());
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              stored.add(r.getLong(1));
            }
          }
        }
        try (PreparedStatement s = c.prepareStatement(
            "SELECT number, state, price FROM submitted");
            ResultSet r = s.executeQuery()) {
          while (r.next()) {
            submitted.put(r.getLong(1), r.getString(2));
            prices.put(r.getLong(1), r.getLong(3));
          }
        }
      }
      return new Snapshot(stored, submitted, prices);
    }
  }

  private Child start(String mode, Path dir, String cluster, int seedPort) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of(java,
        "-Djava.net.preferIPv4Stack=true", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Xmx128m", "--add-modules", "jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED", "-cp", ChildJvms.classPath(KillChild.class),
        KillChild.class.getName(), mode, dir.toString(), cluster, String.valueOf(seedPort),
        String.valueOf(TASKS)));
    Process p = new ProcessBuilder(cmd)
        .redirectError(Path.of("target", "kill-child-" + mode + ".err").toFile())
        .start();
    processes.add(p);
    return new Child(mode, p);
  }

  /** A child process and every line it printed. */
  private static final class Child {
    final String name;
    final Process process;
    final List<String> lines = new ArrayList<>();
    boolean eof;

    Child(String name, Process process) {
      this.name = name;
      this.process = process;
      Thread.ofPlatform().daemon(true).start(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            add(line);
          }
        } catch (IOException e) {
          add("FAIL reading: " + e);
        }
        synchronized (this) {
          eof = true;
          notifyAll();
        }
      });
    }

    private synchronized void add(String line) {
      lines.add(line);
      notifyAll();
    }

    synchronized int count(String prefix) {
      return (int) lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    synchronized List<String> lines(String prefix) {
      return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** The numbers after {@code prefix} (each line "PREFIX n ..."). */
    Set<Long> numbers(String prefix) {
      Set<Long> out = new HashSet<>();
      for (String l : lines(prefix)) {
        out.add(Long.parseLong(l.substring(prefix.length()).split(" ")[0]));
      }
      return out;
    }

    synchronized void await(Predicate<Child> done, String what) throws InterruptedException {
      long end = Clock.system().nanos() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (!done.test(this)) {
        for (String l : lines) {
          if (l.startsWith("FAIL")) {
            fail(name + ": " + l);
          }
        }
        long left = end - Clock.system().nanos();
        if (left <= 0 || eof) {
          fail(name + ": not " + what + " (" + (eof ? "exited" : "timeout") + "); lines "
              + lines);
        }
        wait(Math.max(1, Math.min(20, left / 1_000_000))); // the predicate may read the parent's state
      }
    }

    void expect(String line) throws InterruptedException {
      await(c -> c.lines.contains(line), "said " + line);
    }

    synchronized void awaitEof() throws InterruptedException {
      while (!eof) {
        wait(100);
      }
    }

    /** Writes a command line and returns the next line starting with {@code prefix}. */
    String ask(String command, String prefix) throws Exception {
      int before = count(prefix);
      OutputStream in = process.getOutputStream();
      in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      await(c -> c.count(prefix) > before, "answered " + command);
      List<String> got = lines(prefix);
      return got.getLast().substring(prefix.length());
    }
  }
}
