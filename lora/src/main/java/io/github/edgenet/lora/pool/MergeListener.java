package io.github.edgenet.lora.pool;

/**
 * Told about the pool's automatic merges (see {@link AdapterPool.Builder#autoMerge}). Called on
 * the thread whose {@link AdapterPool#recordUse recorded use} made a pair of adapters due, after
 * the pool's locks are released: it may call the pool. An exception it throws propagates to that
 * caller after the pool's state is complete and the other pairs made due by the same use have
 * been handled.
 */
public interface MergeListener {

  /** Why a due pair was not merged. */
  enum Refusal {
    /** One of the two adapters left the pool before the merge was done. */
    SOURCE_ABSENT,
    /** One of them is not a {@link io.github.edgenet.lora.MicroLora} (quantized adapters are not merged). */
    NOT_F32,
    /** Their input or output dimensions differ. */
    SHAPE_MISMATCH,
    /** The truncated merge's relative error exceeds the pool's bound. */
    ERROR_BOUND,
    /** The weighted mean of their task embeddings is (numerically) zero: no direction to route by. */
    DEGENERATE_EMBEDDING,
    /** The merged adapter does not fit in the budget left by the pinned adapters. */
    NO_ROOM
  }

  /**
   * A merged adapter entered the pool.
   *
   * @param provenance what was merged, with which weights, and the merged adapter's key
   */
  void onMerge(MergeProvenance provenance);

  /**
   * A due pair was not merged; its count restarts from 0. The default does nothing.
   *
   * @param first the key of the pair's first adapter
   * @param second the key of the pair's second adapter
   * @param reason why the pair was not merged
   * @param relativeError the truncation error when the merge was computed ({@code ERROR_BOUND}),
   *     otherwise NaN
   */
  default void onRefusal(String first, String second, Refusal reason, double relativeError) {}
}
