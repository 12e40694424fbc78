/*
 * mit-kdc-load: MIT libkrb5's own client as a KDC load generator, the reference that
 * bench/run.mjs puts next to bench/kdc-load.mjs against the same KDC in the same run.
 *
 *   mit-kdc-load --mode as|tgs --principal P --keytab FILE --service S
 *                --concurrency N --duration SECONDS [--warmup SECONDS]
 *
 * The KDC comes from the profile in KRB5_CONFIG. Each of N threads has its own
 * krb5_context and loops until the deadline:
 *   as:  krb5_get_init_creds_keytab (the AS exchange of `kinit -k`: an AS-REQ without
 *        pre-authentication, KDC_ERR_PREAUTH_REQUIRED, then one with PA-ENC-TIMESTAMP);
 *   tgs: krb5_get_credentials with KRB5_GC_NO_STORE for S, with a TGT obtained once per
 *        thread into a MEMORY ccache; as nothing is stored, every call is a TGS exchange.
 * Prints one JSON line: calls (and all_calls, warm-up included), seconds, per-call
 * latency percentiles of successful calls and failures by error code (com_err codes; KDC errors are ERROR_TABLE_BASE_krb5 + the RFC 4120 code).
 *
 * Build: cc -O2 -o mit-kdc-load mit-kdc-load.c -lkrb5 -lk5crypto -lcom_err -lpthread
 */
#include <errno.h>
#include <krb5.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 256
#define MAX_CODES 32

struct options {
    const char *mode, *principal, *keytab, *service;
    int concurrency;
    double duration, warmup;
};

struct code_count {
    long code;
    long count;
    char message[160];
};

