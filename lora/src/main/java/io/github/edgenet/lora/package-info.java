/**
 * Low-rank adaptation for edge models: {@code MicroLora} adapters (rank 1-16) that train both
 * factors, Q8_0/Q4_0 quantized blocks, the adapter pool, batched and multi-adapter inference and
 * exact merging. This package holds the adapters ({@link io.github.edgenet.lora.MicroLora}), the
 * multi-adapter runner, training and merging; {@code lora.quant}, {@code lora.pool},
 * {@code lora.io} and {@code lora.model} hold the rest. Guide: docs/lora.md.
 */
package io.github.edgenet.lora;
