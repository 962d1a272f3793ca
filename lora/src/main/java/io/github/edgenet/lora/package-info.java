/**
 * Low-rank adaptation for edge models: {@code MicroLora} adapters (rank 1-16) that train both
 * factors, Q8_0/Q4_0 quantized blocks, the adapter pool, batched and multi-adapter inference and
 * exact merging. Work in progress; this package marks where it lives.
 */
package io.github.edgenet.lora;
