package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.MultiAdapterBatch;
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
 * A batch of 32 rows (d=256, rank 2) through {@link MultiAdapterBatch}: all rows on one adapter,
 * or spread round-robin over 8 adapters. The target is mixed <= 1.3x single-adapter.
 * {@code contiguousBatch} is the plain {@code forwardBatch} of one adapter, for reference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class MixedBatchBenchmark {
  static final int DIM = 256;
  static final int ROWS = 32;

  @Param({"1", "8"})
  int adapters;

  final MultiAdapterBatch runner = new MultiAdapterBatch(ROWS);
  LoraAdapter[] adapterOfRow;
  MicroLora first;
  float[] xs;
  float[] ys;

  @Setup
  public void setUp() {
    RandomSource r = RandomSource.seeded(adapters);
    MicroLora[] pool = new MicroLora[adapters];
    for (int i = 0; i < adapters; i++) {
      pool[i] = LoraForwardBenchmark.adapter(r, DIM, 2);
    }
    first = pool[0];
    adapterOfRow = new LoraAdapter[ROWS];
    for (int i = 0; i < ROWS; i++) {
      adapterOfRow[i] = pool[i % adapters];
    }
    xs = Benchmarks.gaussian(r, ROWS * DIM);
    ys = new float[ROWS * DIM];
  }

  @Benchmark
  public float[] mixedBatch() {
    runner.forward(xs, ys, adapterOfRow, ROWS);
    return ys;
  }

  @Benchmark
  public float[] contiguousBatch() {
    first.forwardBatch(xs, 0, ys, 0, ROWS);
    return ys;
  }
}
