package io.github.edgenet.lora.pool;

import io.github.edgenet.lora.LoraAdapter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One adapter in the pool. The immutable fields may be read under the pool's read lock; {@code
 * slot} and {@code pinned} change only under its write lock.
 */
final class Entry {
  final String key;
  final LoraAdapter adapter;
  /** The task embedding, normalized to length 1 (never shared with callers). */
  final float[] embedding;
  /** What the entry costs against the budget, see {@link AdapterPool#entryBytes}. */
  final int bytes;
  /** Non-null for adapters the pool merged. */
  final MergeProvenance provenance;
  /** Uses recorded by {@link AdapterPool#recordUse}: the weights of a merge. */
  final AtomicLong uses = new AtomicLong();
  int slot = -1;
  boolean pinned;

  Entry(String key, LoraAdapter adapter, float[] embedding, int bytes, MergeProvenance provenance) {
    this.key = key;
    this.adapter = adapter;
    this.embedding = embedding;
    this.bytes = bytes;
    this.provenance = provenance;
  }

  @Override
  public String toString() {
    return "Entry[" + key + ", " + bytes + " bytes" + (pinned ? ", pinned" : "") + "]";
  }
}
