// FreeType for Swift: glyph outlines rendered to coverage bitmaps for the text in PNG plots (GraftReport).
#include <ft2build.h>
#include FT_FREETYPE_H
