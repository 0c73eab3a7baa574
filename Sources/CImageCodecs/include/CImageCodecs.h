// C entry points for GraftData and GraftReport: TurboJPEG directly, PNG reading and writing through small
// setjmp-safe wrappers around libpng.
#ifndef GRAFT_CIMAGECODECS_H
#define GRAFT_CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>
#include <turbojpeg.h>

/// Shape of a PNG decoded by graft_png_decode: palette and low bit depths are already expanded.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// 8 or 16; 16-bit samples are big-endian as stored in the file.
    int bit_depth;
    /// 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
    int channels;
    /// The PNG color type of the file (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA).
    int color_type;
} graft_png_info;

/// Decodes a whole PNG held in memory. On success returns 0 and sets *pixels to a malloc'd
/// buffer of height * width * channels * (bit_depth / 8) bytes that the caller frees with free().
/// On failure returns -1 and writes a NUL-terminated reason into error (libpng's longjmp never leaves this call).
/// When the header declares more than max_pixels pixels it returns 2 with info->width and info->height set,
/// having allocated nothing for pixels.
int graft_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                     graft_png_info *info, uint8_t **pixels, char *error, size_t error_capacity);

/// Encodes 8-bit RGBA pixels (height rows of width * 4 bytes, top row first) as a whole PNG file in memory.
/// On success returns 0 and sets *png to a malloc'd buffer of *png_size bytes that the caller frees with free().
/// On failure returns -1 and writes a NUL-terminated reason into error (libpng's longjmp never leaves this call).
int graft_png_encode_rgba(const uint8_t *pixels, uint32_t width, uint32_t height,
                          uint8_t **png, size_t *png_size, char *error, size_t error_capacity);

#endif
