/* A small unit-test harness: CHECK macros that record failures with file:line
 * and keep going, and a main() that runs the file's test functions. */
#ifndef SECPILOT_TEST_H
#define SECPILOT_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int t_failures, t_checks;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        t_checks++;                                                                   \
        if (!(cond)) {                                                                \
            t_failures++;                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                            \
    do {                                                                              \
        long long a_ = (long long)(a), b_ = (long long)(b);                           \
        t_checks++;                                                                   \
        if (a_ != b_) {                                                               \
            t_failures++;                                                             \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, \
                    #a, a_, b_);                                                      \
        }                                                                             \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                            \
    do {                                                                              \
        const char *a_ = (a), *b_ = (b);                                              \
        t_checks++;                                                                   \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                      \
            t_failures++;                                                             \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__,       \
                    __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");            \
        }                                                                             \
    } while (0)

#define CHECK_NEAR(a, b, eps)                                                         \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        t_checks++;                                                                   \
        if (!(fabs(a_ - b_) <= (eps))) {                                              \
            t_failures++;                                                             \
            fprintf(stderr, "%s:%d: %s == %g, expected %g\n", __FILE__, __LINE__, #a, \
                    a_, b_);                                                          \
        }                                                                             \
    } while (0)

#define TEST_MAIN(...)                                                                \
    int main(void) {                                                                  \
        void (*tests_[])(void) = {__VA_ARGS__};                                       \
        for (size_t i_ = 0; i_ < sizeof tests_ / sizeof tests_[0]; i_++) tests_[i_](); \
        printf("%d checks, %d failures\n", t_checks, t_failures);                     \
        return t_failures ? 1 : 0;                                                    \
    }

#endif
