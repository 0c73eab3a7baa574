// Classic libpng decoding with its longjmp error handling contained inside graft_png_decode.
#include "CImageCodecs.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    char *error;
    size_t error_capacity;
} png_source;

static void graft_png_error(png_structp png, png_const_charp message) {
    png_source *source = (png_source *)png_get_error_ptr(png);
    if (source != NULL && source->error_capacity > 0) {
        snprintf(source->error, source->error_capacity, "%s", message);
    }
    png_longjmp(png, 1);
}

static void graft_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message; // ancillary-chunk warnings (e.g. iCCP profiles) do not affect the pixels
}

static void graft_png_read(png_structp png, png_bytep out, png_size_t length) {
    png_source *source = (png_source *)png_get_io_ptr(png);
    if (length > source->size - source->offset) {
        png_error(png, "file is truncated (unexpected end of data)");
    }
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

int graft_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                     graft_png_info *info, uint8_t **pixels, char *error, size_t error_capacity) {
    png_source source = {data, size, 0, error, error_capacity};
    // volatile: these are modified between setjmp and a possible longjmp.
    uint8_t *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    *pixels = NULL;
    if (error_capacity > 0) error[0] = '\0';

    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, graft_png_error, graft_png_warning);
    if (png == NULL) {
        snprintf(error, error_capacity, "out of memory creating the PNG reader");
        return -1;
    }
    png_infop pinfo = png_create_info_struct(png);
    if (pinfo == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(error, error_capacity, "out of memory creating the PNG reader");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(buffer);
        free(rows);
        png_destroy_read_struct(&png, &pinfo, NULL);
        return -1;
    }
    png_set_read_fn(png, &source, graft_png_read);
    png_set_user_limits(png, 65535, 65535);
    png_read_info(png, pinfo);

    png_uint_32 width = png_get_image_width(png, pinfo);
    png_uint_32 height = png_get_image_height(png, pinfo);
    int color_type = png_get_color_type(png, pinfo);
    if ((uint64_t)width * (uint64_t)height > max_pixels) {
        // Refused from the header alone, before any pixel buffer exists; the caller reports the size.
        info->width = width;
        info->height = height;
        png_destroy_read_struct(&png, &pinfo, NULL);
        return 2;
    }
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, pinfo) < 8) png_set_expand_gray_1_2_4_to_8(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, pinfo);

    int channels = png_get_channels(png, pinfo);
    int bit_depth = png_get_bit_depth(png, pinfo);
    size_t row_bytes = png_get_rowbytes(png, pinfo);
    if (row_bytes != (size_t)width * (size_t)channels * (size_t)(bit_depth / 8)) {
        png_error(png, "unsupported PNG pixel layout");
    }
    buffer = (uint8_t *)malloc(row_bytes * height);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (buffer == NULL || rows == NULL) png_error(png, "out of memory for the decoded image");
    for (png_uint_32 y = 0; y < height; y++) rows[y] = buffer + (size_t)y * row_bytes;
    png_read_image(png, rows); // trailing chunks are not read: like PIL, a missing IEND is tolerated

    info->width = width;
    info->height = height;
    info->bit_depth = bit_depth;
    info->channels = channels;
    info->color_type = color_type;
    *pixels = buffer;
    free(rows);
    png_destroy_read_struct(&png, &pinfo, NULL);
    return 0;
}
