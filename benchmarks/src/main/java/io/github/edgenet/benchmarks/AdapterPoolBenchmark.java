package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.io.LoraCodec;
import io.github.edgenet.lora.io.LoraCodecException;
import io.github.edgenet.lora.pool.AdapterPool;
import io.github.edgenet.lora.quant.QuantizedLora;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The adapter pool and the adapter codec.
 *
 * <ul>
 *   <li>{@code route}: one {@link AdapterPool#route(float[])} in a pool of {@code entries}
 *       adapters with {@code dim}-float task embeddings (every route a hit: threshold -1), cycling
 *       through 256 precomputed queries. The cost is one {@code entries x dim} gemv plus the scan
 *       and the read lock.
 *   <li>{@code routeAndRecord}: the same with a requester and automatic merging on (a threshold
 *       never reached), so the co-occurrence bookkeeping is included.
 *   <li>{@code encode}/{@code decode}: {@link LoraCodec} on a rank-8, 1024 x 1024 adapter in each
 *       format (f32: 64 KiB of weights; Q8_0: 17 KiB; Q4_0: 9 KiB), CRC32C included.
 * </ul>
 *
 * <p>All forks run with {@code --add-modules jdk.incubator.vector}; the setup fails if the SIMD
 * kernels are not the ones running.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class AdapterPoolBenchmark {
  static final int QUERIES = 256;
  static final String[] REQUESTERS = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"};

  /** A pool of small adapters; the routing cost does not depend on the adapters' size. */
  @State(Scope.Thread)
  public static class Routing {
    @Param({"64", "1024"})
    int entries;

    @Param({"64", "256"})
    int dim;

    AdapterPool pool;
    AdapterPool recording;
    float[][] queries;
    int next;

    @Setup
    public void setUp() {
      if (!VectorKernels.isVectorized()) {
        throw new IllegalStateException("expected SIMD kernels, running " + VectorKernels.implementationName());
      }
      RandomSource r = RandomSource.seeded(entries * 31L + dim);
      MicroLora adapter = MicroLora.builder(16, 16).rank(2).random(r).build();
      pool = AdapterPool.builder(dim).maximumBytes(1L << 30).similarityThreshold(-1f).build();
      recording = AdapterPool.builder(dim).maximumBytes(1L << 30).similarityThreshold(-1f)
          .clock(new VirtualClock()).autoMerge(Integer.MAX_VALUE, Duration.ofSeconds(10)).build();
      for (int i = 0; i < entries; i++) {
        float[] e = Benchmarks.gaussian(r, dim);
        pool.put("k" + i, e, adapter);
        recording.put("k" + i, e, adapter);
      }
      queries = new float[QUERIES][];
      for (int i = 0; i < QUERIES; i++) {
        queries[i] = Benchmarks.gaussian(r, dim);
      }
    }

    float[] nextQuery() {
      float[] q = queries[next];
      next = (next + 1) & (QUERIES - 1);
      return q;
    }
  }

  @Benchmark
  public Optional<AdapterPool.Route> route(Routing s) {
    return s.pool.route(s.nextQuery());
  }

  @Benchmark
  public Optional<AdapterPool.Route> routeAndRecord(Routing s) {
    return s.recording.route(REQUESTERS[s.next & 7], s.nextQuery());
  }

  /** One rank-8, 1024 x 1024 adapter with trained-like weights, and its encoding. */
  @State(Scope.Thread)
  public static class Codec {
    @Param({"F32", "Q8_0", "Q4_0"})
    WeightFormat format;

    LoraAdapter adapter;
    byte[] encoded;

    @Setup
    public void setUp() {
      RandomSource r = RandomSource.seeded(8);
      int d = 1024;
      int rank = 8;
      float[] a = Benchmarks.gaussian(r, rank * d);
      float[] bt = Benchmarks.gaussian(r, rank * d);
      for (int i = 0; i < a.length; i++) {
        a[i] *= (float) (1 / Math.sqrt(d));
        bt[i] *= 0.05f;
      }
      MicroLora f32 = MicroLora.ofWeights(d, d, rank, 16f, LoraScaling.STANDARD, a, bt);
      adapter = format == WeightFormat.F32 ? f32 : QuantizedLora.quantize(f32, format);
      encoded = LoraCodec.encode(adapter);
    }
  }

  @Benchmark
  public byte[] encode(Codec s) {
    return LoraCodec.encode(s.adapter);
  }

  @Benchmark
  public LoraAdapter decode(Codec s) throws LoraCodecException {
    return LoraCodec.decode(s.encoded);
  }
}
