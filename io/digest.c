/*
 * digest.c - SHA-256 through Nettle (digest.h says why Nettle).
 */
#include "digest.h"

#include <nettle/sha2.h>

void as_digest_sha256(const void *bytes, size_t n, char hex[AS_SHA256_HEX])
{
    static const char digits[] = "0123456789abcdef";
    struct sha256_ctx ctx;
    uint8_t sum[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, n, bytes);
    sha256_digest(&ctx, sizeof sum, sum);
    for (size_t i = 0; i < sizeof sum; i++) {
        hex[2 * i] = digits[sum[i] >> 4];
        hex[2 * i + 1] = digits[sum[i] & 15];
    }
    hex[2 * SHA256_DIGEST_SIZE] = '\0';
}
