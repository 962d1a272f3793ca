package io.github.edgenet.swarm.node;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.economy.governance.GovernorSettings;
import io.github.edgenet.economy.store.StorageException;
import io.github.edgenet.swarm.node.internal.AdapterLearning;
import io.github.edgenet.swarm.node.internal.LedgerSettlement;
import io.github.edgenet.swarm.node.internal.NodeEngine;
import io.github.edgenet.swarm.node.internal.NodeWiring;
import io.github.edgenet.swarm.node.internal.ProtocolMux;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * One edge node: what a host application embeds. It runs the tasks its host registered executors
 * for when peers award them, and submits the host's tasks to the network.
 *
 * <pre>{@code
 * NetworkSimulator sim = NetworkSimulator.builder().seed(42).build();
 * EdgeNode worker = EdgeNode.builder()
 *     .simulator(sim)
 *     .executor("upper", 5, ctx -> new String(ctx.payload(), UTF_8).toUpperCase().getBytes(UTF_8))
 *     .build();
 * EdgeNode host = EdgeNode.builder().simulator(sim).build();
 * CompletableFuture<byte[]> result = host.submit(new Task("upper", "hello".getBytes(UTF_8),
 *     embedding, 10, Duration.ofSeconds(5)));
 * sim.runFor(Duration.ofSeconds(1));        // virtual time: the task crosses the network
 * result.join();                            // "HELLO", computed on the worker
 * }</pre>
 *
 * <h2>What happens to a task</h2>
 *
 * The submitter asks peers that announced the task type (and random others) for offers, ranks the
 * offers within the task's price limit, awards the task to the first, re-sends the award until a
 * signed result comes back or moves on to the next provider (asking a silent one again when no
 * other is left, until the deadline), checks the result with the
 * host's {@link ResultVerifier} and, for a configurable fraction of tasks, has a second provider
 * re-execute it and compares the bytes. The provider runs its executor with the adapter its {@link
 * io.github.edgenet.lora.pool.AdapterPool} selects for the task embedding, stores the result, then
 * sends it. Every message is a signed envelope (core); see docs/edgenode.md for the full flow and
 * which steps still use simple defaults (candidate choice, price, payment, learning).
 *
 * <h2>Failures</h2>
 *
 * The future of {@link #submit} completes exceptionally with a {@link TaskFailedException} whose
 * {@link TaskFailedException.Reason} says why. Messages from peers that fail a check are counted in
 * {@link #metrics()} by {@link RejectionReason} and change nothing else.
 *
 * <h2>Storage and restarts</h2>
 *
 * With a {@linkplain Builder#storage storage directory} the node keeps its task records, the
 * results of what it ran and its adapter index in SQLite there (and its key in {@code node.key}
 * with a {@linkplain Builder#keyPassword password}). A node rebuilt on the same directory after an
 * abrupt stop resumes its unfinished tasks ({@link #await}) and answers repeated awards from
 * storage instead of running them again. {@link #close()} fails what is pending instead.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe. Network callbacks, timers and host calls are serialized on the node; futures
 * complete and listeners run on the thread that drives the network (on the simulator, the thread
 * running it), so dependent actions must not block. The simulator is single-threaded: a node on it
 * is called from the simulator's thread.
 */
public final class EdgeNode implements AutoCloseable {
  private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

  private final NodeEngine engine;
  private final EdgeNodeConfig config;
  private final ProtocolMux mux;
  private final boolean ownsNetwork;
  private final LedgerSettlement economy;
  private final AdapterLearning learning;
  private final ExecutorService ownedRunner; // the default runner off the simulator, or null
  private final NetworkGovernance governance; // null without a ledger

  private EdgeNode(NodeWiring.Parts parts, EdgeNodeConfig config) {
    this.engine = parts.engine();
    this.config = config;
    this.mux = parts.mux();
    this.ownsNetwork = parts.ownsNetwork();
    this.economy = parts.economy();
    this.learning = parts.learning();
    this.ownedRunner = parts.ownedRunner();
    this.governance = economy == null ? null : new NetworkGovernance(economy);
  }

  /**
   * A builder: every setting is optional (see {@link Builder}).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * This node's id (its Ed25519 public key).
   *
   * @return the node id, fixed for the node's life
   */
  public NodeId id() {
    return engine.id();
  }

  /**
   * The configuration.
   *
   * @return the configuration the node was built with
   */
  public EdgeNodeConfig config() {
    return config;
  }

  /**
   * The network endpoint the node runs on.
   *
   * @return the endpoint: a {@link io.github.edgenet.core.net.sim.SimulatedNode} on the
   *     simulator, else the one given to {@link Builder#network}
   */
  public PeerNetwork network() {
    return mux.base();
  }

  /**
   * Submits a task to the network. The returned future completes with the accepted result bytes,
   * or exceptionally with a {@link TaskFailedException}: {@code NO_CANDIDATE}, {@code
   * PRICE_OVER_LIMIT}, {@code DEADLINE_EXCEEDED}, {@code NODE_CLOSED}, {@code REJECTED} (also when
   * {@link EdgeNodeConfig#maxPendingTasks()} tasks are already pending) or {@code
   * VERIFICATION_FAILED}. The task is stored before this method returns. Cancelling the returned
   * future does not stop the task.
   *
   * @param task the task
   * @return the future result
   * @throws IllegalArgumentException if the embedding's length is not {@link
   *     EdgeNodeConfig#embeddingDimension()} or the payload exceeds {@link
   *     EdgeNodeConfig#maxTaskPayloadBytes()}
   * @throws UncheckedIOException if the task cannot be stored
   */
  public CompletableFuture<byte[]> submit(Task task) {
    return engine.submit(Objects.requireNonNull(task, "task"));
  }

  /**
   * The future of a task this node submitted that is still pending: after a restart on the same
   * storage directory, how the host gets hold of the tasks the node resumed.
   *
   * @param id a task id
   * @return its future, or empty if the task is not pending here (finished, unknown, or another
   *     node's)
   */
  public Optional<CompletableFuture<byte[]>> await(TaskId id) {
    return engine.await(Objects.requireNonNull(id, "id"));
  }

  /**
   * The stored record of a task this node submitted.
   *
   * @param id a task id
   * @return its record, or empty if unknown here or the node is closed
   */
  public Optional<TaskRecord> task(TaskId id) {
    return engine.task(Objects.requireNonNull(id, "id"));
  }

  /**
   * Adds a listener for every protocol step this node sees from now on; it runs on the thread
   * that drives the network, so it must be quick.
   *
   * @param listener the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public void addListener(TaskListener listener) {
    engine.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added with {@link #addListener} or {@link Builder#listener}.
   *
   * @param listener the listener to remove
   * @return true if it was registered (and is not any more)
   */
  public boolean removeListener(TaskListener listener) {
    return engine.removeListener(listener);
  }

  /**
   * A snapshot of the node's counters; cheap, safe to call from any thread.
   *
   * @return the counters now; later activity does not change the returned record
   */
  public NodeMetrics metrics() {
    return engine.metrics();
  }

  /**
   * Governance of the network's parameters from this node's account, on the replicated ledger.
   *
   * @return the governance, or empty if the node runs without a ledger ({@link Builder#genesis})
   */
  public Optional<NetworkGovernance> governance() {
    return Optional.ofNullable(governance);
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once the node was closed
   */
  public boolean isClosed() {
    return engine.isClosed();
  }

  /**
   * Stops the node, giving executions in progress on other threads up to 10 seconds to finish:
   * {@link #close(Duration)} with that bound.
   */
  @Override
  public void close() {
    close(DEFAULT_DRAIN);
  }

  /**
   * Stops the node. First it drains: it runs no new award, and waits up to {@code drain} for the
   * executions in progress on other threads (see {@link Builder#runTasksOn}) to store and send
   * their results. Then every pending task fails with {@code NODE_CLOSED} (and is stored as failed, so a
   * restart does not resume it), timers stop, the network endpoint is closed if the builder created
   * it ({@link Builder#simulator}), the storage is closed. A run still going after the drain is not
   * interrupted; its result is neither stored nor sent (its submitter will ask another node). On
   * the simulator executions are inline, so there is nothing to wait for. Idempotent; an
   * interrupted drain closes at once and keeps the thread's interrupt status.
   *
   * @param drain how long to wait at most for executions in progress
   * @throws NullPointerException if {@code drain} is null
   */
  public void close(Duration drain) {
    Objects.requireNonNull(drain, "drain");
    try {
      engine.drain(drain);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    engine.close();
    if (ownedRunner != null) {
      ownedRunner.shutdown(); // a run still going finishes on its thread; its result is dropped
    }
    learning.close();
    if (economy != null) {
      economy.close();
    }
    if (ownsNetwork) {
      mux.close();
    }
  }

  /**
   * A channel of this node's network endpoint for a protocol of the host's own (a consensus, a
   * gossip average): a {@link PeerNetwork} that receives only the frames whose envelope type lies
   * in {@code [fromType, toType]}, and sends, gossips and schedules on the node's endpoint. The
   * node keeps every other frame. Use types outside the node's own ranges: {@code 0x4C00-0x4CFF}
   * (ledger), {@code 0x5202-0x5204} (shared swarm state) and {@code 0x5300-0x53FF} (task protocol)
   * are refused. Closing the channel only detaches its handler. On the simulator the channel's
   * timers stop when the node crashes, like the endpoint's.
   *
   * @param fromType the first envelope type, in [0, 65535]
   * @param toType the last envelope type, in [fromType, 65535]
   * @return the channel
   * @throws IllegalArgumentException if the range is invalid, reserved by the node, or overlaps a
   *     channel taken before
   */
  public PeerNetwork channel(int fromType, int toType) {
    int[][] reserved = {{LedgerSettlement.FIRST_TYPE, LedgerSettlement.LAST_TYPE},
        {0x5202, 0x5204}, {0x5300, 0x53FF}};
    for (int[] r : reserved) {
      if (fromType <= r[1] && r[0] <= toType) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
            "type range [0x%04X, 0x%04X] overlaps the node's own [0x%04X, 0x%04X]", fromType,
            toType, r[0], r[1]));
      }
    }
    return mux.channel(fromType, toType);
  }

  /**
   * A summary of this node's copy of the replicated ledger, if it runs payments on one ({@link
   * Builder#genesis}).
   *
   * @return the summary, or empty without a genesis or after {@link #close()}
   */
  public Optional<LedgerStatus> ledgerStatus() {
    if (economy == null || engine.isClosed()) {
      return Optional.empty();
    }
    return Optional.of(economy.status());
  }

  NodeEngine engine() {
    return engine;
  }

  /** The provider-side learning ({@link CollectiveLearning} when a type has an objective). */
  AdapterLearning learning() {
    return learning;
  }

  /** The replicated ledger's settlement, or null without {@link Builder#genesis}. */
  LedgerSettlement economy() {
    return economy;
  }

  @Override
  public String toString() {
    return "EdgeNode[" + id() + "]";
  }

  /**
   * Builds an {@link EdgeNode}. Not thread-safe.
   *
   * <ul>
   *   <li>Identity: {@link #identity}, or {@link #keyFile} (read, or generated and written if
   *       missing), or, with a {@link #storage} directory and a {@link #keyPassword}, the key file
   *       {@code node.key} there; without any, a fresh identity.
   *   <li>Network: {@link #simulator} (a new endpoint on that simulator), or {@link #network} (an
   *       endpoint the host made, e.g. the JGroups transport); without either, a private
   *       one-node simulator.
   *   <li>Clock and randomness: the simulator's by default, else the system clock and a stream
   *       seeded from the node id.
   *   <li>Storage: {@link #storage}, else an in-memory database (gone when the node is).
   * </ul>
   */
  public static final class Builder {
    private NodeIdentity identity;
    private Executor runner;
    private Path keyFile;
    private char[] password;
    private Path storage;
    private NetworkSimulator simulator;
    private PeerNetwork network;
    private Clock clock;
    private RandomSource random;
    private EdgeNodeConfig config = EdgeNodeConfig.defaults();
    private final Map<String, NodeEngine.Registered> executors = new LinkedHashMap<>();
    private final Map<String, ResultVerifier> verifiers = new LinkedHashMap<>();
    private final List<TaskListener> listeners = new ArrayList<>();
    private final Map<String, TaskObjective> objectives = new TreeMap<>();
    private final Set<String> adaptive = new TreeSet<>();
    private LearningConfig learningConfig = LearningConfig.defaults();
    private Map<NodeId, Long> genesis;
    private GovernorSettings governance;
    private EconomyConfig economyConfig = EconomyConfig.defaults();

    private Builder() {}

    /**
     * The sealed auction's settings and the network's adjudicators (the same adjudicators on every
     * node, like the {@link #genesis} map); default {@link EconomyConfig#defaults()}.
     *
     * @param economy the economy's settings
     * @return this builder
     * @throws NullPointerException if {@code economy} is null
     */
    public Builder economy(EconomyConfig economy) {
      this.economyConfig = Objects.requireNonNull(economy, "economy");
      return this;
    }

    /**
     * Runs the node on economy's replicated ledger: payments are escrowed at the agreed price,
     * released to the provider and refunded as signed ledger operations replicated to every node
     * (kept in {@code ledger.db} of the {@link #storage} directory, else in memory), and
     * misbehaviour evidence is published on the ledger. (Prices come from each provider's compute
     * pool with or without this.) Every node of one network must be given the same map: its keys
     * are the ledger's mint authorities, and each listed node mints its amount once, when its
     * chain is empty. Without a genesis, no money moves.
     *
     * @param mints node id to genesis micro-units, each {@code > 0}; may be empty (nobody can pay)
     * @return this
     * @throws IllegalArgumentException if an amount is not positive
     */
    public Builder genesis(Map<NodeId, Long> mints) {
      Map<NodeId, Long> copy = new java.util.TreeMap<>(mints);
      copy.forEach((id, amount) -> {
        if (amount == null || amount <= 0) {
          throw new IllegalArgumentException("genesis amount of " + id + " must be > 0, was "
              + amount);
        }
      });
      this.genesis = Map.copyOf(copy);
      return this;
    }

    /**
     * The rules of network governance on the ledger (with {@link #genesis}): voting delay and
     * period, quorum, proposal threshold, timelock, grace period, guardians. Every node of one
     * network must be given the same. Default: economy's {@code LedgerConfig.DEFAULT_GOVERNANCE}
     * (a one-hour delay, a one-day vote, a 40% quorum, a one-day timelock, no guardians).
     *
     * @param settings the rules
     * @return this builder
     * @throws NullPointerException if {@code settings} is null
     */
    public Builder governance(GovernorSettings settings) {
      this.governance = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * The node's keys; with a key file (given or in the {@link #storage} directory) that already
     * exists, they must be the ones stored there, and a missing key file is written with them.
     *
     * @param identity the node's identity
     * @return this builder
     * @throws NullPointerException if {@code identity} is null
     */
    public Builder identity(NodeIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /**
     * An encrypted key file (core's {@link io.github.edgenet.core.identity.KeyFile}): read if it
     * exists, else a new identity is generated (or the {@link #identity} given) and written there.
     * Takes precedence over {@code node.key} in the storage directory.
     *
     * @param path the key file
     * @param password its password (copied; the caller may clear its array)
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder keyFile(Path path, char[] password) {
      this.keyFile = Objects.requireNonNull(path, "path");
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * The password of {@code node.key} in the {@link #storage} directory, which is read if it
     * exists and else written with the node's identity.
     *
     * @param password the password (copied; the caller may clear its array)
     * @return this builder
     * @throws NullPointerException if {@code password} is null
     */
    public Builder keyPassword(char[] password) {
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * The directory for the node's database (created by {@link #build()} if missing); without it
     * the node keeps everything in memory. Needs an identity, key file or key password.
     *
     * @param directory the storage directory
     * @return this builder
     * @throws NullPointerException if {@code directory} is null
     */
    public Builder storage(Path directory) {
      this.storage = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Joins this simulator as a new node (clock and randomness from it, unless set); replaces a
     * {@link #network} set before.
     *
     * @param simulator the simulator to join
     * @return this builder
     * @throws NullPointerException if {@code simulator} is null
     */
    public Builder simulator(NetworkSimulator simulator) {
      this.simulator = Objects.requireNonNull(simulator, "simulator");
      this.network = null;
      return this;
    }

    /**
     * Runs on this endpoint, e.g. the JGroups transport; replaces a {@link #simulator} set
     * before. The node does not close it.
     *
     * @param network the endpoint; its {@code localId()} must be the node's identity (checked by
     *     {@link #build()})
     * @return this builder
     * @throws NullPointerException if {@code network} is null
     */
    public Builder network(PeerNetwork network) {
      this.network = Objects.requireNonNull(network, "network");
      this.simulator = null;
      return this;
    }

    /**
     * Where task executors run (default: on the simulator, inline on its thread, so a run is
     * deterministic; on any other network, one virtual thread per run, shut down by {@link
     * EdgeNode#close()}). An award's adapter and context are prepared on the node, the executor
     * runs here, and the result is stored and sent on the node again, so a slow executor does not
     * hold up the node's messages. The node never shuts down an executor given here; a run it
     * rejects is not answered (the submitter asks again or moves on).
     *
     * @param runner runs each execution once
     * @return this builder
     * @throws NullPointerException if {@code runner} is null
     */
    public Builder runTasksOn(Executor runner) {
      this.runner = Objects.requireNonNull(runner, "runner");
      return this;
    }

    /**
     * The node's clock (default: the simulator's, else the system clock).
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The node's seeded randomness: cross-check draws, peer sampling, adapter initialization
     * (default: the simulator's stream for the node, else one seeded from the node id).
     *
     * @param random the random source
     * @return this builder
     * @throws NullPointerException if {@code random} is null
     */
    public Builder random(RandomSource random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The configuration (default {@link EdgeNodeConfig#defaults()}).
     *
     * @param config the configuration
     * @return this builder
     * @throws NullPointerException if {@code config} is null
     */
    public Builder config(EdgeNodeConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Runs tasks of {@code type} with {@code executor}, offered at {@code priceMicros} each.
     *
     * @param type the task type (see {@link Task#checkType})
     * @param priceMicros the price asked per execution, in micro-units, {@code >= 0}
     * @param executor runs the tasks on this node
     * @return this builder
     * @throws NullPointerException if {@code type} or {@code executor} is null
     * @throws IllegalArgumentException if the type is invalid (see {@link Task#checkType}), already
     *     registered, or the price is negative
     */
    public Builder executor(String type, long priceMicros, TaskExecutor executor) {
      Task.checkType(type);
      Objects.requireNonNull(executor, "executor");
      if (priceMicros < 0) {
        throw new IllegalArgumentException("priceMicros must be >= 0, was " + priceMicros);
      }
      if (executors.putIfAbsent(type, new NodeEngine.Registered(executor, priceMicros)) != null) {
        throw new IllegalArgumentException("an executor for " + type + " is already registered");
      }
      return this;
    }

    /**
     * Runs tasks of {@code type} with {@code executor} at {@code priceMicros} each, and learns
     * from them: the type has one shared adapter across the network, which the executor gets as a
     * frozen snapshot of its current version ({@link TaskContext#adapter()}, key {@code
     * shared:<type>@<version>}); after each successful execution the node trains its copy with
     * {@code objective}, replays earlier tasks, protects what it learned before a shift of the
     * type's embeddings with EWC, and combines its adapter with the other providers' in signed
     * rounds by a robust rule ({@link #learning(LearningConfig)}). Results of the type depend on
     * the adapter version, so they are not cross-checked byte for byte (see {@link #adaptive}).
     *
     * @param type the task type (see {@link Task#checkType})
     * @param priceMicros the price asked per execution, in micro-units, {@code >= 0}
     * @param executor runs the tasks on this node with the shared adapter
     * @param objective the training objective of the type's adapter
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as {@link #executor(String, long, TaskExecutor)}
     */
    public Builder executor(String type, long priceMicros, TaskExecutor executor,
        TaskObjective objective) {
      Objects.requireNonNull(objective, "objective");
      executor(type, priceMicros, executor);
      objectives.put(type, objective);
      return this;
    }

    /**
     * Declares {@code type} adaptive: its results depend on the providers' learned adapters, so
     * this node, submitting such tasks, checks their results with its {@link ResultVerifier} only
     * and never has a second provider re-execute them for a byte comparison. Implied for types
     * registered here with a {@link TaskObjective}.
     *
     * @param type the task type (see {@link Task#checkType})
     * @return this builder
     * @throws NullPointerException if {@code type} is null
     * @throws IllegalArgumentException if the type is invalid
     */
    public Builder adaptive(String type) {
      Task.checkType(type);
      adaptive.add(type);
      return this;
    }

    /**
     * How learned task types train and share their adapter (default {@link
     * LearningConfig#defaults()}).
     *
     * @param config the learning settings, the same on every node that learns the types
     * @return this builder
     * @throws NullPointerException if {@code config} is null
     */
    public Builder learning(LearningConfig config) {
      this.learningConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Checks results of tasks of {@code type} this node submits (without one, every well-formed
     * result passes); replaces a verifier set before for the type.
     *
     * @param type the task type (see {@link Task#checkType})
     * @param verifier the check
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the type is invalid
     */
    public Builder verifier(String type, ResultVerifier verifier) {
      Task.checkType(type);
      verifiers.put(type, Objects.requireNonNull(verifier, "verifier"));
      return this;
    }

    /**
     * A listener registered before the node starts, so it sees resumed tasks too.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(TaskListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds and starts the node.
     *
     * @return the running node; close it when done
     * @throws IllegalStateException if a storage directory is set without an identity, key file
     *     or key password, or a given identity differs from the one in the storage's key file
     * @throws IllegalArgumentException if a given network's id is not the identity's
     * @throws UncheckedIOException if the key file or database cannot be read or written, or the
     *     key file's password is wrong
     */
    public EdgeNode build() {
      try {
        NodeWiring.Parts p = NodeWiring.wire(new NodeWiring.Options(identity, keyFile, password,
            storage, simulator, network, clock, random, runner, config, executors, verifiers,
            listeners, objectives, adaptive, learningConfig, genesis, governance,
            economyConfig));
        return new EdgeNode(p, config);
      } catch (StorageException e) {
        throw new UncheckedIOException(new IOException("cannot open the ledger", e));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
