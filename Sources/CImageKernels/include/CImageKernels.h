// Hot inner loops of GraftData's image transforms, in C so they can use SSE4.1 when the CPU has it.
#ifndef GRAFT_CIMAGEKERNELS_H
#define GRAFT_CIMAGEKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Pillow-exact horizontal pass of fixed-point resampling over interleaved RGB rows.
/// For each of `rows` rows and each output column c in [first_column, first_column + column_count):
///   out = clip8((2^21 + sum_t in[(starts[c] + t) * 3 + channel] * weights[c * kernel_size + t]) >> 22)
/// with t < counts[c]. The caller guarantees starts[c] + counts[c] <= the input width.
void graft_resample_rows(const uint8_t *input, size_t input_row_bytes, uint8_t *output, size_t output_row_bytes,
                         int rows, const long *starts, const long *counts, const int32_t *weights,
                         int kernel_size, int first_column, int column_count);

/// The same computation without SIMD; graft_resample_rows uses it on CPUs without SSE4.1 (tests cross-check both).
void graft_resample_rows_portable(const uint8_t *input, size_t input_row_bytes, uint8_t *output, size_t output_row_bytes,
                                  int rows, const long *starts, const long *counts, const int32_t *weights,
                                  int kernel_size, int first_column, int column_count);

#endif
