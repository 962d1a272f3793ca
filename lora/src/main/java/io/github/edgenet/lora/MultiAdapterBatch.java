package io.github.edgenet.lora;

import java.util.Arrays;
import java.util.Objects;

/**
 * Runs one batch whose rows use different adapters, at close to the cost of a single-adapter
 * batch.
 *
 * <p>This is the idea of Punica's SGMV kernel (Chen et al., "Punica: Multi-Tenant LoRA Serving",
 * 2023) in the shape that suits a CPU: rows are grouped by adapter with a stable counting sort of
 * their indices, then each adapter runs once over its own rows through
 * {@link LoraAdapter#forwardRows}, which processes several rows per pass over the adapter's weights
 * and reads the rows in place (no gather or scatter copy: at small dimensions a copy would cost
 * more than the arithmetic).
 *
 * <pre>{@code
 * MultiAdapterBatch runner = new MultiAdapterBatch(64);     // one per thread, reused
 * LoraAdapter[] adapterOfRow = ...;                         // e.g. from AdapterPool routing
 * runner.forward(xs, ys, adapterOfRow, 32);                 // ys[i] += ΔW_{adapter i} xs[i]
 * }</pre>
 *
 * <p>All adapters of one call must share input and output dimensions ({@code xs} and {@code ys} are
 * row-major with those strides). A {@code null} entry means "no adapter" for that row, which is
 * left unchanged.
 *
 * <p>Not thread-safe: the grouping buffers are reused across calls, so give each thread its own
 * runner. It allocates nothing per call. The adapters themselves may be shared between runners.
 */
public final class MultiAdapterBatch {
  private final int maxBatch;
  private final LoraAdapter[] distinct;
  private final int[] groupOfRow;
  private final int[] groupStart;
  private final int[] order;

  /**
   * A runner for batches of up to {@code maxBatch} rows.
   *
   * @param maxBatch the largest batch {@link #forward} accepts, {@code >= 1}; the runner's scratch
   *     (row indices grouped by adapter) is sized for it once
   * @throws IllegalArgumentException if {@code maxBatch < 1}
   */
  public MultiAdapterBatch(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.distinct = new LoraAdapter[maxBatch];
    this.groupOfRow = new int[maxBatch];
    this.groupStart = new int[maxBatch + 1];
    this.order = new int[maxBatch];
  }

  /**
   * The largest batch this runner accepts.
   *
   * @return the largest batch this runner accepts
   */
  public int maxBatch() {
    return maxBatch;
  }

  /**
   * Adds each row's adapter update: {@code ys[i*out ..] += ΔW_i xs[i*in ..]} for {@code i < batch},
   * where {@code ΔW_i} is {@code adapterOfRow[i]}'s update ({@code null}: row unchanged).
   *
   * @param xs the inputs, {@code batch} rows of the adapters' input dimension; read only
   * @param ys the outputs, {@code batch} rows of their output dimension; updated in place
   * @param adapterOfRow each row's adapter, or {@code null} to leave the row unchanged; the first
   *     {@code batch} entries are used
   * @param batch the number of rows, 0 to {@link #maxBatch()}
   * @return the number of distinct adapters in the batch
   * @throws IllegalArgumentException if {@code batch} is negative or above {@link #maxBatch()},
   *     {@code adapterOfRow} is shorter than {@code batch}, or the adapters' dimensions differ
   * @throws IndexOutOfBoundsException if {@code xs} or {@code ys} is too short for the batch
   *     (nothing is written in either case)
   */
  public int forward(float[] xs, float[] ys, LoraAdapter[] adapterOfRow, int batch) {
    if (batch < 0 || batch > maxBatch) {
      throw new IllegalArgumentException("batch must be in 0.." + maxBatch + ", was " + batch);
    }
    if (adapterOfRow.length < batch) {
      throw new IllegalArgumentException(
          "adapterOfRow has " + adapterOfRow.length + " entries for a batch of " + batch);
    }
    int groups = 0;
    int nullRows = 0;
    int in = -1;
    int out = -1;
    try {
      // Group rows by adapter identity. Batches are small and hold few distinct adapters, so a
      // linear scan of the distinct list beats hashing and allocates nothing.
      for (int i = 0; i < batch; i++) {
        LoraAdapter adapter = adapterOfRow[i];
        if (adapter == null) {
          groupOfRow[i] = -1;
          nullRows++;
          continue;
        }
        int g = 0;
        while (g < groups && distinct[g] != adapter) {
          g++;
        }
        if (g == groups) {
          if (groups == 0) {
            in = adapter.inputDim();
            out = adapter.outputDim();
          } else if (adapter.inputDim() != in || adapter.outputDim() != out) {
            throw new IllegalArgumentException(
                "row " + i + " uses an adapter of dimensions " + adapter.inputDim() + "->"
                    + adapter.outputDim() + ", earlier rows " + in + "->" + out);
          }
          distinct[groups++] = adapter;
        }
        groupOfRow[i] = g;
      }
      if (groups == 0) {
        return 0;
      }
      Objects.checkFromIndexSize(0, (long) batch * in, xs.length);
      Objects.checkFromIndexSize(0, (long) batch * out, ys.length);
      if (groups == 1 && nullRows == 0) {
        distinct[0].forwardBatch(xs, 0, ys, 0, batch); // one adapter: no sort (~8% of the batch)
        return 1;
      }

      // Stable counting sort of row indices by group.
      Arrays.fill(groupStart, 0, groups + 1, 0);
      for (int i = 0; i < batch; i++) {
        if (groupOfRow[i] >= 0) {
          groupStart[groupOfRow[i] + 1]++;
        }
      }
      for (int g = 0; g < groups; g++) {
        groupStart[g + 1] += groupStart[g];
      }
      for (int i = 0; i < batch; i++) {
        int g = groupOfRow[i];
        if (g >= 0) {
          order[groupStart[g]++] = i;
        }
      }
      // groupStart[g] now holds the end of group g; group g starts where group g-1 ends.
      int start = 0;
      for (int g = 0; g < groups; g++) {
        int end = groupStart[g];
        distinct[g].forwardRows(xs, 0, ys, 0, order, start, end - start);
        start = end;
      }
      return groups;
    } finally {
      Arrays.fill(distinct, 0, groups, null); // do not keep adapters reachable between calls
    }
  }
}
