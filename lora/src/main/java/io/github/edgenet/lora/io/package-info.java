/**
 * Storage and transfer of adapters: {@link io.github.edgenet.lora.io.LoraCodec}, a versioned,
 * checksummed binary format for f32, Q8_0 and Q4_0 adapters whose decoder treats its input as
 * untrusted, and {@link io.github.edgenet.lora.io.LoraCodecException}, its typed decode error.
 */
package io.github.edgenet.lora.io;
