package io.github.edgenet.lora.pool;

import io.github.edgenet.lora.LoraAdapter;

/**
 * Hears of adapters leaving an {@link AdapterPool} (see its class documentation for when it is
 * called: synchronously, on the thread whose operation caused the removal, after the pool's locks
 * are released, so it may call the pool). If it throws, the remaining notices of the same
 * operation are still delivered, then the first exception propagates to the caller of that
 * operation (the pool's state is already complete). Named so that it does not shadow Caffeine's
 * {@code RemovalListener}.
 */
@FunctionalInterface
public interface AdapterRemovalListener {
  /**
   * {@code adapter}, stored under {@code key} with the (normalized) {@code taskEmbedding}, left
   * the pool.
   *
   * @param key the key the adapter was stored under
   * @param adapter the adapter that left (still valid for whoever holds it)
   * @param taskEmbedding a copy of its normalized task embedding, which the listener may keep
   * @param reason why it left
   */
  void onRemoval(String key, LoraAdapter adapter, float[] taskEmbedding, RemovalReason reason);
}
