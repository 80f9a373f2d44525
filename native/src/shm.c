/* interleave-shm: named POSIX shared memory and a shared (cross-process) futex.
 *
 * open(name, size, create) -> ArrayBuffer over mmap'd memory (unmapped when the
 *   buffer is garbage-collected). create=true uses O_EXCL so a name clash fails.
 * unlink(name) -> removes the name; existing mappings stay valid.
 * futexWait(i32, index, expected, timeoutMs) -> 0 woken, 1 not-equal, 2 timed out
 *   (timeoutMs < 0: no timeout). Blocks the calling thread, like Atomics.wait.
 * futexWake(i32, index, count) -> number of waiters woken.
 * hasFutex -> false where there is no futex (the JS side then spins and backs off).
 */
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/futex.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

/* A segment name's buffer: POSIX allows NAME_MAX (255) bytes after the slash. */
#define NAME_BYTES 256

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "interleave-shm: N-API call failed: " #call); return NULL; } } while (0)

static napi_value throw_errno(napi_env env, const char *what, const char *name, int err) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s %s: %s", what, name, strerror(err));
  napi_value code, text, error;
  napi_create_string_utf8(env, err == EEXIST ? "EEXIST" : err == ENOENT ? "ENOENT" : "ESHM", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, code, text, &error);
  napi_throw(env, error);
  return NULL;
}

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

/* Reads a call's first n arguments into argv (missing ones read as undefined).
 * false: an exception is pending. */
static bool get_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv) {
  if (napi_get_cb_info(env, info, &n, argv, NULL, NULL) == napi_ok) return true;
  napi_throw_error(env, NULL, "interleave-shm: cannot read the call's arguments");
  return false;
}

/* A call on a segment: its n arguments, the first the segment's name, copied into
 * name. false: an exception is pending. */
static bool get_name_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv, char name[NAME_BYTES]) {
  size_t len;
  if (!get_args(env, info, n, argv)) return false;
  if (napi_get_value_string_utf8(env, argv[0], name, NAME_BYTES, &len) == napi_ok) return true;
  napi_throw_error(env, NULL, "interleave-shm: the segment name must be a string");
  return false;
}

/* What a call returns, as a JS value (NULL with an exception pending if N-API fails). */
static napi_value js_bool(napi_env env, bool b) {
  napi_value v;
  CHECK(napi_get_boolean(env, b, &v));
  return v;
}

static napi_value js_int32(napi_env env, int32_t i) {
  napi_value v;
  CHECK(napi_create_int32(env, i, &v));
  return v;
}

static napi_value shm_open_js(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char name[NAME_BYTES];
  if (!get_name_args(env, info, 3, argv, name)) return NULL;
  double dsize;
  CHECK(napi_get_value_double(env, argv[1], &dsize));
  bool create;
  CHECK(napi_get_value_bool(env, argv[2], &create));

  int fd = shm_open(name, create ? (O_RDWR | O_CREAT | O_EXCL) : O_RDWR, 0600);
  if (fd < 0) return throw_errno(env, create ? "shm_open (create)" : "shm_open", name, errno);
  size_t size = (size_t)dsize;
  if (create) {
    if (ftruncate(fd, (off_t)size) != 0) {
      int err = errno;
      close(fd);
      shm_unlink(name);
      return throw_errno(env, "ftruncate", name, err);
    }
  } else {
    struct stat st;
    if (fstat(fd, &st) != 0) { int err = errno; close(fd); return throw_errno(env, "fstat", name, err); }
    size = (size_t)st.st_size;
  }
  if (size == 0) { close(fd); return throw_errno(env, "empty segment", name, EINVAL); }
  void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);
  if (mem == MAP_FAILED) {
    if (create) shm_unlink(name);
    return throw_errno(env, "mmap", name, err);
  }
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, mem, size, unmap, (void *)(uintptr_t)size, &buffer) != napi_ok) {
    munmap(mem, size);
    if (create) shm_unlink(name);
    napi_throw_error(env, NULL, "interleave-shm: cannot wrap the mapping in an ArrayBuffer");
    return NULL;
  }
  return buffer;
}

static napi_value shm_unlink_js(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[NAME_BYTES];
  if (!get_name_args(env, info, 1, argv, name)) return NULL;
  return js_bool(env, shm_unlink(name) == 0);
}

