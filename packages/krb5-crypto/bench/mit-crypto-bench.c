/*
 * mit-crypto-bench: times MIT krb5's own crypto (libkrb5 / libk5crypto), the peer that
 * bench/run.mjs compares @postntlm/krb5-crypto with in the same run. Not a test.
 *
 *   cc -O2 -o mit-crypto-bench mit-crypto-bench.c -lkrb5 -lk5crypto -lcom_err
 *
 * Encryption and decryption go through krb5_k_encrypt / krb5_k_decrypt on a krb5_key,
 * which keeps the derived keys (Ke, Ki) between calls as @postntlm/krb5-crypto does, so
 * the comparison is per message, not per key derivation. The key usage is 3, the same as
 * the JS bench; the confounder is random (MIT's PRNG), as in real use. String-to-key is
 * krb5_c_string_to_key with the enctype's default iteration count.
 *
 * Timing follows bench/run.mjs: a warm-up, then rounds of a fixed duration, each giving an
 * ops/s figure; the reported figure is the median of the rounds. Output: one JSON object
 * per line on stdout.
 *
 * Two modes:
 *   mit-crypto-bench [--rounds N] [--round-ms MS] [--warmup-ms MS] [--s2k-rounds N]
 *       measures everything (enctypes 17, 18, 19, 20; 64 B, 1 KiB, 64 KiB; string-to-key)
 *       and prints {"op":..., "enctype":..., "size":..., "opsPerSec":..., ...} lines.
 *   mit-crypto-bench --serve
 *       reads one command per line on stdin and answers each with one JSON line, so that
 *       run.mjs can alternate single rounds of MIT with rounds of its own backends:
 *         warmup <encrypt|decrypt> <enctype> <size> <ms>    -> {"ok":true}
 *         round <encrypt|decrypt> <enctype> <size> <ms>     -> {"opsPerSec":...}
 *         s2k <enctype>                                     -> {"opsPerSec":...} (one call)
 *         info                                              -> what is measured, how
 *       Errors: {"error":"..."}; the program then keeps serving.
 */
#include <errno.h>
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USAGE 3
#define MAX_CELLS 64
#define MAX_ROUNDS 101

static krb5_context ctx;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The same deterministic filler as bench/run.mjs (an LCG, top byte of each state). */
static void fill_bytes(unsigned char *out, size_t n, unsigned int seed)
{
    unsigned int x = seed;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        out[i] = (unsigned char)(x >> 24);
    }
}

static void print_error(const char *what, krb5_error_code code)
{
    const char *msg = krb5_get_error_message(ctx, code);
    printf("{\"error\":\"%s: %s (%ld)\"}\n", what, msg, (long)code);
    krb5_free_error_message(ctx, msg);
    fflush(stdout);
}

/* One key per enctype, made once; krb5_key caches the keys derived from it. */
struct key_entry {
    krb5_enctype enctype;
    krb5_key key;
};
static struct key_entry keys[8];
static int nkeys;

static krb5_error_code key_for(krb5_enctype enctype, krb5_key *out)
{
    for (int i = 0; i < nkeys; i++) {
        if (keys[i].enctype == enctype) {
            *out = keys[i].key;
            return 0;
        }
    }
    if (nkeys == (int)(sizeof(keys) / sizeof(keys[0])))
        return KRB5_BAD_ENCTYPE;
    size_t keybytes, keylength;
    krb5_error_code ret = krb5_c_keylengths(ctx, enctype, &keybytes, &keylength);
    if (ret)
        return ret;
    unsigned char *bytes = malloc(keylength);
    if (bytes == NULL)
        return ENOMEM;
    fill_bytes(bytes, keylength, (unsigned int)enctype); /* same key bytes as run.mjs */
    krb5_keyblock kb;
    memset(&kb, 0, sizeof(kb));
    kb.magic = KV5M_KEYBLOCK;
    kb.enctype = enctype;
    kb.length = (unsigned int)keylength;
    kb.contents = bytes;
    ret = krb5_k_create_key(ctx, &kb, out);
    memset(bytes, 0, keylength);
    free(bytes);
    if (ret)
        return ret;
    keys[nkeys].enctype = enctype;
    keys[nkeys].key = *out;
    nkeys++;
    return 0;
}

/* A measurement cell: a key, a plaintext, its ciphertext and a buffer to decrypt into. */
struct cell {
    krb5_enctype enctype;
    size_t size;
    krb5_key key;
    krb5_data plain;
    krb5_enc_data cipher; /* the output of encrypt calls */
    krb5_enc_data sample; /* a fixed ciphertext of `plain`, input of decrypt calls */
    krb5_data out;        /* the output of decrypt calls */
};
static struct cell cells[MAX_CELLS];
static int ncells;

