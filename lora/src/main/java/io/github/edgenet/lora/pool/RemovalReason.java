package io.github.edgenet.lora.pool;

/**
 * Why an adapter left an {@link AdapterPool}, as told to its {@link AdapterRemovalListener}. (Named
 * so that it does not shadow Caffeine's {@code RemovalCause}, which the pool uses inside.)
 */
public enum RemovalReason {
  /** Evicted to keep the pool within its memory budget. */
  SIZE,
  /** Removed by {@link AdapterPool#invalidate(String)}. */
  EXPLICIT,
  /** Replaced by an {@link AdapterPool#put} with the same key. */
  REPLACED
}