/* A call on a futex word: its n arguments, the first two (i32, index) the word,
 * checked against the typed array's bounds. Returns the word's address, or NULL
 * with an exception pending. */
static int32_t *get_word_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv) {
  if (!get_args(env, info, n, argv)) return NULL;
  napi_value arr = argv[0], idx = argv[1];
  napi_typedarray_type type;
  size_t length, offset;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, arr, &type, &length, &data, &ab, &offset) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "interleave-shm: expected an Int32Array");
    return NULL;
  }
  int64_t i;
  if (napi_get_value_int64(env, idx, &i) != napi_ok || i < 0 || (size_t)i >= length) {
    napi_throw_range_error(env, NULL, "interleave-shm: index out of range");
    return NULL;
  }
  return (int32_t *)data + i;
}

static napi_value futex_wait_js(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t *addr = get_word_args(env, info, 4, argv);
  if (!addr) return NULL;
  int32_t expected;
  double timeout;
  CHECK(napi_get_value_int32(env, argv[2], &expected));
  CHECK(napi_get_value_double(env, argv[3], &timeout));
  int code = 0;
#ifdef __linux__
  struct timespec ts, *tsp = NULL;
  if (timeout >= 0) {
    ts.tv_sec = (time_t)(timeout / 1000);
    ts.tv_nsec = (long)((timeout - (double)ts.tv_sec * 1000) * 1e6);
    tsp = &ts;
  }
  /* Not FUTEX_PRIVATE: the word lives in memory shared between processes. */
  long r = syscall(SYS_futex, addr, FUTEX_WAIT, expected, tsp, NULL, 0);
  if (r != 0) {
    if (errno == EAGAIN) code = 1;
    else if (errno == ETIMEDOUT) code = 2;
    /* EINTR: report a wake-up; callers re-check their condition anyway. */
  }
#else
  (void)addr; (void)expected; (void)timeout;
  napi_throw_error(env, NULL, "interleave-shm: no futex on this platform");
  return NULL;
#endif
  return js_int32(env, code);
}

static napi_value futex_wake_js(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t *addr = get_word_args(env, info, 3, argv);
  if (!addr) return NULL;
  int32_t count;
  CHECK(napi_get_value_int32(env, argv[2], &count));
  long woken = 0;
#ifdef __linux__
  woken = syscall(SYS_futex, addr, FUTEX_WAKE, count, NULL, NULL, 0);
  if (woken < 0) woken = 0;
#else
  (void)addr; (void)count;
#endif
  return js_int32(env, (int32_t)woken);
}

/* dieWithParent(expectedPpid): asks the kernel to SIGKILL this process when its parent
 * dies (Linux PR_SET_PDEATHSIG), so a child stuck in a synchronous loop cannot outlive
 * a parent that was killed with SIGKILL. Returns false where unsupported. If the parent
 * is already gone (ppid no longer the expected one), the process ends at once. */
static napi_value die_with_parent_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t expected = 0;
  if (argc >= 1) CHECK(napi_get_value_int32(env, argv[0], &expected));
  bool ok = false;
#ifdef __linux__
  ok = prctl(PR_SET_PDEATHSIG, SIGKILL) == 0;
  if (ok && expected > 0 && getppid() != expected) kill(getpid(), SIGKILL);
#endif
  return js_bool(env, ok);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn, flag;
  CHECK(napi_create_function(env, "open", NAPI_AUTO_LENGTH, shm_open_js, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "open", fn));
  CHECK(napi_create_function(env, "unlink", NAPI_AUTO_LENGTH, shm_unlink_js, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "unlink", fn));
  CHECK(napi_create_function(env, "futexWait", NAPI_AUTO_LENGTH, futex_wait_js, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "futexWait", fn));
  CHECK(napi_create_function(env, "futexWake", NAPI_AUTO_LENGTH, futex_wake_js, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "futexWake", fn));
  CHECK(napi_create_function(env, "dieWithParent", NAPI_AUTO_LENGTH, die_with_parent_js, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "dieWithParent", fn));
#ifdef __linux__
  CHECK(napi_get_boolean(env, true, &flag));
#else
  CHECK(napi_get_boolean(env, false, &flag));
#endif
  CHECK(napi_set_named_property(env, exports, "hasFutex", flag));
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
