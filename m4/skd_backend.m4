# SKD_BACKEND(NAME)
# --disable-backend-NAME leaves one of our backends out of the build;
# every backend is built by default.
AC_DEFUN([SKD_BACKEND], [
  AC_ARG_ENABLE([backend-$1],
    [AS_HELP_STRING([--disable-backend-$1], [do not build the $1 backend])],
    [], [enable_backend_$1=yes])
  AM_CONDITIONAL([BUILD_BACKEND_]m4_toupper([$1]), [test "x$enable_backend_$1" = xyes])
])