struct worker {
    const struct options *opt;
    double start, measure_from, deadline;
    double *lat;            /* per-call latencies (ms) of measured calls */
    size_t nlat, caplat;
    long calls, failures;
    long all_calls;         /* warm-up included: to relate to the KDC's log */
    struct code_count codes[MAX_CODES];
    int ncodes;
    char setup_error[256];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void count_error(struct worker *w, krb5_context ctx, krb5_error_code code)
{
    int i;
    for (i = 0; i < w->ncodes; i++) {
        if (w->codes[i].code == (long)code) {
            w->codes[i].count++;
            return;
        }
    }
    if (w->ncodes < MAX_CODES) {
        const char *msg = krb5_get_error_message(ctx, code);
        struct code_count *c = &w->codes[w->ncodes++];
        c->code = (long)code;
        c->count = 1;
        snprintf(c->message, sizeof(c->message), "%s", msg);
        krb5_free_error_message(ctx, msg);
    }
}

static void record(struct worker *w, double t0, double t1)
{
    if (t0 < w->measure_from)
        return;
    if (w->nlat == w->caplat) {
        size_t cap = w->caplat ? w->caplat * 2 : 4096;
        double *p = realloc(w->lat, cap * sizeof(double));
        if (p == NULL)
            return;
        w->lat = p;
        w->caplat = cap;
    }
    w->lat[w->nlat++] = (t1 - t0) * 1000.0;
}

static krb5_error_code get_tgt(krb5_context ctx, krb5_principal client, krb5_keytab kt,
                               krb5_creds *creds)
{
    krb5_get_init_creds_opt *gic = NULL;
    krb5_error_code ret = krb5_get_init_creds_opt_alloc(ctx, &gic);
    if (ret)
        return ret;
    ret = krb5_get_init_creds_keytab(ctx, creds, client, kt, 0, NULL, gic);
    krb5_get_init_creds_opt_free(ctx, gic);
    return ret;
}

static void *run_worker(void *arg)
{
    struct worker *w = arg;
    const struct options *o = w->opt;
    krb5_context ctx = NULL;
    krb5_principal client = NULL, service = NULL;
    krb5_keytab kt = NULL;
    krb5_ccache cc = NULL;
    krb5_error_code ret;
    int tgs = strcmp(o->mode, "tgs") == 0;

    if ((ret = krb5_init_context(&ctx)) != 0) {
        snprintf(w->setup_error, sizeof(w->setup_error), "krb5_init_context: %d", (int)ret);
        return NULL;
    }
    if ((ret = krb5_parse_name(ctx, o->principal, &client)) != 0 ||
        (ret = krb5_kt_resolve(ctx, o->keytab, &kt)) != 0 ||
        (tgs && (ret = krb5_parse_name(ctx, o->service, &service)) != 0)) {
        const char *m = krb5_get_error_message(ctx, ret);
        snprintf(w->setup_error, sizeof(w->setup_error), "setup: %s", m);
        krb5_free_error_message(ctx, m);
        goto done;
    }
    if (tgs) {
        krb5_creds tgt;
        memset(&tgt, 0, sizeof(tgt));
        if ((ret = get_tgt(ctx, client, kt, &tgt)) != 0 ||
            (ret = krb5_cc_new_unique(ctx, "MEMORY", NULL, &cc)) != 0 ||
            (ret = krb5_cc_initialize(ctx, cc, client)) != 0 ||
            (ret = krb5_cc_store_cred(ctx, cc, &tgt)) != 0) {
            const char *m = krb5_get_error_message(ctx, ret);
            snprintf(w->setup_error, sizeof(w->setup_error), "TGT: %s", m);
            krb5_free_error_message(ctx, m);
            krb5_free_cred_contents(ctx, &tgt);
            goto done;
        }
        krb5_free_cred_contents(ctx, &tgt);
    }

    for (;;) {
        double t0 = now_s(), t1;
        if (t0 >= w->deadline)
            break;
        if (tgs) {
            krb5_creds in, *out = NULL;
            memset(&in, 0, sizeof(in));
            in.client = client;
            in.server = service;
            ret = krb5_get_credentials(ctx, KRB5_GC_NO_STORE, cc, &in, &out);
            if (out != NULL)
                krb5_free_creds(ctx, out);
        } else {
            krb5_creds creds;
            memset(&creds, 0, sizeof(creds));
            ret = get_tgt(ctx, client, kt, &creds);
            krb5_free_cred_contents(ctx, &creds);
        }
        t1 = now_s();
        w->all_calls++;
        if (t0 < w->measure_from)
            continue;
        w->calls++;
        if (ret) {
            w->failures++;
            count_error(w, ctx, ret);
        } else {
            record(w, t0, t1);
        }
    }

done:
    if (cc != NULL)
        krb5_cc_destroy(ctx, cc);
    if (kt != NULL)
        krb5_kt_close(ctx, kt);
    krb5_free_principal(ctx, client);
    krb5_free_principal(ctx, service);
    krb5_free_context(ctx);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(const double *v, size_t n, double p)
{
    size_t i;
    if (n == 0)
        return 0.0;
    i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", (unsigned char)*s);
        else
            putchar(*s);
    }
    putchar('"');
}

static void usage(void)
{
    fprintf(stderr, "usage: mit-kdc-load --mode as|tgs --principal P --keytab FILE "
                    "[--service S] [--concurrency N] [--duration S] [--warmup S]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct options o = { NULL, NULL, NULL, NULL, 1, 5.0, 0.5 };
    static struct worker workers[MAX_THREADS];
    pthread_t threads[MAX_THREADS];
    double start, measured;
    long calls = 0, failures = 0, all_calls = 0;
    size_t total = 0, k;
    double *all;
    int i, j, n, first = 1;

    for (i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (strcmp(a, "--mode") == 0) o.mode = v;
        else if (strcmp(a, "--principal") == 0) o.principal = v;
        else if (strcmp(a, "--keytab") == 0) o.keytab = v;
        else if (strcmp(a, "--service") == 0) o.service = v;
        else if (strcmp(a, "--concurrency") == 0) o.concurrency = atoi(v);
        else if (strcmp(a, "--duration") == 0) o.duration = atof(v);
        else if (strcmp(a, "--warmup") == 0) o.warmup = atof(v);
        else usage();
    }
    if (i != argc || o.mode == NULL || o.principal == NULL || o.keytab == NULL ||
        (strcmp(o.mode, "as") != 0 && strcmp(o.mode, "tgs") != 0) ||
        (strcmp(o.mode, "tgs") == 0 && o.service == NULL) || o.concurrency < 1 ||
        o.concurrency > MAX_THREADS || !(o.duration > 0) || o.duration > 3600 || o.warmup < 0)
        usage();

    n = o.concurrency;
    start = now_s();
    for (i = 0; i < n; i++) {
        workers[i].opt = &o;
        workers[i].start = start;
        workers[i].measure_from = start + o.warmup;
        workers[i].deadline = start + o.warmup + o.duration;
        if (pthread_create(&threads[i], NULL, run_worker, &workers[i]) != 0) {
            fprintf(stderr, "mit-kdc-load: pthread_create: %s\n", strerror(errno));
            return 1;
        }
    }
    for (i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    measured = now_s() - (start + o.warmup);
    if (measured > o.duration)
        measured = o.duration; /* calls that start before the deadline end a little after it */

    for (i = 0; i < n; i++) {
        if (workers[i].setup_error[0] != '\0') {
            fprintf(stderr, "mit-kdc-load: %s\n", workers[i].setup_error);
            return 1;
        }
        calls += workers[i].calls;
        failures += workers[i].failures;
        all_calls += workers[i].all_calls;
        total += workers[i].nlat;
    }
    all = malloc((total ? total : 1) * sizeof(double));
    if (all == NULL)
        return 1;
    for (i = 0, k = 0; i < n; i++) {
        memcpy(all + k, workers[i].lat, workers[i].nlat * sizeof(double));
        k += workers[i].nlat;
        free(workers[i].lat);
    }
    qsort(all, total, sizeof(double), cmp_double);

    printf("{\"client\":\"mit\",\"mode\":\"%s\",\"concurrency\":%d,\"seconds\":%.3f,"
           "\"calls\":%ld,\"all_calls\":%ld,\"failures\":%ld,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"errors\":[",
           o.mode, n, measured, calls, all_calls, failures, percentile(all, total, 0.50),
           percentile(all, total, 0.99));
    for (i = 0; i < n; i++) {
        for (j = 0; j < workers[i].ncodes; j++) {
            printf("%s{\"code\":%ld,\"count\":%ld,\"message\":", first ? "" : ",",
                   workers[i].codes[j].code, workers[i].codes[j].count);
            json_string(workers[i].codes[j].message);
            putchar('}');
            first = 0;
        }
    }
    printf("]}\n");
    free(all);
    return 0;
}
