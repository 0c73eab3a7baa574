// Horizontal resampling kernel: a portable version and an SSE4.1 one chosen at run time; both give identical bytes.
#include "CImageKernels.h"

#include <string.h>

#define PRECISION_BITS 22

static inline uint8_t clip8(int32_t value) {
    int32_t shifted = value >> PRECISION_BITS;
    return shifted < 0 ? 0 : shifted > 255 ? 255 : (uint8_t)shifted;
}

void graft_resample_rows_portable(const uint8_t *input, size_t input_row_bytes, uint8_t *output, size_t output_row_bytes,
                                   int rows, const long *starts, const long *counts, const int32_t *weights,
                                   int kernel_size, int first_column, int column_count) {
    for (int row = 0; row < rows; row++) {
        const uint8_t *source = input + (size_t)row * input_row_bytes;
        uint8_t *target = output + (size_t)row * output_row_bytes;
        for (int column = first_column; column < first_column + column_count; column++) {
            const uint8_t *pixel = source + starts[column] * 3;
            const int32_t *weight = weights + (size_t)column * kernel_size;
            int32_t red = 1 << (PRECISION_BITS - 1), green = red, blue = red;
            for (long tap = 0; tap < counts[column]; tap++, pixel += 3) {
                red += pixel[0] * weight[tap];
                green += pixel[1] * weight[tap];
                blue += pixel[2] * weight[tap];
            }
            target[0] = clip8(red);
            target[1] = clip8(green);
            target[2] = clip8(blue);
            target += 3;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <smmintrin.h>

__attribute__((target("sse4.1")))
static void resample_rows_sse41(const uint8_t *input, size_t input_row_bytes, uint8_t *output, size_t output_row_bytes,
                                int rows, const long *starts, const long *counts, const int32_t *weights,
                                int kernel_size, int first_column, int column_count) {
    const __m128i rounding = _mm_set1_epi32(1 << (PRECISION_BITS - 1));
    for (int row = 0; row < rows; row++) {
        const uint8_t *source = input + (size_t)row * input_row_bytes;
        uint8_t *target = output + (size_t)row * output_row_bytes;
        for (int column = first_column; column < first_column + column_count; column++) {
            const uint8_t *pixel = source + starts[column] * 3;
            const int32_t *weight = weights + (size_t)column * kernel_size;
            __m128i sum = rounding;
            for (long tap = 0; tap < counts[column]; tap++, pixel += 3) {
                uint32_t rgb = 0;
                memcpy(&rgb, pixel, 3);  // exactly three bytes: never reads past the image
                __m128i lanes = _mm_cvtepu8_epi32(_mm_cvtsi32_si128((int)rgb));
                sum = _mm_add_epi32(sum, _mm_mullo_epi32(lanes, _mm_set1_epi32(weight[tap])));
            }
            // Arithmetic shift, then saturating packs clamp to 0...255 exactly like clip8.
            __m128i bytes = _mm_packus_epi16(_mm_packs_epi32(_mm_srai_epi32(sum, PRECISION_BITS), sum), sum);
            uint32_t packed = (uint32_t)_mm_cvtsi128_si32(bytes);
            memcpy(target, &packed, 3);
            target += 3;
        }
    }
}
#endif

void graft_resample_rows(const uint8_t *input, size_t input_row_bytes, uint8_t *output, size_t output_row_bytes,
                         int rows, const long *starts, const long *counts, const int32_t *weights,
                         int kernel_size, int first_column, int column_count) {
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("sse4.1")) {
        resample_rows_sse41(input, input_row_bytes, output, output_row_bytes, rows, starts, counts, weights,
                            kernel_size, first_column, column_count);
        return;
    }
#endif
    graft_resample_rows_portable(input, input_row_bytes, output, output_row_bytes, rows, starts, counts, weights,
                           kernel_size, first_column, column_count);
}
