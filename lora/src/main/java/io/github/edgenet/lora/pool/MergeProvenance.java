package io.github.edgenet.lora.pool;

import java.util.List;
import java.util.Objects;

/**
 * Where an adapter the pool merged came from: its sources and their weights, the truncation error
 * of the merge and when it happened. Obtained from {@link AdapterPool#provenance(String)} while
 * the merged adapter is in the pool, and from {@link MergeListener#onMerge}.
 *
 * <p>The merged adapter's update is {@code ΔW ≈ sum_i weight_i ΔW_i} over the sources, truncated
 * to {@code rank} by {@link io.github.edgenet.lora.LoraMerge}. A source may itself be a merged
 * adapter; follow {@link AdapterPool#provenance(String)} to walk the chain while the sources are
 * in the pool. Immutable.
 *
 * @param key the merged adapter's key in the pool
 * @param sources the merged adapters' keys and weights (weights sum to 1), in key order
 * @param relativeError the relative Frobenius error of the truncation, {@code |ΔW - ΔW_r|_F /
 *     |ΔW|_F} (see {@link io.github.edgenet.lora.LoraMerge.Result#relativeError()})
 * @param rank the merged adapter's rank
 * @param mergedAtMillis wall time of the merge from the pool's clock, milliseconds since the epoch
 */
public record MergeProvenance(
    String key, List<Source> sources, double relativeError, int rank, long mergedAtMillis) {

  /**
   * One source of a merge.
   *
   * @param key the source adapter's key
   * @param weight its weight in the merge, proportional to its recorded uses
   */
  public record Source(String key, double weight) {
    /** Checks the fields. */
    public Source {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Copies the source list. */
  public MergeProvenance {
    Objects.requireNonNull(key, "key");
    sources = List.copyOf(sources);
  }

  /**
   * The sources' keys, in the order of {@link #sources()}.
   *
   * @return the sources' keys, in the order of {@link #sources()}
   */
  public List<String> sourceKeys() {
    return sources.stream().map(Source::key).toList();
  }
}
