package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.economy.internal.Fold;
import io.github.edgenet.economy.internal.SqliteStore;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.store.Durability;
import io.github.edgenet.economy.store.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The economy ledger.
 *
 * <ul>
 *   <li>{@code validate}: {@link Operation#decode} and {@link Operation#verify} of a signed
 *       transfer (what a peer's operation costs before the chain checks), beside {@code rawVerify},
 *       core's {@link NodeIdentity#verify} of the same bytes without a key cache.
 *   <li>{@code apply}: the network-wide fold applying pre-verified transfers (a send and its
 *       receive), {@value #PAIRS} pairs per invocation into a fresh state.
 *   <li>{@code commit}: SQLite inserts of {@code batch} operations per transaction, synchronous
 *       {@code FULL} or {@code NORMAL}, WAL mode, on a file in the temp directory.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LedgerBenchmark {
  static final int PAIRS = 4096;

  /** Signed operations and a verifier. */
  @State(Scope.Benchmark)
  public static class Signed {
    NodeIdentity alice;
    NodeIdentity bob;
    LedgerConfig config;
    byte[] transfer;
    SignatureVerifier verifier = SignatureVerifier.create(16);
    List<Operation> pairs = new ArrayList<>();
    Map<OperationId, Operation> byId = new HashMap<>();

    @Setup
    public void setUp() {
      RandomSource r = RandomSource.seeded(1);
      alice = NodeIdentity.generate(r);
      bob = NodeIdentity.generate(r);
      config = LedgerConfig.builder(Set.of(alice.id())).build();
      Operation first = Operation.sign(alice, 0, OperationId.ZERO, 1, new OperationBody.Mint(5));
      transfer = Operation.sign(alice, 1, first.id(), 1_000, new OperationBody.Send(bob.id(), 5))
          .encoded();
      Operation mint = Operation.sign(alice, 0, OperationId.ZERO, 1, new OperationBody.Mint(
          1_000_000_000L));
      pairs.add(mint);
      OperationId prevA = mint.id();
      OperationId prevB = OperationId.ZERO;
      for (int i = 0; i < PAIRS; i++) {
        Operation send = Operation.sign(alice, 1 + i, prevA, 2 + i, new OperationBody.Send(
            bob.id(), 1 + i));
        Operation recv = Operation.sign(bob, i, prevB, 2 + i, new OperationBody.Receive(
            send.id()));
        pairs.add(send);
        pairs.add(recv);
        prevA = send.id();
        prevB = recv.id();
      }
      pairs.forEach(op -> byId.put(op.id(), op));
    }
  }

  /** Decode and verify one signed transfer. */
  @Benchmark
  public boolean validate(Signed s) throws LedgerException {
    return Operation.decode(s.transfer).verify(s.verifier);
  }

  /** Core's raw Ed25519 verify of the same bytes. */
  @Benchmark
  public boolean rawVerify(Signed s) {
    int signed = s.transfer.length - 64;
    return NodeIdentity.verify(s.alice.id(), s.transfer, 0, signed, s.transfer, signed);
  }

  /** Applies {@value #PAIRS} pre-verified send/receive pairs (one transfer = two operations). */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public long apply(Signed s) {
    Fold fold = new Fold(s.config, s.byId::get); // the lookup serves operations an op names
    for (Operation op : s.pairs) {
      fold.apply(op);
    }
    return fold.minted();
  }

  /** A fresh database per iteration and a pool of distinct operations to insert. */
  @State(Scope.Thread)
  public static class Db {
    @Param({"1", "100", "1000"})
    int batch;

    @Param({"FULL", "NORMAL"})
    String sync;

    Path dir;
    SqliteStore store;
    List<Operation> pool = new ArrayList<>();
    int next;

    @Setup(Level.Trial)
    public void pool() throws LedgerException {
      NodeIdentity a = NodeIdentity.generate(RandomSource.seeded(2));
      byte[] b = Operation.sign(a, 1, Operation.sign(a, 0, OperationId.ZERO, 0,
          new OperationBody.Burn(1)).id(), 0, new OperationBody.Burn(1)).encoded();
      for (int i = 0; i < 400_000; i++) {
        for (int k = 0; k < 8; k++) {
          b[36 + k] = (byte) ((i + 1L) >>> (56 - 8 * k));
        }
        pool.add(Operation.decode(b)); // distinct ids; the store does not check signatures
      }
    }

    @Setup(Level.Iteration)
    public void open() throws IOException, StorageException {
      dir = Files.createTempDirectory("ledger-bench");
      store = SqliteStore.open(dir.resolve("ledger.db"), Durability.valueOf(sync));
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      store.close();
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  /** One transaction of {@code batch} inserts; reports time per transaction. */
  @Benchmark
  public int commit(Db db) throws StorageException {
    if (db.next + db.batch > db.pool.size()) {
      db.next = 0; // wraps only if an iteration outruns the pool; then inserts fail loudly
    }
    db.store.insert(db.pool.subList(db.next, db.next + db.batch));
    db.next += db.batch;
    return db.next;
  }
}
