package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.market.AmmMath;
import io.github.edgenet.economy.market.ComputePool;
import io.github.edgenet.economy.market.SwapDirection;
import io.github.edgenet.economy.market.SwapResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The compute market's quote path (issue 11 asks for >= 10 million AMM quotes per second):
 * {@link AmmMath#getAmountOut}/{@link AmmMath#getAmountIn} on realistic 64-bit reserves, the same on
 * reserves so large that the exact BigInteger path runs, and a {@link ComputePool#quoteExactIn}
 * through the pool's lock (which also builds the result record).
 *
 * <p>Inputs cycle through {@value #N} pre-drawn amounts so the JIT cannot fold a constant; each
 * method returns its result (JMH sample 08) and loops nowhere (sample 11).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AmmBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AmmBenchmark {
  static final int N = 1 << 12;

  private final long[] amounts = new long[N];
  private final long[] wide = new long[N];
  private int i;
  private ComputePool pool;

  @Setup
  public void setup() {
    RandomSource r = RandomSource.seeded(1);
    for (int k = 0; k < N; k++) {
      amounts[k] = 1 + r.nextInt(1_000_000_000);
      wide[k] = (1L << 60) + r.nextLong(1L << 60);
    }
    pool = ComputePool.create(NodeId.of(new byte[NodeId.LENGTH]), 30);
    pool.addLiquidity(NodeId.of(new byte[NodeId.LENGTH]), 1_000_000_000L, 5_000_000_000_000L, 0, 0,
        Long.MAX_VALUE, 0);
  }

  private int next() {
    return i = (i + 1) & (N - 1);
  }

  /** Exact-in quote, 64-bit path: 10^12 micro-token and 10^9 compute reserves. */
  @Benchmark
  public long getAmountOut() {
    return AmmMath.getAmountOut(amounts[next()], 5_000_000_000_000L, 1_000_000_000L, 30);
  }

  /** Exact-out quote, 64-bit path. */
  @Benchmark
  public long getAmountIn() {
    return AmmMath.getAmountIn(amounts[next()] & 0xFFFFFF, 5_000_000_000_000L, 1_000_000_000L, 30);
  }

  /** Exact-in quote with 2^61-sized reserves: the products need 128 bits (BigInteger path). */
  @Benchmark
  public long getAmountOutWide() {
    return AmmMath.getAmountOut(wide[next()], 1L << 61, 1L << 61, 30);
  }

  /** A pool quote: lock, the formula, the k check in 128 bits and the result record. */
  @Benchmark
  public SwapResult poolQuoteExactIn() {
    return pool.quoteExactIn(SwapDirection.BUY_COMPUTE, amounts[next()]);
  }
}
