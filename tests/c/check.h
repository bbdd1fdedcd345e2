/* check.h — a tiny unit-test harness: TEST(name) defines a test, CHECK(cond) records a failure
 * (with file:line) and RUN_TESTS() at the end of main prints `N passed, N failed`.
 * Assertions never abort, so one run reports every failing test. */
#ifndef VGC_TEST_CHECK_H
#define VGC_TEST_CHECK_H

#include <stdio.h>

static int check_passed, check_failed, check_current_failed;
static const char *check_current;

#define CHECK(cond) do { if (!(cond)) { \
    printf("  FAIL %s: %s:%d: %s\n", check_current, __FILE__, __LINE__, #cond); \
    check_current_failed = 1; } } while (0)

#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); if (a_ != b_) { \
    printf("  FAIL %s: %s:%d: %s == %lld, expected %s == %lld\n", check_current, __FILE__, \
           __LINE__, #a, a_, #b, b_); check_current_failed = 1; } } while (0)

#define TEST(name) static void name(void)

#define RUN(name) do { check_current = #name; check_current_failed = 0; name(); \
    if (check_current_failed) check_failed++; else { check_passed++; \
    printf("  ok   %s\n", #name); } } while (0)

#define RUN_TESTS() (printf("%d passed, %d failed\n", check_passed, check_failed), \
    check_failed != 0)

#endif
