// Vertical resampling kernel: one plain C loop compiled twice (baseline and SSE4.1), chosen at run time.
#include "CImageKernels.h"

#define PRECISION_BITS 22

static inline __attribute__((always_inline))
void resample_columns_body(const uint8_t *input, size_t row_length, uint8_t *output, int first_output_row, int output_rows,
                           const long *starts, const long *counts, const int32_t *weights, int kernel_size,
                           long row_offset, int32_t *sums) {
    for (int row = 0; row < output_rows; row++) {
        int y = first_output_row + row;
        for (size_t index = 0; index < row_length; index++) sums[index] = 1 << (PRECISION_BITS - 1);
        // Row-at-a-time accumulation: sequential memory access the compiler vectorises.
        for (long tap = 0; tap < counts[y]; tap++) {
            const uint8_t *source = input + (size_t)(starts[y] - row_offset + tap) * row_length;
            int32_t weight = weights[(size_t)y * kernel_size + tap];
            for (size_t index = 0; index < row_length; index++) sums[index] += (int32_t)source[index] * weight;
        }
        uint8_t *target = output + (size_t)row * row_length;
        for (size_t index = 0; index < row_length; index++) {
            int32_t value = sums[index] >> PRECISION_BITS;
            target[index] = value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value;
        }
    }
}

void graft_resample_columns_portable(const uint8_t *input, size_t row_length, uint8_t *output, int first_output_row,
                                     int output_rows, const long *starts, const long *counts, const int32_t *weights,
                                     int kernel_size, long row_offset, int32_t *sums) {
    resample_columns_body(input, row_length, output, first_output_row, output_rows, starts, counts, weights, kernel_size,
                          row_offset, sums);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("sse4.1")))
static void resample_columns_sse41(const uint8_t *input, size_t row_length, uint8_t *output, int first_output_row,
                                   int output_rows, const long *starts, const long *counts, const int32_t *weights,
                                   int kernel_size, long row_offset, int32_t *sums) {
    resample_columns_body(input, row_length, output, first_output_row, output_rows, starts, counts, weights, kernel_size,
                          row_offset, sums);
}
#endif

void graft_resample_columns(const uint8_t *input, size_t row_length, uint8_t *output, int first_output_row,
                            int output_rows, const long *starts, const long *counts, const int32_t *weights,
                            int kernel_size, long row_offset, int32_t *sums) {
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("sse4.1")) {
        resample_columns_sse41(input, row_length, output, first_output_row, output_rows, starts, counts, weights,
                               kernel_size, row_offset, sums);
        return;
    }
#endif
    graft_resample_columns_portable(input, row_length, output, first_output_row, output_rows, starts, counts, weights,
                                    kernel_size, row_offset, sums);
}
