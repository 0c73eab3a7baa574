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

/// Pillow-exact vertical pass over rows of `row_length` bytes: output row r (of `output_rows`) is output row
/// y = first_output_row + r of the plan, summing input rows starts[y] - row_offset + t for t < counts[y].
/// `sums` is caller-provided scratch of `row_length` int32 values.
void graft_resample_columns(const uint8_t *input, size_t row_length, uint8_t *output, int first_output_row,
                            int output_rows, const long *starts, const long *counts, const int32_t *weights,
                            int kernel_size, long row_offset, int32_t *sums);

/// The same computation compiled for the baseline CPU (tests cross-check both).
void graft_resample_columns_portable(const uint8_t *input, size_t row_length, uint8_t *output, int first_output_row,
                                     int output_rows, const long *starts, const long *counts, const int32_t *weights,
                                     int kernel_size, long row_offset, int32_t *sums);

#endif