static krb5_error_code cell_for(krb5_enctype enctype, size_t size, struct cell **out)
{
    for (int i = 0; i < ncells; i++) {
        if (cells[i].enctype == enctype && cells[i].size == size) {
            *out = &cells[i];
            return 0;
        }
    }
    if (ncells == MAX_CELLS)
        return ENOMEM;
    struct cell *c = &cells[ncells];
    memset(c, 0, sizeof(*c));
    c->enctype = enctype;
    c->size = size;
    krb5_error_code ret = key_for(enctype, &c->key);
    if (ret)
        return ret;
    size_t clen;
    ret = krb5_c_encrypt_length(ctx, enctype, size, &clen);
    if (ret)
        return ret;
    c->plain.data = malloc(size ? size : 1);
    c->out.data = malloc(size ? size : 1);
    c->cipher.ciphertext.data = malloc(clen);
    c->sample.ciphertext.data = malloc(clen);
    if (!c->plain.data || !c->out.data || !c->cipher.ciphertext.data || !c->sample.ciphertext.data)
        return ENOMEM;
    c->plain.length = (unsigned int)size;
    fill_bytes((unsigned char *)c->plain.data, size, (unsigned int)size); /* as run.mjs */
    c->cipher.ciphertext.length = (unsigned int)clen;
    c->sample.ciphertext.length = (unsigned int)clen;
    ret = krb5_k_encrypt(ctx, c->key, USAGE, NULL, &c->plain, &c->sample);
    if (ret)
        return ret;
    /* Check the round trip once, so that a broken setup cannot produce a fast figure. */
    c->out.length = (unsigned int)size;
    ret = krb5_k_decrypt(ctx, c->key, USAGE, NULL, &c->sample, &c->out);
    if (ret)
        return ret;
    if (c->out.length != size || memcmp(c->out.data, c->plain.data, size) != 0)
        return KRB5KRB_AP_ERR_BAD_INTEGRITY;
    ncells++;
    *out = c;
    return 0;
}

static krb5_error_code do_encrypt(struct cell *c)
{
    c->cipher.ciphertext.length = c->sample.ciphertext.length;
    return krb5_k_encrypt(ctx, c->key, USAGE, NULL, &c->plain, &c->cipher);
}

static krb5_error_code do_decrypt(struct cell *c)
{
    c->out.length = (unsigned int)c->size;
    return krb5_k_decrypt(ctx, c->key, USAGE, NULL, &c->sample, &c->out);
}

typedef krb5_error_code (*op_fn)(struct cell *);

