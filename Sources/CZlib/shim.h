// zlib for Swift: CRC-32 for zip entries (GraftIO), gzip inflation (GraftData).
#include <zlib.h>
