/**
 * edgenet lora: low-rank adapters, quantized blocks, the adapter pool, batched and multi-adapter
 * inference and exact merging. Depends on core.
 */
module io.github.edgenet.lora {
  requires transitive io.github.edgenet.core;
  requires com.github.benmanes.caffeine;

  exports io.github.edgenet.lora;
  exports io.github.edgenet.lora.quant;
  exports io.github.edgenet.lora.io;
  exports io.github.edgenet.lora.model;
  exports io.github.edgenet.lora.pool;
}