/* Ops/s of one round: calls in groups of 4 until `ms` have passed (as run.mjs does). */
static krb5_error_code run_round(op_fn fn, struct cell *c, double ms, double *rate)
{
    long ops = 0;
    double t0 = now_ms(), t;
    do {
        for (int i = 0; i < 4; i++) {
            krb5_error_code ret = fn(c);
            if (ret)
                return ret;
        }
        ops += 4;
        t = now_ms();
    } while (t - t0 < ms);
    *rate = (double)ops * 1000.0 / (t - t0);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *xs, int n)
{
    qsort(xs, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

/* One string-to-key call (default iterations), as ops/s. */
static krb5_error_code s2k_once(krb5_enctype enctype, double *rate)
{
    char password[] = "Password123!";
    char salt_bytes[] = "EXAMPLE.COMuser";
    krb5_data pw, salt;
    pw.magic = KV5M_DATA;
    pw.data = password;
    pw.length = (unsigned int)strlen(password);
    salt.magic = KV5M_DATA;
    salt.data = salt_bytes;
    salt.length = (unsigned int)strlen(salt_bytes);
    krb5_keyblock kb;
    memset(&kb, 0, sizeof(kb));
    double t0 = now_ms();
    krb5_error_code ret = krb5_c_string_to_key(ctx, enctype, &pw, &salt, &kb);
    double t = now_ms();
    if (ret)
        return ret;
    krb5_free_keyblock_contents(ctx, &kb);
    *rate = 1000.0 / (t - t0);
    return 0;
}

static op_fn op_by_name(const char *name)
{
    if (strcmp(name, "encrypt") == 0)
        return do_encrypt;
    if (strcmp(name, "decrypt") == 0)
        return do_decrypt;
    return NULL;
}

static const char *api_of(op_fn fn)
{
    return fn == do_encrypt ? "krb5_k_encrypt" : "krb5_k_decrypt";
}

static void print_info(void)
{
    printf("{\"peer\":\"MIT krb5\",\"encrypt\":\"krb5_k_encrypt\",\"decrypt\":\"krb5_k_decrypt\","
           "\"key\":\"krb5_key (derived keys cached between calls)\",\"usage\":%d,"
           "\"confounder\":\"random\",\"stringToKey\":\"krb5_c_string_to_key (default iterations)\"}\n",
           USAGE);
    fflush(stdout);
}

static int serve(void)
{
    char line[256];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        char cmd[16] = "", opname[16] = "";
        long enctype = 0, size = 0;
        double ms = 0, rate = 0;
        krb5_error_code ret;
        struct cell *c;
        if (sscanf(line, "%15s", cmd) != 1)
            continue;
        if (strcmp(cmd, "info") == 0) {
            print_info();
        } else if (strcmp(cmd, "quit") == 0) {
            break;
        } else if (strcmp(cmd, "s2k") == 0 && sscanf(line, "%*s %ld", &enctype) == 1) {
            ret = s2k_once((krb5_enctype)enctype, &rate);
            if (ret) {
                print_error("krb5_c_string_to_key", ret);
                continue;
            }
            printf("{\"opsPerSec\":%.3f}\n", rate);
            fflush(stdout);
        } else if ((strcmp(cmd, "warmup") == 0 || strcmp(cmd, "round") == 0) &&
                   sscanf(line, "%*s %15s %ld %ld %lf", opname, &enctype, &size, &ms) == 4 &&
                   op_by_name(opname) != NULL && size >= 0 && ms > 0) {
            op_fn fn = op_by_name(opname);
            ret = cell_for((krb5_enctype)enctype, (size_t)size, &c);
            if (ret) {
                print_error("setup", ret);
                continue;
            }
            ret = run_round(fn, c, ms, &rate);
            if (ret) {
                print_error(api_of(fn), ret);
                continue;
            }
            if (strcmp(cmd, "warmup") == 0)
                printf("{\"ok\":true}\n");
            else
                printf("{\"opsPerSec\":%.3f}\n", rate);
            fflush(stdout);
        } else {
            printf("{\"error\":\"bad command\"}\n");
            fflush(stdout);
        }
    }
    return 0;
}

static int run_all(int rounds, double round_ms, double warmup_ms, int s2k_rounds)
{
    static const krb5_enctype enctypes[] = { 17, 18, 19, 20 };
    static const size_t sizes[] = { 64, 1024, 64 * 1024 };
    static const op_fn ops[] = { do_encrypt, do_decrypt };
    double rates[MAX_ROUNDS];
    krb5_error_code ret;
    print_info();
    for (size_t e = 0; e < sizeof(enctypes) / sizeof(enctypes[0]); e++) {
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
            struct cell *c;
            ret = cell_for(enctypes[e], sizes[s], &c);
            if (ret) {
                print_error("setup", ret);
                return 1;
            }
            for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
                double ignored;
                ret = run_round(ops[o], c, warmup_ms, &ignored);
                for (int r = 0; ret == 0 && r < rounds; r++)
                    ret = run_round(ops[o], c, round_ms, &rates[r]);
                if (ret) {
                    print_error(api_of(ops[o]), ret);
                    return 1;
                }
                printf("{\"op\":\"%s\",\"api\":\"%s\",\"enctype\":%d,\"size\":%zu,\"rounds\":%d,"
                       "\"opsPerSec\":%.3f}\n",
                       ops[o] == do_encrypt ? "encrypt" : "decrypt", api_of(ops[o]),
                       (int)enctypes[e], sizes[s], rounds, median(rates, rounds));
                fflush(stdout);
            }
        }
    }
    for (size_t e = 0; e < sizeof(enctypes) / sizeof(enctypes[0]); e++) {
        double ignored;
        ret = s2k_once(enctypes[e], &ignored);
        for (int r = 0; ret == 0 && r < s2k_rounds; r++)
            ret = s2k_once(enctypes[e], &rates[r]);
        if (ret) {
            print_error("krb5_c_string_to_key", ret);
            return 1;
        }
        printf("{\"op\":\"string-to-key\",\"api\":\"krb5_c_string_to_key\",\"enctype\":%d,"
               "\"rounds\":%d,\"opsPerSec\":%.3f}\n",
               (int)enctypes[e], s2k_rounds, median(rates, s2k_rounds));
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int rounds = 7, s2k_rounds = 3, serve_mode = 0;
    double round_ms = 40, warmup_ms = 80;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--serve") == 0) {
            serve_mode = 1;
        } else if (strcmp(a, "--rounds") == 0 && v) {
            rounds = atoi(v);
            i++;
        } else if (strcmp(a, "--round-ms") == 0 && v) {
            round_ms = atof(v);
            i++;
        } else if (strcmp(a, "--warmup-ms") == 0 && v) {
            warmup_ms = atof(v);
            i++;
        } else if (strcmp(a, "--s2k-rounds") == 0 && v) {
            s2k_rounds = atoi(v);
            i++;
        } else {
            fprintf(stderr,
                    "usage: %s [--serve] [--rounds N] [--round-ms MS] [--warmup-ms MS] [--s2k-rounds N]\n",
                    argv[0]);
            return 2;
        }
    }
    if (rounds < 1 || rounds > MAX_ROUNDS || s2k_rounds < 1 || s2k_rounds > MAX_ROUNDS ||
        round_ms <= 0 || warmup_ms < 0) {
        fprintf(stderr, "%s: rounds must be 1..%d and times positive\n", argv[0], MAX_ROUNDS);
        return 2;
    }
    krb5_error_code ret = krb5_init_context(&ctx);
    if (ret) {
        fprintf(stderr, "%s: krb5_init_context failed (%ld)\n", argv[0], (long)ret);
        return 1;
    }
    int status = serve_mode ? serve() : run_all(rounds, round_ms, warmup_ms, s2k_rounds);
    for (int i = 0; i < nkeys; i++)
        krb5_k_free_key(ctx, keys[i].key);
    krb5_free_context(ctx);
    return status;
}
