package io.github.edgenet.benchmarks;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.MultiAdapterBatch;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.quant.QuantizedLora;
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
 * or spread round-robin over 8 adapters, with f32 or Q8_0 adapters. The target is mixed &lt;= 1.3x
 * single-adapter. {@code contiguousBatch} is the plain {@code forwardBatch} of one adapter, for
 * reference.
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

  @Param({"F32", "Q8_0"})
  WeightFormat format;

  final MultiAdapterBatch runner = new MultiAdapterBatch(ROWS);
  LoraAdapter[] adapterOfRow;
  LoraAdapter first;
  float[] xs;
  float[] ys;

  @Setup
  public void setUp() {
    RandomSource r = RandomSource.seeded(adapters);
    LoraAdapter[] pool = new LoraAdapter[adapters];
    for (int i = 0; i < adapters; i++) {
      MicroLora f32 = LoraForwardBenchmark.adapter(r, DIM, 2);
      pool[i] = format == WeightFormat.F32 ? f32 : QuantizedLora.quantize(f32, format);
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
