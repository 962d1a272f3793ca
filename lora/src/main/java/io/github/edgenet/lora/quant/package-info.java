/**
 * Quantized low-rank adapters in llama.cpp's Q8_0 and Q4_0 block formats: {@link
 * io.github.edgenet.lora.quant.QuantizedMatrix} (row-wise blocks, ggml-compatible bytes), {@link
 * io.github.edgenet.lora.quant.QuantizedLora} (an adapter whose forward pass runs on the blocks)
 * and {@link io.github.edgenet.lora.quant.QuantizedVector} (an 8-bit activation buffer for the
 * integer path). The kernels live in core's {@link io.github.edgenet.core.vector.QuantizedKernels}.
 */
package io.github.edgenet.lora.quant;
