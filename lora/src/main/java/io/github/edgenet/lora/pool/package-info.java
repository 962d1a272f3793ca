/**
 * The adapter pool: {@link io.github.edgenet.lora.pool.AdapterPool}, a memory-bounded, thread-safe
 * set of adapters keyed by name and routed to by the cosine similarity of task embeddings, with a
 * hard byte budget, pinning, time-based expiry, removal notices and optional automatic merging of
 * adapters whose tasks keep occurring together ({@link io.github.edgenet.lora.pool.MergeListener},
 * {@link io.github.edgenet.lora.pool.MergeProvenance}). Guide: docs/lora.md.
 */
package io.github.edgenet.lora.pool;
