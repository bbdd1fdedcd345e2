/* unprovable.c — a fixture for the proof pipeline's self-test (tests/tests.mk): one goal here is
 * false (a wrong postcondition), so `make prove`'s machinery must report it and fail. */
#include <stdint.h>

/*@ requires \valid(a + (0 .. 1));
    assigns a[0];
    ensures wrong_on_purpose: a[0] == a[1];   // false whenever a[1] != 1
    ensures right: a[0] == 1;
*/
void vgc_fixture(int32_t *a)
{
    a[0] = 1;
}
