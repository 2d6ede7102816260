/* A stand-in for a Go 1.24+ binary's vDSO getrandom path: a function named
 * runtime.vgetrandom (an asm label, since C names cannot hold a dot),
 * called N times (argv[1]) to fill a buffer, then exit 0. */
#include <stdio.h>
#include <stdlib.h>

int vgetrandom(unsigned char *buf, int n) __asm__("runtime.vgetrandom");

__attribute__((noinline, used)) int vgetrandom(unsigned char *buf, int n)
{
	int i;

	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	__asm__ volatile("" : : "r"(buf) : "memory");
	return n;
}

int main(int argc, char **argv)
{
	unsigned char buf[16];
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1, i, sum = 0;

	for (i = 0; i < n; i++)
		sum += vgetrandom(buf, (int)sizeof(buf));
	return sum == n * (long)sizeof(buf) ? 0 : 1;
}
