// libpng encoding into a memory buffer with its longjmp error handling contained inside graft_png_encode_rgba.
#include "CImageCodecs.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    char *error;
    size_t error_capacity;
} png_sink;

static void graft_png_encode_error(png_structp png, png_const_charp message) {
    png_sink *sink = (png_sink *)png_get_error_ptr(png);
    if (sink != NULL && sink->error_capacity > 0) {
        snprintf(sink->error, sink->error_capacity, "%s", message);
    }
    png_longjmp(png, 1);
}

static void graft_png_encode_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static void graft_png_write(png_structp png, png_bytep bytes, png_size_t length) {
    png_sink *sink = (png_sink *)png_get_io_ptr(png);
    if (length > sink->capacity - sink->size) {
        size_t capacity = sink->capacity > 0 ? sink->capacity : 4096;
        while (length > capacity - sink->size) {
            if (capacity > SIZE_MAX / 2) png_error(png, "PNG output too large");
            capacity *= 2;
        }
        uint8_t *grown = (uint8_t *)realloc(sink->data, capacity);
        if (grown == NULL) png_error(png, "out of memory for the PNG output");
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, bytes, length);
    sink->size += length;
}

static void graft_png_flush(png_structp png) { (void)png; }

int graft_png_encode_rgba(const uint8_t *pixels, uint32_t width, uint32_t height,
                          uint8_t **png_out, size_t *png_size, char *error, size_t error_capacity) {
    png_sink sink = {NULL, 0, 0, error, error_capacity};
    // volatile: modified between setjmp and a possible longjmp.
    png_bytep *volatile rows = NULL;
    *png_out = NULL;
    *png_size = 0;
    if (error_capacity > 0) error[0] = '\0';

    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, graft_png_encode_error,
                                              graft_png_encode_warning);
    if (png == NULL) {
        snprintf(error, error_capacity, "out of memory creating the PNG writer");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        snprintf(error, error_capacity, "out of memory creating the PNG writer");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(sink.data);
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, &sink, graft_png_write, graft_png_flush);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (height > 0 ? height : 1));
    if (rows == NULL) png_error(png, "out of memory for the PNG rows");
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * width * 4);
    png_write_image(png, rows);
    png_write_end(png, NULL);

    free(rows);
    png_destroy_write_struct(&png, &info);
    *png_out = sink.data;
    *png_size = sink.size;
    return 0;
}
